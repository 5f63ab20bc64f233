//! A `bnsl reproduce` experiment exported for LAMMPS and HOOMD-blue (issue #16: "any `bnsl
//! reproduce` experiment"): every run the reproduction makes, at its N, steps and seeds — the
//! compressions of Fig. 3e, 3f and the Fig. 4 droplets from [`crate::reproduce::plan`], the
//! seeded-growth contrast (three wells × three random seeds) from [`SeededPlan`] — each in its
//! own folder `<run>/` with `run.toml` (ours) and `lammps/` and/or `hoomd/`
//! ([`super::run_files`]), plus a `README.md` listing them and a `run-all.sh` running them one
//! after another. A seeded run's data file and `init.gsd` hold the seeded start (the fluid
//! compressed and equilibrated without a seed, the seed cut in), built here by
//! [`crate::md::seeded_start`] exactly as `bnsl reproduce seeded` builds it.

use std::fmt::Write as _;

use super::{lammps, Engine, RUN_TOML};
use crate::md::config::RunConfig;
use crate::reproduce::{plan, Experiment, Quality, ReproduceError, SeededPlan};
use crate::simulate::seeded::SeedWell;

/// The index of an exported experiment.
pub const README: &str = "README.md";
/// The script that runs every run of an exported experiment.
pub const RUN_ALL: &str = "run-all.sh";

/// One run of an experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct ExperimentRun {
    /// Its folder (the reproduction's run identifier: `narrow-2.5`, `alb2`, `wide-s2`).
    pub id: String,
    /// What it is.
    pub label: String,
    /// The run, whole protocol.
    pub config: RunConfig,
    /// What the paper (or, for seeded growth, SCIENCE.md §4) reports for it.
    pub expected: String,
}

impl ExperimentRun {
    /// Particles.
    #[must_use]
    pub fn particles(&self) -> usize {
        self.config.species.iter().map(|s| s.count).sum()
    }

    /// Whether its start is built by a long computation here (the seeded start's fluid).
    #[must_use]
    pub fn seeded(&self) -> bool {
        matches!(
            self.config.initial,
            crate::md::config::InitialConfig::Seeded { .. }
        )
    }
}

/// The runs of one experiment at one quality, size and seed.
#[derive(Clone, Debug, PartialEq)]
pub struct ExperimentExport {
    /// The experiment.
    pub experiment: Experiment,
    /// Its quality.
    pub quality: Quality,
    /// The runs, in the reproduction's order.
    pub runs: Vec<ExperimentRun>,
}

impl ExperimentExport {
    /// The runs `bnsl reproduce EXPERIMENT --quality Q [--n N] --seed S` makes.
    ///
    /// # Errors
    /// [`ReproduceError::Argument`] for a particle count outside its range.
    pub fn new(
        experiment: Experiment,
        quality: Quality,
        particles: Option<usize>,
        seed: u64,
    ) -> Result<Self, ReproduceError> {
        if experiment == Experiment::Seeded {
            let plan = SeededPlan::new(quality, particles, seed)?;
            return Ok(Self::seeded(&plan, quality));
        }
        let runs = plan(experiment, quality, particles, seed)?
            .into_iter()
            .map(|r| ExperimentRun {
                id: r.id,
                label: r.label,
                config: r.config,
                expected: r.paper.describe(),
            })
            .collect();
        Ok(Self {
            experiment,
            quality,
            runs,
        })
    }

    /// The seeded-growth runs of `plan`: every well of [`SeedWell::ALL`] for every seed, named
    /// `<well>-s<seed>` as the reproduction's `runs/` folders.
    #[must_use]
    pub fn seeded(plan: &SeededPlan, quality: Quality) -> Self {
        let runs = SeedWell::ALL
            .iter()
            .flat_map(|well| plan.seeds.iter().map(move |seed| (*well, *seed)))
            .map(|(well, seed)| {
                let id = format!("{}-s{seed}", well.name());
                let spec = plan.spec(well);
                ExperimentRun {
                    label: format!(
                        "AlB₂ seed in a 1:2 fluid at ρσ³ = {}, {} well, random seed {seed}",
                        spec.density,
                        well.name()
                    ),
                    config: spec.config(seed, &id),
                    expected: match well {
                        SeedWell::Narrow => "the seed grows (L join its cluster)",
                        SeedWell::Wide => "the seed does not grow",
                        SeedWell::Repulsive => "the seed melts",
                    }
                    .into(),
                    id,
                }
            })
            .collect();
        Self {
            experiment: Experiment::Seeded,
            quality,
            runs,
        }
    }

