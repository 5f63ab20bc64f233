//! The one error type of the free-energy layer.

use thiserror::Error;

use crate::md::MdError;
use crate::model::ModelError;

/// What went wrong in a free-energy computation; every variant names the quantity and value.
#[derive(Debug, Error)]
pub enum ThermoError {
    /// An input number outside its allowed range.
    #[error("{name} = {value} is out of range: {allowed}")]
    OutOfRange {
        /// The quantity.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is allowed, in words.
        allowed: &'static str,
    },
    /// Too few data points for the requested fit.
    #[error("{points} data points cannot fix an equation of state with {parameters} parameters")]
    TooFewPoints {
        /// Points given.
        points: usize,
        /// Parameters asked for.
        parameters: usize,
    },
    /// The normal equations of a fit were singular.
    #[error("the equation-of-state fit is singular (points at too few distinct densities)")]
    SingularFit,
    /// Two branches share no pressure at which they could coexist.
    #[error("the branches share no pressure range: {0}")]
    NoCommonPressure(String),
    /// The two branches' g never cross within their common pressure range.
    #[error(
        "g per particle of the two branches does not cross between βP = {low:.4} and {high:.4}"
    )]
    NoCrossing {
        /// Lowest common pressure.
        low: f64,
        /// Highest common pressure.
        high: f64,
    },
    /// The simulation behind a free energy failed.
    #[error("simulation: {0}")]
    Md(#[from] MdError),
    /// The model (pair table, diameters) is invalid.
    #[error("model: {0}")]
    Model(#[from] ModelError),
    /// The caller asked the computation to stop.
    #[error("stopped at the caller's request")]
    Stopped,
    /// The frame cannot serve as a perfect lattice.
    #[error("the frame cannot be the perfect lattice: {0}")]
    Lattice(&'static str),
    /// A root could not be bracketed.
    #[error("no {what} within the range searched ({low:.4} to {high:.4})")]
    NotBracketed {
        /// What was sought.
        what: &'static str,
        /// Lower end of the search.
        low: f64,
        /// Upper end of the search.
        high: f64,
    },
}

/// `Ok(value)` when `value` is finite and above zero, else [`ThermoError::OutOfRange`].
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, ThermoError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(ThermoError::OutOfRange {
            name,
            value,
            allowed: "finite and above 0",
        })
    }
}
