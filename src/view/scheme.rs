//! How particles are coloured and sized: by species, by a per-particle scalar through a colour
//! map (e.g. q_l, SCIENCE.md §2), or with the paper's Fig. 4b,c scheme — crystalline large
//! particles blue, small particles next to a crystalline large one pink, all others grey and
//! shrunk.

use super::colour::{ColourMap, Rgb};
use super::error::ViewError;
use crate::model::Frame;

/// How much the "other" particles of the Fig. 4 scheme are shrunk, so the crystal shows
/// through the fluid.
pub const FIG4_SHRINK: f32 = 0.4;

/// A particle's role in the paper's Fig. 4b,c picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fig4Label {
    /// A large particle classified as crystalline: blue.
    CrystallineLarge,
    /// A small particle neighbouring a crystalline large one: pink.
    SmallNextToCrystalline,
    /// Everything else: grey and shrunk.
    Other,
}

/// How one particle is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParticleStyle {
    /// Its colour.
    pub colour: Rgb,
    /// Factor on its radius (1 = true size).
    pub radius_scale: f32,
}

/// A colouring of a frame's particles.
#[derive(Clone, Debug, PartialEq)]
pub enum Colouring {
    /// One colour per particle type ([`Rgb::species`]).
    Species,
    /// A per-particle scalar through a colour map.
    Scalar {
        /// One value per particle (NaN draws mid grey).
        values: Vec<f64>,
        /// The colour map.
        map: ColourMap,
        /// The value range mapped to the ends of the map; `None` uses the finite values'
        /// minimum and maximum.
        range: Option<(f64, f64)>,
    },
    /// The paper's Fig. 4b,c scheme, from per-particle labels (see [`fig4_labels`]).
    Fig4(Vec<Fig4Label>),
}

impl Colouring {
    /// The style of every particle of `frame`.
    ///
    /// # Errors
    /// [`ViewError::LengthMismatch`] when the scalar values or labels do not have one entry
    /// per particle.
    pub fn styles(&self, frame: &Frame) -> Result<Vec<ParticleStyle>, ViewError> {
        let n = frame.len();
        let check = |what: &'static str, got: usize| {
            if got == n {
                Ok(())
            } else {
                Err(ViewError::LengthMismatch {
                    what,
                    expected: n,
                    got,
                })
            }
        };
        let full = |colour| ParticleStyle {
            colour,
            radius_scale: 1.0,
        };
        match self {
            Colouring::Species => {
                check("type ids", frame.typeid.len())?;
                Ok(frame
                    .typeid
                    .iter()
                    .map(|&t| full(Rgb::species(t)))
                    .collect())
            }
            Colouring::Scalar { values, map, range } => {
                check("scalar values", values.len())?;
                let (lo, hi) = range.unwrap_or_else(|| finite_range(values));
                Ok(values.iter().map(|&v| full(map.map(v, lo, hi))).collect())
            }
            Colouring::Fig4(labels) => {
                check("labels", labels.len())?;
                Ok(labels.iter().map(|&l| fig4_style(l)).collect())
            }
        }
    }
}

fn fig4_style(label: Fig4Label) -> ParticleStyle {
    match label {
        Fig4Label::CrystallineLarge => ParticleStyle {
            colour: Rgb::FIG4_BLUE,
            radius_scale: 1.0,
        },
        Fig4Label::SmallNextToCrystalline => ParticleStyle {
            colour: Rgb::FIG4_PINK,
            radius_scale: 1.0,
        },
        Fig4Label::Other => ParticleStyle {
            colour: Rgb::FIG4_GREY,
            radius_scale: FIG4_SHRINK,
        },
    }
}

