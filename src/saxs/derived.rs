//! Structural parameters from a fitted lattice (SCIENCE.md §5), each with its uncertainty
//! propagated from the fit covariance (linearised, central differences).
//!
//! Bonds, gaps and φ for any crystal of the catalogue ([`crate::lattice::catalogue`]); the
//! paper's two:
//! - AlB₂: b_LL = a, b_SS = a/√3, b_LS = sqrt(a²/3 + c²/4); V = (√3/2)a²c;
//!   φ = (4π/3V)[(σ_L/2)³ + 2(σ_S/2)³].
//! - NaZn₁₃: b_LL = a/2, b_SS = b_LL·0.25664/0.61365, b_LS = b_LL·0.35647/0.61365; V = a³;
//!   φ = (4π/3V)[8(σ_L/2)³ + 104(σ_S/2)³].
//! - Gaps d_LL = b_LL − σ_L, d_SS = b_SS − σ_S, d_LS = b_LS − σ_L/2 − σ_S/2.
//! - φ_eff: φ with σ_L,eff = σ_L + min(d_LL, d_LS), σ_S,eff = σ_S + min(d_SS, d_LS), the gaps
//!   taken from a reference fit (the last time of a series; the same fit for one pattern).
//! - ξ = πK/w (Scherrer); area π·A·w; phase fraction = the phase's share of the summed
//!   peak areas.

use crate::lattice::{CoreDiameters, Crystal};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// A value with its one-sigma uncertainty.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Best value.
    pub value: f64,
    /// One-sigma uncertainty (NaN when the covariance is singular).
    pub err: f64,
}

impl Quantity {
    /// A value without uncertainty.
    #[must_use]
    pub fn exact(value: f64) -> Self {
        Self { value, err: 0.0 }
    }
}

/// b_LL, b_SS, b_LS of a lattice, as the catalogue entry defines them.
#[must_use]
pub fn bonds(crystal: &Crystal, a: f64, c_over_a: f64) -> [f64; 3] {
    crystal.bond_lengths(a, c_over_a)
}

/// Surface-to-surface gaps d_LL, d_SS, d_LS.
#[must_use]
pub fn gaps(crystal: &Crystal, a: f64, c_over_a: f64, cores: &CoreDiameters) -> [f64; 3] {
    let [ll, ss, ls] = bonds(crystal, a, c_over_a);
    [
        ll - cores.large,
        ss - cores.small,
        ls - cores.large / 2.0 - cores.small / 2.0,
    ]
}

/// Volume fraction φ = (4π/3V)·[n_L(σ_L/2)³ + n_S(σ_S/2)³] of spheres of the given diameters
/// in the crystallographic cell (n_L, n_S its sites).
#[must_use]
pub fn packing_fraction(crystal: &Crystal, a: f64, c_over_a: f64, cores: &CoreDiameters) -> f64 {
    let (n_l, n_s) = crystal.counts();
    let volume = crystal.volume(a, c_over_a);
    4.0 * PI / (3.0 * volume)
        * (n_l as f64 * (cores.large / 2.0).powi(3) + n_s as f64 * (cores.small / 2.0).powi(3))
}

/// φ_eff: φ with the cores grown by the smallest gaps `reference_gaps` (d_LL, d_SS, d_LS).
#[must_use]
pub fn effective_packing_fraction(
    crystal: &Crystal,
    a: f64,
    c_over_a: f64,
    cores: &CoreDiameters,
    reference_gaps: [f64; 3],
) -> f64 {
    let [d_ll, d_ss, d_ls] = reference_gaps;
    let eff = CoreDiameters {
        large: cores.large + d_ll.min(d_ls),
        small: cores.small + d_ss.min(d_ls),
    };
    packing_fraction(crystal, a, c_over_a, &eff)
}

/// Linearised uncertainty of f(p) from the covariance `cov` (row-major n×n).
#[must_use]
pub fn propagate(f: &dyn Fn(&[f64]) -> f64, p: &[f64], cov: Option<&[f64]>) -> Quantity {
    let value = f(p);
    let Some(cov) = cov else {
        return Quantity {
            value,
            err: f64::NAN,
        };
    };
    let n = p.len();
    let mut grad = vec![0.0; n];
    let mut q = p.to_vec();
    for j in 0..n {
        if cov[j * n + j] <= 0.0 {
            continue;
        }
        let h = 1e-6 * p[j].abs().max(cov[j * n + j].sqrt()).max(1e-12);
        q[j] = p[j] + h;
        let up = f(&q);
        q[j] = p[j] - h;
        let down = f(&q);
        q[j] = p[j];
        grad[j] = (up - down) / (2.0 * h);
    }
    let mut var = 0.0;
    for i in 0..n {
        if grad[i] == 0.0 {
            continue;
        }
        for j in 0..n {
            var += grad[i] * cov[i * n + j] * grad[j];
        }
    }
    Quantity {
        value,
        err: var.max(0.0).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::Structure;

    #[test]
    fn science_md_ratios() {
        let [ll, ss, ls] = bonds(&Structure::Alb2.crystal(), 0.30090, 0.99);
        assert!((ss - 0.17372).abs() < 1e-5 && (ll - 0.30090).abs() < 1e-12);
        assert!((ls - 0.22883).abs() < 1e-4, "{ls}");
        let [ll, ss, ls] = bonds(&Structure::Nazn13.crystal(), 2.0 * 0.61365, 1.0);
        assert!(
            (ll - 0.61365).abs() < 1e-12
                && (ss - 0.25664).abs() < 1e-12
                && (ls - 0.35647).abs() < 1e-12
        );
        // Touching hard spheres in fcc: φ = π/(3√2).
        let phi = packing_fraction(
            &Structure::Fcc.crystal(),
            2f64.sqrt(),
            1.0,
            &CoreDiameters {
                large: 1.0,
                small: 0.0,
            },
        );
        assert!((phi - PI / (3.0 * 2f64.sqrt())).abs() < 1e-12);
        // φ_eff with zero gaps equals φ.
        let cores = CoreDiameters {
            large: 10.4,
            small: 4.5,
        };
        let phi = packing_fraction(&Structure::Alb2.crystal(), 15.0, 1.0, &cores);
        assert!(
            (effective_packing_fraction(&Structure::Alb2.crystal(), 15.0, 1.0, &cores, [0.0; 3])
                - phi)
                .abs()
                < 1e-15
        );
    }

    #[test]
    fn propagation_of_a_product() {
        // f = p0·p1 with independent errors: σ² = p1²σ0² + p0²σ1².
        let cov = [0.04, 0.0, 0.0, 0.09];
        let q = propagate(&|p: &[f64]| p[0] * p[1], &[2.0, 3.0], Some(&cov));
        assert!((q.err - (9.0f64 * 0.04 + 4.0 * 0.09).sqrt()).abs() < 1e-6);
    }
}
