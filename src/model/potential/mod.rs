//! Pair potentials as small types (SCIENCE.md §1; the shape follows hoomd-rs'
//! `univariate` traits and lumol's `Potential`).
//!
//! - [`PairPotential`]: one method, U(r) and F(r)/r from r², uncut and unshifted. Every
//!   potential the force kernel runs implements it: [`Mie`] with const-generic exponents (the
//!   paper's 50–25 and 50–6 wells are `Mie<50, 25>` and `Mie<50, 6>`, fully unrolled),
//!   [`MieNM`] (any n–m at run time), [`LennardJones`] 12–6 and [`Wca`].
//! - [`Shifted`]: the energy shift at the cut-off as a wrapper type; [`CutPair`] adds the
//!   cut-off and is one entry of the kernel's pair table.
//! - [`PairFamily`]: what the run description names (`pair.potential = "lj"`): how a
//!   [`PairSpec`] becomes the kernel type, which parameters the form fixes, the
//!   Barker–Henderson split and (for potentials of the GPU's two-power form) the GPU record.
//! - The registry below lists every family once (and declares its module). Adding a
//!   potential is one new file in this folder implementing [`PairPotential`] and
//!   [`PairFamily`], plus one line in the registry (docs/engine.md, "Force terms", walks
//!   through an example).

mod shifted;

pub use mie::{Mie, MieNM};
pub use shifted::{CutPair, Shifted};

use serde::{Deserialize, Serialize};

use super::error::ModelError;
use super::pair_spec::{PairCoeff, PairSpec};

/// A pair potential: energy and force from the squared distance.
pub trait PairPotential: Copy + std::fmt::Debug + Send + Sync + 'static {
    /// U(r) and F(r)/r at squared distance `r2` (uncut, unshifted; F > 0 is repulsive).
    fn energy_force(&self, r2: f64) -> (f64, f64);
}

/// Receives the kernel's pair table, whatever its potential type (the force kernel is
/// monomorphised for it).
pub trait TableVisitor {
    /// What the visit returns.
    type Output;
    /// Called with the row-major `ntypes × ntypes` table.
    fn visit<P: PairPotential>(self, ntypes: usize, table: Vec<CutPair<P>>) -> Self::Output;
}

/// A pair potential the run description can name. One implementation per file; each is
/// listed once in the registry of this module.
pub trait PairFamily {
    /// The type the force kernel runs.
    type Pair: PairPotential;

    /// Exponents (n, m) the form fixes (Lennard-Jones: 12–6); `None` when the run
    /// description gives them.
    const EXPONENTS: Option<(u32, u32)> = None;

    /// Cut-off (in σ) the form fixes, with the shift on (WCA: 2^(1/6)); `None` when given.
    const CUT: Option<f64> = None;

    /// The kernel type for one pair (parameters already checked).
    fn pair(spec: &PairSpec) -> Self::Pair;

    /// Checks the parameters this form reads beyond ε, σ and r_cut (checked for all);
    /// `i`, `j` name the pair in the error. The default checks [`PairFamily::EXPONENTS`] and
    /// [`PairFamily::CUT`], and that the attraction is on (only Mie has a purely repulsive
    /// variant).
    ///
    /// # Errors
    /// [`ModelError`] naming the pair and the parameter.
    fn check(spec: &PairSpec, i: usize, j: usize) -> Result<(), ModelError> {
        if !spec.attractive {
            return Err(ModelError::Fixed {
                i,
                j,
                potential: spec.potential.name(),
                what: "attraction (attractive)",
                value: "false".into(),
                fixed: "true".into(),
            });
        }
        if let Some((n, m)) = Self::EXPONENTS {
            if (spec.n, spec.m) != (n, m) {
                return Err(ModelError::Fixed {
                    i,
                    j,
                    potential: spec.potential.name(),
                    what: "exponents (n, m)",
                    value: format!("({}, {})", spec.n, spec.m),
                    fixed: format!("({n}, {m})"),
                });
            }
        }
        if let Some(cut) = Self::CUT {
            if spec.r_cut != cut || !spec.shift {
                return Err(ModelError::Fixed {
                    i,
                    j,
                    potential: spec.potential.name(),
                    what: "cut-off (r_cut, shift)",
                    value: format!("({}, {})", spec.r_cut, spec.shift),
                    fixed: format!("({cut}, true)"),
                });
            }
        }
        Ok(())
    }

    /// The Barker–Henderson split at temperature `kt` (SCIENCE.md §1): the upper limit of the
    /// repulsive part and the energy added to U below it (u_rep = U + that, 0 beyond).
    fn repulsive_part(spec: &PairSpec, kt: f64) -> (f64, f64);

