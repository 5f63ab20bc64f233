//! A slicing slab (the paper's Fig. 4d,e): only particles whose centres lie within a slab of
//! chosen normal, offset and thickness are shown.

use super::error::ViewError;
use super::math::{dot, normalise, Vec3};

/// The region `|n·r − offset| ≤ thickness / 2`, for a unit normal `n`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slab {
    normal: Vec3,
    offset: f64,
    thickness: f64,
}

impl Slab {
    /// A slab with the given normal (any length but zero), signed offset of its mid-plane
    /// from the origin along the normal (σ) and thickness (σ, positive).
    ///
    /// # Errors
    /// [`ViewError::BadSlab`] for a zero or non-finite normal, a non-finite offset, or a
    /// thickness that is not a positive number.
    pub fn new(normal: Vec3, offset: f64, thickness: f64) -> Result<Self, ViewError> {
        let normal = normalise(normal).ok_or_else(|| {
            ViewError::BadSlab(format!(
                "normal {normal:?} must be a non-zero finite vector"
            ))
        })?;
        if !offset.is_finite() {
            return Err(ViewError::BadSlab(format!(
                "offset {offset} is not a number"
            )));
        }
        if !(thickness.is_finite() && thickness > 0.0) {
            return Err(ViewError::BadSlab(format!(
                "thickness {thickness} must be a positive number of σ"
            )));
        }
        Ok(Slab {
            normal,
            offset,
            thickness,
        })
    }

    /// The unit normal.
    #[must_use]
    pub fn normal(&self) -> Vec3 {
        self.normal
    }

    /// The mid-plane's signed distance from the origin along the normal (σ).
    #[must_use]
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// The thickness (σ).
    #[must_use]
    pub fn thickness(&self) -> f64 {
        self.thickness
    }

    /// Whether the point lies inside the slab (boundaries included).
    #[must_use]
    pub fn contains(&self, p: Vec3) -> bool {
        (dot(self.normal, p) - self.offset).abs() <= self.thickness / 2.0
    }

    /// The range of `n·r` over the given points, for offset sliders; `(0, 0)` when there are
    /// no finite points.
    #[must_use]
    pub fn extent(normal: Vec3, points: &[Vec3]) -> (f64, f64) {
        let Some(n) = normalise(normal) else {
            return (0.0, 0.0);
        };
        let (lo, hi) = points
            .iter()
            .map(|p| dot(n, *p))
            .filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            });
        if lo <= hi {
            (lo, hi)
        } else {
            (0.0, 0.0)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn membership_follows_the_normal_offset_and_thickness() {
        let s = Slab::new([0.0, 0.0, 2.0], 1.0, 0.5).unwrap();
        assert_eq!(s.normal(), [0.0, 0.0, 1.0]);
        assert!(s.contains([5.0, -3.0, 1.0]));
        assert!(s.contains([0.0, 0.0, 1.25]));
        assert!(s.contains([0.0, 0.0, 0.75]));
        assert!(!s.contains([0.0, 0.0, 1.26]));
        assert!(!s.contains([0.0, 0.0, 0.74]));
        let d = Slab::new([1.0, 1.0, 0.0], 0.0, 0.2).unwrap();
        assert!(d.contains([1.0, -1.0, 7.0]));
        assert!(!d.contains([1.0, 0.0, 0.0]));
    }

    #[test]
    fn bad_parameters_are_refused_with_a_reason() {
        for (n, o, t) in [
            ([0.0; 3], 0.0, 1.0),
            ([f64::NAN, 1.0, 0.0], 0.0, 1.0),
            ([1.0, 0.0, 0.0], f64::INFINITY, 1.0),
            ([1.0, 0.0, 0.0], 0.0, 0.0),
            ([1.0, 0.0, 0.0], 0.0, -1.0),
        ] {
            let e = Slab::new(n, o, t).unwrap_err();
            assert!(matches!(e, ViewError::BadSlab(_)), "{e}");
        }
    }

    #[test]
    fn extent_spans_the_projections() {
        let pts = [[1.0, 2.0, 3.0], [-1.0, 0.0, 0.0], [0.0, 5.0, -2.0]];
        assert_eq!(Slab::extent([0.0, 0.0, 1.0], &pts), (-2.0, 3.0));
        assert_eq!(Slab::extent([0.0, 0.0, 0.0], &pts), (0.0, 0.0));
        assert_eq!(Slab::extent([1.0, 0.0, 0.0], &[]), (0.0, 0.0));
    }
}
