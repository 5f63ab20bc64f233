//! The Mie (n, m) pair potential, SCIENCE.md §1:
//!
//! U(r) = ε · C · [(σ/r)^n − (σ/r)^m],  C = (n/(n−m)) · (n/m)^(m/(n−m)),
//!
//! so that the minimum, at r_min = σ (n/m)^(1/(n−m)), is exactly −ε. The purely repulsive
//! "ε/kT = 0" case of the paper is U(r) = ε · C · (σ/r)^n (the attractive term dropped,
//! simulated at kT = ε); [`Mie::attractive`] switches between the two.
//!
//! Powers are never taken with `pow` (HOOMD-blue issue #939: `pow` dominated the cost of the
//! Mie kernel). Both r^-n and r^-m are built from r^-2 by repeated squaring, with one `sqrt`
//! for an odd exponent; [`mie_terms`] is the single definition the CPU kernel uses and the WGSL
//! kernel mirrors.

use super::error::{non_negative, positive, ModelError};

/// The Mie prefactor C(n, m) = (n/(n−m)) · (n/m)^(m/(n−m)) (computed once per pair, with `libm`).
#[must_use]
pub fn prefactor(n: u32, m: u32) -> f64 {
    let (n, m) = (f64::from(n), f64::from(m));
    n / (n - m) * libm::pow(n / m, m / (n - m))
}

/// `x^k` for an integer `k` by repeated squaring (exact sequence of multiplications, so the
/// result is the same on every platform).
#[inline(always)]
#[must_use]
pub fn ipow(x: f64, k: u32) -> f64 {
    let mut result = 1.0;
    let mut base = x;
    let mut k = k;
    while k > 0 {
        if k & 1 == 1 {
            result *= base;
        }
        k >>= 1;
        if k > 0 {
            base *= base;
        }
    }
    result
}

/// `r^-k` from `inv_r2` = r^-2: `(r^-2)^(k/2)`, times `sqrt(r^-2)` when `k` is odd.
#[inline(always)]
#[must_use]
pub fn inv_pow(inv_r2: f64, k: u32) -> f64 {
    let even = ipow(inv_r2, k >> 1);
    if k & 1 == 1 {
        even * inv_r2.sqrt()
    } else {
        even
    }
}

/// `(r^-n, r^-m)` from `inv_r2`; when `n = 2m` (the paper's narrow well, 50–25) r^-n is the
/// square of r^-m, which saves half the multiplications.
#[inline(always)]
#[must_use]
pub fn mie_terms(inv_r2: f64, n: u32, m: u32) -> (f64, f64) {
    let rm = inv_pow(inv_r2, m);
    let rn = if n == 2 * m {
        rm * rm
    } else {
        inv_pow(inv_r2, n)
    };
    (rn, rm)
}

/// Parameters of one Mie pair interaction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mie {
    /// Well depth ε_ij (energy units). With `attractive = false` the energy scale of the
    /// repulsion ε·C·(σ/r)^n.
    pub epsilon: f64,
    /// Length σ_ij (σ_LL = 1).
    pub sigma: f64,
    /// Repulsive exponent n.
    pub n: u32,
    /// Attractive exponent m (< n). Still used for C when `attractive` is false.
    pub m: u32,
    /// Cut-off in units of σ_ij (absolute cut-off r_cut · σ_ij).
    pub r_cut: f64,
    /// Shift the energy to zero at the cut-off (forces unchanged).
    pub shift: bool,
    /// `true`: the full Mie potential; `false`: the purely repulsive ε·C·(σ/r)^n of ε/kT = 0.
    pub attractive: bool,
}

impl Mie {
    /// A shifted, attractive Mie pair; checks every parameter.
    ///
    /// # Errors
    /// [`ModelError`] when `n ≤ m`, `m = 0`, or ε, σ, r_cut are not finite (σ, r_cut > 0, ε ≥ 0).
    pub fn new(epsilon: f64, sigma: f64, n: u32, m: u32, r_cut: f64) -> Result<Self, ModelError> {
        let mie = Self {
            epsilon,
            sigma,
            n,
            m,
            r_cut,
            shift: true,
            attractive: true,
        };
        mie.validate(0, 0)?;
        Ok(mie)
    }

    /// Checks the parameters; `i`, `j` name the pair in the error.
    ///
    /// # Errors
    /// [`ModelError`] as for [`Mie::new`].
    pub fn validate(&self, i: usize, j: usize) -> Result<(), ModelError> {
        if self.m == 0 || self.n <= self.m || self.n > 200 {
            return Err(ModelError::Exponents {
                i,
                j,
                n: self.n,
                m: self.m,
            });
        }
        non_negative(format!("epsilon of pair ({i}, {j})"), self.epsilon)?;
        positive(format!("sigma of pair ({i}, {j})"), self.sigma)?;
        positive(format!("r_cut of pair ({i}, {j})"), self.r_cut)?;
        Ok(())
    }

