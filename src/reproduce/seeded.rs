//! `bnsl reproduce seeded`: the seeded-growth contrast (issue #15; SCIENCE.md §4, "Seeded
//! growth, measured here") — narrow well, wide well and the purely repulsive control, each at
//! the density where the paper's Fig. 3e,f compressions start, over three random seeds — run
//! by [`crate::simulate::seeded::growth_experiment`] (the seeded-growth experiment, not a copy
//! of it). Each experiment is one checkpoint: its outcome is kept in `runs/<well>-s<seed>/` and
//! skipped on `--resume`.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::error::ReproduceError;
use super::experiment::Quality;
use super::on_diagram::{place, DiagramPlace};
use super::report::{duration, write_plot};
use super::{Progress, MIN_PARTICLES};
use crate::plot::{series_colour, Axis, Chart, Series};
use crate::simulate::seeded::{growth_experiment, GrowthPhase, MeanError, SeedWell, SeededSpec};
use crate::simulate::MAX_PARTICLES;

/// Fewest steps held after the insertion (`--hold`): the growth is looked at 20 times.
pub const MIN_HOLD: u64 = 1_000;
/// Most steps held (`--hold`).
pub const MAX_HOLD: u64 = 100_000_000;

/// Random seeds per well (the "at least 3").
pub const SEEDS_PER_WELL: u64 = 3;

/// The protocol of a seeded reproduction (what `plan.json` stores).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeededPlan {
    /// Particles per run.
    pub particles: usize,
    /// Steps compressing the fluid.
    pub compress: u64,
    /// Steps equilibrating it.
    pub equilibrate: u64,
    /// Steps held after the insertion.
    pub hold: u64,
    /// The random seeds.
    pub seeds: Vec<u64>,
}

impl SeededPlan {
    /// The plan at `quality` with `particles` (the quality's default when `None`) and seeds
    /// `seed`, `seed + 1`, `seed + 2`.
    ///
    /// # Errors
    /// [`ReproduceError::Argument`] for a particle count out of range.
    pub fn new(
        quality: Quality,
        particles: Option<usize>,
        seed: u64,
    ) -> Result<Self, ReproduceError> {
        let (n, compress, equilibrate, hold) = match quality {
            Quality::Fast => (2_000, 5_000, 5_000, 5_000),
            Quality::Standard => (3_000, 10_000, 10_000, 100_000),
            Quality::Paper => (6_000, 10_000, 10_000, 200_000),
        };
        let particles = particles.unwrap_or(n);
        if !(MIN_PARTICLES..=MAX_PARTICLES).contains(&particles) {
            return Err(ReproduceError::Argument {
                what: "--n",
                value: particles.to_string(),
                allowed: format!(
                    "the number of particles must be {MIN_PARTICLES} to {MAX_PARTICLES}"
                ),
            });
        }
        Ok(Self {
            particles,
            compress,
            equilibrate,
            hold,
            seeds: (0..SEEDS_PER_WELL).map(|k| seed + k).collect(),
        })
    }

    /// The plan with `hold` steps held after the insertion.
    ///
    /// # Errors
    /// [`ReproduceError::Argument`] for a hold outside 1,000 to 10⁸ steps.
    pub fn held(mut self, hold: u64) -> Result<Self, ReproduceError> {
        if !(MIN_HOLD..=MAX_HOLD).contains(&hold) {
            return Err(ReproduceError::Argument {
                what: "--hold",
                value: hold.to_string(),
                allowed: format!("the steps held must be {MIN_HOLD} to {MAX_HOLD}"),
            });
        }
        self.hold = hold;
        Ok(self)
    }

    /// The runs: each well with each seed, in the order of the contrast.
    fn jobs(&self) -> Vec<(SeedWell, u64)> {
        SeedWell::ALL
            .iter()
            .flat_map(|w| self.seeds.iter().map(move |s| (*w, *s)))
            .collect()
    }

