//! Errors of the engine: bad input states, bad parameters, a run that blew up.

use thiserror::Error;

use crate::model::ModelError;

/// What went wrong in the engine.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum MdError {
    /// The model (pair table, species, wall) is invalid.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A particle's input position or velocity is not finite.
    #[error("particle {index}: {what} is not finite ({value:?})")]
    NonFiniteInput {
        /// Particle index.
        index: usize,
        /// "position" or "velocity".
        what: &'static str,
        /// The offending vector.
        value: [f64; 3],
    },
    /// Two particles overlap in the input.
    #[error(
        "particles {i} and {j} overlap: distance {distance:.4} < {threshold:.4} (0.5 sigma_ij)"
    )]
    Overlap {
        /// First particle.
        i: usize,
        /// Second particle.
        j: usize,
        /// Their distance.
        distance: f64,
        /// The smallest distance allowed.
        threshold: f64,
    },
    /// Two particles so close (usually at the same position) that their pair energy is not
    /// finite.
    #[error("particles {i} and {j} are coincident (distance {distance:.3e}): the Mie pair energy is not finite")]
    Coincident {
        /// First particle.
        i: usize,
        /// Its nearest particle.
        j: usize,
        /// Their distance.
        distance: f64,
    },
    /// A particle's type index is not in the pair table.
    #[error("particle {index} has type id {typeid}, but only {ntypes} types exist")]
    TypeId {
        /// Particle index.
        index: usize,
        /// Its type id.
        typeid: u32,
        /// Number of types.
        ntypes: usize,
    },
    /// Array lengths of a state disagree.
    #[error("state arrays disagree: {what} has {got} entries, expected {expected}")]
    Length {
        /// Which array.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The particle count.
        expected: usize,
    },
    /// The box is too small for the interaction range (minimum image would break).
    #[error("box length {length:.4} is smaller than twice the neighbour range {range:.4}")]
    BoxTooSmall {
        /// The shortest box edge.
        length: f64,
        /// Cut-off plus skin.
        range: f64,
    },
    /// A particle left the droplet.
    #[error("particle {index} is outside the droplet wall (|r| = {distance:.4} >= R = {radius:.4}) at step {step}")]
    OutsideWall {
        /// Particle index.
        index: usize,
        /// Its distance from the centre.
        distance: f64,
        /// The wall radius.
        radius: f64,
        /// The step.
        step: u64,
    },
    /// A step produced non-finite numbers; the state was rolled back to the last good step.
    #[error("step {step} produced non-finite {what} (particle {index}); the state was kept at step {kept_step}")]
    Blowup {
        /// Step at which the values became non-finite.
        step: u64,
        /// What became non-finite.
        what: &'static str,
        /// First offending particle (or 0 for a sum).
        index: usize,
        /// The step of the state that was kept.
        kept_step: u64,
    },
    /// A parameter of the run is out of range.
    #[error("{what} = {value} is out of range ({rule})")]
    Parameter {
        /// Which parameter.
        what: String,
        /// Its value.
        value: f64,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// An initial state could not be built.
    #[error("initial state: {0}")]
    Init(String),
}