fn finite_range(values: &[f64]) -> (f64, f64) {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if lo <= hi {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The Fig. 4b,c labels from a classification: large particles (type `large_type`) flagged
/// `crystalline` are blue; other-type particles that share a neighbour pair with a blue one
/// are pink; the rest are grey. `pairs` is any symmetric or one-sided neighbour list (e.g.
/// the k nearest neighbours the classifier used).
///
/// # Errors
/// [`ViewError::LengthMismatch`] when `crystalline` does not match `typeid`, and
/// [`ViewError::PairOutOfRange`] when a pair names a particle that does not exist.
pub fn fig4_labels(
    typeid: &[u32],
    large_type: u32,
    crystalline: &[bool],
    pairs: &[(usize, usize)],
) -> Result<Vec<Fig4Label>, ViewError> {
    let n = typeid.len();
    if crystalline.len() != n {
        return Err(ViewError::LengthMismatch {
            what: "crystalline flags",
            expected: n,
            got: crystalline.len(),
        });
    }
    let blue = |i: usize| typeid[i] == large_type && crystalline[i];
    let mut labels: Vec<Fig4Label> = (0..n)
        .map(|i| {
            if blue(i) {
                Fig4Label::CrystallineLarge
            } else {
                Fig4Label::Other
            }
        })
        .collect();
    for (p, &(a, b)) in pairs.iter().enumerate() {
        for index in [a, b] {
            if index >= n {
                return Err(ViewError::PairOutOfRange {
                    pair: p,
                    index,
                    count: n,
                });
            }
        }
        for (s, l) in [(a, b), (b, a)] {
            if typeid[s] != large_type && blue(l) {
                labels[s] = Fig4Label::SmallNextToCrystalline;
            }
        }
    }
    Ok(labels)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::lattice::{crystal, Diameters, UnitCell};

    #[test]
    fn fig4_labels_follow_the_paper_rule() {
        // 0,1 large (0 crystalline), 2,3,4 small; pairs 0–2, 3–1, 4–2.
        let typeid = [0, 0, 1, 1, 1];
        let crystalline = [true, false, true, false, false];
        let labels = fig4_labels(&typeid, 0, &crystalline, &[(0, 2), (3, 1), (4, 2)]).unwrap();
        assert_eq!(
            labels,
            vec![
                Fig4Label::CrystallineLarge,
                Fig4Label::Other,
                Fig4Label::SmallNextToCrystalline,
                Fig4Label::Other,
                Fig4Label::Other,
            ]
        );
        // The pair's orientation does not matter.
        let flipped = fig4_labels(&typeid, 0, &crystalline, &[(2, 0)]).unwrap();
        assert_eq!(flipped[2], Fig4Label::SmallNextToCrystalline);
    }

    #[test]
    fn fig4_labels_refuse_bad_input() {
        assert!(matches!(
            fig4_labels(&[0, 1], 0, &[true], &[]),
            Err(ViewError::LengthMismatch { got: 1, .. })
        ));
        assert_eq!(
            fig4_labels(&[0, 1], 0, &[true, false], &[(0, 1), (1, 7)]),
            Err(ViewError::PairOutOfRange {
                pair: 1,
                index: 7,
                count: 2
            })
        );
    }

    #[test]
    fn styles_per_scheme() {
        let frame = crystal(&UnitCell::alb2(1.0, 1.0), [1, 1, 1], Diameters::PAPER);
        let n = frame.len();
        let species = Colouring::Species.styles(&frame).unwrap();
        assert_eq!(species.len(), n);
        for (s, &t) in species.iter().zip(&frame.typeid) {
            assert_eq!(s.colour, Rgb::species(t));
        }

        let values: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let scalar = Colouring::Scalar {
            values,
            map: ColourMap::Greys,
            range: None,
        }
        .styles(&frame)
        .unwrap();
        assert_eq!(scalar[0].colour, Rgb([0.0; 3]));
        assert_eq!(scalar[n - 1].colour, Rgb([1.0; 3]));

        let mut labels = vec![Fig4Label::Other; n];
        labels[0] = Fig4Label::CrystallineLarge;
        labels[2] = Fig4Label::SmallNextToCrystalline;
        let fig4 = Colouring::Fig4(labels).styles(&frame).unwrap();
        assert_eq!(fig4[0].colour, Rgb::FIG4_BLUE);
        assert_eq!(fig4[2].colour, Rgb::FIG4_PINK);
        assert_eq!(fig4[1].colour, Rgb::FIG4_GREY);
        assert_eq!(fig4[1].radius_scale, FIG4_SHRINK);

        let short = Colouring::Fig4(vec![Fig4Label::Other; n - 1]).styles(&frame);
        assert!(matches!(short, Err(ViewError::LengthMismatch { .. })));
    }

    #[test]
    fn scalar_range_ignores_non_finite_values() {
        assert_eq!(
            finite_range(&[f64::NAN, 2.0, -1.0, f64::INFINITY]),
            (-1.0, 2.0)
        );
        assert_eq!(finite_range(&[f64::NAN]), (0.0, 1.0));
    }
}
