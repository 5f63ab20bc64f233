//! Neighbour queries, the shared layer under every analysis (freud's `locality`): the k nearest
//! neighbours and all neighbours within `r_max`, in a periodic orthorhombic box (minimum image)
//! or open space, optionally restricted to given types for centres and candidates.
//!
//! Ties at equal distance are broken by the smaller particle index, so the result never
//! depends on the cell layout or on the order of traversal.

mod grid;
mod list;
mod query;

pub use list::NeighborList;
pub use query::{NeighborQuery, TypeFilter};

#[cfg(test)]
mod tests;
