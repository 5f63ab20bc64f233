//! One configuration of particles, as files and analyses exchange it: the common currency of
//! [`crate::io`] (GSD frames), [`crate::lattice`] (ideal crystals), the engine and the analyses.
//!
//! The engine keeps its own structure-of-arrays state for speed; it converts to and from
//! `Frame` at its edges.

use serde::{Deserialize, Serialize};

/// The space the particles live in.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Geometry {
    /// A periodic orthorhombic box with edge lengths `[Lx, Ly, Lz]` (in σ), centred on the
    /// origin as in HOOMD-blue: coordinates lie in `[-L/2, L/2)`.
    Periodic([f64; 3]),
    /// Open space (a droplet): no periodic images. `radius` is the droplet wall's radius in σ,
    /// or `None` for an unbounded cluster.
    Open {
        /// Radius of the confining sphere, centred on the origin.
        radius: Option<f64>,
    },
}

/// A configuration of particles of several named types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// The time step this frame was taken at.
    pub step: u64,
    /// Periodic box or open space.
    pub geometry: Geometry,
    /// Names of the particle types, indexed by `typeid` (e.g. `["L", "S"]`).
    pub types: Vec<String>,
    /// Position of each particle (σ).
    pub positions: Vec<[f64; 3]>,
    /// Type of each particle, an index into `types`.
    pub typeid: Vec<u32>,
    /// Diameter of each particle (σ).
    pub diameters: Vec<f64>,
    /// Velocities (σ/τ), when known.
    pub velocities: Option<Vec<[f64; 3]>>,
    /// Periodic image counters, when known.
    pub images: Option<Vec<[i32; 3]>>,
}

impl Frame {
    /// Number of particles.
    #[must_use]
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether the frame holds no particles.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The periodic box lengths, or `None` in open space.
    #[must_use]
    pub fn box_lengths(&self) -> Option<[f64; 3]> {
        match self.geometry {
            Geometry::Periodic(l) => Some(l),
            Geometry::Open { .. } => None,
        }
    }
}
