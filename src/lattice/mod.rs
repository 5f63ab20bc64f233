//! Ideal AlB₂, NaZn₁₃ and fcc crystals: unit cells with their bases, and crystals built from
//! them (periodic blocks and spherical seeds). Used by tests, by the engine for initial
//! states and seeds, and by the SAXS fits for reflections (SCIENCE.md §5).

mod build;
mod cell;
mod reflections;

pub use build::{cluster, crystal, Diameters};
pub use cell::{Site, Species, Structure, UnitCell, NAZN13_SS_OVER_LL};
pub use reflections::{
    hkl_label, q_hkl, reflections, sphere_amplitude, structure_factor, three_j1_over_x,
    CoreDiameters, Reflection,
};
