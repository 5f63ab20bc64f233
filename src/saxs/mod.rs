//! Scattering data in, fitted structure out (SCIENCE.md §5): readers for beamline and SasView
//! files, lattice peak models, Levenberg–Marquardt fits, derived structural parameters and
//! the sphere form factor of the cores.

pub mod read;
