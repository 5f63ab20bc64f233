//! Small 3-vector and 4×4 matrix helpers for the camera (column-major, as WGSL and GLSL read
//! uniform matrices).

/// A 3-vector in double precision.
pub type Vec3 = [f64; 3];

/// A 4×4 matrix in column-major order: `m[col][row]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mat4(pub [[f64; 4]; 4]);

pub(crate) fn sub(a: Vec3, b: Vec3) -> Vec3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

pub(crate) fn dot(a: Vec3, b: Vec3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

pub(crate) fn cross(a: Vec3, b: Vec3) -> Vec3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

pub(crate) fn norm(a: Vec3) -> f64 {
    dot(a, a).sqrt()
}

/// `a / |a|`, or `None` for a zero or non-finite vector.
pub(crate) fn normalise(a: Vec3) -> Option<Vec3> {
    let n = norm(a);
    (n.is_finite() && n > 0.0).then(|| [a[0] / n, a[1] / n, a[2] / n])
}

impl Mat4 {
    /// The identity matrix.
    pub const IDENTITY: Mat4 = Mat4([
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ]);

    /// The product `self · rhs`.
    #[must_use]
    pub fn mul(&self, rhs: &Mat4) -> Mat4 {
        let mut out = [[0.0; 4]; 4];
        for (c, col) in out.iter_mut().enumerate() {
            for (r, v) in col.iter_mut().enumerate() {
                *v = (0..4).map(|k| self.0[k][r] * rhs.0[c][k]).sum();
            }
        }
        Mat4(out)
    }

    /// `self · (x, y, z, w)`.
    #[must_use]
    pub fn transform(&self, v: [f64; 4]) -> [f64; 4] {
        let mut out = [0.0; 4];
        for (r, o) in out.iter_mut().enumerate() {
            *o = (0..4).map(|k| self.0[k][r] * v[k]).sum();
        }
        out
    }

    /// The matrix as 16 single-precision floats in column-major order, ready for a uniform
    /// buffer.
    #[must_use]
    pub fn to_f32(&self) -> [f32; 16] {
        let mut out = [0.0f32; 16];
        for c in 0..4 {
            for r in 0..4 {
                out[c * 4 + r] = self.0[c][r] as f32;
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn product_with_identity_and_transform_agree() {
        let m = Mat4([
            [1.0, 2.0, 3.0, 4.0],
            [5.0, 6.0, 7.0, 8.0],
            [9.0, 10.0, 11.0, 12.0],
            [13.0, 14.0, 15.0, 16.0],
        ]);
        assert_eq!(m.mul(&Mat4::IDENTITY), m);
        assert_eq!(Mat4::IDENTITY.mul(&m), m);
        // Column-major: transform of the unit x vector is the first column.
        assert_eq!(m.transform([1.0, 0.0, 0.0, 0.0]), [1.0, 2.0, 3.0, 4.0]);
        let p = [0.5, -1.0, 2.0, 1.0];
        let mm = m.mul(&m);
        let a = mm.transform(p);
        let b = m.transform(m.transform(p));
        for k in 0..4 {
            assert!((a[k] - b[k]).abs() < 1e-9);
        }
        assert_eq!(m.to_f32()[4], 5.0);
    }

    #[test]
    fn vector_helpers() {
        assert_eq!(cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]), [0.0, 0.0, 1.0]);
        assert_eq!(normalise([0.0, 3.0, 4.0]), Some([0.0, 0.6, 0.8]));
        assert_eq!(normalise([0.0; 3]), None);
        assert_eq!(normalise([f64::NAN, 0.0, 0.0]), None);
    }
}
