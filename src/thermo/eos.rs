//! Equations of state fitted to simulated pressures, and the free-energy changes they give
//! along a path in density (SCIENCE.md §3.2).
//!
//! Along an isotherm d(βF/N)/dρ = βP/ρ², so
//!
//! βF/N(ρ) − βF/N(ρ₀) = ∫_{ρ₀}^{ρ} βP(ρ′)/ρ′² dρ′.
//!
//! Two stated forms, each linear in its coefficients and written in the scaled density
//! u = ρ/s (s = the largest fitted density) so that the normal equations stay well conditioned:
//! - fluid, [`PolynomialZ`]: Z − 1 = βP/ρ − 1 = Σ_{k=1}^{K} a_k u^k, which vanishes at ρ → 0, so
//!   the excess free energy from the ideal gas is βF_ex/N = Σ a_k u^k / k and
//!   βF/N = Σ_i x_i·ln(x_i·ρ) − 1 + βF_ex/N (Λ = 1);
//! - crystal, [`PolynomialPressure`]: βP = Σ_{k=0}^{K} b_k u^k on the fitted range only, with
//!   ∫ βP/ρ² dρ = (1/s)·[b₀(1/u₀ − 1/u) + b₁ ln(u/u₀) + Σ_{k≥2} b_k (u^{k−1} − u₀^{k−1})/(k−1)].
//!
//! Every fit returns its normalised residuals (βP_fit − βP)/σ_P and χ²_red so that a report
//! can show how well the stated form describes the data.

use super::error::ThermoError;
use crate::saxs::linalg::least_squares;

/// An equation of state βP(ρ) with the free-energy change it implies along an isotherm.
pub trait EquationOfState {
    /// βP at number density `rho`.
    fn beta_pressure(&self, rho: f64) -> f64;
    /// ∫_{rho0}^{rho} βP/ρ′² dρ′: the change of βF/N from `rho0` to `rho`.
    fn free_energy_change(&self, rho0: f64, rho: f64) -> f64;
}

/// A fitted equation of state with its residuals.
#[derive(Clone, Debug, PartialEq)]
pub struct EosFit<E> {
    /// The fitted form.
    pub eos: E,
    /// (βP_fit − βP)/σ_P at each data point, in input order.
    pub residuals: Vec<f64>,
    /// Σ residual² / (points − parameters) (0 when the fit is exactly determined).
    pub chi2_reduced: f64,
}

/// The fluid's form Z − 1 = Σ_{k=1}^{K} a_k (ρ/s)^k.
#[derive(Clone, Debug, PartialEq)]
pub struct PolynomialZ {
    /// Density scale s.
    pub scale: f64,
    /// a_1 … a_K.
    pub coefficients: Vec<f64>,
}

/// The crystal's form βP = Σ_{k=0}^{K} b_k (ρ/s)^k.
#[derive(Clone, Debug, PartialEq)]
pub struct PolynomialPressure {
    /// Density scale s.
    pub scale: f64,
    /// b_0 … b_K.
    pub coefficients: Vec<f64>,
}

/// Checks the data and returns the density scale.
fn check_data(
    rho: &[f64],
    beta_p: &[f64],
    errors: &[f64],
    parameters: usize,
) -> Result<f64, ThermoError> {
    if rho.len() != beta_p.len() || rho.len() != errors.len() || rho.len() < parameters {
        return Err(ThermoError::TooFewPoints {
            points: rho.len().min(beta_p.len()).min(errors.len()),
            parameters,
        });
    }
    for (&r, (&p, &e)) in rho.iter().zip(beta_p.iter().zip(errors)) {
        super::error::positive("density", r)?;
        super::error::positive("pressure error", e)?;
        if !p.is_finite() {
            return Err(ThermoError::OutOfRange {
                name: "pressure",
                value: p,
                allowed: "finite",
            });
        }
    }
    Ok(rho.iter().copied().fold(0.0, f64::max))
}

/// Residuals and χ²_red of a fitted βP against the data.
fn residuals(
    eos: &impl EquationOfState,
    rho: &[f64],
    beta_p: &[f64],
    errors: &[f64],
    parameters: usize,
) -> (Vec<f64>, f64) {
    let res: Vec<f64> = rho
        .iter()
        .zip(beta_p.iter().zip(errors))
        .map(|(&r, (&p, &e))| (eos.beta_pressure(r) - p) / e)
        .collect();
    let dof = rho.len().saturating_sub(parameters);
    let chi2 = if dof == 0 {
        0.0
    } else {
        res.iter().map(|v| v * v).sum::<f64>() / dof as f64
    };
    (res, chi2)
}

