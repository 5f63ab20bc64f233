//! Fitting the polydisperse sphere form factor to the scattering of dilute cores (SCIENCE.md
//! §5, "Form factor of the cores"; the SASfit step of the paper): mean diameter and its
//! Gaussian spread, each with its uncertainty.
//!
//! Model: I(q) = scale·P(q; r̄, pd) + background, with P the Gaussian-polydisperse sphere of
//! [`SphereModel`] at unit contrast (Δρ = 1·10⁻⁶ Å⁻², sasmodels' normalisation), so `scale`
//! absorbs the contrast and the volume fraction. scale and background enter linearly; r̄ and
//! the relative spread pd = σ_r/r̄ are found by a grid search over (r̄, pd) with the linear
//! parameters solved at each node, then Levenberg–Marquardt refines all four.
//!
//! Weights: the file's errors when it has them; otherwise relative, σ_i = the largest |I|
//! within ±5 % of q_i (a form factor spans decades, and its zeros must not dominate). The
//! coarse radius search always uses these relative weights. Reported: diameter D = 2r̄, spread σ_D = 2·pd·r̄,
//! uncertainties from the covariance scaled by χ²_red.

use super::derived::{propagate, Quantity};
use super::fit::FitError;
use super::linalg::least_squares;
use super::lm::{minimize, Problem, Settings};
use super::read::Pattern;
use super::sphere::SphereModel;
use serde::{Deserialize, Serialize};

/// Result of a sphere fit (lengths in the inverse of the q unit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SphereFit {
    /// The fitted model (unit contrast; `scale` absorbs contrast and volume fraction).
    pub model: SphereModel,
    /// Mean diameter 2r̄.
    pub diameter: Quantity,
    /// Standard deviation of the diameter 2·pd·r̄.
    pub diameter_sd: Quantity,
    /// Mean radius r̄.
    pub radius: Quantity,
    /// Relative spread pd = σ_r/r̄.
    pub radius_pd: Quantity,
    /// Scale.
    pub scale: Quantity,
    /// Flat background.
    pub background: Quantity,
    /// χ².
    pub chi2: f64,
    /// χ²/(n − 4).
    pub chi2_reduced: f64,
    /// Whether χ² uses the file's errors (else relative weights).
    pub known_sigma: bool,
    /// Number of data points.
    pub n_points: usize,
}

impl SphereFit {
    /// The fitted curve at each q.
    #[must_use]
    pub fn curve(&self, q: &[f64]) -> Vec<f64> {
        self.model.intensity(q)
    }
}

/// The unit-contrast model of a radius and spread with scale 1 and no background.
fn unit_model(radius: f64, pd: f64, points: usize) -> SphereModel {
    SphereModel {
        scale: 1.0,
        background: 0.0,
        sld: 1.0,
        sld_solvent: 0.0,
        radius,
        radius_pd: pd,
        radius_pd_n: points,
        radius_pd_nsigma: 3.0,
    }
}

struct SphereProblem<'a> {
    q: &'a [f64],
    y: &'a [f64],
    inv_sigma: &'a [f64],
}

const RADIUS: usize = 2;
const PD: usize = 3;

impl SphereProblem<'_> {
    fn shape(&self, p: &[f64]) -> Vec<f64> {
        unit_model(p[RADIUS], p[PD], 35).intensity(self.q)
    }
}

impl Problem for SphereProblem<'_> {
    fn n_points(&self) -> usize {
        self.q.len()
    }
    fn n_params(&self) -> usize {
        4
    }
    fn evaluate(&self, p: &[f64], r: &mut [f64], jacobian: Option<&mut [f64]>) {
        let shape = self.shape(p);
        for i in 0..self.q.len() {
            r[i] = (self.y[i] - p[0] * shape[i] - p[1]) * self.inv_sigma[i];
        }
        let Some(jac) = jacobian else {
            return;
        };
        // Central differences for the radius and the spread; scale and background exactly.
        let derivative = |j: usize| -> Vec<f64> {
            let h = 1e-5 * p[j].abs().max(1e-6);
            let mut up = p.to_vec();
            up[j] += h;
            let mut down = p.to_vec();
            down[j] -= h;
            let (su, sd) = (self.shape(&up), self.shape(&down));
            su.iter()
                .zip(&sd)
                .map(|(u, d)| p[0] * (u - d) / (2.0 * h))
                .collect()
        };
        let d_radius = derivative(RADIUS);
        let d_pd = derivative(PD);
        for (i, row) in jac.chunks_mut(4).enumerate() {
            let s = self.inv_sigma[i];
            row[0] = shape[i] * s;
            row[1] = s;
            row[RADIUS] = d_radius[i] * s;
            row[PD] = d_pd[i] * s;
        }
    }
}

