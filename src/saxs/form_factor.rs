//! The form factor P(q) of the cores, for fitting the measured intensity
//! I(q) = scale·P(q)·S(q) + background directly (issue #17) instead of a structure factor
//! S(q) = I/P prepared elsewhere.
//!
//! Two sources of P(q):
//! - **Spheres** of mean diameter D with a Gaussian spread σ_D of the diameter (the model that
//!   `bnsl fit --model sphere` fits to dilute cores, [`super::sphere`], sasmodels' `sphere`
//!   with `radius_pd`): with r̄ = D/2, σ_r = σ_D/2 and 35 radii r_i evenly over r̄ ± 3σ_r,
//!
//!   P(q) = Σ_i w_i·V_i²·Φ²(q·r_i) / Σ_i w_i·V_i²,  w_i = exp(−(r_i − r̄)²/(2σ_r²)),
//!   V_i = (4π/3)·r_i³,  Φ(x) = 3(sin x − x·cos x)/x³,
//!
//!   normalised so that P(0) = 1. σ_D must lie between [`MIN_RELATIVE_SPREAD`] and
//!   [`MAX_RELATIVE_SPREAD`] of D: a monodisperse sphere has zeros where I/P is undefined.
//! - **Measured**: the scattering of the same cores, dilute, read from a file and
//!   interpolated onto the pattern's q linearly in ln P (P spans decades); it must be positive
//!   and cover the pattern's q range. Its units are arbitrary: `scale` absorbs them.
//!
//! The tabulated P at the pattern's q ([`FormTable`]) is what the fit uses: dividing the data
//! by it gives S-space data y/P with errors σ/P (or, without an error column, equal weights in
//! S, i.e. errors of I proportional to P), and the constant background of I becomes the term
//! background/P there ([`super::peaks::PeakModel`]). χ² is the same in both spaces.

use serde::{Deserialize, Serialize};

use super::read::{Pattern, QUnit};
use super::sphere::SphereModel;

/// Smallest spread σ_D/D of the sphere form factor.
pub const MIN_RELATIVE_SPREAD: f64 = 0.01;
/// Largest spread σ_D/D of the sphere form factor.
pub const MAX_RELATIVE_SPREAD: f64 = 0.5;
/// Most points of a measured form factor.
pub const MAX_FORM_POINTS: usize = 100_000;

/// Where the form factor of the cores comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FormFactor {
    /// Gaussian-polydisperse homogeneous spheres (lengths in the inverse of the q unit).
    Spheres {
        /// Mean diameter D.
        diameter: f64,
        /// Standard deviation σ_D of the diameter.
        spread: f64,
    },
    /// A measured P(q) of dilute cores, in the q unit of the pattern.
    Measured {
        /// Where it was read from (file name), for messages and results.
        source: String,
        /// Scattering vector, strictly increasing.
        q: Vec<f64>,
        /// P(q), positive.
        p: Vec<f64>,
    },
}

/// Why a form factor cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormFactorError {
    /// The core diameter is not a positive number.
    #[error("core diameter {0}: give the mean diameter of the cores, a positive number in the length unit of the data")]
    Diameter(f64),
    /// The spread is outside the allowed range.
    #[error("core spread {spread}: the standard deviation of the diameter must lie between {} and {} ({}–{} % of the diameter {diameter})", short(*.min), short(*.max), MIN_RELATIVE_SPREAD * 100.0, MAX_RELATIVE_SPREAD * 100.0)]
    Spread {
        /// The spread given.
        spread: f64,
        /// The diameter given.
        diameter: f64,
        /// Smallest allowed spread.
        min: f64,
        /// Largest allowed spread.
        max: f64,
    },
    /// The measured form factor has too few, too many, unsorted or non-finite points.
    #[error("form factor {file}: {message}")]
    Table {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// P(q) is not a positive finite number somewhere in the pattern's range.
    #[error("form factor {what}: P = {p} at q = {q}; it must be positive and finite over the pattern (is the diameter in the length unit of the data?)")]
    NotPositive {
        /// The form factor.
        what: String,
        /// Where.
        q: f64,
        /// Its value there.
        p: f64,
    },
    /// The measured form factor does not cover the pattern.
    #[error("form factor {file} covers q = {lo}–{hi}, the pattern q = {data_lo}–{data_hi}: measure P(q) over the pattern's range or trim the pattern to it")]
    Range {
        /// The file.
        file: String,
        /// First q of the file.
        lo: f64,
        /// Last q of the file.
        hi: f64,
        /// First q of the pattern.
        data_lo: f64,
        /// Last q of the pattern.
        data_hi: f64,
    },
}

