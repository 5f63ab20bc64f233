//! How much work a frame is for the GPU: the number of fragments the impostor quads cover.
//! Sphere impostors are fill-bound (a handful of vertices per particle, one ray–sphere test per
//! covered pixel), so this count, with the vertex count `4 × instances`, is what the frame-rate
//! estimate in `docs/view.md` is built on.

use super::camera::OrbitCamera;
use super::instances::{Instances, FLOATS_PER_INSTANCE};
use super::math::{dot, sub};

/// The fragments covered by all impostor quads (each a square of half-size
/// `quad_half_size × radius` facing the eye) in a `width × height` pixel viewport, counting
/// overlaps and ignoring the screen edges: an upper bound on the fragment shader's work.
/// Only the viewport's height matters (the field of view is vertical).
#[must_use]
pub fn quad_fragments(
    instances: &Instances,
    camera: &OrbitCamera,
    height: u32,
    quad_half_size: f64,
) -> f64 {
    let eye = camera.eye();
    let forward = sub(camera.target, eye);
    let d = dot(forward, forward).sqrt();
    if d <= 0.0 {
        return 0.0;
    }
    let forward = forward.map(|x| x / d);
    // Pixels per σ at unit distance.
    let focal = f64::from(height) / 2.0 / (camera.fov_y / 2.0).tan();
    instances
        .data
        .chunks_exact(FLOATS_PER_INSTANCE)
        .map(|rec| {
            let p = [f64::from(rec[0]), f64::from(rec[1]), f64::from(rec[2])];
            let depth = dot(sub(p, eye), forward);
            if depth <= 0.0 {
                return 0.0;
            }
            let side = 2.0 * quad_half_size * f64::from(rec[3]) * focal / depth;
            side * side
        })
        .sum()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::{Frame, Geometry};
    use crate::view::{pack_instances, Colouring};

    #[test]
    fn one_sphere_at_the_target_covers_its_quad() {
        let frame = Frame {
            step: 0,
            geometry: Geometry::Open { radius: None },
            types: vec!["L".into()],
            positions: vec![[0.0; 3], [0.0; 3]],
            typeid: vec![0, 0],
            diameters: vec![1.0, 1.0],
            velocities: None,
            images: None,
        };
        let inst = pack_instances(&frame, &Colouring::Species, None).unwrap();
        let cam = OrbitCamera::framing([0.0; 3], 5.0);
        let focal = 300.0 / (cam.fov_y / 2.0).tan();
        let side = 2.0 * 1.5 * 0.5 * focal / cam.distance;
        let got = quad_fragments(&inst, &cam, 600, 1.5);
        assert!((got - 2.0 * side * side).abs() < 1e-6 * got);
        // Twice as far, a quarter of the pixels.
        let mut far = cam;
        far.distance *= 2.0;
        let got_far = quad_fragments(&inst, &far, 600, 1.5);
        assert!((got_far * 4.0 - got).abs() < 1e-6 * got);
    }
}
