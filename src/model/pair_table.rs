//! The pair table: one [`PairSpec`] interaction for every ordered pair of particle types,
//! stored row-major `ntypes × ntypes` and symmetric (SCIENCE.md §1: σ_ij = (σ_i + σ_j)/2 by
//! default, unequal well depths of Fig. S24, per-pair exponents of Fig. S16). Every pair of a
//! table uses the same potential, so the force kernel runs one type
//! ([`PairTable::visit_kernel`]).

use super::error::ModelError;
use super::pair_spec::{PairCoeff, PairSpec};
use super::potential::{PotentialKind, TableVisitor};
use super::wall::WCA_CUT;

/// What one pair of species (or of types) interacts with, apart from its σ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairRule {
    /// Which potential (Mie unless chosen otherwise).
    pub potential: PotentialKind,
    /// Well depth ε_ij.
    pub epsilon: f64,
    /// Repulsive exponent n_ij (Mie; fixed at 12 for Lennard-Jones and WCA).
    pub n: u32,
    /// Attractive exponent m_ij (Mie; fixed at 6 for Lennard-Jones and WCA).
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
            potential: PotentialKind::Mie,
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

    /// Lennard-Jones 12–6 cut at `r_cut` σ_ij and shifted.
    #[must_use]
    pub fn lennard_jones(epsilon: f64, r_cut: f64) -> Self {
        PairRule {
            potential: PotentialKind::LennardJones,
            n: 12,
            m: 6,
            r_cut,
            ..PairRule::narrow_well(epsilon)
        }
    }

    /// WCA: Lennard-Jones cut at 2^(1/6) σ_ij, shifted up by ε.
    #[must_use]
    pub fn wca(epsilon: f64) -> Self {
        PairRule {
            potential: PotentialKind::Wca,
            r_cut: WCA_CUT,
            ..PairRule::lennard_jones(epsilon, WCA_CUT)
        }
    }

    /// The pair with this rule at length `sigma`.
    #[must_use]
    pub fn at_sigma(&self, sigma: f64) -> PairSpec {
        PairSpec {
            potential: self.potential,
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
    pairs: Vec<PairSpec>,
}

impl PairTable {
    /// Builds the table from `pair(i, j)`, called for `i ≤ j` and mirrored.
    ///
    /// # Errors
    /// [`ModelError`] when a pair's parameters are invalid (naming the pair).
    pub fn from_fn(
        ntypes: usize,
        mut pair: impl FnMut(usize, usize) -> PairSpec,
    ) -> Result<Self, ModelError> {
        let mut pairs = vec![
            PairSpec {
                potential: PotentialKind::Mie,
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
                let spec = pair(i, j);
                spec.validate(i, j)?;
                same_potential(pairs[0].potential, &spec, i, j)?;
                pairs[i * ntypes + j] = spec;
                pairs[j * ntypes + i] = spec;
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
    pub fn get(&self, i: usize, j: usize) -> Result<&PairSpec, ModelError> {
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
    /// [`ModelError`] for an out-of-range index, invalid parameters or another potential than
    /// the table's.
    pub fn set(&mut self, i: usize, j: usize, spec: PairSpec) -> Result<(), ModelError> {
        self.get(i, j)?;
        spec.validate(i, j)?;
        same_potential(self.potential(), &spec, i, j)?;
        self.pairs[i * self.ntypes + j] = spec;
        self.pairs[j * self.ntypes + i] = spec;
        Ok(())
    }

    /// All pairs, row-major.
    #[must_use]
    pub fn pairs(&self) -> &[PairSpec] {
        &self.pairs
    }

    /// The potential every pair uses.
    #[must_use]
    pub fn potential(&self) -> PotentialKind {
        self.pairs
            .first()
            .map_or(PotentialKind::default(), |p| p.potential)
    }

    /// Whether the GPU's two-power kernel runs every pair ([`PairSpec::has_power_law`]).
    #[must_use]
    pub fn has_power_law(&self) -> bool {
        self.pairs.iter().all(PairSpec::has_power_law)
    }

    /// The two-power records, row-major `ntypes × ntypes` (the GPU's pair table).
    #[must_use]
    pub fn coeffs(&self) -> Vec<PairCoeff> {
        self.pairs.iter().map(PairSpec::coeff).collect()
    }

    /// Hands the force kernel's table (the potential's own type, a fast path where it has
    /// one) to `visitor`.
    pub fn visit_kernel<V: TableVisitor>(&self, visitor: V) -> V::Output {
        self.potential().table(&self.pairs, self.ntypes, visitor)
    }

    /// Largest absolute cut-off over all pairs.
    #[must_use]
    pub fn max_cutoff(&self) -> f64 {
        self.pairs.iter().map(PairSpec::cutoff).fold(0.0, f64::max)
    }
}

fn same_potential(
    expected: PotentialKind,
    spec: &PairSpec,
    i: usize,
    j: usize,
) -> Result<(), ModelError> {
    if (i, j) == (0, 0) || spec.potential == expected {
        Ok(())
    } else {
        Err(ModelError::MixedPotentials {
            i,
            j,
            found: spec.potential.name(),
            expected: expected.name(),
        })
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
        assert!(table.has_power_law());
        let lj = PairSpec::lennard_jones(1.0, 0.775, 2.5).expect("valid");
        let err = table.set(0, 1, lj).expect_err("mixed potentials");
        assert!(err.to_string().contains("lj"), "{err}");
    }
}
