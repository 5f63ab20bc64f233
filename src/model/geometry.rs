//! The one space every part of the crate uses (SCIENCE.md §1): a periodic orthorhombic box
//! centred on the origin, or open space (a droplet, or an unbounded cluster). The engine, the
//! analyses and the GPU set-up all measure displacements through [`MinimumImage`], the one
//! minimum image of the crate, as freud's single `Box` serves all of freud.

use super::error::ModelError;
use serde::{Deserialize, Serialize};

/// The space the particles live in.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Geometry {
    /// A periodic orthorhombic box with edge lengths `[Lx, Ly, Lz]` (in σ), centred on the
    /// origin as in HOOMD-blue: coordinates lie in `[-L/2, L/2)`.
    Periodic([f64; 3]),
    /// Open space (a droplet): no periodic images. `radius` is the droplet wall's radius in σ,
    /// or `None` for an unbounded cluster.
    Open {
        /// Radius of the confining sphere, centred on the origin.
        radius: Option<f64>,
    },
}

impl Geometry {
    /// Unbounded open space (a free cluster).
    pub const UNBOUNDED: Self = Self::Open { radius: None };

    /// Whether the space is a periodic box.
    #[must_use]
    pub fn is_periodic(&self) -> bool {
        matches!(self, Self::Periodic(_))
    }

    /// The periodic box lengths, or `None` in open space.
    #[must_use]
    pub fn box_lengths(&self) -> Option<[f64; 3]> {
        match *self {
            Self::Periodic(l) => Some(l),
            Self::Open { .. } => None,
        }
    }

    /// The droplet radius, or `None` in a box or unbounded space.
    #[must_use]
    pub fn droplet_radius(&self) -> Option<f64> {
        match *self {
            Self::Periodic(_) => None,
            Self::Open { radius } => radius,
        }
    }

    /// Volume of the periodic box or of the droplet's sphere, 4πR³/3 (`None` in unbounded
    /// open space).
    #[must_use]
    pub fn volume(&self) -> Option<f64> {
        match *self {
            Self::Periodic(l) => Some(l[0] * l[1] * l[2]),
            Self::Open { radius } => radius.map(|r| 4.0 / 3.0 * std::f64::consts::PI * r * r * r),
        }
    }

    /// Checks that box edges (or the droplet radius) are finite and positive.
    ///
    /// # Errors
    /// [`ModelError::OutOfRange`] naming the first bad edge (`box edge x`, …) or the radius.
    pub fn check(&self) -> Result<(), ModelError> {
        match *self {
            Self::Periodic(l) => {
                for (axis, &value) in ["x", "y", "z"].into_iter().zip(&l) {
                    super::error::positive(format!("box edge {axis}"), value)?;
                }
            }
            Self::Open { radius: Some(r) } => {
                super::error::positive("droplet radius", r)?;
            }
            Self::Open { radius: None } => {}
        }
        Ok(())
    }

    /// The minimum image of this space, to apply to many displacements.
    #[inline]
    #[must_use]
    pub fn minimum_image(&self) -> MinimumImage {
        MinimumImage::new(self)
    }

    /// Displacement `to − from` by the minimum image (both points wrapped into the box).
    #[inline]
    #[must_use]
    pub fn delta(&self, from: [f64; 3], to: [f64; 3]) -> [f64; 3] {
        self.minimum_image().delta(from, to)
    }

    /// Brings a position into the box `[-L/2, L/2)` (identity in open space).
    #[must_use]
    pub fn wrap(&self, p: [f64; 3]) -> [f64; 3] {
        match *self {
            Self::Periodic(l) => std::array::from_fn(|d| wrap_edge(p[d], l[d]).0),
            Self::Open { .. } => p,
        }
    }
}

/// Wraps coordinate `x` into `[-L/2, L/2)` of a periodic edge `l`; returns the wrapped value
/// and the number of box lengths subtracted (the image counter's change).
#[must_use]
pub fn wrap_edge(x: f64, l: f64) -> (f64, i32) {
    let t = (x + 0.5 * l) / l;
    // floor(t) == 0 exactly when 0 <= t < 1: the common case needs no floor
    if (0.0..1.0).contains(&t) {
        return (x, 0);
    }
    let shift = libm::floor(t);
    let mut out = x - shift * l;
    let mut images = shift as i32;
    // Rounding may land exactly on +L/2, which belongs to the next image.
    if out >= 0.5 * l {
        out -= l;
        images += 1;
    }
    (out, images)
}

