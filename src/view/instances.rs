//! Packing a frame into per-instance data for the sphere-impostor renderers: one record of
//! [`FLOATS_PER_INSTANCE`] floats per shown particle — centre x, y, z, radius, then colour
//! r, g, b and a spare 1.0 — uploaded once per change of frame, colouring or slab.

use super::error::ViewError;
use super::math::Vec3;
use super::scheme::Colouring;
use super::slab::Slab;
use crate::model::{Frame, Geometry};

/// Floats per instance record: `[x, y, z, radius, r, g, b, 1]`.
pub const FLOATS_PER_INSTANCE: usize = 8;

/// Packed instance records for the particles that are shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Instances {
    /// `FLOATS_PER_INSTANCE` floats per shown particle.
    pub data: Vec<f32>,
    /// Number of shown particles.
    pub count: usize,
}

impl Instances {
    /// The record of the `k`-th shown particle.
    #[must_use]
    pub fn record(&self, k: usize) -> Option<&[f32]> {
        self.data
            .get(k * FLOATS_PER_INSTANCE..(k + 1) * FLOATS_PER_INSTANCE)
    }
}

/// A sphere holding the whole scene, for framing the camera.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SceneBounds {
    /// Centre (σ).
    pub centre: Vec3,
    /// Radius (σ).
    pub radius: f64,
}

impl SceneBounds {
    /// The bounds of a frame: the periodic box (centred on the origin) or the particles'
    /// bounding box in open space, grown by the largest particle radius.
    #[must_use]
    pub fn of(frame: &Frame) -> SceneBounds {
        let rmax = frame
            .diameters
            .iter()
            .filter(|d| d.is_finite())
            .fold(0.0f64, |m, d| m.max(d / 2.0));
        match frame.geometry {
            Geometry::Periodic(l) => SceneBounds {
                centre: [0.0; 3],
                radius: 0.5 * (l[0] * l[0] + l[1] * l[1] + l[2] * l[2]).sqrt() + rmax,
            },
            Geometry::Open { .. } => {
                let mut lo = [f64::INFINITY; 3];
                let mut hi = [f64::NEG_INFINITY; 3];
                for p in frame
                    .positions
                    .iter()
                    .filter(|p| p.iter().all(|x| x.is_finite()))
                {
                    for d in 0..3 {
                        lo[d] = lo[d].min(p[d]);
                        hi[d] = hi[d].max(p[d]);
                    }
                }
                if lo[0] > hi[0] {
                    return SceneBounds {
                        centre: [0.0; 3],
                        radius: 1.0,
                    };
                }
                let centre = [0, 1, 2].map(|d| 0.5 * (lo[d] + hi[d]));
                let half = [0, 1, 2].map(|d| 0.5 * (hi[d] - lo[d]));
                SceneBounds {
                    centre,
                    radius: (half[0] * half[0] + half[1] * half[1] + half[2] * half[2]).sqrt()
                        + rmax.max(0.5),
                }
            }
        }
    }
}

