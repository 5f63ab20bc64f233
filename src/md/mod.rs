//! Molecular dynamics: neighbour lists, forces, integrators, thermostats, compression
//! (SCIENCE.md §1 "Dynamics").

mod error;
pub mod forces;
pub mod neighbor;
pub mod state;

pub use error::MdError;
pub use forces::{compute_forces, ForceSums};
pub use neighbor::NeighborList;
pub use state::State;