/// A number with at most six decimals and no trailing zeros (0.1001, not 0.10010000000000001).
fn short(x: f64) -> String {
    let text = format!("{x:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// P(q) tabulated on a grid (the pattern's q), interpolated linearly in ln P between nodes
/// and constant beyond the ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormTable {
    /// Nodes, strictly increasing.
    pub q: Vec<f64>,
    /// P at the nodes, positive.
    pub p: Vec<f64>,
}

impl FormTable {
    /// P(q): exact at the nodes.
    #[must_use]
    pub fn at(&self, q: f64) -> f64 {
        let n = self.q.len();
        if n == 0 {
            return 1.0;
        }
        if q <= self.q[0] {
            return self.p[0];
        }
        if q >= self.q[n - 1] {
            return self.p[n - 1];
        }
        let hi = self.q.partition_point(|&x| x < q);
        if self.q[hi] == q {
            return self.p[hi];
        }
        let lo = hi - 1;
        let f = (q - self.q[lo]) / (self.q[hi] - self.q[lo]);
        libm::exp(libm::log(self.p[lo]) * (1.0 - f) + libm::log(self.p[hi]) * f)
    }
}

impl FormFactor {
    /// A measured form factor from a pattern read from `source`, its q converted to `unit`
    /// (the unit of the pattern to be fitted).
    #[must_use]
    pub fn measured(source: &str, pattern: &Pattern, unit: QUnit) -> Self {
        let factor = match (pattern.unit.unit, unit) {
            (QUnit::InverseAngstrom, QUnit::InverseNm) => 10.0,
            (QUnit::InverseNm, QUnit::InverseAngstrom) => 0.1,
            _ => 1.0,
        };
        FormFactor::Measured {
            source: source.to_owned(),
            q: pattern.q.iter().map(|q| q * factor).collect(),
            p: pattern.intensity.clone(),
        }
    }

    /// A short description for results ("spheres D = 6.4 ± 0.5", "measured: cores.dat").
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            FormFactor::Spheres { diameter, spread } => {
                format!("spheres D = {diameter} ± {spread} (Gaussian)")
            }
            FormFactor::Measured { source, .. } => format!("measured: {source}"),
        }
    }

    /// Checks the form factor's own values (not yet against a pattern).
    ///
    /// # Errors
    /// [`FormFactorError`] naming the value and its allowed range.
    pub fn check(&self) -> Result<(), FormFactorError> {
        match self {
            FormFactor::Spheres { diameter, spread } => {
                if !(diameter.is_finite() && *diameter > 0.0) {
                    return Err(FormFactorError::Diameter(*diameter));
                }
                let (min, max) = (
                    MIN_RELATIVE_SPREAD * diameter,
                    MAX_RELATIVE_SPREAD * diameter,
                );
                if !(*spread >= min && *spread <= max) {
                    return Err(FormFactorError::Spread {
                        spread: *spread,
                        diameter: *diameter,
                        min,
                        max,
                    });
                }
                Ok(())
            }
            FormFactor::Measured { source, q, p } => {
                let bad = |message: String| FormFactorError::Table {
                    file: source.clone(),
                    message,
                };
                if q.len() != p.len() || q.len() < 2 || q.len() > MAX_FORM_POINTS {
                    return Err(bad(format!(
                        "{} q and {} P values; need between 2 and {MAX_FORM_POINTS} pairs",
                        q.len(),
                        p.len()
                    )));
                }
                if let Some(i) = (0..q.len()).find(|&i| !(q[i].is_finite() && p[i].is_finite())) {
                    return Err(bad(format!(
                        "point {} (q = {}, P = {}) is not finite",
                        i + 1,
                        q[i],
                        p[i]
                    )));
                }
                if let Some(i) = q.windows(2).position(|w| w[1] <= w[0]) {
                    return Err(bad(format!(
                        "q must increase: point {} (q = {}) follows q = {}",
                        i + 2,
                        q[i + 1],
                        q[i]
                    )));
                }
                Ok(())
            }
        }
    }

    /// P at each q of a pattern.
    ///
    /// # Errors
    /// [`FormFactorError`] when the form factor is invalid, does not cover `q`, or is not
    /// positive where the pattern needs it.
    pub fn tabulate(&self, q: &[f64]) -> Result<FormTable, FormFactorError> {
        self.check()?;
        let p: Vec<f64> = match self {
            FormFactor::Spheres { diameter, spread } => {
                let model = SphereModel {
                    scale: 1.0,
                    background: 0.0,
                    sld: 1.0,
                    sld_solvent: 0.0,
                    radius: diameter / 2.0,
                    radius_pd: spread / diameter,
                    radius_pd_n: 35,
                    radius_pd_nsigma: 3.0,
                };
                let forward = model.intensity(&[0.0])[0];
                model
                    .intensity(q)
                    .into_iter()
                    .map(|v| v / forward)
                    .collect()
            }
            FormFactor::Measured {
                source,
                q: qf,
                p: pf,
            } => {
                let (lo, hi) = (qf[0], qf[qf.len() - 1]);
                let (data_lo, data_hi) = (q.first().copied(), q.last().copied());
                if let (Some(data_lo), Some(data_hi)) = (data_lo, data_hi) {
                    // Half a percent of slack at each end: files of one beamline round q.
                    if data_lo < lo * (1.0 - 5e-3) || data_hi > hi * (1.0 + 5e-3) {
                        return Err(FormFactorError::Range {
                            file: source.clone(),
                            lo,
                            hi,
                            data_lo,
                            data_hi,
                        });
                    }
                }
                // Only the file's points that the pattern's range uses must be positive.
                let first = qf
                    .partition_point(|&x| x < data_lo.unwrap_or(lo))
                    .saturating_sub(1);
                let last = qf
                    .partition_point(|&x| x <= data_hi.unwrap_or(hi))
                    .min(qf.len() - 1);
                if let Some(i) = (first..=last).find(|&i| pf[i] <= 0.0) {
                    return Err(FormFactorError::Table {
                        file: source.clone(),
                        message: format!(
                            "P = {} at q = {} (point {}): it must be positive over the pattern's q range (subtract less background from it)",
                            pf[i],
                            qf[i],
                            i + 1
                        ),
                    });
                }
                let table = FormTable {
                    q: qf[first..=last].to_vec(),
                    p: pf[first..=last].to_vec(),
                };
                q.iter().map(|&x| table.at(x)).collect()
            }
        };
        if let Some(i) = p.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(FormFactorError::NotPositive {
                what: self.describe(),
                q: q[i],
                p: p[i],
            });
        }
        Ok(FormTable { q: q.to_vec(), p })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spheres_start_at_one_and_stay_positive() {
        let ff = FormFactor::Spheres {
            diameter: 6.4,
            spread: 0.064,
        };
        let q: Vec<f64> = (0..400).map(|i| 0.01 + 0.01 * f64::from(i)).collect();
        let t = ff.tabulate(&q).expect("valid");
        assert!((t.p[0] - 1.0).abs() < 1e-3, "{}", t.p[0]);
        assert!(t.p.iter().all(|&v| v > 0.0));
        // The first minimum of a sphere of radius 3.2 is near q·r = 4.49.
        let i_min = (100..200)
            .min_by(|&a, &b| t.p[a].total_cmp(&t.p[b]))
            .unwrap();
        assert!((q[i_min] * 3.2 - 4.49).abs() < 0.1, "{}", q[i_min]);
        assert_eq!(t.at(q[17]), t.p[17]);
    }

    #[test]
    fn bad_values_name_the_allowed_range() {
        let e = FormFactor::Spheres {
            diameter: 10.0,
            spread: 0.0,
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().contains("between 0.1 and 5"), "{e}");
        let e = FormFactor::Spheres {
            diameter: -1.0,
            spread: 0.1,
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().contains("core diameter -1"), "{e}");
        let measured = FormFactor::Measured {
            source: "p.dat".into(),
            q: vec![0.1, 0.2, 0.3],
            p: vec![1.0, 0.5, 0.25],
        };
        let e = measured.tabulate(&[0.15, 0.4]).unwrap_err();
        assert!(e.to_string().contains("covers q = 0.1–0.3"), "{e}");
        let t = measured.tabulate(&[0.1, 0.15, 0.3]).expect("inside");
        // Linear in ln P: the geometric mean half way.
        assert!((t.p[1] - 0.5f64.sqrt()).abs() < 1e-12);
        let negative = FormFactor::Measured {
            source: "p.dat".into(),
            q: vec![0.1, 0.2, 0.3],
            p: vec![1.0, -0.5, 0.25],
        };
        let e = negative.tabulate(&[0.1, 0.3]).unwrap_err();
        assert!(e.to_string().contains("point 2"), "{e}");
    }
}
