//! The force field of a run: the terms of its Hamiltonian and how they compose.
//!
//! - The pair term (the pair table's potential, [`super::forces`]) and the droplet's wall are
//!   always there (the wall only in a droplet).
//! - [`Springs`] tie particles to sites (U_E, SCIENCE.md §3.1).
//! - A [`Mix`] weighs two groups of terms by λ: H(λ) = (1−λ)·U_a + λ·U_b, forces likewise, and
//!   reports U_b − U_a of every evaluation ([`ForceSums::mix_delta`]), whose average over a run
//!   at fixed λ is the integrand ⟨∂H/∂λ⟩ of thermodynamic integration. Frenkel–Ladd is
//!   [`Mix::frenkel_ladd`]: U_a = pairs (+ wall), U_b = springs.
//! - `fixed_com` holds the centre of mass fixed (zero total momentum, zero net force and net
//!   thermostat force; the temperature then counts 3N − 3 degrees of freedom).
//!
//! Without springs or a mix the evaluation is the pair kernel plus the wall, in the same order as
//! always, so plain runs stay bit-identical.

use std::sync::Arc;

use super::error::MdError;
use super::forces::{wall_forces, ForceSums, PairForces};
use super::neighbor::NeighborList;
use super::springs::Springs;
use super::state::State;
use super::threads::Threads;
use crate::model::{Geometry, WcaWall};

/// A subset of the terms, one flag each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TermSet {
    /// The pair potential.
    pub pairs: bool,
    /// The droplet's wall.
    pub wall: bool,
    /// The springs.
    pub springs: bool,
}

/// H(λ) = (1−λ)·U_a + λ·U_b; terms in neither group keep weight 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mix {
    /// λ in [0, 1].
    pub lambda: f64,
    /// The terms of U_a.
    pub a: TermSet,
    /// The terms of U_b.
    pub b: TermSet,
}

impl Mix {
    /// Frenkel–Ladd (SCIENCE.md §3.1): U_a = pairs and wall, U_b = springs.
    #[must_use]
    pub fn frenkel_ladd(lambda: f64) -> Self {
        Self {
            lambda,
            a: TermSet {
                pairs: true,
                wall: true,
                springs: false,
            },
            b: TermSet {
                pairs: false,
                wall: false,
                springs: true,
            },
        }
    }

    fn check(&self) -> Result<(), MdError> {
        if !(self.lambda.is_finite() && (0.0..=1.0).contains(&self.lambda)) {
            return Err(MdError::Parameter {
                what: "lambda of the mix".into(),
                value: self.lambda,
                rule: "must be in [0, 1]",
            });
        }
        let (a, b) = (self.a, self.b);
        if (a.pairs && b.pairs) || (a.wall && b.wall) || (a.springs && b.springs) {
            return Err(MdError::Init(
                "a term of the mix is in both U_a and U_b".into(),
            ));
        }
        Ok(())
    }
}

/// The terms beyond the pair potential and the wall, and the centre-of-mass constraint (all
/// off by default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtraTerms {
    /// Springs to sites.
    pub springs: Option<Springs>,
    /// λ-mix of two groups of terms.
    pub mix: Option<Mix>,
    /// Hold the centre of mass fixed.
    pub fixed_com: bool,
}

