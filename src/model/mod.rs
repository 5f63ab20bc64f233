//! What a system is: species, sizes and polydispersity, pair potentials (Mie, Lennard-Jones,
//! WCA; [`potential`]), boxes and droplets (SCIENCE.md §1).

pub mod barker_henderson;
mod error;
mod frame;
mod geometry;
mod pair_spec;
pub mod pair_table;
pub mod polydisperse;
pub mod potential;
pub mod wall;

pub use error::ModelError;
pub use frame::Frame;
pub use geometry::{wrap_edge, Geometry, MinimumImage};
pub use pair_spec::{PairCoeff, PairSpec};
pub use pair_table::{PairRule, PairTable};
pub use polydisperse::{Species, SubType};
pub use potential::{PairPotential, PotentialKind};
pub use wall::WcaWall;
