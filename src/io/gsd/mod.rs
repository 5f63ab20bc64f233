//! GSD (General Simulation Data) trajectories, the format of HOOMD-blue and the `gsd` package
//! (glotzerlab), in pure Rust: no C library, no file system assumptions, so the same code runs
//! natively and in the browser (which hands files over as bytes).
//!
//! Two layers, as in gsd itself:
//! - the **file layer** ([`GsdFile`], [`GsdFileWriter`]): version 2.x files made of named,
//!   typed N×M chunks per frame ([`layout`] documents the bytes);
//! - the **HOOMD schema** ([`HoomdReader`], [`HoomdWriter`]): `configuration/step`,
//!   `configuration/dimensions`, `configuration/box`, `particles/N`, `particles/types`,
//!   `particles/typeid`, `particles/position`, `particles/diameter`, `particles/velocity` and
//!   `particles/image`, mapped to and from the shared [`crate::model::Frame`], with HOOMD's rule
//!   that a chunk missing from frame k takes frame 0's value and then the schema default
//!   ([`schema`]).
//!
//! Limits, by design: only orthorhombic 3-D boxes are accepted (a tilted or 2-D HOOMD frame is
//! refused with [`GsdError::NonOrthorhombic`] / [`GsdError::NotThreeDimensional`]); bonds,
//! orientations, masses, charges and other chunks are ignored by [`HoomdReader::read_frame`]
//! but stay reachable through [`HoomdReader::file`]. Droplets (open space) are stored in an
//! enclosing box plus the log chunk [`schema::DROPLET_RADIUS`].

pub mod chunk;
mod error;
mod hoomd_read;
mod hoomd_write;
pub mod layout;
mod reader;
pub mod schema;
mod summary;
mod writer;

pub use chunk::{Chunk, ChunkValues, ElementType};
pub use error::GsdError;
pub use hoomd_read::HoomdReader;
pub use hoomd_write::{enclosing_box, HoomdWriter, Precision};
pub use layout::{GsdHeader, IndexEntry};
pub use reader::GsdFile;
pub use summary::{summarize, FrameSummary, TrajectorySummary};
pub use writer::GsdFileWriter;

use crate::model::Frame;
use std::io::Cursor;

/// Reads every frame of a HOOMD-schema GSD file held in memory.
///
/// # Errors
/// Any [`GsdError`] of [`HoomdReader::open`] or [`HoomdReader::read_frame`].
pub fn read_trajectory(bytes: &[u8]) -> Result<Vec<Frame>, GsdError> {
    let mut r = HoomdReader::open(Cursor::new(bytes))?;
    let mut frames = Vec::new();
    let mut total = 0usize;
    for k in 0..r.frame_count() {
        let f = r.read_frame(k)?;
        total = total.saturating_add(f.len().max(1));
        if total > MAX_TRAJECTORY_PARTICLES {
            return Err(GsdError::TooLarge {
                frame: k,
                limit: MAX_TRAJECTORY_PARTICLES,
            });
        }
        frames.push(f);
    }
    Ok(frames)
}

/// The most particles (summed over frames) [`read_trajectory`] holds in memory at once, about
/// 2 GB; read larger files frame by frame with [`HoomdReader`].
pub const MAX_TRAJECTORY_PARTICLES: usize = 50_000_000;

/// Writes frames as a HOOMD-schema GSD file (single precision) and returns its bytes.
///
/// # Errors
/// [`GsdError::InvalidFrame`] for an inconsistent frame.
pub fn write_trajectory(frames: &[Frame]) -> Result<Vec<u8>, GsdError> {
    let mut w = HoomdWriter::create(Cursor::new(Vec::new()))?;
    for f in frames {
        w.append(f)?;
    }
    Ok(w.finish()?.into_inner())
}