    /// The prefactor C(n, m).
    #[must_use]
    pub fn prefactor(&self) -> f64 {
        prefactor(self.n, self.m)
    }

    /// Position of the minimum r_min = σ (n/m)^(1/(n−m)).
    #[must_use]
    pub fn r_min(&self) -> f64 {
        let (n, m) = (f64::from(self.n), f64::from(self.m));
        self.sigma * libm::pow(n / m, 1.0 / (n - m))
    }

    /// Absolute cut-off distance r_cut · σ.
    #[must_use]
    pub fn cutoff(&self) -> f64 {
        self.r_cut * self.sigma
    }

    /// The unshifted, uncut energy at distance `r`.
    #[must_use]
    pub fn energy_uncut(&self, r: f64) -> f64 {
        let c = self.coeff();
        let (rn, rm) = mie_terms(1.0 / (r * r), self.n, self.m);
        c.rep * rn - c.att * rm
    }

    /// The energy at distance `r` as the engine uses it: zero at and beyond the cut-off,
    /// shifted when `shift` is on.
    #[must_use]
    pub fn energy(&self, r: f64) -> f64 {
        self.coeff().energy_force(r * r).0
    }

    /// The precomputed coefficients the force kernel uses.
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

/// The precomputed form of one pair, flattened into the engine's pair table (and, as eight
/// numbers, into the GPU's): U = rep·r^-n − att·r^-m − shift for r² < rcut2, and
/// F/r = (f_rep·r^-n − f_att·r^-m)·r^-2.
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
    fn prefactors_match_science_table() {
        for (n, m, c) in [
            (50, 25, 4.0),
            (50, 6, 1.51734),
            (50, 49, 134.553),
            (50, 37, 9.06178),
        ] {
            assert!((prefactor(n, m) - c).abs() / c < 1e-5, "C({n},{m})");
        }
    }

    #[test]
    fn minimum_is_minus_epsilon_at_r_min() {
        for (n, m, rmin) in [
            (50, 25, 1.02811),
            (50, 6, 1.04937),
            (50, 49, 1.02041),
            (50, 37, 1.02343),
        ] {
            let mut mie = Mie::new(1.7, 1.0, n, m, 3.0).expect("valid");
            mie.shift = false;
            assert!((mie.r_min() - rmin).abs() < 1e-5);
            assert!((mie.energy(mie.r_min()) + 1.7).abs() < 1e-12);
            let (_, f) = mie.coeff().energy_force(mie.r_min() * mie.r_min());
            assert!(f.abs() < 1e-8, "force at minimum {f}");
        }
    }

    #[test]
    fn table_energies_at_cutoffs() {
        let mut narrow = Mie::new(1.0, 1.0, 50, 25, 3.1).expect("valid");
        narrow.shift = false;
        assert!((narrow.energy(1.5) + 1.6e-4).abs() < 0.05e-4);
        let mut wide = Mie::new(1.0, 1.0, 50, 6, 3.1).expect("valid");
        wide.shift = false;
        assert!((wide.energy(1.5) + 0.133).abs() < 1e-3);
        assert!((wide.energy(3.0) + 2.1e-3).abs() < 0.05e-3);
    }

    #[test]
    fn powers_equal_pow_and_shift_zeroes_cutoff() {
        for k in 0..60 {
            let x: f64 = 0.83;
            let want = libm::pow(x, f64::from(k)); // inv_r2 = x² means r = 1/x
            let got = inv_pow(x * x, k);
            assert!((got - want).abs() / want < 1e-13, "k = {k}");
        }
        let mie = Mie::new(1.0, 0.775, 50, 25, 1.5).expect("valid");
        let r = 1.5 * 0.775 * (1.0 - 1e-12);
        assert!(mie.energy(r).abs() < 1e-9);
        assert_eq!(mie.energy(1.5 * 0.775), 0.0);
    }

    #[test]
    fn repulsive_case_and_force_is_minus_gradient() {
        let mut rep = Mie::new(1.0, 1.0, 50, 25, 1.5).expect("valid");
        rep.attractive = false;
        rep.shift = false;
        let r: f64 = 1.1;
        assert!((rep.energy(r) - 4.0 * libm::pow(1.0 / r, 50.0)).abs() < 1e-15);
        let mie = Mie::new(2.5, 0.55, 50, 6, 3.0).expect("valid");
        let h = 1e-6;
        for r in [0.5, 0.6, 0.8, 1.2] {
            let numeric = -(mie.energy(r + h) - mie.energy(r - h)) / (2.0 * h);
            let (_, f_over_r) = mie.coeff().energy_force(r * r);
            assert!((numeric - f_over_r * r).abs() < 1e-5 * (1.0 + numeric.abs()));
        }
    }

    #[test]
    fn bad_exponents_refused() {
        assert!(Mie::new(1.0, 1.0, 25, 50, 1.5).is_err());
        assert!(Mie::new(1.0, -1.0, 50, 25, 1.5).is_err());
        assert!(Mie::new(f64::NAN, 1.0, 50, 25, 1.5).is_err());
    }
}
