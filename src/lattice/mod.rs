//! Crystals: the catalogue of structures as data ([`catalogue`]), unit cells with their bases,
//! crystals built from them (periodic blocks and spherical seeds) and their reflections. Used
//! by tests, by the engine for initial states and seeds, by the classifiers and by the SAXS
//! fits (SCIENCE.md §5).

mod build;
pub mod catalogue;
mod cell;
mod reflections;

pub use build::{cluster, crystal, Diameters};
pub use catalogue::{catalogue, AxialRatio, BondRule, Crystal, CrystalError, Lattice, Structure};
pub use cell::{Site, Species, UnitCell, NAZN13_SS_OVER_LL};
pub use reflections::{
    hkl_label, q_hkl, reflections, sphere_amplitude, structure_factor, three_j1_over_x,
    CoreDiameters, Reflection,
};