/// Fits `y` (weights `w`) with the powers `powers` of u = ρ/s, s the largest density, builds
/// the form with `make(s, coefficients)` and measures it against the pressures.
fn fit_powers<E: EquationOfState>(
    rho: &[f64],
    beta_p: &[f64],
    errors: &[f64],
    powers: std::ops::RangeInclusive<usize>,
    y: &[f64],
    w: &[f64],
    make: impl FnOnce(f64, Vec<f64>) -> E,
) -> Result<EosFit<E>, ThermoError> {
    let parameters = powers.clone().count();
    let scale = check_data(rho, beta_p, errors, parameters.max(1))?;
    let columns: Vec<Vec<f64>> = powers
        .map(|k| rho.iter().map(|r| (r / scale).powi(k as i32)).collect())
        .collect();
    let coefficients = least_squares(&columns, y, w).ok_or(ThermoError::SingularFit)?;
    let eos = make(scale, coefficients);
    let (residuals, chi2_reduced) = residuals(&eos, rho, beta_p, errors, parameters);
    Ok(EosFit {
        eos,
        residuals,
        chi2_reduced,
    })
}

impl PolynomialZ {
    /// Fits the `order` coefficients a_1 … a_K to pressures `beta_p` ± `errors` at `rho`.
    ///
    /// # Errors
    /// [`ThermoError`] for fewer points than coefficients, non-positive densities or errors,
    /// non-finite pressures, or a singular fit.
    pub fn fit(
        rho: &[f64],
        beta_p: &[f64],
        errors: &[f64],
        order: usize,
    ) -> Result<EosFit<Self>, ThermoError> {
        // Z − 1 = βP/ρ − 1 with σ_Z = σ_P/ρ
        let y: Vec<f64> = rho.iter().zip(beta_p).map(|(r, p)| p / r - 1.0).collect();
        let w: Vec<f64> = rho
            .iter()
            .zip(errors)
            .map(|(r, e)| (r / e).powi(2))
            .collect();
        fit_powers(
            rho,
            beta_p,
            errors,
            1..=order,
            &y,
            &w,
            |scale, coefficients| Self {
                scale,
                coefficients,
            },
        )
    }

    /// βF_ex/N = ∫₀^ρ (Z − 1)/ρ′ dρ′ = Σ a_k u^k / k.
    #[must_use]
    pub fn excess_free_energy(&self, rho: f64) -> f64 {
        let u = rho / self.scale;
        self.coefficients
            .iter()
            .enumerate()
            .map(|(i, a)| a * u.powi(i as i32 + 1) / (i as f64 + 1.0))
            .sum()
    }

    /// βF/N = Σ_i x_i·ln(x_i·ρ) − 1 + βF_ex/N at composition `fractions` (Λ = 1).
    #[must_use]
    pub fn fluid_free_energy(&self, rho: f64, fractions: &[f64]) -> f64 {
        ideal_free_energy(rho, fractions) + self.excess_free_energy(rho)
    }
}

/// The ideal mixture's βF/N = Σ_i x_i·ln(x_i·ρ) − 1 (Λ = 1); species with x_i = 0 add nothing.
#[must_use]
pub fn ideal_free_energy(rho: f64, fractions: &[f64]) -> f64 {
    fractions
        .iter()
        .filter(|&&x| x > 0.0)
        .map(|&x| x * (x * rho).ln())
        .sum::<f64>()
        - 1.0
}

impl EquationOfState for PolynomialZ {
    fn beta_pressure(&self, rho: f64) -> f64 {
        let u = rho / self.scale;
        let z: f64 = self
            .coefficients
            .iter()
            .enumerate()
            .map(|(i, a)| a * u.powi(i as i32 + 1))
            .sum();
        rho * (1.0 + z)
    }

    fn free_energy_change(&self, rho0: f64, rho: f64) -> f64 {
        (rho / rho0).ln() + self.excess_free_energy(rho) - self.excess_free_energy(rho0)
    }
}

impl PolynomialPressure {
    /// Fits b_0 … b_K (`order` + 1 coefficients) to pressures `beta_p` ± `errors` at `rho`.
    ///
    /// # Errors
    /// As [`PolynomialZ::fit`].
    pub fn fit(
        rho: &[f64],
        beta_p: &[f64],
        errors: &[f64],
        order: usize,
    ) -> Result<EosFit<Self>, ThermoError> {
        let w: Vec<f64> = errors.iter().map(|e| 1.0 / (e * e)).collect();
        fit_powers(
            rho,
            beta_p,
            errors,
            0..=order,
            beta_p,
            &w,
            |scale, coefficients| Self {
                scale,
                coefficients,
            },
        )
    }
}

