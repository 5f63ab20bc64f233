//! The pair-potential arguments several commands share (`bnsl eval`, `bnsl free-energy`):
//! `--potential mie|lj|wca --n N --m M --epsilon E --rcut RC --shift`, checked against the
//! engine's bounds (the ones share links and recipes obey).

use super::error::CliError;
use crate::model::{PairRule, PotentialKind};

/// Which pair potential, with its parameters.
#[derive(Debug, clap::Args)]
pub struct PairArgs {
    /// Pair potential: `mie`, `lj` (Lennard-Jones 12–6) or `wca`.
    #[arg(long, default_value = "mie", value_parser = potential_name)]
    pub potential: PotentialKind,
    /// Repulsive exponent (Mie; 50 when left out).
    #[arg(long)]
    pub n: Option<u32>,
    /// Attractive exponent (Mie; 25 when left out).
    #[arg(long)]
    pub m: Option<u32>,
    /// Well depth ε.
    #[arg(long, default_value_t = 1.0)]
    pub epsilon: f64,
    /// Cut-off in units of σ_ij (fixed at 2^(1/6) for `wca`).
    #[arg(long, default_value_t = 1.5)]
    pub rcut: f64,
    /// Shift the energy to zero at the cut-off.
    #[arg(long)]
    pub shift: bool,
}

fn potential_name(name: &str) -> Result<PotentialKind, String> {
    PotentialKind::from_name(name).ok_or_else(|| {
        let all: Vec<&str> = PotentialKind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown potential '{name}' (one of {})", all.join(", "))
    })
}

impl PairArgs {
    /// The pair rule of the arguments: the exponents and cut-off a potential fixes are taken
    /// from it (giving others is an error), then every number is checked against the engine's
    /// bounds.
    ///
    /// # Errors
    /// [`CliError::Argument`] naming the argument.
    pub fn rule(&self) -> Result<PairRule, CliError> {
        let name = self.potential.name();
        let (n, m) = match self.potential.fixed_exponents() {
            Some((n, m)) => {
                if self.n.is_some_and(|v| v != n) || self.m.is_some_and(|v| v != m) {
                    return Err(CliError::Argument {
                        what: "--n/--m",
                        value: format!("{}-{}", self.n.unwrap_or(n), self.m.unwrap_or(m)),
                        expected: format!("{name} fixes the exponents at {n}-{m}"),
                    });
                }
                (n, m)
            }
            None => (self.n.unwrap_or(50), self.m.unwrap_or(25)),
        };
        let (r_cut, shift) = match self.potential.fixed_cut() {
            Some(cut) => (cut, true),
            None => (self.rcut, self.shift),
        };
        let rule = PairRule {
            potential: self.potential,
            epsilon: self.epsilon,
            n,
            m,
            r_cut,
            shift,
            attractive: true,
        };
        if let Some(p) =
            crate::simulate::check_pair_rule(rule.epsilon, rule.n, rule.m, rule.r_cut).first()
        {
            return Err(CliError::Argument {
                what: "pair rule",
                value: format!("--{}", p.field.replace("r_cut", "rcut")),
                expected: p.message.clone(),
            });
        }
        Ok(rule)
    }
}