/// The largest |I| within ±5 % of each q (at least a 10⁻¹² fraction of the largest |I|):
/// a scale for relative weights that the zeros of a form factor do not blow up.
fn upper_envelope(q: &[f64], y: &[f64]) -> Vec<f64> {
    let floor = y.iter().map(|v| v.abs()).fold(0.0, f64::max) * 1e-12 + 1e-300;
    let n = q.len();
    let (mut lo, mut hi) = (0, 0);
    (0..n)
        .map(|i| {
            while q[lo] < q[i] / 1.05 {
                lo += 1;
            }
            while hi + 1 < n && q[hi + 1] <= q[i] * 1.05 {
                hi += 1;
            }
            y[lo..=hi.max(i)]
                .iter()
                .map(|v| v.abs())
                .fold(floor, f64::max)
        })
        .collect()
}

/// Scale and background of the best linear fit of a shape, and its χ².
fn linear_fit(shape: &[f64], y: &[f64], weights: &[f64]) -> Option<(f64, f64, f64)> {
    let columns = [shape.to_vec(), vec![1.0; y.len()]];
    let c = least_squares(&columns, y, weights)?;
    if c.iter().any(|v| !v.is_finite()) || c[0] <= 0.0 {
        return None;
    }
    let chi2 = shape
        .iter()
        .zip(y)
        .zip(weights)
        .map(|((s, y), w)| {
            let r = y - c[0] * s - c[1];
            w * r * r
        })
        .sum();
    Some((c[0], c[1], chi2))
}

