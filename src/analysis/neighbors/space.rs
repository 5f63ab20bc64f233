//! The space particles live in, for distance purposes: a periodic orthorhombic box (minimum
//! image convention) or open space.

use crate::analysis::error::{AnalysisError, Result};
use crate::model::Geometry;

/// Periodic orthorhombic box (edges `[Lx, Ly, Lz]`, centred on the origin) or open space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Space {
    /// Periodic box with these edge lengths; displacements use the minimum image.
    Periodic([f64; 3]),
    /// Open space: plain Euclidean displacements.
    Open,
}

impl Space {
    /// The space of a frame's geometry; checks that box edges are positive and finite.
    ///
    /// # Errors
    /// [`AnalysisError::BadBox`] for a zero, negative or non-finite edge.
    pub fn from_geometry(geometry: &Geometry) -> Result<Self> {
        match *geometry {
            Geometry::Periodic(l) => {
                for (axis, &value) in l.iter().enumerate() {
                    if !(value.is_finite() && value > 0.0) {
                        return Err(AnalysisError::BadBox { axis, value });
                    }
                }
                Ok(Space::Periodic(l))
            }
            Geometry::Open { .. } => Ok(Space::Open),
        }
    }

    /// Brings a position into the box `[-L/2, L/2)` (identity in open space).
    #[must_use]
    pub fn wrap(&self, p: [f64; 3]) -> [f64; 3] {
        match self {
            Space::Periodic(l) => {
                let mut out = p;
                for d in 0..3 {
                    let shifted = (p[d] + 0.5 * l[d]).rem_euclid(l[d]) - 0.5 * l[d];
                    // rem_euclid may return exactly l[d] for tiny negative inputs.
                    out[d] = if shifted >= 0.5 * l[d] {
                        shifted - l[d]
                    } else {
                        shifted
                    };
                }
                out
            }
            Space::Open => p,
        }
    }

    /// Displacement `to − from`, by the minimum image in a periodic box. Both points must
    /// already be wrapped into the box.
    #[inline]
    #[must_use]
    pub fn delta(&self, from: [f64; 3], to: [f64; 3]) -> [f64; 3] {
        let mut d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
        if let Space::Periodic(l) = self {
            for k in 0..3 {
                if d[k] >= 0.5 * l[k] {
                    d[k] -= l[k];
                } else if d[k] < -0.5 * l[k] {
                    d[k] += l[k];
                }
            }
        }
        d
    }

    /// The volume of the periodic box, or `None` in open space.
    #[must_use]
    pub fn volume(&self) -> Option<f64> {
        match self {
            Space::Periodic(l) => Some(l[0] * l[1] * l[2]),
            Space::Open => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_image_and_wrap() {
        let s = Space::Periodic([10.0, 10.0, 10.0]);
        let d = s.delta([4.5, 0.0, 0.0], [-4.5, 0.0, 0.0]);
        assert!((d[0] - 1.0).abs() < 1e-12);
        let w = s.wrap([5.0, -5.0, 23.0]);
        assert_eq!(w, [-5.0, -5.0, 3.0]);
        assert_eq!(
            Space::Open.delta([1.0, 2.0, 3.0], [0.0; 3]),
            [-1.0, -2.0, -3.0]
        );
        assert!(Space::from_geometry(&Geometry::Periodic([1.0, 0.0, 1.0])).is_err());
    }
}
