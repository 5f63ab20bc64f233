//! The WebGPU MD path: the whole molecular-dynamics step of SCIENCE.md §1 (Mie pair forces,
//! the WCA droplet wall, velocity-Verlet and Langevin integration, compression, reductions)
//! as WGSL compute shaders run through `wgpu`: Vulkan natively (Mesa lavapipe in tests),
//! WebGPU in the browser. The same shader files (`src/gpu/shaders/*.wgsl`) run on both.
//!
//! Precision: single precision arithmetic with 32-bit fixed-point positions (exact minimum
//! image and wrapping); see `docs/gpu.md` for the design, the dispatch count and the cost model.

#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
mod context;
mod deadline;
mod driver;
mod engine;
mod error;
mod evaluate;
mod probe;
pub mod reference;
mod system;

#[cfg(target_arch = "wasm32")]
pub use context::browser_adapter_label;
pub use context::{adapter_label, GpuContext};
pub use deadline::{first, no_answer, within, First, GPU_SETUP_LIMIT_MS};
pub use driver::{cpu_only, Device, DriverError, MdDriver};
pub use engine::{GpuMd, Integrator, Observables, DISPATCHES_PER_LOG, DISPATCHES_PER_STEP};
pub use error::GpuError;
pub use evaluate::evaluate_on_gpu;
pub use probe::{philox_on_gpu, PhiloxDraws};
pub use reference::{pair_sum, ForceField};
pub use system::GpuSystem;
