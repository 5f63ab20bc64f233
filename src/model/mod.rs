//! What a system is: species, sizes and polydispersity, Mie and WCA potentials, boxes and
//! droplets (SCIENCE.md §1).

pub mod barker_henderson;
mod error;
mod frame;
mod geometry;
pub mod mie;
pub mod pair_table;
pub mod polydisperse;
pub mod wall;

pub use error::ModelError;
pub use frame::Frame;
pub use geometry::{wrap_edge, Geometry, MinimumImage};
pub use mie::{Mie, PairCoeff};
pub use pair_table::{PairRule, PairTable};
pub use polydisperse::{Species, SubType};
pub use wall::WcaWall;