    /// The export's `README.md`: what was exported by which command, a table of the runs
    /// (folder, what it is, N, steps per stage, what is expected) and how to run them.
    #[must_use]
    pub fn readme(&self, engines: &[Engine], command: &str) -> String {
        let mut r = String::new();
        let names: Vec<&str> = engines.iter().map(|e| e.name()).collect();
        let _ = writeln!(
            r,
            "# `bnsl reproduce {0}` ({1}) for {2}\n\n\
             Written by `{command}` (bnsl {3}): the {4} runs `bnsl reproduce {0} --quality {5}` \
             makes, at its particle numbers, steps and seeds, each in its own folder with \
             `{RUN_TOML}` (ours: `bnsl run {RUN_TOML}`) and the inputs for {2}.\n",
            self.experiment.name(),
            self.experiment.panel(),
            names.join(" and "),
            crate::VERSION,
            self.runs.len(),
            self.quality.name(),
        );
        r.push_str("| folder | run | particles | steps per stage | expected |\n");
        r.push_str("| --- | --- | --- | --- | --- |\n");
        for run in &self.runs {
            let steps: Vec<String> = run
                .config
                .stage
                .iter()
                .map(|s| s.steps.to_string())
                .collect();
            let _ = writeln!(
                r,
                "| `{}/` | {} | {} | {} | {} |",
                run.id,
                run.label,
                run.particles(),
                steps.join(" + "),
                run.expected
            );
        }
        r.push_str(
            "\nRun them all one after another with `sh run-all.sh` (LAMMPS: `LMP=\"mpirun -np 8 \
             lmp\" sh run-all.sh`; HOOMD-blue: arguments go to every `run.py`, e.g. `sh \
             run-all.sh --device gpu`), or submit each folder as its own job on a cluster: \
             `lmp -in in.lammps` in `<run>/lammps/`, `python3 run.py` in `<run>/hoomd/`.\n",
        );
        if self.runs.iter().any(ExperimentRun::seeded) {
            r.push_str(
                "\nThe seeded runs start from the seeded start that `bnsl reproduce seeded` \
                 builds (the fluid compressed and equilibrated without a seed, the AlB₂ seed cut \
                 in at the box centre): it is their data file and `init.gsd`; the engines only \
                 hold it at constant volume.\n",
            );
        }
        r.push_str(
            "\nWhat each engine writes and how it matches ours: docs/export.md. Trajectories \
             differ from ours after step 0 (other integrators, other noise); compare averages \
             and the crystalline fraction (`bnsl classify` reads HOOMD-blue's `trajectory.gsd`).\n",
        );
        r
    }

    /// The export's `run-all.sh`: each run's engines in turn, stopping at the first failure.
    #[must_use]
    pub fn run_all(&self, engines: &[Engine]) -> String {
        let mut s = format!(
            "#!/bin/sh\n# Runs every run of `bnsl reproduce {}` exported by bnsl {}, one after \
             another.\n# LAMMPS: LMP (default lmp), e.g. LMP=\"mpirun -np 8 lmp\"; HOOMD-blue: \
             PYTHON (default python3),\n# this script's arguments go to every run.py (e.g. \
             --device gpu).\nset -e\ncd \"$(dirname \"$0\")\"\n",
            self.experiment.name(),
            crate::VERSION
        );
        for run in &self.runs {
            for engine in engines {
                let folder = format!("{}/{}", run.id, engine.folder());
                let command = match engine {
                    Engine::Lammps => format!("${{LMP:-lmp}} -in {}", lammps::INPUT),
                    Engine::Hoomd => {
                        format!("${{PYTHON:-python3}} {} \"$@\"", super::hoomd::SCRIPT)
                    }
                };
                let _ = writeln!(s, "echo \"{folder}\" >&2\n(cd \"{folder}\" && {command})");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lists_every_run_and_the_script_runs_them_in_order() {
        let e = ExperimentExport::new(Experiment::Fig4, Quality::Fast, Some(300), 1).expect("runs");
        assert_eq!(e.runs.len(), 2);
        let readme = e.readme(&[Engine::Lammps], "bnsl export …");
        for run in &e.runs {
            assert!(readme.contains(&format!("| `{}/` |", run.id)), "{readme}");
        }
        assert!(readme.contains("| 300 | 16000 |"), "{readme}");
        let script = e.run_all(&[Engine::Lammps, Engine::Hoomd]);
        let at = |s: &str| script.find(s).unwrap_or_else(|| panic!("{s}: {script}"));
        assert!(at("\"alb2/lammps\" && ${LMP:-lmp} -in in.lammps") < at("\"alb2/hoomd\""));
        assert!(at("\"alb2/hoomd\" && ${PYTHON:-python3} run.py \"$@\"") < at("\"nazn13/lammps\""));
    }

    #[test]
    fn seeded_growth_is_three_wells_times_the_seeds() {
        let plan = SeededPlan::new(Quality::Fast, None, 7).expect("plan");
        let e = ExperimentExport::seeded(&plan, Quality::Fast);
        let ids: Vec<&str> = e.runs.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), 9);
        assert_eq!(ids[0], "narrow-s7");
        assert_eq!(ids[8], "repulsive-s9");
        assert!(e.runs.iter().all(ExperimentRun::seeded));
        assert!(!e.runs[8].config.pair.attractive);
    }
}
