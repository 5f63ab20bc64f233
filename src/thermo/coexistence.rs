//! Coexistence between two branches at fixed composition: equal βP and equal g per particle,
//! g = F/N + P/ρ (SCIENCE.md §3.2), and the Maxwell construction on one fluid branch with a
//! van der Waals loop.
//!
//! A [`Branch`] is an equation of state on a density range together with one anchored free
//! energy βF/N(ρ_ref); βF/N elsewhere follows from [`EquationOfState::free_energy_change`]. On
//! each branch βP must rise with ρ, so ρ(P) is found by bisection; then Δg(P) = g_a − g_b is
//! bisected over the common pressure range. Bisection, not Newton: slow but unconditionally
//! convergent on a bracket, and every call is cheap.

use super::eos::EquationOfState;
use super::error::ThermoError;

/// Bisection steps: the bracket shrinks by 2⁻¹⁰⁰, far below f64 resolution.
const BISECTIONS: usize = 100;
/// Points at which a branch's monotonicity and the loop's spinodals are scanned.
const SCAN: usize = 400;

/// One phase's free-energy branch.
#[derive(Clone, Copy)]
pub struct Branch<'a> {
    /// The branch's equation of state.
    pub eos: &'a dyn EquationOfState,
    /// The density at which βF/N is known.
    pub rho_ref: f64,
    /// βF/N at `rho_ref`.
    pub beta_f_ref: f64,
    /// Lowest density of the branch.
    pub rho_low: f64,
    /// Highest density of the branch.
    pub rho_high: f64,
}

/// Two coexisting states.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coexistence {
    /// The common βP.
    pub beta_pressure: f64,
    /// Density of the first branch's phase.
    pub rho_a: f64,
    /// Density of the second branch's phase.
    pub rho_b: f64,
    /// The common βg per particle.
    pub beta_g: f64,
}

