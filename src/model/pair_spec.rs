//! One pair interaction as the model describes it: which potential ([`PotentialKind`]), its
//! well depth ε_ij and length σ_ij, the shape parameters some potentials read (Mie exponents
//! n, m and whether the attraction is on), the cut-off and the shift (SCIENCE.md §1). The
//! force kernel turns a table of these into its own types ([`crate::model::potential`]).

use super::error::{non_negative, positive, ModelError};
use super::potential::mie::{ipow, mie_terms, prefactor};
use super::potential::PotentialKind;
use super::wall::WCA_CUT;

/// Parameters of one pair interaction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairSpec {
    /// Which potential.
    pub potential: PotentialKind,
    /// Well depth ε_ij (energy units). For the purely repulsive Mie case the energy scale of
    /// ε·C·(σ/r)^n.
    pub epsilon: f64,
    /// Length σ_ij (σ_LL = 1).
    pub sigma: f64,
    /// Repulsive exponent n (Mie; 12 for Lennard-Jones and WCA).
    pub n: u32,
    /// Attractive exponent m (< n; 6 for Lennard-Jones and WCA). Still used for the Mie
    /// prefactor C when `attractive` is false.
    pub m: u32,
    /// Cut-off in units of σ_ij (absolute cut-off r_cut · σ_ij).
    pub r_cut: f64,
    /// Shift the energy to zero at the cut-off (forces unchanged).
    pub shift: bool,
    /// Mie only: `true` the full potential, `false` the purely repulsive ε·C·(σ/r)^n of
    /// ε/kT = 0.
    pub attractive: bool,
}

impl PairSpec {
    /// A shifted, attractive Mie n–m pair; checks every parameter.
    ///
    /// # Errors
    /// [`ModelError`] when `n ≤ m`, `m = 0`, or ε, σ, r_cut are not finite (σ, r_cut > 0, ε ≥ 0).
    pub fn mie(epsilon: f64, sigma: f64, n: u32, m: u32, r_cut: f64) -> Result<Self, ModelError> {
        let spec = Self {
            potential: PotentialKind::Mie,
            epsilon,
            sigma,
            n,
            m,
            r_cut,
            shift: true,
            attractive: true,
        };
        spec.validate(0, 0)?;
        Ok(spec)
    }

    /// A shifted Lennard-Jones 12–6 pair cut at `r_cut` σ.
    ///
    /// # Errors
    /// [`ModelError`] as for [`PairSpec::mie`].
    pub fn lennard_jones(epsilon: f64, sigma: f64, r_cut: f64) -> Result<Self, ModelError> {
        let spec = Self {
            potential: PotentialKind::LennardJones,
            epsilon,
            sigma,
            n: 12,
            m: 6,
            r_cut,
            shift: true,
            attractive: true,
        };
        spec.validate(0, 0)?;
        Ok(spec)
    }

    /// A WCA pair (cut at 2^(1/6)σ, shifted up by ε).
    ///
    /// # Errors
    /// [`ModelError`] when ε or σ is out of range.
    pub fn wca(epsilon: f64, sigma: f64) -> Result<Self, ModelError> {
        let spec = Self {
            potential: PotentialKind::Wca,
            epsilon,
            sigma,
            n: 12,
            m: 6,
            r_cut: WCA_CUT,
            shift: true,
            attractive: true,
        };
        spec.validate(0, 0)?;
        Ok(spec)
    }

    /// Checks the parameters; `i`, `j` name the pair in the error.
    ///
    /// # Errors
    /// [`ModelError`] naming the pair and the parameter.
    pub fn validate(&self, i: usize, j: usize) -> Result<(), ModelError> {
        self.potential.check(self, i, j)?;
        non_negative(format!("epsilon of pair ({i}, {j})"), self.epsilon)?;
        positive(format!("sigma of pair ({i}, {j})"), self.sigma)?;
        positive(format!("r_cut of pair ({i}, {j})"), self.r_cut)?;
        Ok(())
    }

    /// The Mie prefactor C(n, m) of the exponents (4 for 12–6).
    #[must_use]
    pub fn prefactor(&self) -> f64 {
        prefactor(self.n, self.m)
    }

    /// Absolute cut-off distance r_cut · σ.
    #[must_use]
    pub fn cutoff(&self) -> f64 {
        self.r_cut * self.sigma
    }

    /// The unshifted, uncut energy at distance `r`.
    #[must_use]
    pub fn energy_uncut(&self, r: f64) -> f64 {
        self.potential.energy_force(self, r * r).0
    }

    /// Energy and F/r at squared distance `r2` as the engine uses them: zero at and beyond the
    /// cut-off, the energy shifted when `shift` is on.
    #[must_use]
    pub fn energy_force(&self, r2: f64) -> (f64, f64) {
        let rc = self.cutoff();
        if r2 >= rc * rc {
            return (0.0, 0.0);
        }
        let (u, f) = self.potential.energy_force(self, r2);
        let shift = if self.shift {
            self.potential.energy_force(self, rc * rc).0
        } else {
            0.0
        };
        (u - shift, f)
    }

