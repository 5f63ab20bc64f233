//! An orbit camera: it looks at a target from a distance, turned by a yaw about the world z
//! axis and a pitch above the xy plane. Mouse drags and arrow keys turn it, the wheel zooms.

use super::math::{cross, dot, normalise, sub, Mat4, Vec3};

/// Which clip-space depth range the projection maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepthRange {
    /// OpenGL and WebGL: z_ndc in [−1, 1].
    MinusOneToOne,
    /// WebGPU, Vulkan, Direct3D: z_ndc in [0, 1].
    ZeroToOne,
}

/// Largest pitch magnitude, just short of the poles so the view's up vector stays defined.
const MAX_PITCH: f64 = 1.55;

/// An orbit camera around a target point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrbitCamera {
    /// The point looked at (σ).
    pub target: Vec3,
    /// Distance from the eye to the target (σ).
    pub distance: f64,
    /// Turn about the world z axis (radians).
    pub yaw: f64,
    /// Elevation above the xy plane (radians), within ±1.55.
    pub pitch: f64,
    /// Vertical field of view (radians).
    pub fov_y: f64,
    /// Radius of a sphere around `target` holding the whole scene (σ); sets the clip planes
    /// and the zoom limits.
    pub scene_radius: f64,
}

impl OrbitCamera {
    /// A camera that shows the whole sphere `(centre, radius)` from a three-quarter view.
    #[must_use]
    pub fn framing(centre: Vec3, radius: f64) -> Self {
        let fov_y = 45f64.to_radians();
        let radius = if radius.is_finite() && radius > 0.0 {
            radius
        } else {
            1.0
        };
        OrbitCamera {
            target: centre,
            distance: radius / (fov_y / 2.0).sin() * 1.05,
            yaw: 30f64.to_radians(),
            pitch: 20f64.to_radians(),
            fov_y,
            scene_radius: radius,
        }
    }

    /// Where the eye is.
    #[must_use]
    pub fn eye(&self) -> Vec3 {
        let (sy, cy) = self.yaw.sin_cos();
        let (sp, cp) = self.pitch.sin_cos();
        let d = self.distance;
        [
            self.target[0] + d * cp * cy,
            self.target[1] + d * cp * sy,
            self.target[2] + d * sp,
        ]
    }

    /// Turns the camera by `d_yaw` about the world z axis and `d_pitch` upwards (radians);
    /// the pitch stops short of the poles.
    pub fn rotate(&mut self, d_yaw: f64, d_pitch: f64) {
        if d_yaw.is_finite() {
            self.yaw = (self.yaw + d_yaw).rem_euclid(std::f64::consts::TAU);
        }
        if d_pitch.is_finite() {
            self.pitch = (self.pitch + d_pitch).clamp(-MAX_PITCH, MAX_PITCH);
        }
    }

    /// Moves the eye towards the target (`factor` < 1) or away from it (`factor` > 1), kept
    /// between a tenth and ten times the scene's radius beyond its surface.
    pub fn zoom(&mut self, factor: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let r = self.scene_radius;
        self.distance = (self.distance * factor).clamp(0.1 * r, 12.0 * r);
    }

    /// The world-to-view matrix (right-handed, the eye looks down −z, world z is up).
    #[must_use]
    pub fn view_matrix(&self) -> Mat4 {
        let eye = self.eye();
        let forward = normalise(sub(self.target, eye)).unwrap_or([0.0, 0.0, -1.0]);
        let right = normalise(cross(forward, [0.0, 0.0, 1.0])).unwrap_or([1.0, 0.0, 0.0]);
        let up = cross(right, forward);
        Mat4([
            [right[0], up[0], -forward[0], 0.0],
            [right[1], up[1], -forward[1], 0.0],
            [right[2], up[2], -forward[2], 0.0],
            [-dot(right, eye), -dot(up, eye), dot(forward, eye), 1.0],
        ])
    }

    /// Near and far clip distances that hold the scene sphere.
    #[must_use]
    pub fn clip_planes(&self) -> (f64, f64) {
        let r = self.scene_radius * 1.1;
        let far = self.distance + r;
        let near = (self.distance - r).max(far * 1e-3);
        (near, far)
    }

    /// The perspective projection for a viewport of the given aspect ratio (width / height).
    #[must_use]
    pub fn projection_matrix(&self, aspect: f64, range: DepthRange) -> Mat4 {
        let aspect = if aspect.is_finite() && aspect > 0.0 {
            aspect
        } else {
            1.0
        };
        let (n, f) = self.clip_planes();
        let t = 1.0 / (self.fov_y / 2.0).tan();
        let (a, b) = match range {
            DepthRange::MinusOneToOne => ((f + n) / (n - f), 2.0 * f * n / (n - f)),
            DepthRange::ZeroToOne => (f / (n - f), f * n / (n - f)),
        };
        Mat4([
            [t / aspect, 0.0, 0.0, 0.0],
            [0.0, t, 0.0, 0.0],
            [0.0, 0.0, a, -1.0],
            [0.0, 0.0, b, 0.0],
        ])
    }

