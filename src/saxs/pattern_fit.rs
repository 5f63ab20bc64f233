//! One entry for every model of a single pattern (issue #5): the lattice models of
//! [`super::fit`] or the sphere form factor of [`super::sphere_fit`], as [`ModelChoice`] says.

use super::fit::{fit_lattice, FitError, FitOptions, LatticeFit, ModelChoice};
use super::read::Pattern;
use super::sphere_fit::{fit_sphere, SphereFit};
use serde::{Deserialize, Serialize};

/// The fit of one pattern: a lattice or dilute spheres.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PatternFit {
    /// Lattice peaks (AlB₂, NaZn₁₃ or both).
    Lattice(Box<LatticeFit>),
    /// Polydisperse spheres.
    Sphere(SphereFit),
}

impl PatternFit {
    /// The model name: alb2, nazn13, alb2+nazn13 or sphere.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            PatternFit::Lattice(f) => f.name(),
            PatternFit::Sphere(_) => "sphere",
        }
    }

    /// The fitted curve at each q.
    #[must_use]
    pub fn curve(&self, q: &[f64]) -> Vec<f64> {
        match self {
            PatternFit::Lattice(f) => f.curve(q),
            PatternFit::Sphere(f) => f.curve(q),
        }
    }

    /// χ²/(n − k).
    #[must_use]
    pub fn chi2_reduced(&self) -> f64 {
        match self {
            PatternFit::Lattice(f) => f.evidence.chi2_reduced,
            PatternFit::Sphere(f) => f.chi2_reduced,
        }
    }
}

/// Fits the model `options.model` asks for.
///
/// # Errors
/// The [`FitError`] of the lattice or sphere fit.
pub fn fit_pattern(pattern: &Pattern, options: &FitOptions) -> Result<PatternFit, FitError> {
    if options.model == ModelChoice::Sphere {
        fit_sphere(pattern).map(PatternFit::Sphere)
    } else {
        fit_lattice(pattern, options).map(|f| PatternFit::Lattice(Box::new(f)))
    }
}
