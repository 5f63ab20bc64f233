//! The energy shift and the cut-off as wrappers around any [`PairPotential`] (SCIENCE.md §1:
//! "cut at r_c and shifted"):
//!
//! Shifted: U_s(r) = U(r) − U(r_shift), F_s = F;
//! cut: U_c(r) = U_s(r) for r < r_c, 0 beyond.
//!
//! The shift is stored, not recomputed: [`Shifted::at`] evaluates U(r_c) once. An unshifted
//! pair is `Shifted` by zero ([`Shifted::none`]), so shifted and plain pairs share one table
//! type; subtracting 0.0 leaves every energy bit-identical.

use super::PairPotential;

/// `f` shifted by the constant `shift`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shifted<P> {
    /// The original potential.
    pub f: P,
    /// The energy subtracted everywhere (U(r_shift)).
    pub shift: f64,
}

impl<P: PairPotential> Shifted<P> {
    /// `f` shifted to zero at distance `r_shift`.
    #[must_use]
    pub fn at(f: P, r_shift: f64) -> Self {
        let shift = f.energy_force(r_shift * r_shift).0;
        Self { f, shift }
    }

    /// `f` unshifted.
    #[must_use]
    pub fn none(f: P) -> Self {
        Self { f, shift: 0.0 }
    }
}

impl<P: PairPotential> PairPotential for Shifted<P> {
    #[inline(always)]
    fn energy_force(&self, r2: f64) -> (f64, f64) {
        let (u, f) = self.f.energy_force(r2);
        (u - self.shift, f)
    }
}

/// One entry of the force kernel's pair table: a (possibly shifted) potential and its squared
/// cut-off. The kernel tests `r² < rcut2` before calling [`PairPotential::energy_force`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CutPair<P> {
    /// The potential inside the cut-off.
    pub pair: Shifted<P>,
    /// Squared absolute cut-off.
    pub rcut2: f64,
}

impl<P: PairPotential> CutPair<P> {
    /// `f` cut at `r_cut` (absolute), shifted to zero there when `shift`.
    #[must_use]
    pub fn new(f: P, r_cut: f64, shift: bool) -> Self {
        let pair = if shift {
            Shifted::at(f, r_cut)
        } else {
            Shifted::none(f)
        };
        Self {
            pair,
            rcut2: r_cut * r_cut,
        }
    }

    /// Energy and F/r at `r2`, zero at and beyond the cut-off.
    #[inline(always)]
    #[must_use]
    pub fn energy_force(&self, r2: f64) -> (f64, f64) {
        if r2 >= self.rcut2 {
            (0.0, 0.0)
        } else {
            self.pair.energy_force(r2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::potential::LennardJones;

    #[test]
    fn shift_zeroes_the_cut_off_and_keeps_the_force() {
        let lj = LennardJones::new(1.5, 1.0);
        let shifted = Shifted::at(lj, 2.5);
        assert!(shifted.energy_force(2.5 * 2.5).0.abs() < 1e-15);
        for r in [0.95, 1.12, 2.0] {
            let (u, f) = lj.energy_force(r * r);
            let (us, fs) = shifted.energy_force(r * r);
            assert_eq!(fs, f);
            assert!((us - (u - lj.energy_force(6.25).0)).abs() < 1e-15);
        }
        // r = 2σ: U = 4ε(2⁻¹² − 2⁻⁶) = −63/1024 ε (hoomd-rs' special point)
        assert!((lj.energy_force(4.0).0 + 63.0 / 1024.0 * 1.5).abs() < 1e-15);
        let cut = CutPair::new(lj, 2.5, true);
        assert_eq!(cut.energy_force(2.5 * 2.5), (0.0, 0.0));
        assert_eq!(CutPair::new(lj, 2.5, false).pair.shift, 0.0);
    }
}
