//! The 3D particle view shared by the Simulate and Analyse tabs: instanced sphere impostors
//! (a quad per particle, an exact ray–sphere hit per fragment, true depth, simple lighting)
//! drawn through WebGPU when the browser gives an adapter, else WebGL2. The camera, slab,
//! colours and instance packing are the plain-Rust [`crate::view`] module.

mod component;
mod error;
mod frame_uniforms;
mod js;
mod pixels;
mod renderer;
mod webgl;
mod webgpu;

pub use component::{Msg as ParticleViewMsg, ParticleView, ParticleViewProps};
pub use error::RenderError;
pub use pixels::Pixels;
pub use renderer::{Backend, Preference, Renderer};
pub use webgl::GlRenderer;
pub use webgpu::GpuRenderer;
