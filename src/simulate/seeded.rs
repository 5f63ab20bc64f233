//! The seeded-growth experiment (issue #15; SCIENCE.md §4, "Seeded growth, measured here"):
//! a 1:2 fluid equilibrated at the growth density without a seed, an AlB₂ seed whose lattice
//! matches the fluid's pressure cut in, then held at constant volume (Langevin γ = 1) while the
//! seed's crystalline cluster is measured. The result is the honest measure of growth — L
//! joining the seed's cluster per τ — for one random seed; [`GrowthSummary::of`] takes the mean
//! and its standard error over several. Narrow well (Mie 50–25, ε = 2.5 kT), wide well (50–6,
//! r_cut 3σ) and the purely repulsive control (ε/kT = 0, kT = ε) are the three [`SeedWell`]s.
//!
//! The same spec gives the seeded presets' recipes ([`SeededSpec::config`]), so the page, `bnsl
//! run` and [`growth_experiment`] run the same protocol through the one run loop.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use serde::Serialize;

use super::error::RecipeError;
use crate::gpu::Device;
use crate::lattice::Structure;
use crate::md::config::{
    GeometryConfig, InitialConfig, IntegratorConfig, OutputConfig, PairConfig, RunConfig,
    SpeciesConfig, StageConfig,
};
use crate::md::seed_pace::finish;
use crate::md::seeded_start::SeedReport;
use crate::model::PotentialKind;
use crate::run::{Crystal, GrowthRow, Run, RunError, SeedGrowth};

/// The pair potential of a seeded run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeedWell {
    /// Mie 50–25, r_cut 1.5 σ_ij, ε = 2.5 kT (kT = 0.4).
    Narrow,
    /// Mie 50–6, r_cut 3 σ_ij, ε = 2.5 kT.
    Wide,
    /// ε·C·(σ/r)^50 at kT = ε (ε/kT = 0).
    Repulsive,
}

impl SeedWell {
    /// All three, in the order of the contrast.
    pub const ALL: [SeedWell; 3] = [Self::Narrow, Self::Wide, Self::Repulsive];

    /// The short name ("narrow").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Narrow => "narrow",
            Self::Wide => "wide",
            Self::Repulsive => "repulsive",
        }
    }

    /// The pair rule (SCIENCE.md §1).
    #[must_use]
    pub fn pair(self) -> PairConfig {
        let (m, r_cut) = match self {
            Self::Wide => (6, 3.0),
            Self::Narrow | Self::Repulsive => (25, 1.5),
        };
        PairConfig {
            potential: PotentialKind::Mie,
            epsilon: 1.0,
            n: 50,
            m,
            r_cut,
            shift: true,
            attractive: self != Self::Repulsive,
        }
    }

    /// kT: 0.4 (ε = 2.5 kT) with a well, 1 without.
    #[must_use]
    pub fn kt(self) -> f64 {
        if self == Self::Repulsive {
            1.0
        } else {
            0.4
        }
    }

    /// The density of the paper's Fig. 3e,f compressions at ε = 2.5 kT where they start
    /// (SCIENCE.md §1 table; 2.60 for the repulsive case), rounded to the grid of 0.01.
    #[must_use]
    pub fn paper_density(self) -> f64 {
        match self {
            Self::Narrow => 2.2,
            Self::Wide => 2.41,
            Self::Repulsive => 2.6,
        }
    }
}

/// One seeded-growth experiment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeededSpec {
    /// The pair potential.
    pub well: SeedWell,
    /// The seed's crystal (its stoichiometry sets L:S of the fluid).
    pub structure: Structure,
    /// Particles in all (split L:S at the crystal's formula).
    pub particles: usize,
    /// The growth density ρσ³.
    pub density: f64,
    /// Radius of the seed ball (σ).
    pub seed_radius: f64,
    /// Steps compressing the fluid from ρσ³ 0.5.
    pub compress: u64,
    /// Steps equilibrating it before the seed goes in.
    pub equilibrate: u64,
    /// Steps held after the insertion (the growth).
    pub hold: u64,
    /// Steps between two looks at the seed.
    pub log_every: u64,
    /// Time step (τ).
    pub dt: f64,
}

impl SeededSpec {
    /// The protocol of SCIENCE.md §4 with an AlB₂ seed in a 1:2 fluid ([`SeededSpec::new`]).
    #[must_use]
    pub fn alb2(well: SeedWell, particles: usize, density: f64, hold: u64) -> Self {
        Self::new(well, Structure::Alb2, particles, density, hold)
    }

