//! The experiments `bnsl reproduce` knows (the paper's panels, SCIENCE.md §4) and how long it
//! runs them.

use serde::{Deserialize, Serialize};

use super::error::ReproduceError;

/// A panel of the paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Experiment {
    /// Fig. 3e: periodic 1:2 box, narrow well at 2.5 and 1.0 kT and the purely repulsive
    /// control, MTK, slow compression.
    Fig3e,
    /// Fig. 3f: the wide well at 2.5 kT.
    Fig3f,
    /// Fig. 4a: polydisperse droplets, AlB₂ at 1:2 and NaZn₁₃ at 1:13, Langevin.
    Fig4,
    /// The seeded-growth contrast (narrow vs wide vs repulsive).
    Seeded,
}

/// Every experiment, by name.
pub const EXPERIMENTS: [(&str, Experiment); 4] = [
    ("fig3e", Experiment::Fig3e),
    ("fig3f", Experiment::Fig3f),
    ("fig4", Experiment::Fig4),
    ("seeded", Experiment::Seeded),
];

impl Experiment {
    /// The experiment's name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        EXPERIMENTS
            .iter()
            .find(|(_, e)| *e == self)
            .map_or("?", |(n, _)| n)
    }

    /// The paper's panel it reproduces.
    #[must_use]
    pub fn panel(self) -> &'static str {
        match self {
            Experiment::Fig3e => "Fig. 3e",
            Experiment::Fig3f => "Fig. 3f",
            Experiment::Fig4 => "Fig. 4a",
            Experiment::Seeded => "seeded growth",
        }
    }
}

impl std::str::FromStr for Experiment {
    type Err = ReproduceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EXPERIMENTS
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, e)| *e)
            .ok_or_else(|| ReproduceError::Argument {
                what: "experiment",
                value: s.into(),
                allowed: "one of fig3e, fig3f, fig4, seeded".into(),
            })
    }
}

/// How long the runs are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    /// A couple of minutes at 600 particles: checks the pipeline (no nucleation expected).
    Fast,
    /// 3,000 particles, 4×10⁵-step compressions: what a laptop does in an hour or two.
    Standard,
    /// The paper's 27,000 particles and long protocol (days on a CPU).
    Paper,
}

impl std::str::FromStr for Quality {
    type Err = ReproduceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "fast" => Ok(Quality::Fast),
            "standard" => Ok(Quality::Standard),
            "paper" => Ok(Quality::Paper),
            _ => Err(ReproduceError::Argument {
                what: "--quality",
                value: s.into(),
                allowed: "one of fast, standard, paper".into(),
            }),
        }
    }
}

impl Quality {
    /// The quality's name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Quality::Fast => "fast",
            Quality::Standard => "standard",
            Quality::Paper => "paper",
        }
    }
}
