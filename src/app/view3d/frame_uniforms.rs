//! The per-draw uniforms both renderers share: view and projection matrices and the lighting
//! parameters, laid out as the shaders read them (36 floats).

use crate::view::{DepthRange, OrbitCamera};

/// Quad half-size in sphere radii: covers the sphere's silhouette up to about 45° off axis.
pub const QUAD_HALF_SIZE: f32 = 1.6;
/// Ambient share of the lighting.
pub const AMBIENT: f32 = 0.35;
/// Strength of the specular highlight.
pub const SPECULAR: f32 = 0.25;

/// The uniform block `{ view, proj, params }` as 36 floats.
#[must_use]
pub fn uniforms(camera: &OrbitCamera, aspect: f64, range: DepthRange) -> [f32; 36] {
    let mut out = [0.0f32; 36];
    out[..16].copy_from_slice(&camera.view_matrix().to_f32());
    out[16..32].copy_from_slice(&camera.projection_matrix(aspect, range).to_f32());
    out[32..].copy_from_slice(&[QUAD_HALF_SIZE, AMBIENT, SPECULAR, 0.0]);
    out
}
