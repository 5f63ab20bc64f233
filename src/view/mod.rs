//! The 3D particle view's plain-Rust half: orbit camera, view and projection matrices, the
//! slicing slab of the paper's Fig. 4d,e, colour schemes (by species, by a per-particle scalar
//! such as q_l, and the Fig. 4b,c scheme of SCIENCE.md §2) and the packing of per-particle
//! instances (centre, radius, colour) that the page's renderers upload to the GPU.
//!
//! Nothing here knows about browsers or GPUs: the page's `app::view3d` renders what this module
//! packs, and the same maths is unit-tested natively.

mod camera;
mod colour;
mod error;
mod instances;
mod math;
mod scheme;
mod slab;

pub use camera::{DepthRange, OrbitCamera};
pub use colour::{ColourMap, Rgb};
pub use error::ViewError;
pub use instances::{pack_instances, Instances, SceneBounds, FLOATS_PER_INSTANCE};
pub use math::{Mat4, Vec3};
pub use scheme::{fig4_labels, Colouring, Fig4Label, ParticleStyle, FIG4_SHRINK};
pub use slab::Slab;
