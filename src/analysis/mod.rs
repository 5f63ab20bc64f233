//! Analysis of configurations: neighbours, Steinhardt order, crystal classifiers, g(r), S(q), MSD (SCIENCE.md §2).
//!
//! Modelled on freud: neighbour queries are a shared, separate layer ([`neighbors`]); every
//! analysis is a small value with a `compute` method taking points and a neighbour list and
//! returning plain per-particle arrays.

mod error;
pub mod neighbors;

pub use error::{AnalysisError, Result};
pub use neighbors::{NeighborList, NeighborQuery, TypeFilter};
pub mod steinhardt;
pub mod wigner3j;
pub mod ylm;

pub use steinhardt::{Steinhardt, SteinhardtOrder};
pub mod classify;

pub use classify::{
    crystalline_fraction, Classification, Classifier, Comparison, Label, Rule, MAX_NEIGHBOURS,
};
pub mod local_density;
pub mod rdf;
pub mod seed_cluster;

pub use local_density::{LocalDensity, LocalDensityOutput};
pub use rdf::{Rdf, RdfOutput};
pub mod msd;
pub mod pipeline;
pub mod structure_factor;
pub mod workload;
