//! One configuration of particles, as files and analyses exchange it: the common currency of
//! [`crate::io`] (GSD frames), [`crate::lattice`] (ideal crystals), the engine and the analyses.
//!
//! The engine keeps its own structure-of-arrays state for speed; it converts to and from
//! `Frame` at its edges.

use super::Geometry;
use serde::{Deserialize, Serialize};

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
        self.geometry.box_lengths()
    }
}
