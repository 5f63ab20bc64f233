//! The HOOMD schema's chunk names and defaults (gsd's `gsd/hoomd.py` and the schema document
//! `schema-hoomd.rst`), plus the one chunk BNSL Studio adds for droplets.
//!
//! HOOMD's rule for a chunk that a frame k > 0 does not store: take the value from frame 0 (for
//! per-particle chunks only when frame 0 has the same N), and otherwise the schema default.

/// `configuration/step`: `uint64`, 1×1. Default 0.
pub const STEP: &str = "configuration/step";
/// `configuration/dimensions`: `uint8`, 1×1. Default 3.
pub const DIMENSIONS: &str = "configuration/dimensions";
/// `configuration/box`: `float`, 6×1, `[Lx, Ly, Lz, xy, xz, yz]`. Default `[1,1,1,0,0,0]`.
pub const BOX: &str = "configuration/box";
/// `particles/N`: `uint32`, 1×1. Default 0.
pub const N: &str = "particles/N";
/// `particles/types`: `uint8`, NT×W, one NUL-padded name per row. Default `["A"]`.
pub const TYPES: &str = "particles/types";
/// `particles/typeid`: `uint32`, N×1. Default 0.
pub const TYPEID: &str = "particles/typeid";
/// `particles/position`: `float`, N×3. Default 0.
pub const POSITION: &str = "particles/position";
/// `particles/diameter`: `float`, N×1. Default 1.
pub const DIAMETER: &str = "particles/diameter";
/// `particles/velocity`: `float`, N×3. Default 0 (read as "not stored": `None`).
pub const VELOCITY: &str = "particles/velocity";
/// `particles/image`: `int32`, N×3. Default 0 (read as "not stored": `None`).
pub const IMAGE: &str = "particles/image";
/// BNSL Studio's droplet marker, a HOOMD log chunk: `float64`, 1×1. A positive finite value is
/// the radius of the spherical wall of an open-space frame (`Geometry::Open { radius:
/// Some(r) }`), `+inf` an unbounded open cluster (`Open { radius: None }`), 0 a periodic frame.
/// Our writer always stores it in frame 0 (gsd.hoomd fails on a log chunk that appears in a
/// later frame but not in frame 0) and in later frames when it differs from frame 0. Files
/// without it (HOOMD-blue's) are periodic. gsd reads it as the log quantity
/// `bnsl/droplet_radius`, OVITO as the global attribute of that name.
pub const DROPLET_RADIUS: &str = "log/bnsl/droplet_radius";

/// The application name written into headers.
pub const APPLICATION: &str = "BNSL Studio";
/// The schema version written: 2.0, as gsd 4–5 write (allows `float64` chunks).
pub const SCHEMA_VERSION: (u32, u32) = (2, 0);

/// Whether a chunk is per-particle (N rows), for HOOMD's frame-0 rule.
#[must_use]
pub fn is_per_particle(name: &str) -> bool {
    matches!(name, TYPEID | POSITION | DIAMETER | VELOCITY | IMAGE)
}
