//! Scattering data in, fitted structure out (SCIENCE.md §5): readers for beamline and SasView
//! files, lattice peak models, Levenberg–Marquardt fits, derived structural parameters and
//! the sphere form factor of the cores.

pub mod lorentz;
pub mod peaks;
pub mod read;

pub mod derived;
pub mod fit;
pub mod form_factor;
pub mod kinetics;
pub(crate) mod linalg;
mod lm;
pub mod pattern_fit;
pub mod share;
pub mod sphere;
pub mod sphere_fit;
pub mod synthetic;

pub mod indexing;
mod search;
pub mod verdict;

pub use fit::{
    fit_lattice, refit_lattice, FitError, FitOptions, IntensityFit, LatticeFit, ModelChoice,
};
pub use form_factor::FormFactor;
pub use kinetics::{fit_series, FrameFit, SeriesFitter};
pub use pattern_fit::{fit_pattern, PatternFit};
pub use sphere_fit::{fit_sphere, SphereFit};
pub use verdict::Verdict;