impl EquationOfState for PolynomialPressure {
    fn beta_pressure(&self, rho: f64) -> f64 {
        let u = rho / self.scale;
        self.coefficients
            .iter()
            .enumerate()
            .map(|(k, b)| b * u.powi(k as i32))
            .sum()
    }

    fn free_energy_change(&self, rho0: f64, rho: f64) -> f64 {
        let (u0, u) = (rho0 / self.scale, rho / self.scale);
        let sum: f64 = self
            .coefficients
            .iter()
            .enumerate()
            .map(|(k, b)| match k {
                0 => b * (1.0 / u0 - 1.0 / u),
                1 => b * (u / u0).ln(),
                _ => {
                    let p = k as i32 - 1;
                    b * (u.powi(p) - u0.powi(p)) / f64::from(p)
                }
            })
            .sum();
        sum / self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::super::hard_sphere::CarnahanStarling;
    use super::*;

    fn sample(eos: &impl EquationOfState, lo: f64, hi: f64, n: usize) -> (Vec<f64>, Vec<f64>) {
        let rho: Vec<f64> = (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect();
        let p = rho.iter().map(|&r| eos.beta_pressure(r)).collect();
        (rho, p)
    }

    #[test]
    fn fluid_fit_reproduces_the_carnahan_starling_free_energy() {
        let cs = CarnahanStarling { diameter: 1.0 };
        let (rho, p) = sample(&cs, 0.02, 0.95, 40);
        let err: Vec<f64> = p.iter().map(|v| 1e-3 * v).collect();
        let fit = PolynomialZ::fit(&rho, &p, &err, 8).unwrap();
        for &r in &[0.3, 0.6, 0.9] {
            let got = fit.eos.excess_free_energy(r);
            let want = cs.excess_free_energy(r);
            assert!((got - want).abs() < 2e-3, "ρ {r}: {got} vs {want}");
        }
        assert!(fit.chi2_reduced < 1.0, "χ²_red {}", fit.chi2_reduced);
        assert_eq!(fit.residuals.len(), 40);
        // a too-simple form shows in its residuals
        let poor = PolynomialZ::fit(&rho, &p, &err, 2).unwrap();
        assert!(poor.chi2_reduced > 100.0, "χ²_red {}", poor.chi2_reduced);
    }

    #[test]
    fn pressure_polynomial_integrates_exactly() {
        // βP = 2 − 3ρ + 5ρ² + ρ³ is represented exactly at order 3.
        let f = |r: f64| 2.0 - 3.0 * r + 5.0 * r * r + r * r * r;
        let rho: Vec<f64> = (1..=10).map(|i| 0.9 + 0.02 * f64::from(i)).collect();
        let p: Vec<f64> = rho.iter().map(|&r| f(r)).collect();
        let fit = PolynomialPressure::fit(&rho, &p, &[0.01; 10], 3).unwrap();
        let (a, b): (f64, f64) = (0.95, 1.08);
        // ∫ (2/ρ² − 3/ρ + 5 + ρ) dρ
        let exact =
            2.0 * (1.0 / a - 1.0 / b) - 3.0 * (b / a).ln() + 5.0 * (b - a) + 0.5 * (b * b - a * a);
        assert!((fit.eos.free_energy_change(a, b) - exact).abs() < 1e-9);
        assert!(fit.residuals.iter().all(|r| r.abs() < 1e-4));
    }

    #[test]
    fn ideal_mixture_and_bad_data() {
        let f = ideal_free_energy(2.0, &[1.0 / 3.0, 2.0 / 3.0]);
        let want = (2.0f64 / 3.0).ln() / 3.0 + 2.0 / 3.0 * (4.0f64 / 3.0).ln() - 1.0;
        assert!((f - want).abs() < 1e-14);
        assert!(PolynomialZ::fit(&[0.1, 0.2], &[0.1, 0.2], &[0.01, 0.01], 3).is_err());
        assert!(PolynomialZ::fit(&[0.1, -0.2], &[0.1, 0.2], &[0.01, 0.01], 1).is_err());
        assert!(PolynomialZ::fit(&[0.1, 0.2], &[0.1, f64::NAN], &[0.01, 0.01], 1).is_err());
        assert!(PolynomialZ::fit(&[0.1, 0.2], &[0.1, 0.2], &[0.01, 0.0], 1).is_err());
    }
}