/// Fits the polydisperse sphere model to one pattern.
///
/// # Errors
/// [`FitError`] when there are fewer than 10 points, values are not finite, or no size in
/// the searched range explains the data with a positive scale.
pub fn fit_sphere(pattern: &Pattern) -> Result<SphereFit, FitError> {
    let n = pattern.q.len();
    if n < 10 {
        return Err(FitError::TooFewPoints { found: n, need: 10 });
    }
    let (q, y) = (&pattern.q, &pattern.intensity);
    if q.iter().chain(y).any(|v| !v.is_finite()) {
        return Err(FitError::InvalidData(
            "non-finite q or intensity".to_string(),
        ));
    }
    let known_sigma = pattern
        .error
        .as_ref()
        .is_some_and(|e| e.len() == n && e.iter().all(|&s| s > 0.0 && s.is_finite()));
    let envelope = upper_envelope(q, y);
    let inv_sigma: Vec<f64> = match (&pattern.error, known_sigma) {
        (Some(e), true) => e.iter().map(|s| 1.0 / s).collect(),
        _ => envelope.iter().map(|v| 1.0 / v).collect(),
    };
    let weights: Vec<f64> = inv_sigma.iter().map(|s| s * s).collect();
    let envelope_weights: Vec<f64> = envelope.iter().map(|v| 1.0 / (v * v)).collect();
    let (q_lo, q_hi) = (q[0], q[n - 1]);
    // Coarse: radii from 1.5/q_max to 15/q_min in 2 % steps with five spreads, relative
    // weights. Fine: −30 % to +40 % around the best in 0.5 % steps with spreads from nearly
    // monodisperse to broad, the fit's weights.
    let r_lo = 1.5 / q_hi;
    let r_hi = (15.0 / q_lo).max(2.0 * r_lo);
    let log_grid = |lo: f64, hi: f64, factor: f64| -> Vec<f64> {
        let n = ((hi / lo).ln() / factor.ln()).ceil().max(1.0) as usize;
        (0..=n).map(|k| lo * factor.powi(k as i32)).collect()
    };
    let search = |radii: &[f64], spreads: &[f64], points: usize, weights: &[f64]| {
        let mut found: Vec<(f64, f64, f64, f64, f64)> = Vec::new();
        for &r in radii {
            for &pd in spreads {
                let shape = unit_model(r, pd, points).intensity(q);
                if let Some((scale, bg, chi2)) = linear_fit(&shape, y, weights) {
                    found.push((scale, bg, r, pd, chi2));
                }
            }
        }
        found.sort_by(|a, b| a.4.total_cmp(&b.4));
        found
    };
    let coarse = search(
        &log_grid(r_lo, r_hi, 1.02),
        &[0.01, 0.05, 0.1, 0.2, 0.3],
        15,
        &envelope_weights,
    );
    let Some(&(_, _, r1, _, _)) = coarse.first() else {
        return Err(FitError::NoLattice {
            structure: "sphere".to_owned(),
        });
    };
    let fine = search(
        &log_grid(0.7 * r1, 1.4 * r1, 1.005),
        &[0.01, 0.03, 0.05, 0.08, 0.12, 0.18, 0.25, 0.35, 0.5],
        21,
        &weights,
    );
    // Levenberg–Marquardt from the best node and from the best one at a clearly other radius.
    let mut starts: Vec<[f64; 4]> = Vec::new();
    for &(scale, bg, r, pd, _) in &fine {
        if starts.iter().all(|s| (s[RADIUS] / r - 1.0).abs() > 0.03) {
            starts.push([scale, bg, r, pd]);
            if starts.len() == 2 {
                break;
            }
        }
    }
    let problem = SphereProblem {
        q,
        y,
        inv_sigma: &inv_sigma,
    };
    let settings = Settings {
        lower: vec![0.0, f64::NEG_INFINITY, 0.5 * r1, 1e-3],
        upper: vec![f64::INFINITY, f64::INFINITY, 2.0 * r1, 0.6],
        fixed: vec![false; 4],
        max_iterations: 200,
    };
    let Some(out) = starts
        .iter()
        .map(|s| minimize(&problem, s, &settings))
        .min_by(|a, b| a.chi2.total_cmp(&b.chi2))
    else {
        return Err(FitError::NoLattice {
            structure: "sphere".to_owned(),
        });
    };
    let p = &out.params;
    let cov = out.covariance.as_deref();
    let quantity = |f: &dyn Fn(&[f64]) -> f64| propagate(f, p, cov);
    let model = SphereModel {
        scale: p[0],
        background: p[1],
        ..unit_model(p[RADIUS], p[PD], 35)
    };
    Ok(SphereFit {
        model,
        diameter: quantity(&|p: &[f64]| 2.0 * p[RADIUS]),
        diameter_sd: quantity(&|p: &[f64]| 2.0 * p[RADIUS] * p[PD]),
        radius: quantity(&|p: &[f64]| p[RADIUS]),
        radius_pd: quantity(&|p: &[f64]| p[PD]),
        scale: quantity(&|p: &[f64]| p[0]),
        background: quantity(&|p: &[f64]| p[1]),
        chi2: out.chi2,
        chi2_reduced: out.chi2 / n.saturating_sub(out.n_free).max(1) as f64,
        known_sigma,
        n_points: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saxs::read::{QUnit, UnitChoice, UnitOrigin};

    #[test]
    fn recovers_a_noise_free_polydisperse_sphere() {
        let q: Vec<f64> = (0..300).map(|i| 0.05 + 0.005 * f64::from(i)).collect();
        let truth = SphereModel {
            scale: 0.02,
            background: 0.05,
            ..unit_model(3.2, 0.09, 35)
        };
        let y = truth.intensity(&q);
        let unit = UnitChoice {
            unit: QUnit::InverseNm,
            origin: UnitOrigin::User,
            reason: String::new(),
        };
        let fit = fit_sphere(&Pattern::from_arrays(q, y, unit)).expect("fit");
        assert!((fit.diameter.value / 6.4 - 1.0).abs() < 1e-4, "{fit:?}");
        assert!((fit.radius_pd.value / 0.09 - 1.0).abs() < 1e-3, "{fit:?}");
        assert!((fit.background.value / 0.05 - 1.0).abs() < 1e-3, "{fit:?}");
    }
}
