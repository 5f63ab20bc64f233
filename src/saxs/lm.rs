//! Levenberg–Marquardt least squares with box bounds (projection) and the parameter
//! covariance (JᵀJ)⁻¹·χ²_red at the solution.
//!
//! Marquardt's scaling: the damped system is (JᵀJ + λ·diag(JᵀJ))δ = Jᵀr, λ divided by 3
//! after an accepted step and multiplied by 4 after a rejected one. A step that leaves the
//! bounds is projected back onto them.
//!
//! Speed: during the iterations JᵀJ skips products of Jacobian entries below 10⁻² of their
//! column's largest (the tails of far Lorentzians), which only changes the step, not where it
//! converges (Jᵀr is exact); the covariance at the solution uses the exact JᵀJ.

use super::linalg::{cholesky, cholesky_solve, spd_inverse};

/// A weighted least-squares problem: residuals r_i = (y_i − m_i(p))/σ_i and their Jacobian.
pub(crate) trait Problem {
    /// Number of data points.
    fn n_points(&self) -> usize;
    /// Number of parameters.
    fn n_params(&self) -> usize;
    /// Fills residuals (length n_points) and, if given, the Jacobian of the *model*
    /// ∂m_i/∂p_j divided by σ_i (row-major n_points × n_params).
    fn evaluate(&self, p: &[f64], residuals: &mut [f64], jacobian: Option<&mut [f64]>);
}

/// Settings of a run.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// Lower bound of each parameter.
    pub lower: Vec<f64>,
    /// Upper bound of each parameter.
    pub upper: Vec<f64>,
    /// Parameters held at their start values.
    pub fixed: Vec<bool>,
    /// Most iterations (accepted or not).
    pub max_iterations: usize,
}

/// Outcome of a run.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// Best parameters.
    pub params: Vec<f64>,
    /// χ² = Σ r_i² at `params`.
    pub chi2: f64,
    /// Covariance of the free parameters scaled by χ²_red, full size (zero rows for fixed
    /// ones); `None` when JᵀJ is singular.
    pub covariance: Option<Vec<f64>>,
    /// Number of free parameters.
    pub n_free: usize,
}

fn chi2(r: &[f64]) -> f64 {
    r.iter().map(|v| v * v).sum()
}

/// Minimises χ² from `start`.
pub(crate) fn minimize(problem: &dyn Problem, start: &[f64], settings: &Settings) -> Outcome {
    let n = problem.n_points();
    let np = problem.n_params();
    let free: Vec<usize> = (0..np).filter(|&j| !settings.fixed[j]).collect();
    let m = free.len();
    let clamp = |p: &mut [f64]| {
        for ((v, &lo), &hi) in p.iter_mut().zip(&settings.lower).zip(&settings.upper) {
            *v = v.clamp(lo, hi);
        }
    };
    let mut p = start.to_vec();
    clamp(&mut p);
    let mut r = vec![0.0; n];
    let mut jac = vec![0.0; n * np];
    problem.evaluate(&p, &mut r, Some(&mut jac));
    let mut best = chi2(&r);
    let mut lambda = 1e-3;
    let mut iterations = 0;
    let mut trial = vec![0.0; np];
    let mut r_trial = vec![0.0; n];
    let (mut jtj, mut jtr) = normal_equations(&jac, &r, n, np, &free, SPARSE_THRESHOLD);
    while iterations < settings.max_iterations && m > 0 {
        iterations += 1;
        let mut damped = jtj.clone();
        for i in 0..m {
            let d = jtj[i * m + i].max(1e-30);
            damped[i * m + i] = d * (1.0 + lambda);
        }
        let Some(l) = cholesky(&damped, m) else {
            lambda *= 4.0;
            if lambda > 1e16 {
                break;
            }
            continue;
        };
        let delta = cholesky_solve(&l, m, &jtr);
        trial.copy_from_slice(&p);
        for (i, &j) in free.iter().enumerate() {
            trial[j] += delta[i];
        }
        clamp(&mut trial);
        problem.evaluate(&trial, &mut r_trial, None);
        let c = chi2(&r_trial);
        if c.is_finite() && c < best {
            let gain = (best - c) / best.max(1e-300);
            let step: f64 = free
                .iter()
                .map(|&j| ((trial[j] - p[j]) / (p[j].abs() + 1e-12)).abs())
                .fold(0.0, f64::max);
            p.copy_from_slice(&trial);
            best = c;
            problem.evaluate(&p, &mut r, Some(&mut jac));
            (jtj, jtr) = normal_equations(&jac, &r, n, np, &free, SPARSE_THRESHOLD);
            lambda = (lambda / 3.0).max(1e-12);
            if gain < 1e-7 || step < 1e-8 {
                break;
            }
        } else {
            lambda *= 4.0;
            if lambda > 1e16 {
                break;
            }
        }
    }
    let dof = n.saturating_sub(m).max(1) as f64;
    let (jtj, _) = normal_equations(&jac, &r, n, np, &free, 0.0);
    let covariance = spd_inverse(&jtj, m).map(|inv| {
        let scale = best / dof;
        let mut full = vec![0.0; np * np];
        for (a, &ja) in free.iter().enumerate() {
            for (b, &jb) in free.iter().enumerate() {
                full[ja * np + jb] = inv[a * m + b] * scale;
            }
        }
        full
    });
    Outcome {
        params: p,
        chi2: best,
        covariance,
        n_free: m,
    }
}

