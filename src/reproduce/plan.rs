//! What a reproduction runs: the paper's set-ups ([`crate::simulate::presets`], SCIENCE.md §1
//! table and §4) scaled to the chosen N and quality, each cut into checkpointed pieces.
//!
//! A stage that compresses from ρ₀ to ρ₁ over S steps shrinks every edge linearly in the step
//! (`md::compression`): L(f) = L₀·(1 + (r − 1)·f), r = (ρ₀/ρ₁)^⅓. A piece covering the
//! fractions f_a…f_b therefore compresses to ρ(f_b) = ρ₀ / (1 + (r − 1)·f_b)³ and continues the
//! same schedule; every run is always executed piece by piece, so a resumed run is the same
//! run as an uninterrupted one.

use serde::{Deserialize, Serialize};

use super::error::ReproduceError;
use super::experiment::{Experiment, Quality};
use crate::lattice::Structure;
use crate::md::config::{InitialConfig, RunConfig, StageConfig};
use crate::simulate::presets::split;
use crate::simulate::{preset, PresetSize, MAX_PARTICLES};

/// Fewest particles a reproduction runs (the NaZn₁₃ droplet then still has 21 L).
pub const MIN_PARTICLES: usize = 300;

/// What the paper reports for a run (SCIENCE.md §4), to set beside ours.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PaperResult {
    /// Over this fraction of L crystalline at the end (Fig. 3e, ε ≥ 1.0 kT: 0.5).
    FractionAbove {
        /// The fraction.
        value: f64,
    },
    /// At most this fraction of L crystalline (Fig. 3f: 0.06).
    FractionAtMost {
        /// The fraction.
        value: f64,
    },
    /// No crystal (the purely repulsive control).
    NoCrystal,
    /// Crystallisation starts at this effective packing fraction (Fig. 4: 0.572, 0.528).
    OnsetAt {
        /// φ_eff at the onset.
        phi_eff: f64,
    },
}

impl PaperResult {
    /// The paper's result in words.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            PaperResult::FractionAbove { value } => {
                format!("> {:.0} % of L crystalline at the end", value * 100.0)
            }
            PaperResult::FractionAtMost { value } => {
                format!("≤ {:.0} % of L crystalline", value * 100.0)
            }
            PaperResult::NoCrystal => "no crystal".into(),
            PaperResult::OnsetAt { phi_eff } => {
                format!("crystallisation starts at φ_eff = {phi_eff:.3}")
            }
        }
    }
}

/// One piece of a run: a stretch of one stage, ending at a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    /// The stage it belongs to (from 0).
    pub stage: usize,
    /// Its steps.
    pub steps: u64,
    /// The density it compresses to (the schedule's density at its last step), or `None` for
    /// a stage at constant volume.
    pub compress_to: Option<f64>,
}

/// One run of a reproduction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedRun {
    /// Identifier (its folder under `runs/`).
    pub id: String,
    /// What it is, for tables and legends.
    pub label: String,
    /// The preset it scales.
    pub preset: String,
    /// The run (its `stage` list is the whole protocol; `output` is not used).
    pub config: RunConfig,
    /// The crystal whose fraction is counted.
    pub structure: Structure,
    /// The stage whose density axis the plots use (the slow compression).
    pub slow_stage: usize,
    /// The checkpointed pieces, in order.
    pub pieces: Vec<Piece>,
    /// What the paper reports.
    pub paper: PaperResult,
}

impl PlannedRun {
    /// Particles.
    #[must_use]
    pub fn particles(&self) -> usize {
        self.config.species.iter().map(|s| s.count).sum()
    }

    /// Steps of the whole protocol.
    #[must_use]
    pub fn steps(&self) -> u64 {
        self.pieces.iter().map(|p| p.steps).sum()
    }

    /// Relative cost of one particle-step (the pair work grows with the volume of the
    /// interaction range, (r_cut + skin)³, against the narrow well's 1.5 σ); for time-left
    /// estimates only.
    #[must_use]
    pub fn cost_weight(&self) -> f64 {
        let reach = self.config.pair.r_cut + self.config.skin;
        (reach / 1.8).powi(3)
    }
}

