//! The box of the 32-bit fixed-point coordinates (`shaders/common.wgsl`): a coordinate x in a
//! box of edge L is stored as round(x / L · 2³²), so that the exact wrapping integer
//! difference of two positions is their minimum image. A periodic [`Geometry`] is that box;
//! open space (a droplet or a free cluster) runs in a virtual box at least twice the
//! occupied region, so that no real pair wraps.

use crate::gpu::GpuSystem;
use crate::model::Geometry;

/// Fixed-point units per box length.
pub(super) const FIXED: f64 = 4_294_967_296.0;

/// The fixed-point box of the present state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct FixedBox {
    /// Periodic box, or the virtual box of the fixed-point coordinates in open space.
    pub lengths: [f64; 3],
    pub open: bool,
    /// Droplet wall radius (0: none).
    pub wall_radius: f64,
    pub wall_eps: f64,
    /// Open space: largest |coordinate| that cannot make pair distances wrap.
    pub open_limit: f64,
}

impl FixedBox {
    /// The box of `system` for a largest cut-off `rc`: the periodic box itself; a virtual box
    /// of edge 4(R + rc) around a droplet of radius R; 8(|x|max + rc) around a free cluster.
    pub fn of(system: &GpuSystem, rc: f64) -> Self {
        match system.geometry {
            Geometry::Periodic(lengths) => Self {
                lengths,
                open: false,
                wall_radius: 0.0,
                wall_eps: 0.0,
                open_limit: 0.0,
            },
            Geometry::Open {
                radius: Some(radius),
            } => {
                let limit = radius + rc;
                Self {
                    lengths: [4.0 * limit; 3],
                    open: true,
                    wall_radius: radius,
                    wall_eps: system.wall_epsilon,
                    open_limit: limit,
                }
            }
            Geometry::Open { radius: None } => {
                let extent = system
                    .positions
                    .iter()
                    .flatten()
                    .fold(0.0f64, |a, x| a.max(x.abs()))
                    + rc;
                Self {
                    lengths: [8.0 * extent; 3],
                    open: true,
                    wall_radius: 0.0,
                    wall_eps: 0.0,
                    open_limit: 2.0 * extent,
                }
            }
        }
    }

    /// The same box with every length the particles see (periodic edges, or the droplet
    /// radius) times `lambda`; an open virtual box keeps its size.
    pub fn scaled(&self, lambda: f64) -> Self {
        if self.open {
            Self {
                wall_radius: self.wall_radius * lambda,
                ..*self
            }
        } else {
            Self {
                lengths: self.lengths.map(|l| l * lambda),
                ..*self
            }
        }
    }

    /// The [`Geometry`] the particles live in.
    pub fn geometry(&self) -> Geometry {
        if self.open {
            Geometry::Open {
                radius: (self.wall_radius > 0.0).then_some(self.wall_radius),
            }
        } else {
            Geometry::Periodic(self.lengths)
        }
    }

    /// Whichever of `self` and `other` is smaller (the densest state of a block of steps,
    /// which sizes the cell grid).
    pub fn smaller(self, other: Self) -> Self {
        let shrinks = if self.open {
            other.wall_radius < self.wall_radius
        } else {
            other.lengths[0] < self.lengths[0]
        };
        if shrinks {
            other
        } else {
            self
        }
    }
}

/// Fixed-point coordinate of `x` in a box of edge `l` (wrapped into the box).
pub(super) fn to_fixed(x: f64, l: f64) -> u32 {
    let s = libm::round(x / l * FIXED) as i64;
    s.rem_euclid(1 << 32) as u32
}

/// Coordinate of fixed-point word `w` in a box of edge `l`, in [−L/2, L/2).
pub(super) fn from_fixed(w: u32, l: f64) -> f64 {
    f64::from(w as i32) * l / FIXED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_round_trip_wraps_into_the_box() {
        let l = 10.0;
        for x in [0.0, 1.25, -4.999, 4.75] {
            assert!((from_fixed(to_fixed(x, l), l) - x).abs() < 1e-8, "{x}");
        }
        assert!((from_fixed(to_fixed(6.0, l), l) + 4.0).abs() < 1e-8);
    }
}