/// Packs the particles of `frame` that lie in `slab` (all of them without one), coloured and
/// sized by `colouring`, in the frame's order.
///
/// # Errors
/// [`ViewError::LengthMismatch`] when the frame's or the colouring's arrays disagree in
/// length, and [`ViewError::NonFinite`] for a particle with a non-finite position or
/// diameter.
pub fn pack_instances(
    frame: &Frame,
    colouring: &Colouring,
    slab: Option<&Slab>,
) -> Result<Instances, ViewError> {
    let n = frame.len();
    if frame.diameters.len() != n {
        return Err(ViewError::LengthMismatch {
            what: "diameters",
            expected: n,
            got: frame.diameters.len(),
        });
    }
    let styles = colouring.styles(frame)?;
    let mut data = Vec::with_capacity(n * FLOATS_PER_INSTANCE);
    let mut count = 0;
    for (index, ((p, &d), style)) in frame
        .positions
        .iter()
        .zip(&frame.diameters)
        .zip(&styles)
        .enumerate()
    {
        if !p.iter().all(|x| x.is_finite()) {
            return Err(ViewError::NonFinite {
                index,
                what: "position",
            });
        }
        if !(d.is_finite() && d >= 0.0) {
            return Err(ViewError::NonFinite {
                index,
                what: "diameter",
            });
        }
        if slab.is_some_and(|s| !s.contains(*p)) {
            continue;
        }
        let [r, g, b] = style.colour.0;
        data.extend_from_slice(&[
            p[0] as f32,
            p[1] as f32,
            p[2] as f32,
            (d / 2.0) as f32 * style.radius_scale,
            r,
            g,
            b,
            1.0,
        ]);
        count += 1;
    }
    Ok(Instances { data, count })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::lattice::{cluster, crystal, Diameters, UnitCell};
    use crate::view::{Fig4Label, Rgb};

    #[test]
    fn packs_every_particle_with_its_radius_and_colour() {
        let frame = crystal(&UnitCell::alb2(1.0, 1.0), [2, 2, 2], Diameters::PAPER);
        let inst = pack_instances(&frame, &Colouring::Species, None).unwrap();
        assert_eq!(inst.count, frame.len());
        assert_eq!(inst.data.len(), frame.len() * FLOATS_PER_INSTANCE);
        for (i, p) in frame.positions.iter().enumerate() {
            let rec = inst.record(i).unwrap();
            assert_eq!(rec[..3], [p[0] as f32, p[1] as f32, p[2] as f32]);
            assert_eq!(rec[3], (frame.diameters[i] / 2.0) as f32);
            assert_eq!(rec[4..7], Rgb::species(frame.typeid[i]).0);
            assert_eq!(rec[7], 1.0);
        }
        assert!(inst.record(frame.len()).is_none());
    }

    #[test]
    fn slab_keeps_only_particles_inside() {
        let frame = crystal(&UnitCell::alb2(1.0, 1.0), [3, 3, 3], Diameters::PAPER);
        let slab = Slab::new([0.0, 0.0, 1.0], 0.0, 0.6).unwrap();
        let inst = pack_instances(&frame, &Colouring::Species, Some(&slab)).unwrap();
        let expected = frame.positions.iter().filter(|p| p[2].abs() <= 0.3).count();
        assert!(expected > 0 && expected < frame.len());
        assert_eq!(inst.count, expected);
        for k in 0..inst.count {
            assert!(inst.record(k).unwrap()[2].abs() <= 0.3);
        }
    }

    #[test]
    fn fig4_shrinks_the_others() {
        let frame = crystal(&UnitCell::alb2(1.0, 1.0), [1, 1, 1], Diameters::PAPER);
        let mut labels = vec![Fig4Label::Other; frame.len()];
        labels[0] = Fig4Label::CrystallineLarge;
        let inst = pack_instances(&frame, &Colouring::Fig4(labels), None).unwrap();
        assert_eq!(inst.record(0).unwrap()[3], 0.5);
        assert_eq!(
            inst.record(1).unwrap()[3],
            0.5 * crate::view::scheme::FIG4_SHRINK
        );
    }

    #[test]
    fn bad_particles_are_named() {
        let mut frame = crystal(&UnitCell::fcc(1.4), [1, 1, 1], Diameters::PAPER);
        frame.positions[2][1] = f64::NAN;
        assert_eq!(
            pack_instances(&frame, &Colouring::Species, None),
            Err(ViewError::NonFinite {
                index: 2,
                what: "position"
            })
        );
        frame.positions[2][1] = 0.0;
        frame.diameters[3] = -1.0;
        assert_eq!(
            pack_instances(&frame, &Colouring::Species, None),
            Err(ViewError::NonFinite {
                index: 3,
                what: "diameter"
            })
        );
        frame.diameters.pop();
        assert!(matches!(
            pack_instances(&frame, &Colouring::Species, None),
            Err(ViewError::LengthMismatch {
                what: "diameters",
                ..
            })
        ));
    }

    #[test]
    fn bounds_hold_every_particle() {
        let box_frame = crystal(&UnitCell::alb2(1.0, 1.0), [2, 2, 2], Diameters::PAPER);
        let seed = cluster(&UnitCell::alb2(1.0, 1.0), 2.5, Diameters::PAPER);
        for frame in [box_frame, seed] {
            let b = SceneBounds::of(&frame);
            for (p, d) in frame.positions.iter().zip(&frame.diameters) {
                let r = ((p[0] - b.centre[0]).powi(2)
                    + (p[1] - b.centre[1]).powi(2)
                    + (p[2] - b.centre[2]).powi(2))
                .sqrt();
                assert!(r + d / 2.0 <= b.radius + 1e-12);
            }
        }
    }
}