/// How long each kind of run is at a quality, and its default size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Protocol {
    /// Default number of particles.
    pub particles: usize,
    /// Steps of the squeeze from the dilute fluid to the start density (Fig. 3e/3f).
    pub squeeze: u64,
    /// Steps of the slow compression (Fig. 3e/3f).
    pub slow: u64,
    /// Steps of the droplet's shrinking (Fig. 4).
    pub droplet: u64,
    /// Steps between log rows.
    pub log_every: u64,
    /// Steps between trajectory frames.
    pub frame_every: u64,
    /// Longest piece between checkpoints.
    pub piece: u64,
}

impl Quality {
    /// The protocol of this quality. `paper` is the paper's 27,000 particles with
    /// `examples/*.toml`'s compression times (ours: the paper gives none).
    #[must_use]
    pub fn protocol(self) -> Protocol {
        match self {
            Quality::Fast => Protocol {
                particles: 600,
                squeeze: 4_000,
                slow: 12_000,
                droplet: 16_000,
                log_every: 500,
                frame_every: 4_000,
                piece: 4_000,
            },
            Quality::Standard => Protocol {
                particles: 3_000,
                squeeze: 20_000,
                slow: 400_000,
                droplet: 400_000,
                log_every: 2_000,
                frame_every: 50_000,
                piece: 50_000,
            },
            Quality::Paper => Protocol {
                particles: 27_000,
                squeeze: 200_000,
                slow: 2_000_000,
                droplet: 3_000_000,
                log_every: 10_000,
                frame_every: 200_000,
                piece: 200_000,
            },
        }
    }
}

/// The runs of `experiment` at `quality` with `particles` (the quality's default when
/// `None`) and `seed`.
///
/// # Errors
/// [`ReproduceError::Argument`] for a particle count outside
/// [`MIN_PARTICLES`]…[`MAX_PARTICLES`] or an experiment without runs of its own (`seeded`).
pub fn plan(
    experiment: Experiment,
    quality: Quality,
    particles: Option<usize>,
    seed: u64,
) -> Result<Vec<PlannedRun>, ReproduceError> {
    let protocol = quality.protocol();
    let n = particles.unwrap_or(protocol.particles);
    if !(MIN_PARTICLES..=MAX_PARTICLES).contains(&n) {
        return Err(ReproduceError::Argument {
            what: "--n",
            value: n.to_string(),
            allowed: format!("the number of particles must be {MIN_PARTICLES} to {MAX_PARTICLES}"),
        });
    }
    let fig3 = |preset: &str, id: &str, label: &str, paper| {
        compression_run(preset, id, label, paper, n, seed, &protocol)
    };
    let above_half = PaperResult::FractionAbove { value: 0.5 };
    match experiment {
        Experiment::Fig3e => Ok(vec![
            fig3(
                "fig3e-narrow-2.5",
                "narrow-2.5",
                "narrow well 50–25, ε = 2.5 kT",
                above_half,
            ),
            fig3(
                "fig3e-narrow-1.0",
                "narrow-1.0",
                "narrow well 50–25, ε = 1.0 kT",
                above_half,
            ),
            fig3(
                "repulsive",
                "repulsive",
                "purely repulsive (ε/kT = 0)",
                PaperResult::NoCrystal,
            ),
        ]),
        Experiment::Fig3f => Ok(vec![fig3(
            "fig3f-wide-2.5",
            "wide-2.5",
            "wide well 50–6, ε = 2.5 kT",
            PaperResult::FractionAtMost { value: 0.06 },
        )]),
        Experiment::Fig4 => Ok(vec![
            droplet_run(
                "fig4-droplet-alb2",
                "alb2",
                "AlB₂ droplet, 1:2",
                2,
                0.572,
                n,
                seed,
                &protocol,
            ),
            droplet_run(
                "fig4-droplet-nazn13",
                "nazn13",
                "NaZn₁₃ droplet, 1:13",
                13,
                0.528,
                n,
                seed,
                &protocol,
            ),
        ]),
        Experiment::Seeded => Err(ReproduceError::Argument {
            what: "experiment",
            value: "seeded".into(),
            allowed: "runs through the seeded-growth experiment (SeededPlan), not a compression"
                .into(),
        }),
    }
}

fn base(preset_id: &str, seed: u64, protocol: &Protocol) -> (RunConfig, Structure) {
    let recipe = preset(preset_id, PresetSize::Small)
        .unwrap_or_else(|| unreachable!("the preset '{preset_id}' is built in"))
        .recipe;
    let mut config = recipe.run;
    config.seed = seed;
    config.output.log_every = protocol.log_every;
    config.output.frame_every = protocol.frame_every;
    (config, recipe.observe.structure)
}