impl ExtraTerms {
    /// Whether every part is off (a plain run, which the GPU path can take).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.springs.is_none() && self.mix.is_none() && !self.fixed_com
    }

    /// What of these the GPU path lacks, for the notice that keeps a run on the CPU.
    #[must_use]
    pub fn cpu_only(&self) -> Vec<&'static str> {
        let mut parts = Vec::new();
        if self.springs.is_some() {
            parts.push("springs to sites");
        }
        if self.mix.is_some() {
            parts.push("the λ-mix");
        }
        if self.fixed_com {
            parts.push("the fixed centre of mass");
        }
        parts
    }

    /// Checks the terms against `state`.
    ///
    /// # Errors
    /// [`MdError`] naming the first problem.
    pub fn check(&self, state: &State) -> Result<(), MdError> {
        if let Some(s) = &self.springs {
            s.check(state)?;
        }
        if let Some(m) = &self.mix {
            m.check()?;
            if (m.a.springs || m.b.springs) && self.springs.is_none() {
                return Err(MdError::Init(
                    "the mix names springs but there are none".into(),
                ));
            }
        }
        if self.fixed_com && state.len() < 2 {
            return Err(MdError::Parameter {
                what: "particles with the centre of mass fixed".into(),
                value: state.len() as f64,
                rule: "must be >= 2",
            });
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Term {
    Pairs,
    Wall,
    Springs,
}

impl TermSet {
    fn has(self, term: Term) -> bool {
        match term {
            Term::Pairs => self.pairs,
            Term::Wall => self.wall,
            Term::Springs => self.springs,
        }
    }
}

/// Every term of a run, evaluated together.
#[derive(Clone, Debug)]
pub struct ForceField {
    /// The pair term.
    pub pairs: Arc<dyn PairForces>,
    /// The droplet's wall (applies to `Geometry::Open` only).
    pub wall: Option<WcaWall>,
    /// Springs, mix and the centre-of-mass constraint.
    pub extra: ExtraTerms,
    scratch: Vec<[f64; 3]>,
}

impl ForceField {
    /// The field of `pairs`, `wall` and `extra`.
    #[must_use]
    pub fn new(pairs: Arc<dyn PairForces>, wall: Option<WcaWall>, extra: ExtraTerms) -> Self {
        Self {
            pairs,
            wall,
            extra,
            scratch: Vec::new(),
        }
    }

    /// Computes `state.force` and the sums. With the centre of mass fixed the mean force is
    /// taken off every particle (zero net force).
    pub fn evaluate(&mut self, state: &mut State, nlist: &NeighborList) -> ForceSums {
        let sums = match self.extra.mix {
            None => {
                let mut sums = self.pairs.set(state, nlist);
                sums.energy += self.wall_term(state, nlist.threads());
                if let Some(s) = &self.extra.springs {
                    sums.energy += s.add(state);
                }
                sums
            }
            Some(mix) => self.mixed(mix, state, nlist),
        };
        if self.extra.fixed_com {
            super::center_of_mass::remove_mean(&mut state.force);
        }
        sums
    }

    /// Whether the pairs are the only term in `geometry` (no wall there, no springs, mix or
    /// fixed centre of mass): then nothing adds to a force after the pair loop, which may close
    /// the step itself ([`PairForces::set_and_kick`]).
    #[must_use]
    pub fn pairs_only(&self, geometry: Geometry) -> bool {
        let wall = self.wall.is_some() && matches!(geometry, Geometry::Open { .. });
        self.extra.is_empty() && !wall
    }

    fn wall_term(&self, state: &mut State, threads: &Threads) -> f64 {
        match (&self.wall, state.geometry) {
            (Some(w), Geometry::Open { .. }) => wall_forces(state, w, threads),
            _ => 0.0,
        }
    }

    /// Each term into the scratch forces, then added with its weight.
    fn mixed(&mut self, mix: Mix, state: &mut State, nlist: &NeighborList) -> ForceSums {
        let mut total = ForceSums::default();
        let (mut u_a, mut u_b) = (0.0, 0.0);
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.resize(state.len(), [0.0; 3]);
        state.force.fill([0.0; 3]);
        for term in [Term::Pairs, Term::Wall, Term::Springs] {
            std::mem::swap(&mut state.force, &mut scratch);
            if !matches!(term, Term::Pairs) {
                state.force.fill([0.0; 3]);
            }
            let (u, w) = match term {
                Term::Pairs => {
                    let s = self.pairs.set(state, nlist);
                    (s.energy, s.virial)
                }
                Term::Wall => (self.wall_term(state, nlist.threads()), 0.0),
                Term::Springs => (
                    self.extra.springs.as_ref().map_or(0.0, |s| s.add(state)),
                    0.0,
                ),
            };
            std::mem::swap(&mut state.force, &mut scratch);
            let weight = if mix.a.has(term) {
                u_a += u;
                1.0 - mix.lambda
            } else if mix.b.has(term) {
                u_b += u;
                mix.lambda
            } else {
                1.0
            };
            for (f, s) in state.force.iter_mut().zip(&scratch) {
                f[0] += weight * s[0];
                f[1] += weight * s[1];
                f[2] += weight * s[2];
            }
            total.energy += weight * u;
            total.virial += weight * w;
        }
        self.scratch = scratch;
        total.mix_delta = Some(u_b - u_a);
        total
    }
}