    /// The runs' names (`narrow-s1`, …), as in `runs/` and `--only`.
    #[must_use]
    pub fn run_ids(&self) -> Vec<String> {
        self.jobs()
            .iter()
            .map(|(well, seed)| format!("{}-s{seed}", well.name()))
            .collect()
    }

    /// Checks that `only` names runs of this plan.
    ///
    /// # Errors
    /// [`ReproduceError::Argument`] naming the first that is not, and the plan's runs.
    pub fn check_only(&self, only: &[String]) -> Result<(), ReproduceError> {
        let ids = self.run_ids();
        match only.iter().find(|o| !ids.contains(o)) {
            Some(unknown) => Err(ReproduceError::Argument {
                what: "--only",
                value: unknown.clone(),
                allowed: format!("the runs of this plan are {}", ids.join(", ")),
            }),
            None => Ok(()),
        }
    }

    /// The experiment of one well in this plan (`bnsl export --experiment seeded` exports it).
    #[must_use]
    pub fn spec(&self, well: SeedWell) -> SeededSpec {
        let density = place(well).density;
        let mut spec = SeededSpec::alb2(well, self.particles, density, self.hold);
        spec.compress = self.compress;
        spec.equilibrate = self.equilibrate;
        spec
    }
}

/// One experiment's outcome, as kept in its folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeededRun {
    /// The well's name.
    pub well: String,
    /// The random seed.
    pub seed: u64,
    /// Growth density ρσ³.
    pub density: f64,
    /// Particles.
    pub particles: usize,
    /// Steps in all (fluid and hold).
    pub steps: u64,
    /// Time step (τ).
    pub dt: f64,
    /// L joining the seed's cluster per τ.
    pub rate: f64,
    /// L in the seed's cluster at the insertion and at the end.
    pub cluster: (usize, usize),
    /// Crystalline fraction of L at the insertion and at the end.
    pub fraction: (f64, f64),
    /// The seed's lattice (a, c/a) and the fluid's pressure.
    pub lattice: (f64, f64, f64),
    /// (time τ, L in the seed's cluster, crystalline fraction) of every look.
    pub rows: Vec<(f64, usize, f64)>,
    /// Wall-clock seconds.
    pub wall_s: f64,
}

/// Mean ± standard error over the seeds of one well.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WellSummary {
    /// The well's name.
    pub well: String,
    /// Runs.
    pub runs: usize,
    /// L joining the seed's cluster per τ.
    pub rate: MeanError,
    /// L in the seed's cluster at the insertion.
    pub cluster_start: MeanError,
    /// And at the end.
    pub cluster_end: MeanError,
    /// Crystalline fraction at the insertion.
    pub fraction_start: MeanError,
    /// And at the end.
    pub fraction_end: MeanError,
}

/// The seeded reproduction's report.
#[derive(Clone, Debug, Serialize)]
pub struct SeededReport {
    /// The command that produced it.
    pub command: String,
    /// The product's version.
    pub version: &'static str,
    /// The quality.
    pub quality: &'static str,
    /// The protocol.
    pub plan: SeededPlan,
    /// Per well.
    pub wells: Vec<WellSummary>,
    /// Each well's state point on its shipped phase diagram.
    pub places: Vec<DiagramPlace>,
    /// The growth rates of each two wells compared (Welch's t-test).
    pub contrasts: Vec<Contrast>,
    /// Per run.
    pub runs: Vec<SeededRun>,
    /// The plan's runs not finished yet (left to other invocations with `--only`).
    pub missing: Vec<String>,
    /// Files written.
    pub files: Vec<String>,
}