fn compression_run(
    preset_id: &str,
    id: &str,
    label: &str,
    paper: PaperResult,
    n: usize,
    seed: u64,
    protocol: &Protocol,
) -> PlannedRun {
    let (mut config, structure) = base(preset_id, seed, protocol);
    let (l, s) = split(n, 2);
    config.species[0].count = l;
    config.species[1].count = s;
    config.stage[0].steps = protocol.squeeze;
    config.stage[1].steps = protocol.slow;
    let pieces = pieces(&config, protocol.piece);
    PlannedRun {
        id: id.into(),
        label: label.into(),
        preset: preset_id.into(),
        config,
        structure,
        slow_stage: 1,
        pieces,
        paper,
    }
}

#[allow(clippy::too_many_arguments)]
fn droplet_run(
    preset_id: &str,
    id: &str,
    label: &str,
    ratio: usize,
    onset: f64,
    n: usize,
    seed: u64,
    protocol: &Protocol,
) -> PlannedRun {
    let (mut config, structure) = base(preset_id, seed, protocol);
    let (l, s) = split(n, ratio);
    config.species[0].count = l;
    config.species[1].count = s;
    config.stage[0].steps = protocol.droplet;
    let pieces = pieces(&config, protocol.piece);
    PlannedRun {
        id: id.into(),
        label: label.into(),
        preset: preset_id.into(),
        config,
        structure,
        slow_stage: 0,
        pieces,
        paper: PaperResult::OnsetAt { phi_eff: onset },
    }
}

/// The density the run starts at (its dilute random fluid).
fn initial_density(config: &RunConfig) -> f64 {
    match config.initial {
        InitialConfig::RandomFluid { density, .. } | InitialConfig::SeededFluid { density, .. } => {
            density
        }
        InitialConfig::Lattice { .. }
        | InitialConfig::Gsd { .. }
        | InitialConfig::Seeded { .. } => f64::NAN,
    }
}

/// Cuts every stage of `config` into pieces of at most `longest` steps (module docs).
#[must_use]
pub fn pieces(config: &RunConfig, longest: u64) -> Vec<Piece> {
    let longest = longest.max(1);
    let mut density = initial_density(config);
    let mut out = Vec::new();
    for (stage, StageConfig { steps, compress_to }) in config.stage.iter().enumerate() {
        let count = steps.div_ceil(longest).max(1);
        let ratio = compress_to.map(|to| libm::cbrt(density / to));
        let mut done = 0;
        for k in 0..count {
            let piece = if k + 1 == count {
                steps - done
            } else {
                longest
            };
            done += piece;
            let target = match (compress_to, ratio) {
                (Some(to), _) if done == *steps => Some(*to),
                (Some(_), Some(r)) => {
                    let f = done as f64 / *steps as f64;
                    Some(density / (1.0 + (r - 1.0) * f).powi(3))
                }
                _ => None,
            };
            out.push(Piece {
                stage,
                steps: piece,
                compress_to: target,
            });
        }
        if let Some(to) = compress_to {
            density = *to;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_follow_the_linear_edge_schedule_and_end_on_the_stage_targets() {
        let runs = plan(Experiment::Fig3e, Quality::Fast, Some(600), 1).expect("plan");
        let run = &runs[0];
        assert_eq!(run.particles(), 600);
        assert_eq!(run.steps(), 16_000);
        let p = &run.pieces;
        assert_eq!(p.len(), 4);
        assert_eq!(p[0].compress_to, Some(2.18));
        assert_eq!(p[3].compress_to, Some(2.28));
        // A third of the way through the slow stage: edge 1 + (r − 1)/3 of the start.
        let r = libm::cbrt(2.18 / 2.28);
        let expect = 2.18 / (1.0 + (r - 1.0) / 3.0).powi(3);
        assert!((p[1].compress_to.expect("compresses") - expect).abs() < 1e-12);
    }

    #[test]
    fn a_particle_count_outside_its_range_is_named() {
        let e = plan(Experiment::Fig4, Quality::Fast, Some(10), 1).expect_err("too few");
        let text = e.to_string();
        assert!(text.contains("--n") && text.contains("300"), "{text}");
    }
}
