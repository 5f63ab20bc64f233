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
//!
//! Three implementations of [`PairPotential`] share that arithmetic: [`Mie<N, M>`] with the
//! exponents as const generics (the paper's wells, `Mie<50, 25>` and `Mie<50, 6>`, unroll
//! completely) and [`MieNM`] with run-time exponents (Figs. S16, S24; any n–m). [`MieFamily`]
//! picks the fast one when every pair of a table has the same exponents.

use super::{cut_table, PairFamily, PairPotential, TableVisitor};
use crate::model::pair_spec::{PairCoeff, PairSpec};

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

/// The four coefficients of a Mie pair: U = rep·r⁻ⁿ − att·r⁻ᵐ, F/r = (f_rep·r⁻ⁿ − f_att·r⁻ᵐ)/r²
/// with rep = εCσⁿ, att = εCσᵐ (0 for the purely repulsive case), f_rep = n·rep, f_att = m·att.
fn coefficients(spec: &PairSpec) -> [f64; 4] {
    let c = spec.epsilon * prefactor(spec.n, spec.m);
    let rep = c * ipow(spec.sigma, spec.n);
    let att = if spec.attractive {
        c * ipow(spec.sigma, spec.m)
    } else {
        0.0
    };
    [rep, att, f64::from(spec.n) * rep, f64::from(spec.m) * att]
}

/// The Mie potential with exponents fixed at compile time (the kernel's fast paths).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mie<const N: u32, const M: u32> {
    rep: f64,
    att: f64,
    f_rep: f64,
    f_att: f64,
}

impl<const N: u32, const M: u32> Mie<N, M> {
    /// The pair of `spec`, whose exponents must be (N, M).
    #[must_use]
    pub fn from_spec(spec: &PairSpec) -> Self {
        debug_assert_eq!((spec.n, spec.m), (N, M));
        let [rep, att, f_rep, f_att] = coefficients(spec);
        Self {
            rep,
            att,
            f_rep,
            f_att,
        }
    }
}

impl<const N: u32, const M: u32> PairPotential for Mie<N, M> {
    #[inline(always)]
    fn energy_force(&self, r2: f64) -> (f64, f64) {
        let inv_r2 = 1.0 / r2;
        let (rn, rm) = mie_terms(inv_r2, N, M);
        (
            self.rep * rn - self.att * rm,
            (self.f_rep * rn - self.f_att * rm) * inv_r2,
        )
    }
}

/// The Mie potential with exponents chosen at run time (general n–m).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MieNM {
    rep: f64,
    att: f64,
    f_rep: f64,
    f_att: f64,
    n: u32,
    m: u32,
}

impl MieNM {
    /// The pair of `spec`.
    #[must_use]
    pub fn from_spec(spec: &PairSpec) -> Self {
        let [rep, att, f_rep, f_att] = coefficients(spec);
        Self {
            rep,
            att,
            f_rep,
            f_att,
            n: spec.n,
            m: spec.m,
        }
    }
}

impl PairPotential for MieNM {
    #[inline(always)]
    fn energy_force(&self, r2: f64) -> (f64, f64) {
        let inv_r2 = 1.0 / r2;
        let (rn, rm) = mie_terms(inv_r2, self.n, self.m);
        (
            self.rep * rn - self.att * rm,
            (self.f_rep * rn - self.f_att * rm) * inv_r2,
        )
    }
}

/// Mie n–m as the run description names it (`potential = "mie"`, the default).
#[derive(Clone, Copy, Debug)]
pub struct MieFamily;

impl PairFamily for MieFamily {
    type Pair = MieNM;

    fn pair(spec: &PairSpec) -> MieNM {
        MieNM::from_spec(spec)
    }

    fn check(spec: &PairSpec, i: usize, j: usize) -> Result<(), crate::model::ModelError> {
        if spec.m == 0 || spec.n <= spec.m || spec.n > 200 {
            return Err(crate::model::ModelError::Exponents {
                i,
                j,
                n: spec.n,
                m: spec.m,
            });
        }
        Ok(())
    }

    /// WCA split at the minimum r_min = σ (n/m)^(1/(n−m)), u_rep = U + ε; for the purely
    /// repulsive case up to where u/kT falls below 1e-16, (rep/(kT·1e-16))^(1/n).
    fn repulsive_part(spec: &PairSpec, kt: f64) -> (f64, f64) {
        if spec.attractive {
            (r_min(spec), spec.epsilon)
        } else {
            let rep = coefficients(spec)[0];
            (libm::pow(rep / (kt * 1e-16), 1.0 / f64::from(spec.n)), 0.0)
        }
    }