    /// Where a world point lands in normalised device coordinates, or `None` behind the eye.
    #[must_use]
    pub fn project(&self, p: Vec3, aspect: f64, range: DepthRange) -> Option<Vec3> {
        let clip = self
            .projection_matrix(aspect, range)
            .mul(&self.view_matrix())
            .transform([p[0], p[1], p[2], 1.0]);
        (clip[3] > 0.0).then(|| [clip[0] / clip[3], clip[1] / clip[3], clip[2] / clip[3]])
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn target_projects_to_the_centre_and_the_scene_fits() {
        let cam = OrbitCamera::framing([1.0, 2.0, 3.0], 5.0);
        for range in [DepthRange::MinusOneToOne, DepthRange::ZeroToOne] {
            let c = cam.project([1.0, 2.0, 3.0], 1.5, range).unwrap();
            assert!(close(c[0], 0.0) && close(c[1], 0.0));
            // Every point of the scene sphere is on screen (aspect ≥ 1) and inside the depth range.
            let lo = if range == DepthRange::ZeroToOne {
                0.0
            } else {
                -1.0
            };
            for dir in [
                [1.0, 0.0, 0.0],
                [-1.0, 0.0, 0.0],
                [0.0, 1.0, 0.0],
                [0.0, -1.0, 0.0],
                [0.0, 0.0, 1.0],
                [0.0, 0.0, -1.0],
            ] {
                let p = [1.0 + 5.0 * dir[0], 2.0 + 5.0 * dir[1], 3.0 + 5.0 * dir[2]];
                let q = cam.project(p, 1.5, range).unwrap();
                assert!(q[0].abs() <= 1.0 && q[1].abs() <= 1.0, "{q:?}");
                assert!(q[2] > lo && q[2] < 1.0, "{q:?}");
            }
        }
    }

    #[test]
    fn nearer_points_have_smaller_depth() {
        let cam = OrbitCamera::framing([0.0; 3], 3.0);
        let eye = cam.eye();
        let towards = [eye[0] * 0.2, eye[1] * 0.2, eye[2] * 0.2];
        let away = [-eye[0] * 0.2, -eye[1] * 0.2, -eye[2] * 0.2];
        for range in [DepthRange::MinusOneToOne, DepthRange::ZeroToOne] {
            let near = cam.project(towards, 1.0, range).unwrap()[2];
            let far = cam.project(away, 1.0, range).unwrap()[2];
            assert!(near < far);
        }
    }

    #[test]
    fn view_matrix_is_a_rigid_motion_putting_the_eye_at_the_origin() {
        let mut cam = OrbitCamera::framing([0.5, -0.5, 2.0], 4.0);
        cam.rotate(1.0, 0.3);
        let v = cam.view_matrix();
        let e = cam.eye();
        let o = v.transform([e[0], e[1], e[2], 1.0]);
        assert!(o[..3].iter().all(|x| x.abs() < 1e-9));
        let t = v.transform([0.5, -0.5, 2.0, 1.0]);
        assert!(close(t[0], 0.0) && close(t[1], 0.0) && close(t[2], -cam.distance));
        // Rows of the rotation part are orthonormal.
        for i in 0..3 {
            for j in 0..3 {
                let d: f64 = (0..3).map(|k| v.0[k][i] * v.0[k][j]).sum();
                assert!(close(d, if i == j { 1.0 } else { 0.0 }));
            }
        }
    }

    #[test]
    fn rotation_keeps_distance_and_pitch_is_clamped() {
        let mut cam = OrbitCamera::framing([0.0; 3], 2.0);
        let before = cam.eye();
        cam.rotate(std::f64::consts::FRAC_PI_2, 0.0);
        let after = cam.eye();
        assert!(close(
            before.iter().map(|x| x * x).sum::<f64>(),
            after.iter().map(|x| x * x).sum::<f64>()
        ));
        assert!(close(after[2], before[2]));
        assert!(!close(after[0], before[0]));
        cam.rotate(0.0, 10.0);
        assert!(close(cam.pitch, MAX_PITCH));
        cam.rotate(0.0, -20.0);
        assert!(close(cam.pitch, -MAX_PITCH));
        cam.rotate(f64::NAN, f64::NAN);
        assert!(close(cam.pitch, -MAX_PITCH));
    }

    #[test]
    fn zoom_scales_distance_within_limits() {
        let mut cam = OrbitCamera::framing([0.0; 3], 2.0);
        let d = cam.distance;
        cam.zoom(0.5);
        assert!(close(cam.distance, d * 0.5));
        cam.zoom(1e-6);
        assert!(close(cam.distance, 0.2));
        cam.zoom(1e9);
        assert!(close(cam.distance, 24.0));
        cam.zoom(-1.0);
        cam.zoom(f64::NAN);
        assert!(close(cam.distance, 24.0));
        let (n, f) = cam.clip_planes();
        assert!(n > 0.0 && n < f);
    }

    #[test]
    fn degenerate_radius_gives_a_usable_camera() {
        let cam = OrbitCamera::framing([0.0; 3], 0.0);
        assert!(cam.distance > 0.0 && cam.scene_radius == 1.0);
        assert!(cam.project([0.0; 3], 0.0, DepthRange::ZeroToOne).is_some());
    }
}