impl Branch<'_> {
    /// βF/N at `rho`.
    #[must_use]
    pub fn beta_f(&self, rho: f64) -> f64 {
        self.beta_f_ref + self.eos.free_energy_change(self.rho_ref, rho)
    }

    /// βg = βF/N + βP/ρ at `rho`.
    #[must_use]
    pub fn beta_g(&self, rho: f64) -> f64 {
        self.beta_f(rho) + self.eos.beta_pressure(rho) / rho
    }

    fn scan(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=SCAN)
            .map(move |i| self.rho_low + (self.rho_high - self.rho_low) * i as f64 / SCAN as f64)
    }

    fn check(&self) -> Result<(), ThermoError> {
        if !(self.rho_low > 0.0 && self.rho_low < self.rho_high && self.rho_high.is_finite()) {
            return Err(ThermoError::OutOfRange {
                name: "branch density range",
                value: self.rho_high - self.rho_low,
                allowed: "0 < low < high, finite",
            });
        }
        let p: Vec<f64> = self.scan().map(|r| self.eos.beta_pressure(r)).collect();
        if p.windows(2)
            .any(|w| w[1].partial_cmp(&w[0]) != Some(std::cmp::Ordering::Greater))
        {
            return Err(ThermoError::NoCommonPressure(format!(
                "βP does not rise steadily between ρ = {:.4} and {:.4} (a loop or a non-finite value)",
                self.rho_low, self.rho_high
            )));
        }
        Ok(())
    }

    /// The density with βP = `p`, inside the branch's range (by bisection; the range's end
    /// when `p` lies beyond it).
    #[must_use]
    pub fn density_at(&self, p: f64) -> f64 {
        let (mut lo, mut hi) = (self.rho_low, self.rho_high);
        for _ in 0..BISECTIONS {
            let mid = 0.5 * (lo + hi);
            if self.eos.beta_pressure(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

/// The state where branches `a` and `b` have equal βP and equal βg.
///
/// # Errors
/// [`ThermoError`] when a branch's pressure does not rise with density, the pressure ranges do
/// not overlap, or Δg does not change sign over the common range.
pub fn coexistence(a: &Branch, b: &Branch) -> Result<Coexistence, ThermoError> {
    a.check()?;
    b.check()?;
    let low = a
        .eos
        .beta_pressure(a.rho_low)
        .max(b.eos.beta_pressure(b.rho_low));
    let high = a
        .eos
        .beta_pressure(a.rho_high)
        .min(b.eos.beta_pressure(b.rho_high));
    if low >= high {
        return Err(ThermoError::NoCommonPressure(format!(
            "βP from {} to {} on one, {} to {} on the other",
            a.eos.beta_pressure(a.rho_low),
            a.eos.beta_pressure(a.rho_high),
            b.eos.beta_pressure(b.rho_low),
            b.eos.beta_pressure(b.rho_high)
        )));
    }
    let dg = |p: f64| a.beta_g(a.density_at(p)) - b.beta_g(b.density_at(p));
    let (mut lo, mut hi) = (low, high);
    let sign_lo = dg(lo).signum();
    if sign_lo == dg(hi).signum() {
        return Err(ThermoError::NoCrossing { low, high });
    }
    for _ in 0..BISECTIONS {
        let mid = 0.5 * (lo + hi);
        if dg(mid).signum() == sign_lo {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let p = 0.5 * (lo + hi);
    let (rho_a, rho_b) = (a.density_at(p), b.density_at(p));
    Ok(Coexistence {
        beta_pressure: p,
        rho_a,
        rho_b,
        beta_g: a.beta_g(rho_a),
    })
}

/// The Maxwell construction on `fluid`: `None` when βP rises everywhere on the branch (no
/// loop: above the critical point), else the vapour (`rho_a`) and liquid (`rho_b`) in
/// coexistence, found between the spinodals where dβP/dρ = 0.
///
/// # Errors
/// [`ThermoError`] when the range is invalid or the loop's two sides share no pressure at which
/// g crosses (a loop cut off by the range's ends).
pub fn maxwell(fluid: &Branch) -> Result<Option<Coexistence>, ThermoError> {
    if !(fluid.rho_low > 0.0 && fluid.rho_low < fluid.rho_high && fluid.rho_high.is_finite()) {
        return Err(ThermoError::OutOfRange {
            name: "branch density range",
            value: fluid.rho_high - fluid.rho_low,
            allowed: "0 < low < high, finite",
        });
    }
    let rho: Vec<f64> = fluid.scan().collect();
    let p: Vec<f64> = rho.iter().map(|&r| fluid.eos.beta_pressure(r)).collect();
    let Some(first_fall) = p.windows(2).position(|w| w[1] <= w[0]) else {
        return Ok(None);
    };
    let Some(rise_again) = p[first_fall..].windows(2).position(|w| w[1] > w[0]) else {
        return Err(ThermoError::NotBracketed {
            what: "liquid spinodal (βP still falling at the range's end)",
            low: rho[first_fall],
            high: fluid.rho_high,
        });
    };
    let vapour = Branch {
        rho_high: rho[first_fall],
        ..*fluid
    };
    let liquid = Branch {
        rho_low: rho[first_fall + rise_again],
        ..*fluid
    };
    coexistence(&vapour, &liquid).map(Some)
}

#[cfg(test)]
mod tests {
    use super::super::eos::ideal_free_energy;
    use super::super::hard_sphere::{
        CarnahanStarling, SpeedyCrystal, COEXISTENCE_PRESSURE, POLSON_DENSITY, POLSON_EXCESS,
    };
    use super::*;

    #[test]
    fn hard_sphere_freezing_from_the_references() {
        let fluid_eos = CarnahanStarling { diameter: 1.0 };
        let fluid = Branch {
            eos: &fluid_eos,
            rho_ref: 0.5,
            beta_f_ref: ideal_free_energy(0.5, &[1.0]) + fluid_eos.excess_free_energy(0.5),
            rho_low: 0.5,
            rho_high: 1.0,
        };
        let solid_eos = SpeedyCrystal { diameter: 1.0 };
        let solid = Branch {
            eos: &solid_eos,
            rho_ref: POLSON_DENSITY,
            beta_f_ref: ideal_free_energy(POLSON_DENSITY, &[1.0]) + POLSON_EXCESS,
            rho_low: 0.98,
            rho_high: 1.2,
        };
        let c = coexistence(&fluid, &solid).unwrap();
        // η 0.492 and 0.543 (SCIENCE.md §3.3); the CS fluid is 0.3 % off near freezing.
        let eta = |r: f64| std::f64::consts::PI * r / 6.0;
        assert!((c.beta_pressure - COEXISTENCE_PRESSURE).abs() < 0.01 * COEXISTENCE_PRESSURE);
        assert!(
            (eta(c.rho_a) - 0.492).abs() < 0.003,
            "fluid η {}",
            eta(c.rho_a)
        );
        assert!(
            (eta(c.rho_b) - 0.543).abs() < 0.003,
            "solid η {}",
            eta(c.rho_b)
        );
        assert!((fluid.beta_g(c.rho_a) - solid.beta_g(c.rho_b)).abs() < 1e-9);
    }

    /// van der Waals: βP = ρ/(1 − bρ) − βaρ², ∫βP/ρ² dρ = ln(ρ/(1 − bρ)) − βaρ.
    struct VanDerWaals {
        beta_a: f64,
        b: f64,
    }

    impl EquationOfState for VanDerWaals {
        fn beta_pressure(&self, rho: f64) -> f64 {
            rho / (1.0 - self.b * rho) - self.beta_a * rho * rho
        }
        fn free_energy_change(&self, rho0: f64, rho: f64) -> f64 {
            let f = |r: f64| (r / (1.0 - self.b * r)).ln() - self.beta_a * r;
            f(rho) - f(rho0)
        }
    }

    fn vdw_branch(eos: &VanDerWaals) -> Branch<'_> {
        Branch {
            eos,
            rho_ref: 0.01,
            beta_f_ref: 0.0,
            rho_low: 0.005,
            rho_high: 0.95 / eos.b,
        }
    }

    #[test]
    fn maxwell_obeys_equal_areas_below_the_critical_point() {
        // critical point at βa/b = 27/8
        let eos = VanDerWaals {
            beta_a: 0.9_f64.recip() * 27.0 / 8.0,
            b: 1.0,
        };
        let c = maxwell(&vdw_branch(&eos))
            .unwrap()
            .expect("a loop below T_c");
        assert!(c.rho_a < 1.0 / 3.0 && c.rho_b > 1.0 / 3.0);
        // equal areas: ∫_{v_l}^{v_g} βP dv = βP·(v_g − v_l), v = 1/ρ
        let (vg, vl) = (1.0 / c.rho_a, 1.0 / c.rho_b);
        let n = 20_000;
        let h = (vg - vl) / f64::from(n);
        let area: f64 = (0..n)
            .map(|i| {
                let v = vl + h * (f64::from(i) + 0.5);
                eos.beta_pressure(1.0 / v) * h
            })
            .sum();
        assert!((area - c.beta_pressure * (vg - vl)).abs() < 1e-6 * area.abs());
        // above T_c there is no loop
        let hot = VanDerWaals {
            beta_a: 1.1_f64.recip() * 27.0 / 8.0,
            b: 1.0,
        };
        assert!(maxwell(&vdw_branch(&hot)).unwrap().is_none());
    }

    #[test]
    fn branches_that_cannot_coexist_are_refused() {
        let eos = VanDerWaals {
            beta_a: 27.0 / 8.0 / 0.9,
            b: 1.0,
        };
        // a branch through the loop is not monotonic
        assert!(coexistence(&vdw_branch(&eos), &vdw_branch(&eos)).is_err());
        let cs = CarnahanStarling { diameter: 1.0 };
        let a = Branch {
            eos: &cs,
            rho_ref: 0.1,
            beta_f_ref: 0.0,
            rho_low: 0.1,
            rho_high: 0.2,
        };
        let b = Branch {
            rho_low: 0.5,
            rho_high: 0.6,
            ..a
        };
        assert!(matches!(
            coexistence(&a, &b),
            Err(ThermoError::NoCommonPressure(_))
        ));
    }
}
