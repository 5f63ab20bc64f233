//! Molecular dynamics: neighbour lists, forces and force terms (pairs, wall, springs, λ-mix),
//! integrators, thermostats, the fixed centre of mass, compression
//! (SCIENCE.md §1 "Dynamics").

mod cells;
pub mod center_of_mass;
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
pub mod parts;
mod passes;
pub mod philox;
pub mod seed;
pub mod seed_lattice;
pub mod seed_pace;
pub mod seeded_start;
pub mod simulation;
pub mod springs;
pub mod state;
pub mod terms;
pub mod threads;
pub mod workload;

pub use error::MdError;
pub use fingerprint::fingerprint;
pub use forces::{compute_forces, pair_forces, ForceSums, PairForces};
pub use integrator::{Integrator, NoseHooverChain};
pub use neighbor::NeighborList;
pub use observables::Observables;
pub use simulation::{SimOptions, Simulation};
pub use springs::Springs;
pub use state::State;
pub use terms::{ExtraTerms, ForceField, Mix, TermSet};
pub use threads::Threads;
