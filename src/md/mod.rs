//! Molecular dynamics: neighbour lists, forces, integrators, thermostats, compression
//! (SCIENCE.md §1 "Dynamics").

mod cells;
pub mod compression;
pub mod config;
mod error;
pub mod evaluate;
pub mod fingerprint;
pub mod forces;
pub mod init;
pub mod integrator;
pub mod neighbor;
pub mod observables;
pub mod philox;
pub mod simulation;
pub mod state;
pub mod workload;

pub use error::MdError;
pub use fingerprint::fingerprint;
pub use forces::{compute_forces, ForceSums};
pub use integrator::{Integrator, NoseHooverChain};
pub use neighbor::NeighborList;
pub use observables::Observables;
pub use simulation::{SimOptions, Simulation};
pub use state::State;