    /// The protocol of SCIENCE.md §4: `particles` in all at the formula of `structure`, a seed
    /// of radius 4 σ (3.5 σ below 4,000 particles), dt = 0.002, 10⁴ steps each to compress
    /// and to equilibrate the fluid, `hold` steps of growth looked at 20 times.
    #[must_use]
    pub fn new(
        well: SeedWell,
        structure: Structure,
        particles: usize,
        density: f64,
        hold: u64,
    ) -> Self {
        Self {
            well,
            structure,
            particles,
            density,
            seed_radius: if particles < 4_000 { 3.5 } else { 4.0 },
            compress: 10_000,
            equilibrate: 10_000,
            hold,
            log_every: (hold / 20).max(1),
            dt: 0.002,
        }
    }

    /// L and S of the fluid: the crystal's formula (1:2 for AlB₂), L rounded to nearest.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let (l, s) = self.structure.crystal().counts();
        if l == 0 || s == 0 {
            return (self.particles, 0);
        }
        let large = (self.particles as f64 * l as f64 / (l + s) as f64).round() as usize;
        (large, self.particles - large)
    }

    /// The run: a periodic box, the seeded start, Langevin γ = 1, one stage of `hold` steps;
    /// log and trajectory every `log_every` steps under `name`.
    #[must_use]
    pub fn config(&self, seed: u64, name: &str) -> RunConfig {
        let (l, s) = self.counts();
        let species = |name: &str, diameter: f64, count: usize| SpeciesConfig {
            name: name.into(),
            diameter,
            relative_std: 0.0,
            bins: 1,
            count,
        };
        RunConfig {
            seed,
            dt: self.dt,
            skin: 0.3,
            kt: self.well.kt(),
            species: vec![species("L", 1.0, l), species("S", 0.55, s)],
            pair: self.well.pair(),
            pair_override: Vec::new(),
            geometry: GeometryConfig::Periodic,
            initial: InitialConfig::Seeded {
                structure: self.structure,
                seed_radius: self.seed_radius,
                fluid: None,
                density: Some(self.density),
                compress: self.compress,
                equilibrate: self.equilibrate,
                a: None,
                c_over_a: None,
                clearance: 0.97,
            },
            integrator: IntegratorConfig::Langevin { gamma: 1.0 },
            stage: vec![StageConfig {
                steps: self.hold,
                compress_to: None,
            }],
            output: OutputConfig {
                trajectory: format!("{name}.gsd"),
                log: format!("{name}.csv"),
                log_every: self.log_every,
                frame_every: self.hold.max(1),
            },
        }
    }
}

/// Where an experiment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrowthPhase {
    /// Making and equilibrating the fluid, matching the lattice, cutting the seed in (the
    /// preparation's work in steps of the fluid, [`crate::md::seed_pace::Preparation`]).
    Fluid,
    /// Growing (steps after the insertion).
    Growth,
}

/// Progress of an experiment: the phase, steps done and steps in the phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrowthProgress {
    /// The phase.
    pub phase: GrowthPhase,
    /// Steps done in it.
    pub done: u64,
    /// Steps in it.
    pub total: u64,
}

/// What one experiment measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GrowthResult {
    /// The spec.
    pub spec: SeededSpec,
    /// The random seed.
    pub seed: u64,
    /// The seed's lattice, the fluid's pressure, the insertion.
    pub start: SeedReport,
    /// The looks at the seed, from the insertion to the end.
    pub rows: Vec<GrowthRow>,
    /// L joining the seed's cluster per τ (least-squares slope).
    pub rate: f64,
    /// L in the seed's cluster at the insertion.
    pub cluster_start: usize,
    /// L in it at the end.
    pub cluster_end: usize,
    /// Crystalline fraction of L at the insertion.
    pub fraction_start: f64,
    /// Crystalline fraction of L at the end.
    pub fraction_end: f64,
}

/// Mean and standard error of the mean.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MeanError {
    /// The mean.
    pub mean: f64,
    /// Its standard error, s/√n (0 for one value).
    pub error: f64,
}

impl MeanError {
    /// Of a list of values (NaN mean for none).
    #[must_use]
    pub fn of(values: &[f64]) -> Self {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let error = if values.len() > 1 {
            (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0) / n).sqrt()
        } else {
            0.0
        };
        Self { mean, error }
    }
}

