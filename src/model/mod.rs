//! What a system is: species, sizes, Mie and WCA potentials, boxes and droplets (SCIENCE.md §1).

mod frame;

pub use frame::{Frame, Geometry};