/// Runs the unfinished experiments of `plan` into `out/runs/` and writes the report.
///
/// # Errors
/// [`ReproduceError`] for a run that failed or a file that could not be written.
pub fn run_seeded(
    out: &Path,
    plan: &SeededPlan,
    quality: Quality,
    only: &[String],
    command: String,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SeededReport, ReproduceError> {
    let jobs = plan.jobs();
    let ids = plan.run_ids();
    plan.check_only(only)?;
    let outcome = |id: &str| out.join("runs").join(id).join("outcome.json");
    // The runs this invocation does, for the time left.
    let todo = ids
        .iter()
        .filter(|id| (only.is_empty() || only.contains(id)) && !outcome(id).exists())
        .count();
    let mut started = 0;
    let mut runs = Vec::new();
    let mut missing = Vec::new();
    for (i, (well, seed)) in jobs.iter().enumerate() {
        let id = ids[i].clone();
        let dir = out.join("runs").join(&id);
        let path = outcome(&id);
        let index = (i + 1, jobs.len());
        if let Ok(bytes) = std::fs::read(&path) {
            let run: SeededRun =
                serde_json::from_slice(&bytes).map_err(|e| ReproduceError::Content {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
            progress(&Progress {
                run: id,
                index,
                steps: (run.steps, run.steps),
                skipped: true,
                left_s: None,
            });
            runs.push(run);
            continue;
        }
        if !only.is_empty() && !only.contains(&id) {
            missing.push(id);
            continue;
        }
        started += 1;
        let later_runs = todo.saturating_sub(started);
        let spec = plan.spec(*well);
        // The preparation's work (steps of the fluid) is known as it goes; first the fluid's.
        let mut fluid = spec.compress + spec.equilibrate;
        let total = fluid + spec.hold;
        progress(&Progress {
            run: id.clone(),
            index,
            steps: (0, total),
            skipped: false,
            left_s: None,
        });
        let begin = Instant::now();
        let result = growth_experiment(&spec, *seed, &mut |p| {
            let done = match p.phase {
                GrowthPhase::Fluid => {
                    fluid = p.total;
                    p.done
                }
                GrowthPhase::Growth => fluid + p.done,
            };
            let total = fluid + spec.hold;
            let per_step = begin.elapsed().as_secs_f64() / done.max(1) as f64;
            let left = (total - done.min(total)) as f64 * per_step;
            let later = later_runs as f64 * total as f64 * per_step;
            progress(&Progress {
                run: id.clone(),
                index,
                steps: (done, total),
                skipped: false,
                left_s: Some((left, left + later)),
            });
        })
        .map_err(|e| ReproduceError::Content {
            path: dir.clone(),
            message: format!("the seeded-growth experiment stopped: {e}"),
        })?;
        let run = SeededRun {
            well: well.name().into(),
            seed: *seed,
            density: spec.density,
            particles: spec.particles,
            steps: total,
            dt: spec.dt,
            rate: result.rate,
            cluster: (result.cluster_start, result.cluster_end),
            fraction: (result.fraction_start, result.fraction_end),
            lattice: (
                result.start.a,
                result.start.c_over_a,
                result.start.fluid_pressure,
            ),
            rows: result
                .rows
                .iter()
                .map(|r| (r.time, r.seed_cluster, r.crystalline_fraction))
                .collect(),
            wall_s: begin.elapsed().as_secs_f64(),
        };
        std::fs::create_dir_all(&dir).map_err(ReproduceError::file(&dir))?;
        let full = dir.join("growth.json");
        std::fs::write(&full, json_text(&full, &result)?).map_err(ReproduceError::file(&full))?;
        let tmp = dir.join("outcome.json.tmp");
        std::fs::write(&tmp, json_text(&tmp, &run)?).map_err(ReproduceError::file(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(ReproduceError::file(&path))?;
        runs.push(run);
    }
    let wells = SeedWell::ALL
        .iter()
        .map(|w| summary(w.name(), &runs))
        .filter(|w| w.runs > 0)
        .collect();
    let mut report = SeededReport {
        command,
        version: crate::VERSION,
        quality: quality.name(),
        plan: plan.clone(),
        contrasts: Vec::new(),
        wells,
        places: SeedWell::ALL.iter().map(|&w| place(w)).collect(),
        runs,
        missing,
        files: Vec::new(),
    };
    report.contrasts = contrasts(&report.wells);
    report.write(out)?;
    Ok(report)
}

/// `value` as pretty JSON (for the file `path`).
fn json_text<T: Serialize>(path: &Path, value: &T) -> Result<String, ReproduceError> {
    serde_json::to_string_pretty(value).map_err(|e| ReproduceError::Content {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Two wells' growth rates compared: the difference, its standard error and Welch's t-test
/// at 95 % (two-sided) over the random seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contrast {
    /// The first well.
    pub well: String,
    /// The well it is compared with.
    pub against: String,
    /// Rate of `well` minus rate of `against` (L per τ), with the standard error
    /// √(e₁² + e₂²).
    pub difference: MeanError,
    /// t = difference / its error.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom ν = (e₁² + e₂²)² / (e₁⁴/(n₁−1) + e₂⁴/(n₂−1)).
    pub dof: f64,
    /// The two-sided 95 % critical t at ⌊ν⌋ (conservative).
    pub critical: f64,
    /// |t| above the critical value.
    pub significant: bool,
}

/// Two-sided 95 % critical values of Student's t, t₀.₉₇₅(ν) for ν = 1..30 (standard tables).
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

/// t₀.₉₇₅ at ⌊ν⌋ (ν ≥ 1; above 30 the value at 30, a little above the normal's 1.96).
fn critical_t(dof: f64) -> f64 {
    let k = (dof.floor() as usize).clamp(1, T_975.len());
    T_975[k - 1]
}

/// Each two wells with at least two runs each, compared.
fn contrasts(wells: &[WellSummary]) -> Vec<Contrast> {
    let mut out = Vec::new();
    for (i, a) in wells.iter().enumerate() {
        for b in &wells[i + 1..] {
            if a.runs < 2 || b.runs < 2 {
                continue;
            }
            let (va, vb) = (a.rate.error.powi(2), b.rate.error.powi(2));
            let error = (va + vb).sqrt();
            let difference = a.rate.mean - b.rate.mean;
            let denominator = va * va / (a.runs - 1) as f64 + vb * vb / (b.runs - 1) as f64;
            let dof = if denominator > 0.0 {
                (va + vb).powi(2) / denominator
            } else {
                (a.runs + b.runs - 2) as f64
            };
            let t = if error > 0.0 {
                difference / error
            } else {
                f64::INFINITY.copysign(difference)
            };
            let critical = critical_t(dof);
            out.push(Contrast {
                well: a.well.clone(),
                against: b.well.clone(),
                difference: MeanError {
                    mean: difference,
                    error,
                },
                t,
                dof,
                critical,
                significant: t.abs() > critical,
            });
        }
    }
    out
}

fn summary(well: &str, runs: &[SeededRun]) -> WellSummary {
    let mine: Vec<&SeededRun> = runs.iter().filter(|r| r.well == well).collect();
    let over = |f: &dyn Fn(&SeededRun) -> f64| {
        MeanError::of(&mine.iter().map(|r| f(r)).collect::<Vec<_>>())
    };
    WellSummary {
        well: well.into(),
        runs: mine.len(),
        rate: over(&|r| r.rate),
        cluster_start: over(&|r| r.cluster.0 as f64),
        cluster_end: over(&|r| r.cluster.1 as f64),
        fraction_start: over(&|r| r.fraction.0),
        fraction_end: over(&|r| r.fraction.1),
    }
}

impl SeededReport {
    fn write(&mut self, out: &Path) -> Result<(), ReproduceError> {
        let mut cluster = Chart::new(
            "Seeded growth: L in the seed's crystalline cluster",
            Axis::new("time after the insertion (τ)"),
            Axis::new("L in the seed's cluster"),
        );
        let mut fraction = Chart::new(
            "Seeded growth: crystalline L in the box",
            Axis::new("time after the insertion (τ)"),
            Axis::new("crystalline fraction of L"),
        );
        for (k, well) in SeedWell::ALL.iter().enumerate() {
            for r in self.runs.iter().filter(|r| r.well == well.name()) {
                let name = format!("{} (seed {})", r.well, r.seed);
                let t0 = r.rows.first().map_or(0.0, |x| x.0);
                cluster = cluster.with(
                    Series::line(
                        &name,
                        r.rows.iter().map(|x| (x.0 - t0, x.1 as f64)).collect(),
                    )
                    .coloured(series_colour(k)),
                );
                fraction = fraction.with(
                    Series::line(&name, r.rows.iter().map(|x| (x.0 - t0, x.2)).collect())
                        .coloured(series_colour(k)),
                );
            }
        }
        for (stem, chart) in [
            ("seeded-cluster-time", cluster),
            ("seeded-fraction-time", fraction),
        ] {
            self.files.extend(write_plot(out, stem, &chart)?);
        }
        self.files.push("results.json".into());
        self.files.push("results.md".into());
        let path = out.join("results.json");
        std::fs::write(&path, json_text(&path, self)?).map_err(ReproduceError::file(&path))?;
        let path = out.join("results.md");
        std::fs::write(&path, self.markdown()).map_err(ReproduceError::file(&path))
    }

    /// The Markdown page: the command, the per-well table (mean ± standard error over the
    /// seeds), the per-run table, the plots.
    #[must_use]
    pub fn markdown(&self) -> String {
        let p = &self.plan;
        let mut md = format!(
            "# Seeded growth reproduced with `bnsl reproduce seeded`\n\n\
             Command: `{}`  \nQuality {}, bnsl {}, device CPU (one thread). {} particles, \
             fluid compressed {} and equilibrated {} steps, the seed cut in, held {} steps \
             (dt 0.002, Langevin γ = 1); seeds {:?}.\n\n\
             | well | runs | L joining the seed's cluster per τ | seed's cluster (L) start → end | crystalline L start → end |\n\
             |---|---|---|---|---|\n",
            self.command, self.quality, self.version, p.particles, p.compress, p.equilibrate,
            p.hold, p.seeds
        );
        for w in &self.wells {
            md.push_str(&format!(
                "| {} | {} | {:.2} ± {:.2} | {:.0} → {:.0} ± {:.0} | {:.3} → {:.3} ± {:.3} |\n",
                w.well,
                w.runs,
                w.rate.mean,
                w.rate.error,
                w.cluster_start.mean,
                w.cluster_end.mean,
                w.cluster_end.error,
                w.fraction_start.mean,
                w.fraction_end.mean,
                w.fraction_end.error,
            ));
        }
        if !self.contrasts.is_empty() {
            md.push_str(
                "\n| contrast | difference of the rates (L per τ) | t | Welch ν | t₀.₉₇₅(ν) | significant at 95 % |\n\
                 |---|---|---|---|---|---|\n",
            );
            for c in &self.contrasts {
                md.push_str(&format!(
                    "| {} − {} | {:+.2} ± {:.2} | {:.1} | {:.1} | {:.2} | {} |\n",
                    c.well,
                    c.against,
                    c.difference.mean,
                    c.difference.error,
                    c.t,
                    c.dof,
                    c.critical,
                    if c.significant { "yes" } else { "no" },
                ));
            }
        }
        md.push_str(
            "\nState points on the shipped phase diagrams (`data/phase-diagrams/`):\n\n\
             | well | diagram | ε/kT | ρσ³ | fluid / AlB₂ at coexistence | why this density |\n\
             |---|---|---|---|---|---|\n",
        );
        for p in &self.places {
            let coexistence = p.coexistence.map_or("none".to_string(), |[f, s]| {
                format!("{:.3} ± {:.3} / {:.3} ± {:.3}", f.0, f.1, s.0, s.1)
            });
            md.push_str(&format!(
                "| {} | {} | {} | {:.2} | {} | {} |\n",
                p.well.name(),
                p.diagram,
                p.depth,
                p.density,
                coexistence,
                p.reason
            ));
        }
        md.push_str(
            "\n| run | ρσ³ | a, c/a of the seed | fluid pressure | per τ | cluster | fraction | wall |\n\
             |---|---|---|---|---|---|---|---|\n",
        );
        for r in &self.runs {
            md.push_str(&format!(
                "| {} seed {} | {:.2} | {:.3}, {:.3} | {:.2} | {:.2} | {} → {} | {:.3} → {:.3} | {} |\n",
                r.well,
                r.seed,
                r.density,
                r.lattice.0,
                r.lattice.1,
                r.lattice.2,
                r.rate,
                r.cluster.0,
                r.cluster.1,
                r.fraction.0,
                r.fraction.1,
                duration(r.wall_s),
            ));
        }
        if !self.missing.is_empty() {
            md.push_str(&format!(
                "\nNot finished yet (this report covers the runs above only): {}.\n",
                self.missing.join(", ")
            ));
        }
        md.push('\n');
        for f in self.files.iter().filter(|f| f.ends_with(".svg")) {
            md.push_str(&format!("![{f}]({f})\n\n"));
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(well: &str, seed: u64, cluster: (usize, usize)) -> SeededRun {
        SeededRun {
            well: well.into(),
            seed,
            density: 2.2,
            particles: 2_000,
            steps: 15_000,
            dt: 0.002,
            rate: (cluster.1 as f64 - cluster.0 as f64) / 10.0,
            cluster,
            fraction: (0.2, 0.25),
            lattice: (1.031, 1.042, 1.1),
            rows: vec![(20.0, cluster.0, 0.2), (30.0, cluster.1, 0.25)],
            wall_s: 30.0,
        }
    }

    #[test]
    fn the_report_gives_mean_and_error_per_well_and_writes_its_plots() {
        let plan = SeededPlan::new(Quality::Fast, None, 1).expect("plan");
        assert_eq!(plan.seeds, [1, 2, 3]);
        let runs = vec![
            run("narrow", 1, (130, 150)),
            run("narrow", 2, (130, 170)),
            run("repulsive", 1, (100, 100)),
            run("repulsive", 2, (100, 100)),
        ];
        let mut report = SeededReport {
            command: "bnsl reproduce seeded".into(),
            version: crate::VERSION,
            quality: "fast",
            plan,
            wells: SeedWell::ALL
                .iter()
                .map(|w| summary(w.name(), &runs))
                .collect(),
            contrasts: Vec::new(),
            places: SeedWell::ALL.iter().map(|&w| place(w)).collect(),
            runs,
            missing: vec!["wide-s1".into()],
            files: Vec::new(),
        };
        report.contrasts = contrasts(&report.wells);
        let narrow = &report.wells[0];
        assert_eq!(narrow.runs, 2);
        assert!((narrow.rate.mean - 3.0).abs() < 1e-12 && (narrow.rate.error - 1.0).abs() < 1e-12);
        let dir = std::env::temp_dir().join(format!("bnsl-seeded-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        report.write(&dir).expect("written");
        for f in [
            "seeded-cluster-time.svg",
            "seeded-cluster-time.png",
            "results.json",
            "results.md",
        ] {
            assert!(dir.join(f).exists(), "{f}");
        }
        assert!(report.markdown().contains("| narrow | 2 | 3.00 ± 1.00 |"));
        assert!(report.markdown().contains("Not finished yet"));
        // Narrow 3 ± 1 against repulsive 0 ± 0 (two runs each): t = 3, ν = 1, t₀.₉₇₅(1) = 12.7.
        let c = &report.contrasts[0];
        assert_eq!(
            (c.well.as_str(), c.against.as_str()),
            ("narrow", "repulsive")
        );
        assert!((c.t - 3.0).abs() < 1e-12 && (c.dof - 1.0).abs() < 1e-12 && !c.significant);
        assert!(
            (critical_t(4.7) - 2.776).abs() < 1e-12 && (critical_t(99.0) - 2.042).abs() < 1e-12
        );
        std::fs::remove_dir_all(&dir).expect("removed");
    }
}
