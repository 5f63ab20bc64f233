//! Moving a free energy between state points (SCIENCE.md §3.2).
//!
//! - In density along an isotherm: βF/N(ρ) − βF/N(ρ₀) = ∫ βP/ρ′² dρ′, through a fitted equation
//!   of state ([`super::eos::EquationOfState::free_energy_change`]).
//! - In depth at fixed density: the well depth is set by the temperature (ε = 1, ε/kT = β), so
//!   ∂(βF/N)/∂β = ⟨U⟩/N and
//!
//!   βF/N(ρ, β₁) = βF/N(ρ, β₀) + ∫_{β₀}^{β₁} ⟨U⟩/N dβ.
//!
//! The β integral here is the trapezoid rule over simulated (β, ⟨U⟩/N) samples at that density
//! that include both ends; its standard error propagates each sample's, σ² = Σ (w_k σ_k)². U/N
//! of a fluid or crystal away from a transition is smooth and nearly linear in β, so the
//! rule's bias at a spacing of 0.25 in β is small against the sampling error; the campaign
//! states its spacing.

use super::diagram::Estimate;
use super::error::ThermoError;

/// Two depths closer than this are the same depth.
pub const SAME_DEPTH: f64 = 1e-9;

/// ∫_{from}^{to} ⟨U⟩/N dβ by the trapezoid rule over `samples` of (β, ⟨U⟩/N) (any order),
/// which must include `from` and `to`; negative when `to` < `from`.
///
/// # Errors
/// [`ThermoError::NotBracketed`] when a sample at either end is missing.
pub fn energy_integral(
    samples: &[(f64, Estimate)],
    from: f64,
    to: f64,
) -> Result<Estimate, ThermoError> {
    let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
    let mut inside: Vec<(f64, Estimate)> = samples
        .iter()
        .filter(|(b, _)| *b >= lo - SAME_DEPTH && *b <= hi + SAME_DEPTH)
        .copied()
        .collect();
    inside.sort_by(|a, b| a.0.total_cmp(&b.0));
    inside.dedup_by(|a, b| (a.0 - b.0).abs() < SAME_DEPTH);
    let has = |x: f64| inside.iter().any(|(b, _)| (b - x).abs() < SAME_DEPTH);
    if !(has(lo) && has(hi)) {
        return Err(ThermoError::NotBracketed {
            what: "energy sample at both ends of the depth path",
            low: lo,
            high: hi,
        });
    }
    let mut value = 0.0;
    let mut weights = vec![0.0; inside.len()];
    for (k, w) in inside.windows(2).enumerate() {
        let h = w[1].0 - w[0].0;
        value += 0.5 * h * (w[0].1.value + w[1].1.value);
        weights[k] += 0.5 * h;
        weights[k + 1] += 0.5 * h;
    }
    let error = weights
        .iter()
        .zip(&inside)
        .map(|(w, (_, e))| (w * e.error).powi(2))
        .sum::<f64>()
        .sqrt();
    let sign = if to < from { -1.0 } else { 1.0 };
    Ok(Estimate {
        value: sign * value,
        error,
    })
}

/// βF/N at depth `to` from `anchor` (βF/N at depth `from`, the same density) and the energy
/// `samples` at that density.
///
/// # Errors
/// As [`energy_integral`].
pub fn move_in_depth(
    anchor: Estimate,
    from: f64,
    to: f64,
    samples: &[(f64, Estimate)],
) -> Result<Estimate, ThermoError> {
    let integral = energy_integral(samples, from, to)?;
    Ok(Estimate {
        value: anchor.value + integral.value,
        error: anchor.error.hypot(integral.error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(value: f64, error: f64) -> Estimate {
        Estimate { value, error }
    }

    #[test]
    fn trapezoid_is_exact_for_linear_energies_and_propagates_errors() {
        // U/N = −2 − 3β: ∫_{0.5}^{2} = −2·1.5 − 1.5·(4 − 0.25) = −8.625
        let samples: Vec<(f64, Estimate)> = [2.0, 0.5, 1.0, 1.5, 3.0]
            .iter()
            .map(|&b| (b, e(-2.0 - 3.0 * b, 0.01)))
            .collect();
        let up = energy_integral(&samples, 0.5, 2.0).unwrap();
        assert!((up.value + 8.625).abs() < 1e-12);
        // weights 0.25, 0.5, 0.5, 0.25
        let want = 0.01 * (2.0 * 0.25f64.powi(2) + 2.0 * 0.5f64.powi(2)).sqrt();
        assert!((up.error - want).abs() < 1e-15);
        let down = energy_integral(&samples, 2.0, 0.5).unwrap();
        assert_eq!(down.value, -up.value);
        let moved = move_in_depth(e(1.0, 0.02), 0.5, 2.0, &samples).unwrap();
        assert!((moved.value - (1.0 - 8.625)).abs() < 1e-12);
        assert!(moved.error > 0.02);
        assert!(energy_integral(&samples, 0.5, 2.5).is_err());
    }
}