/// The minimum-image convention of a [`Geometry`], with the box and its half precomputed for
/// inner loops: a displacement component d with |d| < 3L/2 (the difference of two wrapped
/// points) is shifted by one box length into [−L/2, L/2]. In open space both are infinite and
/// the displacement is unchanged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinimumImage {
    lengths: [f64; 3],
    half: [f64; 3],
}

impl MinimumImage {
    /// The minimum image of `geometry`.
    #[inline]
    #[must_use]
    pub fn new(geometry: &Geometry) -> Self {
        let lengths = geometry.box_lengths().unwrap_or([f64::INFINITY; 3]);
        Self {
            lengths,
            half: lengths.map(|l| 0.5 * l),
        }
    }

    /// The minimum image of displacement `d`.
    #[inline(always)]
    #[must_use]
    pub fn apply(&self, mut d: [f64; 3]) -> [f64; 3] {
        for ((x, &l), &h) in d.iter_mut().zip(&self.lengths).zip(&self.half) {
            if *x > h {
                *x -= l;
            } else if *x < -h {
                *x += l;
            }
        }
        d
    }

    /// Displacement `to − from` by the minimum image (both points wrapped into the box).
    #[inline(always)]
    #[must_use]
    pub fn delta(&self, from: [f64; 3], to: [f64; 3]) -> [f64; 3] {
        self.apply([to[0] - from[0], to[1] - from[1], to[2] - from[2]])
    }

    /// Squared length of the minimum image of `a − b`.
    #[inline(always)]
    #[must_use]
    pub fn distance2(&self, a: [f64; 3], b: [f64; 3]) -> f64 {
        let d = self.apply([a[0] - b[0], a[1] - b[1], a[2] - b[2]]);
        d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_image_takes_the_nearest_copy() {
        let g = Geometry::Periodic([10.0, 8.0, 6.0]);
        let d = g.delta([4.5, 0.0, 0.0], [-4.5, 3.9, -2.9]);
        assert!((d[0] - 1.0).abs() < 1e-12 && (d[1] - 3.9).abs() < 1e-12);
        assert!((d[2] + 2.9).abs() < 1e-12);
        let d = g.delta([0.0, -3.9, 2.9], [0.0, 3.9, -2.9]);
        assert!((d[1] + 0.2).abs() < 1e-12 && (d[2] - 0.2).abs() < 1e-12);
        // A displacement of exactly half the box keeps its sign.
        assert_eq!(g.minimum_image().apply([5.0, -4.0, 0.0]), [5.0, -4.0, 0.0]);
        assert_eq!(
            Geometry::UNBOUNDED.delta([1.0, 2.0, 3.0], [0.0; 3]),
            [-1.0, -2.0, -3.0]
        );
        let m = Geometry::Open { radius: Some(2.0) }.minimum_image();
        assert_eq!(m.distance2([100.0, 0.0, 0.0], [-100.0, 0.0, 0.0]), 40_000.0);
    }

    #[test]
    fn wrap_counts_images_and_stays_below_half_the_box() {
        let g = Geometry::Periodic([10.0, 10.0, 10.0]);
        assert_eq!(g.wrap([5.0, -5.0, 23.0]), [-5.0, -5.0, 3.0]);
        assert_eq!(wrap_edge(-27.0, 10.0), (3.0, -3));
        assert_eq!(wrap_edge(4.0, 10.0), (4.0, 0));
        // Tiny negative values whose wrapped image rounds to +L/2 move to −L/2.
        let (x, _) = wrap_edge(-5.0 - 1e-17, 10.0);
        assert!((-5.0..5.0).contains(&x));
        assert_eq!(Geometry::UNBOUNDED.wrap([1e9, 0.0, 0.0]), [1e9, 0.0, 0.0]);
    }

    #[test]
    fn volume_and_check() {
        let g = Geometry::Periodic([2.0, 3.0, 4.0]);
        assert_eq!(g.volume(), Some(24.0));
        let d = Geometry::Open { radius: Some(3.0) };
        assert!((d.volume().unwrap_or(0.0) - 36.0 * std::f64::consts::PI).abs() < 1e-12);
        assert_eq!(d.droplet_radius(), Some(3.0));
        assert_eq!(Geometry::UNBOUNDED.volume(), None);
        let err = Geometry::Periodic([1.0, 0.0, 1.0]).check().unwrap_err();
        assert!(err.to_string().contains("box edge y = 0"), "{err}");
        assert!(Geometry::Open {
            radius: Some(f64::NAN)
        }
        .check()
        .is_err());
        assert!(Geometry::UNBOUNDED.check().is_ok());
    }
}
