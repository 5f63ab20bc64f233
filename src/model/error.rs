//! Errors raised while building a model (types, pair table, polydispersity, wall).

use thiserror::Error;

/// What is wrong with a model description.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ModelError {
    /// A Mie pair's exponents are not integers with `n > m ≥ 1`.
    #[error("pair ({i}, {j}): Mie exponents must satisfy n > m >= 1, got n = {n}, m = {m}")]
    Exponents {
        /// First type index.
        i: usize,
        /// Second type index.
        j: usize,
        /// Repulsive exponent.
        n: u32,
        /// Attractive exponent.
        m: u32,
    },
    /// A length, energy or cut-off is not a finite number in its allowed range.
    #[error("{what} = {value} is out of range ({rule})")]
    OutOfRange {
        /// Which quantity (e.g. "sigma of pair (0, 1)").
        what: String,
        /// The offending value.
        value: f64,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// A parameter the potential's form fixes was set to another value.
    #[error("pair ({i}, {j}): {potential} fixes the {what} at {fixed}, got {value}")]
    Fixed {
        /// First type index.
        i: usize,
        /// Second type index.
        j: usize,
        /// The potential's name in the run description.
        potential: &'static str,
        /// Which parameters.
        what: &'static str,
        /// The value given.
        value: String,
        /// The value the form fixes.
        fixed: String,
    },
    /// Two pairs of one table use different potentials.
    #[error(
        "pair ({i}, {j}) uses {found} but pair (0, 0) uses {expected}; a table has one potential"
    )]
    MixedPotentials {
        /// First type index.
        i: usize,
        /// Second type index.
        j: usize,
        /// The potential of pair (i, j).
        found: &'static str,
        /// The potential of pair (0, 0).
        expected: &'static str,
    },
    /// A type index points past the table.
    #[error("type index {index} is out of range for {ntypes} types")]
    TypeIndex {
        /// The offending index.
        index: usize,
        /// Number of types in the table.
        ntypes: usize,
    },
}

/// Checks that `value` is finite and strictly positive.
pub(crate) fn positive(what: impl Into<String>, value: f64) -> Result<f64, ModelError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(ModelError::OutOfRange {
            what: what.into(),
            value,
            rule: "must be finite and > 0",
        })
    }
}

/// Checks that `value` is finite and not negative.
pub(crate) fn non_negative(what: impl Into<String>, value: f64) -> Result<f64, ModelError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(ModelError::OutOfRange {
            what: what.into(),
            value,
            rule: "must be finite and >= 0",
        })
    }
}