    /// The GPU's two-power record (U = rep·r⁻ⁿ − att·r⁻ᵐ − shift), when this potential has
    /// that form; `None` keeps runs with it on the CPU engine.
    fn power_law(spec: &PairSpec) -> Option<PairCoeff> {
        let _ = spec;
        None
    }

    /// Hands the kernel table for `specs` (row-major `ntypes × ntypes`) to `visitor`; a
    /// family with fast paths picks one here.
    fn table<V: TableVisitor>(specs: &[PairSpec], ntypes: usize, visitor: V) -> V::Output {
        visitor.visit(ntypes, cut_table(specs, Self::pair))
    }
}

/// The kernel table of `specs` with `pair` making each entry's potential.
pub fn cut_table<P: PairPotential>(
    specs: &[PairSpec],
    pair: impl Fn(&PairSpec) -> P,
) -> Vec<CutPair<P>> {
    specs
        .iter()
        .map(|s| CutPair::new(pair(s), s.cutoff(), s.shift))
        .collect()
}

/// Lists the pair potentials: one line each, `"config name" => Variant(module::Family)`;
/// declares the module and re-exports the family.
macro_rules! registry {
    ($($(#[$attr:meta])* $name:literal => $variant:ident($module:ident::$family:ident),)+) => {
        $(pub mod $module;
        pub use $module::$family;)+

        /// Which pair potential a pair uses (`pair.potential` in the run description).
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum PotentialKind {
            $($(#[$attr])* #[serde(rename = $name)] $variant,)+
        }

        impl PotentialKind {
            /// Every registered potential.
            pub const ALL: &'static [PotentialKind] = &[$(PotentialKind::$variant,)+];

            /// The name the run description uses.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $(PotentialKind::$variant => $name,)+
                }
            }

            /// Exponents the form fixes ([`PairFamily::EXPONENTS`]).
            #[must_use]
            pub fn fixed_exponents(self) -> Option<(u32, u32)> {
                match self {
                    $(PotentialKind::$variant => <$family as PairFamily>::EXPONENTS,)+
                }
            }

            /// Cut-off the form fixes ([`PairFamily::CUT`]).
            #[must_use]
            pub fn fixed_cut(self) -> Option<f64> {
                match self {
                    $(PotentialKind::$variant => <$family as PairFamily>::CUT,)+
                }
            }

            pub(crate) fn check(self, spec: &PairSpec, i: usize, j: usize) -> Result<(), ModelError> {
                match self {
                    $(PotentialKind::$variant => <$family as PairFamily>::check(spec, i, j),)+
                }
            }

            pub(crate) fn energy_force(self, spec: &PairSpec, r2: f64) -> (f64, f64) {
                match self {
                    $(PotentialKind::$variant => <$family as PairFamily>::pair(spec).energy_force(r2),)+
                }
            }

            pub(crate) fn repulsive_part(self, spec: &PairSpec, kt: f64) -> (f64, f64) {
                match self {
                    $(PotentialKind::$variant => <$family as PairFamily>::repulsive_part(spec, kt),)+
                }
            }

            pub(crate) fn power_law(self, spec: &PairSpec) -> Option<PairCoeff> {
                match self {
                    $(PotentialKind::$variant => <$family as PairFamily>::power_law(spec),)+
                }
            }

            pub(crate) fn table<V: TableVisitor>(self, specs: &[PairSpec], ntypes: usize, visitor: V) -> V::Output {
                match self {
                    $(PotentialKind::$variant => <$family as PairFamily>::table(specs, ntypes, visitor),)+
                }
            }
        }
    };
}

registry! {
    /// Mie n–m (SCIENCE.md §1), the default; 50–25 and 50–6 run on unrolled fast paths.
    #[default]
    "mie" => Mie(mie::MieFamily),
    /// Lennard-Jones 12–6, U = 4ε[(σ/r)¹² − (σ/r)⁶] (LAMMPS `lj/cut`).
    "lj" => LennardJones(lennard_jones::LennardJones),
    /// Weeks–Chandler–Andersen: Lennard-Jones cut at 2^(1/6)σ and shifted up by ε.
    "wca" => Wca(wca::Wca),
}

impl PotentialKind {
    /// Whether this is the default (Mie), which the run description may leave out.
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == PotentialKind::default()
    }

    /// The potential named `name` in the run description.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_name_round_trips() {
        for &kind in PotentialKind::ALL {
            assert_eq!(PotentialKind::from_name(kind.name()), Some(kind));
            let json = serde_json::to_string(&kind).expect("serialise");
            assert_eq!(json, format!("\"{}\"", kind.name()));
        }
        assert_eq!(PotentialKind::default(), PotentialKind::Mie);
        assert_eq!(PotentialKind::from_name("morse"), None);
    }
}