/// Several random seeds of one spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GrowthSummary {
    /// The pair potential.
    pub well: SeedWell,
    /// Number of runs.
    pub runs: usize,
    /// L joining the seed's cluster per τ.
    pub rate: MeanError,
    /// L in the seed's cluster at the insertion.
    pub cluster_start: MeanError,
    /// L in it at the end.
    pub cluster_end: MeanError,
    /// Crystalline fraction at the insertion.
    pub fraction_start: MeanError,
    /// Crystalline fraction at the end.
    pub fraction_end: MeanError,
    /// The seed's lattice constant a.
    pub a: MeanError,
    /// Its c/a.
    pub c_over_a: MeanError,
    /// The fluid's pressure.
    pub fluid_pressure: MeanError,
}

impl GrowthSummary {
    /// Mean and error over `results` (runs of one spec), `None` for none.
    #[must_use]
    pub fn of(results: &[GrowthResult]) -> Option<Self> {
        let first = results.first()?;
        let over = |f: &dyn Fn(&GrowthResult) -> f64| {
            MeanError::of(&results.iter().map(f).collect::<Vec<_>>())
        };
        Some(Self {
            well: first.spec.well,
            runs: results.len(),
            rate: over(&|r| r.rate),
            cluster_start: over(&|r| r.cluster_start as f64),
            cluster_end: over(&|r| r.cluster_end as f64),
            fraction_start: over(&|r| r.fraction_start),
            fraction_end: over(&|r| r.fraction_end),
            a: over(&|r| r.start.a),
            c_over_a: over(&|r| r.start.c_over_a),
            fluid_pressure: over(&|r| r.start.fluid_pressure),
        })
    }
}

/// Polls a future of the CPU path once: the CPU engine never waits, so it is ready.
fn on_cpu<T>(future: impl Future<Output = Result<T, RunError>>) -> Result<T, RecipeError> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(result) => Ok(result?),
        Poll::Pending => Err(RecipeError::Content(
            "the CPU run waited for a device".into(),
        )),
    }
}

/// Runs one seeded-growth experiment on the CPU with random seed `seed` (deterministic):
/// the fluid, the lattice match and the insertion ([`crate::md::seeded_start`]), then the hold
/// through the one run loop with a [`SeedGrowth`] output. `progress` hears of both phases.
///
/// # Errors
/// [`RecipeError::Bound`] for a spec out of bounds, [`RecipeError::Md`] when the start cannot
/// be built, [`RecipeError::Run`] when the run stops.
pub fn growth_experiment(
    spec: &SeededSpec,
    seed: u64,
    progress: &mut dyn FnMut(GrowthProgress),
) -> Result<GrowthResult, RecipeError> {
    let config = spec.config(seed, "seeded");
    if let Some(p) = super::check_run_config(&config).into_iter().next() {
        return Err(RecipeError::Bound {
            field: p.field,
            message: p.message,
        });
    }
    let (sim, report) = finish(config.build_paced(None, &mut |p| {
        progress(GrowthProgress {
            phase: GrowthPhase::Fluid,
            done: p.done,
            total: p.total,
        });
    }))?;
    let report = report.ok_or_else(|| RecipeError::Content("the start is not seeded".into()))?;
    let crystal = Crystal::new(&config, spec.structure)?;
    let mut run = on_cpu(Run::start(sim, Device::Cpu, config.stage.clone(), crystal))?;
    let mut growth = SeedGrowth::new(report.seed_large(), report.link, spec.log_every.max(1));
    while !run.has_ended() {
        on_cpu(run.advance(spec.log_every.max(1), &mut [&mut growth]))?;
        let (done, total) = run.progress();
        progress(GrowthProgress {
            phase: GrowthPhase::Growth,
            done,
            total,
        });
    }
    let rate = growth.rate().unwrap_or(f64::NAN);
    let (first, last) = match (growth.rows.first(), growth.rows.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => {
            return Err(RecipeError::Content(
                "the run took no look at the seed".into(),
            ))
        }
    };
    Ok(GrowthResult {
        spec: spec.clone(),
        seed,
        start: report,
        rows: growth.rows,
        rate,
        cluster_start: first.seed_cluster,
        cluster_end: last.seed_cluster,
        fraction_start: first.crystalline_fraction,
        fraction_end: last.crystalline_fraction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_standard_error() {
        let m = MeanError::of(&[1.0, 2.0, 3.0]);
        assert!((m.mean - 2.0).abs() < 1e-12);
        assert!((m.error - (1.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(MeanError::of(&[4.0]).error, 0.0);
    }

    #[test]
    fn the_fluid_keeps_the_formula() {
        let spec = SeededSpec::alb2(SeedWell::Narrow, 3_000, 2.2, 1_000);
        assert_eq!(spec.counts(), (1_000, 2_000));
        let config = spec.config(1, "x");
        assert!(crate::simulate::check_run_config(&config).is_empty());
    }
}
