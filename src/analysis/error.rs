//! The one error type of the analysis layer: what went wrong, and for which particle or value.

use thiserror::Error;

/// Why an analysis could not be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AnalysisError {
    /// A particle position is NaN or infinite.
    #[error("particle {index}: position {value:?} is not finite")]
    NonFinitePosition {
        /// Index of the particle in the frame.
        index: usize,
        /// The offending position.
        value: [f64; 3],
    },
    /// A periodic box edge is zero, negative or not finite.
    #[error("periodic box edge {axis} = {value} must be positive and finite")]
    BadBox {
        /// 0, 1 or 2 for x, y, z.
        axis: usize,
        /// The offending edge length.
        value: f64,
    },
    /// Two particles at the same position: the bond between them has no direction.
    #[error(
        "particles {index} and {neighbor} are coincident (distance 0): their bond has no direction"
    )]
    Coincident {
        /// The centre.
        index: usize,
        /// Its neighbour at distance 0.
        neighbor: usize,
    },
    /// A parameter is out of its allowed range.
    #[error("{name} = {value} is out of range: {why}")]
    BadParameter {
        /// Name of the parameter (e.g. `r_max`, `l`, `k`).
        name: &'static str,
        /// Its value.
        value: f64,
        /// What the allowed range is.
        why: &'static str,
    },
    /// A k-nearest query asked for more neighbours than there are candidates.
    #[error(
        "particle {index}: {k} nearest neighbours requested but only {available} candidates exist"
    )]
    TooFewCandidates {
        /// Index of the query particle.
        index: usize,
        /// Neighbours requested.
        k: usize,
        /// Candidates available (self excluded).
        available: usize,
    },
    /// A particle index is out of range.
    #[error("particle index {index} is out of range (the frame has {len} particles)")]
    IndexOutOfRange {
        /// The offending index.
        index: usize,
        /// Number of particles.
        len: usize,
    },
    /// A type name is not among the frame's types.
    #[error("unknown particle type {name:?} (the frame has types {known:?})")]
    UnknownType {
        /// The name asked for.
        name: String,
        /// The frame's type names.
        known: Vec<String>,
    },
    /// Per-particle arrays disagree in length.
    #[error("{what} has {got} entries but {expected} were expected")]
    LengthMismatch {
        /// Which array.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The length it should have.
        expected: usize,
    },
    /// Averaging over neighbours needs each neighbour's own value, but this neighbour was not
    /// among the centres.
    #[error(
        "neighbour {neighbor} of particle {index} is not itself a centre of the neighbour list"
    )]
    NotACentre {
        /// The centre.
        index: usize,
        /// Its neighbour without a row.
        neighbor: usize,
    },
    /// Two inputs that must describe the same system do not.
    #[error("inconsistent input: {0}")]
    Inconsistent(String),
}

/// Shorthand for results of this module.
pub type Result<T> = std::result::Result<T, AnalysisError>;