    /// The energy at distance `r` as the engine uses it.
    #[must_use]
    pub fn energy(&self, r: f64) -> f64 {
        self.energy_force(r * r).0
    }

    /// The Barker–Henderson split at `kt`: upper limit of the repulsive part and the energy
    /// added to U below it ([`crate::model::potential::PairFamily::repulsive_part`]).
    #[must_use]
    pub fn repulsive_part(&self, kt: f64) -> (f64, f64) {
        self.potential.repulsive_part(self, kt)
    }

    /// Whether the GPU's two-power kernel runs this pair
    /// ([`crate::model::potential::PairFamily::power_law`]).
    #[must_use]
    pub fn has_power_law(&self) -> bool {
        self.potential.power_law(self).is_some()
    }

    /// The two-power record of these parameters (the GPU's table entry): U = rep·r⁻ⁿ −
    /// att·r⁻ᵐ − shift with rep = εCσⁿ, att = εCσᵐ. Exact for Mie, Lennard-Jones (C(12, 6) = 4)
    /// and WCA (the shift at 2^(1/6)σ is −ε); potentials of another form report
    /// [`PairSpec::has_power_law`] false and never reach the GPU.
    #[must_use]
    pub fn coeff(&self) -> PairCoeff {
        let c = self.epsilon * self.prefactor();
        let rep = c * ipow(self.sigma, self.n);
        let att = if self.attractive {
            c * ipow(self.sigma, self.m)
        } else {
            0.0
        };
        let rc = self.cutoff();
        let mut coeff = PairCoeff {
            rep,
            att,
            f_rep: f64::from(self.n) * rep,
            f_att: f64::from(self.m) * att,
            rcut2: rc * rc,
            shift: 0.0,
            n: self.n,
            m: self.m,
        };
        if self.shift {
            let (rn, rm) = mie_terms(1.0 / coeff.rcut2, self.n, self.m);
            coeff.shift = rep * rn - att * rm;
        }
        coeff
    }
}

/// The GPU's two-power form of one pair, flattened into its pair table as eight numbers:
/// U = rep·r^-n − att·r^-m − shift for r² < rcut2, and F/r = (f_rep·r^-n − f_att·r^-m)·r^-2.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
#[repr(C)]
pub struct PairCoeff {
    /// ε·C·σ^n.
    pub rep: f64,
    /// ε·C·σ^m (zero for the purely repulsive case).
    pub att: f64,
    /// n·rep.
    pub f_rep: f64,
    /// m·att.
    pub f_att: f64,
    /// Squared absolute cut-off.
    pub rcut2: f64,
    /// Energy subtracted inside the cut-off (U_uncut(r_cut) when shifted, else 0).
    pub shift: f64,
    /// Repulsive exponent.
    pub n: u32,
    /// Attractive exponent.
    pub m: u32,
}

impl PairCoeff {
    /// Energy and F/r (force divided by distance, positive = repulsive) at squared distance `r2`;
    /// `(0, 0)` at and beyond the cut-off.
    #[inline(always)]
    #[must_use]
    pub fn energy_force(&self, r2: f64) -> (f64, f64) {
        if r2 >= self.rcut2 {
            return (0.0, 0.0);
        }
        let inv_r2 = 1.0 / r2;
        let (rn, rm) = mie_terms(inv_r2, self.n, self.m);
        (
            self.rep * rn - self.att * rm - self.shift,
            (self.f_rep * rn - self.f_att * rm) * inv_r2,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_parameters_are_refused_with_the_pair_named() {
        let mut lj = PairSpec::lennard_jones(1.0, 1.0, 2.5).expect("valid");
        lj.m = 7;
        let err = lj.validate(0, 1).expect_err("exponents fixed").to_string();
        assert!(err.contains("(0, 1)") && err.contains("lj"), "{err}");
        let mut wca = PairSpec::wca(1.0, 1.0).expect("valid");
        wca.r_cut = 1.5;
        assert!(wca.validate(0, 0).is_err());
        assert!(PairSpec::wca(-1.0, 1.0).is_err());
    }

    #[test]
    fn engine_energy_of_every_potential_is_shifted_and_cut() {
        for spec in [
            PairSpec::mie(1.0, 1.0, 50, 25, 1.5).expect("valid"),
            PairSpec::lennard_jones(1.0, 1.0, 2.5).expect("valid"),
            PairSpec::wca(1.0, 1.0).expect("valid"),
        ] {
            let rc = spec.cutoff();
            assert!(spec.energy(rc * (1.0 - 1e-12)).abs() < 1e-9, "{spec:?}");
            assert_eq!(spec.energy(rc), 0.0);
            let (u, _) = spec.coeff().energy_force(0.9);
            assert!((u - spec.energy_force(0.9).0).abs() < 1e-12, "{spec:?}");
        }
    }
}
