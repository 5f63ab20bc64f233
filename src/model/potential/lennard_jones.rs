//! The Lennard-Jones 12–6 pair potential (LAMMPS `pair_style lj/cut`):
//!
//! U(r) = 4ε [(σ/r)¹² − (σ/r)⁶],  F(r)/r = 24ε [2(σ/r)¹² − (σ/r)⁶] / r²,
//!
//! minimum −ε at r = 2^(1/6)σ, zero at r = σ. Evaluated as LAMMPS does, from r⁻⁶ = (r⁻²)³ and
//! the four products 48εσ¹², 24εσ⁶, 4εσ¹², 4εσ⁶ taken once per pair. It has the GPU's two-power
//! form (a Mie 12–6, whose prefactor C(12, 6) is exactly 4), so GPU runs take it as well.

use super::{PairFamily, PairPotential};
use crate::model::pair_spec::{PairCoeff, PairSpec};
use crate::model::wall::WCA_CUT;

/// A Lennard-Jones 12–6 pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LennardJones {
    lj1: f64,
    lj2: f64,
    lj3: f64,
    lj4: f64,
}

impl LennardJones {
    /// The pair of well depth `epsilon` and length `sigma`.
    #[must_use]
    pub fn new(epsilon: f64, sigma: f64) -> Self {
        let s6 = sigma * sigma * sigma * sigma * sigma * sigma;
        let s12 = s6 * s6;
        Self {
            lj1: 48.0 * epsilon * s12,
            lj2: 24.0 * epsilon * s6,
            lj3: 4.0 * epsilon * s12,
            lj4: 4.0 * epsilon * s6,
        }
    }
}

impl PairPotential for LennardJones {
    #[inline(always)]
    fn energy_force(&self, r2: f64) -> (f64, f64) {
        let inv_r2 = 1.0 / r2;
        let r6 = inv_r2 * inv_r2 * inv_r2;
        (
            r6 * (self.lj3 * r6 - self.lj4),
            r6 * (self.lj1 * r6 - self.lj2) * inv_r2,
        )
    }
}

impl PairFamily for LennardJones {
    type Pair = Self;

    const EXPONENTS: Option<(u32, u32)> = Some((12, 6));

    fn pair(spec: &PairSpec) -> Self {
        Self::new(spec.epsilon, spec.sigma)
    }

    /// WCA split at the minimum 2^(1/6)σ, u_rep = U + ε.
    fn repulsive_part(spec: &PairSpec, _kt: f64) -> (f64, f64) {
        (WCA_CUT * spec.sigma, spec.epsilon)
    }

    fn power_law(spec: &PairSpec) -> Option<PairCoeff> {
        Some(spec.coeff())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_points() {
        for (epsilon, sigma) in [(1.0, 1.0), (2.0, 0.5), (0.25, 2.0)] {
            let lj = LennardJones::new(epsilon, sigma);
            let at = |r: f64| lj.energy_force(r * r);
            let tol = 1e-13 * epsilon;
            assert!(at(sigma).0.abs() < tol);
            // F(σ) = 24ε/σ
            assert!((at(sigma).1 * sigma - 24.0 * epsilon / sigma).abs() < 1e-12 * epsilon);
            let rmin = WCA_CUT * sigma;
            assert!((at(rmin).0 + epsilon).abs() < tol);
            assert!(at(rmin).1.abs() < 1e-12 * epsilon / sigma);
            // r = 2σ: U = −63/1024 ε, F = −93/512 ε/σ
            let (u, f) = at(2.0 * sigma);
            assert!((u + 63.0 / 1024.0 * epsilon).abs() < tol);
            assert!((f * 2.0 * sigma + 93.0 / 512.0 * epsilon / sigma).abs() < tol / sigma);
        }
    }

    #[test]
    fn equals_the_mie_12_6_record() {
        let spec = PairSpec::lennard_jones(1.5, 0.8, 2.5).expect("valid");
        let lj = LennardJones::pair(&spec);
        let record = spec.coeff();
        for r in [0.75, 0.9, 1.3, 1.9] {
            let (u, f) = lj.energy_force(r * r);
            let (ur, fr) = record.energy_force(r * r);
            assert!((u - (ur + record.shift)).abs() < 1e-13 * u.abs().max(1.0));
            assert!((f - fr).abs() < 1e-13 * f.abs().max(1.0));
        }
    }
}
