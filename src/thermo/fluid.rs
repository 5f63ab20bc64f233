//! The fluid's free energy at fixed composition (SCIENCE.md §3.2):
//!
//! βF/N(ρ) = Σ_i x_i·ln(x_i·ρ) − 1 + ∫₀^ρ (Z − 1)/ρ′ dρ′   (Λ = 1)
//!
//! along a supercritical isotherm (a shallow depth β₀, where no loop can be crossed), then at
//! fixed density ρ_ref in β up to the depth wanted (∂(βF/N)/∂β = ⟨U⟩/N, [`super::paths`]), and
//! from ρ_ref along that depth's own isotherm. Never through a two-phase region: the reference
//! isotherm is above the critical depth and ρ_ref is a dense one-phase fluid at every depth of
//! the path.
//!
//! The isotherm's form is [`PolynomialZ`], Z − 1 = Σ_{k=1}^{K} a_k u^k (u = ρ/ρ_max), with K
//! the smallest order from [`MIN_ORDER`] whose χ²_red is below [`GOOD_CHI2`] (else the best
//! of those tried, up to [`MAX_ORDER`] and at most points − 2): the simplest form the data
//! support, so that noise is not fitted into false loops.

use super::diagram::Estimate;
use super::eos::{EosFit, PolynomialZ};
use super::error::ThermoError;
use super::paths::{move_in_depth, SAME_DEPTH};

/// Lowest order of the fluid's Z − 1 polynomial.
pub const MIN_ORDER: usize = 2;
/// Highest order of the fluid's Z − 1 polynomial.
pub const MAX_ORDER: usize = 8;
/// χ²_red accepted as a good fit.
pub const GOOD_CHI2: f64 = 1.5;

/// Fits Z − 1 = Σ a_k u^k to an isotherm, choosing the order as in the module docs.
///
/// # Errors
/// [`ThermoError`] for fewer than [`MIN_ORDER`] + 2 points or invalid data.
pub fn fit_isotherm(
    rho: &[f64],
    beta_p: &[f64],
    errors: &[f64],
) -> Result<EosFit<PolynomialZ>, ThermoError> {
    let most = MAX_ORDER.min(rho.len().saturating_sub(2));
    if most < MIN_ORDER {
        return Err(ThermoError::TooFewPoints {
            points: rho.len(),
            parameters: MIN_ORDER + 2,
        });
    }
    let mut best: Option<EosFit<PolynomialZ>> = None;
    for order in MIN_ORDER..=most {
        let fit = PolynomialZ::fit(rho, beta_p, errors, order)?;
        if fit.chi2_reduced < GOOD_CHI2 {
            return Ok(fit);
        }
        if best
            .as_ref()
            .is_none_or(|b| fit.chi2_reduced < b.chi2_reduced)
        {
            best = Some(fit);
        }
    }
    best.ok_or(ThermoError::SingularFit)
}

/// The stated form of a fitted fluid isotherm, in words.
#[must_use]
pub fn form(fit: &PolynomialZ) -> String {
    format!(
        "Z − 1 = Σ a_k u^k, u = ρ/{:.4}, k = 1..{} (from the ideal gas)",
        fit.scale,
        fit.coefficients.len()
    )
}

/// The fluid's path: the supercritical reference depth β₀ and the density ρ_ref at which it is
/// carried in β.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FluidPath {
    /// β₀ = ε/kT of the reference isotherm.
    pub depth: f64,
    /// ρ_ref σ³.
    pub rho: f64,
}

/// βF/N of the fluid at (ρ_ref, `depth`): the ideal gas plus the reference isotherm's excess at
/// ρ_ref, moved in β with the fluid's ⟨U⟩/N `energies` (β, U/N) at ρ_ref.
///
/// # Errors
/// [`ThermoError`] when the energies do not reach from β₀ to `depth`.
pub fn free_energy_on_path(
    reference: &PolynomialZ,
    fractions: &[f64],
    path: FluidPath,
    energies: &[(f64, Estimate)],
    depth: f64,
) -> Result<Estimate, ThermoError> {
    let start = Estimate {
        value: reference.fluid_free_energy(path.rho, fractions),
        error: 0.0,
    };
    if (depth - path.depth).abs() < SAME_DEPTH {
        return Ok(start);
    }
    move_in_depth(start, path.depth, depth, energies)
}

#[cfg(test)]
mod tests {
    use super::super::eos::EquationOfState;
    use super::super::hard_sphere::CarnahanStarling;
    use super::*;

    #[test]
    fn the_order_follows_the_data() {
        // Carnahan–Starling's Z − 1 is not a low polynomial
        let cs = CarnahanStarling { diameter: 1.0 };
        let rho: Vec<f64> = (1..=14).map(|i| 0.065 * f64::from(i)).collect();
        let p: Vec<f64> = rho.iter().map(|&r| cs.beta_pressure(r)).collect();
        let err: Vec<f64> = p.iter().map(|v| 2e-3 * v).collect();
        let fit = fit_isotherm(&rho, &p, &err).unwrap();
        assert!(fit.chi2_reduced < GOOD_CHI2);
        assert!(fit.eos.coefficients.len() > MIN_ORDER);
        assert!((fit.eos.excess_free_energy(0.8) - cs.excess_free_energy(0.8)).abs() < 5e-3);
        assert!(form(&fit.eos).contains("k = 1.."));
        // a straight Z − 1 = ρ is found at the lowest order
        let line: Vec<f64> = rho.iter().map(|r| r * (1.0 + r)).collect();
        assert_eq!(
            fit_isotherm(&rho, &line, &err)
                .unwrap()
                .eos
                .coefficients
                .len(),
            MIN_ORDER
        );
        assert!(fit_isotherm(&rho[..3], &p[..3], &err[..3]).is_err());
    }

    #[test]
    fn the_path_adds_the_energy_integral() {
        let reference = PolynomialZ {
            scale: 1.0,
            coefficients: vec![1.0],
        };
        let path = FluidPath {
            depth: 0.5,
            rho: 0.4,
        };
        let x = [1.0 / 3.0, 2.0 / 3.0];
        let base = reference.fluid_free_energy(0.4, &x);
        let energies = [
            (
                0.5,
                Estimate {
                    value: -1.0,
                    error: 0.01,
                },
            ),
            (
                1.0,
                Estimate {
                    value: -2.0,
                    error: 0.01,
                },
            ),
        ];
        let at = free_energy_on_path(&reference, &x, path, &energies, 1.0).unwrap();
        assert!((at.value - (base - 0.75)).abs() < 1e-12);
        let same = free_energy_on_path(&reference, &x, path, &energies, 0.5).unwrap();
        assert_eq!(same.value, base);
        assert!(free_energy_on_path(&reference, &x, path, &energies, 2.0).is_err());
    }
}
