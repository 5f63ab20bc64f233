//! The Weeks–Chandler–Andersen pair potential: the repulsive part of Lennard-Jones 12–6,
//!
//! U(r) = 4ε [(σ/r)¹² − (σ/r)⁶] + ε  for r < 2^(1/6)σ, 0 beyond,
//!
//! (the same form as the droplet's wall, [`crate::model::WcaWall`]). The cut-off and the shift
//! are part of the form: a WCA pair is always cut at 2^(1/6)σ with the shift on (the shift of
//! this already-zeroed form is a rounding error).

use super::{LennardJones, PairFamily, PairPotential};
use crate::model::pair_spec::{PairCoeff, PairSpec};
use crate::model::wall::WCA_CUT;

/// A WCA pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wca {
    lj: LennardJones,
    epsilon: f64,
}

impl Wca {
    /// The pair of energy `epsilon` and length `sigma`.
    #[must_use]
    pub fn new(epsilon: f64, sigma: f64) -> Self {
        Self {
            lj: LennardJones::new(epsilon, sigma),
            epsilon,
        }
    }
}

impl PairPotential for Wca {
    #[inline(always)]
    fn energy_force(&self, r2: f64) -> (f64, f64) {
        let (u, f) = self.lj.energy_force(r2);
        (u + self.epsilon, f)
    }
}

impl PairFamily for Wca {
    type Pair = Self;

    const EXPONENTS: Option<(u32, u32)> = Some((12, 6));
    const CUT: Option<f64> = Some(WCA_CUT);

    fn pair(spec: &PairSpec) -> Self {
        Self::new(spec.epsilon, spec.sigma)
    }

    /// Purely repulsive: the whole range up to the cut-off, u_rep = U.
    fn repulsive_part(spec: &PairSpec, _kt: f64) -> (f64, f64) {
        (WCA_CUT * spec.sigma, 0.0)
    }

    /// Lennard-Jones shifted at its minimum: the two-power record with shift −ε.
    fn power_law(spec: &PairSpec) -> Option<PairCoeff> {
        Some(spec.coeff())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WcaWall;

    #[test]
    fn equals_the_wall_form_and_vanishes_at_the_cut_off() {
        let (epsilon, sigma) = (1.3, 0.55);
        let wca = Wca::new(epsilon, sigma);
        let wall = WcaWall {
            radius: 10.0,
            epsilon,
        };
        for h in [0.4, 0.5, 0.6] {
            let (u, f_over_r) = wca.energy_force(h * h);
            // the wall's range is scaled by diameter/2: diameter 2σ gives the pair's σ
            let (uw, fw) = wall.energy_force(h, 2.0 * sigma);
            assert!((u - uw).abs() < 1e-12 * uw.abs().max(1.0));
            assert!((f_over_r * h - fw).abs() < 1e-12 * fw.abs().max(1.0));
        }
        let rc = WCA_CUT * sigma;
        assert!(wca.energy_force(rc * rc).0.abs() < 1e-14);
        let spec = PairSpec::wca(epsilon, sigma).expect("valid");
        let record = spec.coeff();
        let r = 0.52;
        assert!((record.energy_force(r * r).0 - wca.energy_force(r * r).0).abs() < 1e-12);
    }
}