/// Relative size below which Jacobian products are left out of JᵀJ during the iterations.
const SPARSE_THRESHOLD: f64 = 1e-2;

/// JᵀJ and Jᵀr over the free parameters (the model Jacobian: r = y − m, so Jᵀr is the
/// descent direction). With `threshold` > 0, JᵀJ leaves out entries whose magnitude is below
/// `threshold` times their column's largest; Jᵀr is always exact.
fn normal_equations(
    jac: &[f64],
    r: &[f64],
    n: usize,
    np: usize,
    free: &[usize],
    threshold: f64,
) -> (Vec<f64>, Vec<f64>) {
    let m = free.len();
    let mut cut = vec![0.0; m];
    if threshold > 0.0 {
        for i in 0..n {
            for (a, &j) in free.iter().enumerate() {
                cut[a] = f64::max(cut[a], jac[i * np + j].abs());
            }
        }
        cut.iter_mut().for_each(|c| *c *= threshold);
    }
    let mut jtj = vec![0.0; m * m];
    let mut jtr = vec![0.0; m];
    let mut row = vec![0.0; m];
    let mut kept: Vec<usize> = Vec::with_capacity(m);
    for i in 0..n {
        kept.clear();
        for (a, &j) in free.iter().enumerate() {
            let v = jac[i * np + j];
            row[a] = v;
            jtr[a] += v * r[i];
            if v != 0.0 && v.abs() >= cut[a] {
                kept.push(a);
            }
        }
        for (x, &a) in kept.iter().enumerate() {
            let ra = row[a];
            for &b in &kept[..=x] {
                jtj[a * m + b] += ra * row[b];
            }
        }
    }
    for a in 0..m {
        for b in 0..a {
            jtj[b * m + a] = jtj[a * m + b];
        }
    }
    (jtj, jtr)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y = p0·exp(−p1·x) with unit errors.
    struct Decay {
        x: Vec<f64>,
        y: Vec<f64>,
    }

    impl Problem for Decay {
        fn n_points(&self) -> usize {
            self.x.len()
        }
        fn n_params(&self) -> usize {
            2
        }
        fn evaluate(&self, p: &[f64], r: &mut [f64], jac: Option<&mut [f64]>) {
            for (i, &x) in self.x.iter().enumerate() {
                r[i] = self.y[i] - p[0] * (-p[1] * x).exp();
            }
            if let Some(j) = jac {
                for (i, &x) in self.x.iter().enumerate() {
                    let e = (-p[1] * x).exp();
                    j[2 * i] = e;
                    j[2 * i + 1] = -p[0] * x * e;
                }
            }
        }
    }

    #[test]
    fn recovers_exponential_and_its_uncertainty() {
        let x: Vec<f64> = (0..50).map(|i| f64::from(i) * 0.1).collect();
        // Deterministic ±0.01 "noise".
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, &x)| 3.0 * (-0.7 * x).exp() + if i % 2 == 0 { 0.01 } else { -0.01 })
            .collect();
        let problem = Decay { x, y };
        let settings = Settings {
            lower: vec![0.0, 0.0],
            upper: vec![10.0, 10.0],
            fixed: vec![false, false],
            max_iterations: 200,
        };
        let out = minimize(&problem, &[1.0, 2.0], &settings);
        assert!((out.params[0] - 3.0).abs() < 0.01, "{:?}", out.params);
        assert!((out.params[1] - 0.7).abs() < 0.01, "{:?}", out.params);
        let cov = out.covariance.expect("regular");
        assert!(cov[0] > 0.0 && cov[0].sqrt() < 0.02);
        // Holding p1 fixed at a wrong value leaves it there.
        let fixed = Settings {
            fixed: vec![false, true],
            ..settings
        };
        let out = minimize(&problem, &[1.0, 0.5], &fixed);
        assert_eq!(out.params[1], 0.5);
        assert_eq!(out.n_free, 1);
    }
}