    fn power_law(spec: &PairSpec) -> Option<PairCoeff> {
        Some(spec.coeff())
    }

    fn table<V: TableVisitor>(specs: &[PairSpec], ntypes: usize, visitor: V) -> V::Output {
        let all = |n: u32, m: u32| specs.iter().all(|s| (s.n, s.m) == (n, m));
        if all(50, 25) {
            visitor.visit(ntypes, cut_table(specs, Mie::<50, 25>::from_spec))
        } else if all(50, 6) {
            visitor.visit(ntypes, cut_table(specs, Mie::<50, 6>::from_spec))
        } else {
            visitor.visit(ntypes, cut_table(specs, MieNM::from_spec))
        }
    }
}

/// Position of the Mie minimum r_min = σ (n/m)^(1/(n−m)).
#[must_use]
pub fn r_min(spec: &PairSpec) -> f64 {
    let (n, m) = (f64::from(spec.n), f64::from(spec.m));
    spec.sigma * libm::pow(n / m, 1.0 / (n - m))
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
            let mut mie = PairSpec::mie(1.7, 1.0, n, m, 3.0).expect("valid");
            mie.shift = false;
            assert!((r_min(&mie) - rmin).abs() < 1e-5);
            assert!((mie.energy(r_min(&mie)) + 1.7).abs() < 1e-12);
            let (_, f) = mie.coeff().energy_force(r_min(&mie) * r_min(&mie));
            assert!(f.abs() < 1e-8, "force at minimum {f}");
        }
    }

    #[test]
    fn table_energies_at_cutoffs() {
        let mut narrow = PairSpec::mie(1.0, 1.0, 50, 25, 3.1).expect("valid");
        narrow.shift = false;
        assert!((narrow.energy(1.5) + 1.6e-4).abs() < 0.05e-4);
        let mut wide = PairSpec::mie(1.0, 1.0, 50, 6, 3.1).expect("valid");
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
        let mie = PairSpec::mie(1.0, 0.775, 50, 25, 1.5).expect("valid");
        let r = 1.5 * 0.775 * (1.0 - 1e-12);
        assert!(mie.energy(r).abs() < 1e-9);
        assert_eq!(mie.energy(1.5 * 0.775), 0.0);
    }

    #[test]
    fn repulsive_case_and_force_is_minus_gradient() {
        let mut rep = PairSpec::mie(1.0, 1.0, 50, 25, 1.5).expect("valid");
        rep.attractive = false;
        rep.shift = false;
        let r: f64 = 1.1;
        assert!((rep.energy(r) - 4.0 * libm::pow(1.0 / r, 50.0)).abs() < 1e-15);
        let mie = PairSpec::mie(2.5, 0.55, 50, 6, 3.0).expect("valid");
        let h = 1e-6;
        for r in [0.5, 0.6, 0.8, 1.2] {
            let numeric = -(mie.energy(r + h) - mie.energy(r - h)) / (2.0 * h);
            let (_, f_over_r) = mie.coeff().energy_force(r * r);
            assert!((numeric - f_over_r * r).abs() < 1e-5 * (1.0 + numeric.abs()));
        }
    }

    #[test]
    fn fast_paths_equal_the_general_path_bit_for_bit() {
        for (n, m) in [(50, 25), (50, 6)] {
            let spec = PairSpec::mie(1.3, 0.775, n, m, 1.5).expect("valid");
            let general = MieNM::from_spec(&spec);
            for r in [0.7, 0.8, 0.9, 1.0, 1.1] {
                let fast = if m == 25 {
                    Mie::<50, 25>::from_spec(&spec).energy_force(r * r)
                } else {
                    Mie::<50, 6>::from_spec(&spec).energy_force(r * r)
                };
                assert_eq!(fast, general.energy_force(r * r), "{n}-{m} at r = {r}");
            }
        }
    }

    #[test]
    fn bad_exponents_refused() {
        assert!(PairSpec::mie(1.0, 1.0, 25, 50, 1.5).is_err());
        assert!(PairSpec::mie(1.0, -1.0, 50, 25, 1.5).is_err());
        assert!(PairSpec::mie(f64::NAN, 1.0, 50, 25, 1.5).is_err());
    }
}
