//! The pair table: one [`Mie`] interaction for every ordered pair of particle types, stored
//! row-major `ntypes × ntypes` and symmetric (SCIENCE.md §1: σ_ij = (σ_i + σ_j)/2 by default,
//! unequal well depths of Fig. S24, per-pair exponents of Fig. S16).

use super::error::ModelError;
use super::mie::{Mie, PairCoeff};

/// What one pair of species (or of types) interacts with, apart from its σ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairRule {
    /// Well depth ε_ij.
    pub epsilon: f64,
    /// Repulsive exponent n_ij.
    pub n: u32,
    /// Attractive exponent m_ij.
    pub m: u32,
    /// Cut-off in units of σ_ij.
    pub r_cut: f64,
    /// Shift the energy to zero at the cut-off.
    pub shift: bool,
    /// Full Mie (`true`) or the purely repulsive ε·C·(σ/r)^n (`false`).
    pub attractive: bool,
}

impl PairRule {
    /// The paper's narrow well (SCIENCE.md §1): n = 50, m = 25, cut at 1.5 σ_ij and shifted.
    #[must_use]
    pub fn narrow_well(epsilon: f64) -> Self {
        PairRule {
            epsilon,
            n: 50,
            m: 25,
            r_cut: 1.5,
            shift: true,
            attractive: true,
        }
    }

    /// The paper's wide well (SCIENCE.md §1): n = 50, m = 6, cut at 3.0 σ_ij and shifted.
    #[must_use]
    pub fn wide_well(epsilon: f64) -> Self {
        PairRule {
            m: 6,
            r_cut: 3.0,
            ..PairRule::narrow_well(epsilon)
        }
    }

    /// The pair with this rule at length `sigma`.
    #[must_use]
    pub fn at_sigma(&self, sigma: f64) -> Mie {
        Mie {
            epsilon: self.epsilon,
            sigma,
            n: self.n,
            m: self.m,
            r_cut: self.r_cut,
            shift: self.shift,
            attractive: self.attractive,
        }
    }
}

/// Symmetric table of pair interactions between `ntypes` particle types.
#[derive(Clone, Debug, PartialEq)]
pub struct PairTable {
    ntypes: usize,
    pairs: Vec<Mie>,
}

impl PairTable {
    /// Builds the table from `pair(i, j)`, called for `i ≤ j` and mirrored.
    ///
    /// # Errors
    /// [`ModelError`] when a pair's parameters are invalid (naming the pair).
    pub fn from_fn(
        ntypes: usize,
        mut pair: impl FnMut(usize, usize) -> Mie,
    ) -> Result<Self, ModelError> {
        let mut pairs = vec![
            Mie {
                epsilon: 0.0,
                sigma: 1.0,
                n: 2,
                m: 1,
                r_cut: 1.0,
                shift: false,
                attractive: true,
            };
            ntypes * ntypes
        ];
        for i in 0..ntypes {
            for j in i..ntypes {
                let mie = pair(i, j);
                mie.validate(i, j)?;
                pairs[i * ntypes + j] = mie;
                pairs[j * ntypes + i] = mie;
            }
        }
        Ok(Self { ntypes, pairs })
    }

    /// Every pair with the same `rule`, σ_ij = (d_i + d_j)/2 from the type diameters.
    ///
    /// # Errors
    /// [`ModelError`] when a parameter is invalid.
    pub fn additive(diameters: &[f64], rule: PairRule) -> Result<Self, ModelError> {
        Self::from_fn(diameters.len(), |i, j| {
            rule.at_sigma(0.5 * (diameters[i] + diameters[j]))
        })
    }

    /// Number of particle types.
    #[must_use]
    pub fn ntypes(&self) -> usize {
        self.ntypes
    }

    /// The pair `(i, j)`.
    ///
    /// # Errors
    /// [`ModelError::TypeIndex`] when `i` or `j` is out of range.
    pub fn get(&self, i: usize, j: usize) -> Result<&Mie, ModelError> {
        for index in [i, j] {
            if index >= self.ntypes {
                return Err(ModelError::TypeIndex {
                    index,
                    ntypes: self.ntypes,
                });
            }
        }
        Ok(&self.pairs[i * self.ntypes + j])
    }

    /// Replaces the pair `(i, j)` and its mirror `(j, i)`.
    ///
    /// # Errors
    /// [`ModelError`] for an out-of-range index or invalid parameters.
    pub fn set(&mut self, i: usize, j: usize, mie: Mie) -> Result<(), ModelError> {
        self.get(i, j)?;
        mie.validate(i, j)?;
        self.pairs[i * self.ntypes + j] = mie;
        self.pairs[j * self.ntypes + i] = mie;
        Ok(())
    }

    /// All pairs, row-major.
    #[must_use]
    pub fn pairs(&self) -> &[Mie] {
        &self.pairs
    }

    /// The kernel coefficients, row-major `ntypes × ntypes` (the GPU's pair table).
    #[must_use]
    pub fn coeffs(&self) -> Vec<PairCoeff> {
        self.pairs.iter().map(Mie::coeff).collect()
    }

    /// Largest absolute cut-off over all pairs.
    #[must_use]
    pub fn max_cutoff(&self) -> f64 {
        self.pairs.iter().map(Mie::cutoff).fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additive_sigmas_and_symmetry() {
        let rule = PairRule::narrow_well(1.0);
        let mut table = PairTable::additive(&[1.0, 0.55], rule).expect("valid");
        assert_eq!(table.get(0, 1).expect("in range").sigma, 0.775);
        assert_eq!(table.get(1, 1).expect("in range").cutoff(), 1.5 * 0.55);
        assert!((table.max_cutoff() - 1.5).abs() < 1e-15);
        let mut ls = *table.get(0, 1).expect("in range");
        ls.m = 37;
        table.set(1, 0, ls).expect("valid");
        assert_eq!(table.get(0, 1).expect("in range").m, 37);
        assert!(table.get(2, 0).is_err());
        assert_eq!(table.coeffs().len(), 4);
    }
}
