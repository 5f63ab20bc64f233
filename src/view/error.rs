//! What can go wrong when a view is built from user data.

use thiserror::Error;

/// Why a view could not be built from the given frame and colouring.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ViewError {
    /// A per-particle array does not have one entry per particle.
    #[error("{what} has {got} entries but the frame has {expected} particles")]
    LengthMismatch {
        /// Which array (e.g. "labels", "scalar values").
        what: &'static str,
        /// Number of particles in the frame.
        expected: usize,
        /// Number of entries given.
        got: usize,
    },
    /// A particle's position or diameter is not a finite number.
    #[error("particle {index} has a non-finite {what}")]
    NonFinite {
        /// Index of the particle in the frame.
        index: usize,
        /// "position" or "diameter".
        what: &'static str,
    },
    /// A neighbour pair names a particle that does not exist.
    #[error("neighbour pair {pair} names particle {index}, but there are only {count} particles")]
    PairOutOfRange {
        /// Index of the pair in the list.
        pair: usize,
        /// The offending particle index.
        index: usize,
        /// Number of particles.
        count: usize,
    },
    /// The slab's normal, offset or thickness is unusable.
    #[error("slab: {0}")]
    BadSlab(String),
}
