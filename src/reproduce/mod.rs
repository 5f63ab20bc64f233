//! `bnsl reproduce` (issue #15): the paper's self-assembly panels run end to end — the runs
//! (the Simulate tab's presets scaled to N and a quality, SCIENCE.md §1 table and §4), the
//! analysis (crystalline fraction of L against density and time; for the Fig. 4 droplets the
//! effective packing fraction where crystallisation starts), the plots (SVG and PNG), a
//! Markdown and a JSON table.
//!
//! Long work is checkpointed: each run is cut into pieces ([`plan`]), each ending with the
//! state in double precision ([`execute`]), so an interrupted reproduction continues with
//! `--resume` from the last checkpoint of its unfinished run and skips the finished ones. Runs
//! are deterministic from their seed: a resumed run is the same as an uninterrupted one.
//!
//! Native only (files, wall clock); the core runs through the one run loop, [`crate::run`].

mod error;
mod execute;
mod experiment;
mod on_diagram;
pub mod plan;
mod png;
mod report;
mod results;
mod seeded;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use error::ReproduceError;
pub use execute::{execute, Record, RunFolder, RunProgress};
pub use experiment::{Experiment, Quality, EXPERIMENTS};
pub use plan::{plan, PaperResult, PlannedRun, MIN_PARTICLES};
pub use png::svg_to_png;
pub use report::{duration, Report};
pub use results::{onset, read_rows, result_of, Row, RunResult, ONSET_FRACTION};
pub use seeded::{run_seeded, SeededPlan, SeededReport, SEEDS_PER_WELL};

/// What to reproduce and where.
#[derive(Clone, Debug)]
pub struct Request {
    /// The panel.
    pub experiment: Experiment,
    /// How long the runs are.
    pub quality: Quality,
    /// Particles per run (the quality's default when `None`).
    pub particles: Option<usize>,
    /// The seed of every run.
    pub seed: u64,
    /// The output folder.
    pub out: PathBuf,
    /// Continue the reproduction already in `out`.
    pub resume: bool,
    /// Seeded only: steps held after the insertion (the quality's when `None`).
    pub hold: Option<u64>,
    /// The runs this invocation does (seeded: `narrow-s1`, …); empty for all. Several
    /// invocations with disjoint runs may share one folder (each started after the first with
    /// `resume`); each writes the report of the runs finished so far.
    pub only: Vec<String>,
    /// The command line, recorded in the report.
    pub command: String,
}

/// Where the reproduction is, for progress reports with time left.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// The run's identifier.
    pub run: String,
    /// Its place (from 1) and the number of runs.
    pub index: (usize, usize),
    /// Steps of the run done and in all.
    pub steps: (u64, u64),
    /// Whether the run had finished before this invocation (skipped).
    pub skipped: bool,
    /// Estimated seconds left for this run and for the whole reproduction (`None` until
    /// this invocation has measured a rate).
    pub left_s: Option<(f64, f64)>,
}

/// The plan file of an output folder.
const PLAN_FILE: &str = "plan.json";

/// The plan as stored in the folder: what makes two invocations the same reproduction.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct StoredPlan {
    experiment: Experiment,
    quality: Quality,
    seed: u64,
    runs: Vec<PlannedRun>,
    seeded: Option<SeededPlan>,
}

/// What a reproduction wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The Markdown page (also in `results.md`).
    pub markdown: String,
    /// The files written into the output folder (plots, `results.json`, `results.md`).
    pub files: Vec<String>,
}

/// Runs `request` end to end, calling `progress` every few thousand steps, and writes the
/// report into its folder.
///
/// # Errors
/// [`ReproduceError`]: an argument outside its range, a folder holding something else (or
/// this reproduction without `resume`), a run that failed, a file that could not be written.
pub fn reproduce(
    request: &Request,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Outcome, ReproduceError> {
    if request.hold.is_some() && request.experiment != Experiment::Seeded {
        return Err(ReproduceError::Argument {
            what: "--hold",
            value: request.hold.unwrap_or_default().to_string(),
            allowed: "--hold applies to the seeded experiment".into(),
        });
    }
    if !request.only.is_empty() && request.experiment != Experiment::Seeded {
        return Err(ReproduceError::Argument {
            what: "--only",
            value: request.only.join(","),
            allowed: "--only applies to the seeded experiment (its runs are independent)".into(),
        });
    }
    let (runs, seeded) = if request.experiment == Experiment::Seeded {
        let mut p = SeededPlan::new(request.quality, request.particles, request.seed)?;
        if let Some(hold) = request.hold {
            p = p.held(hold)?;
        }
        p.check_only(&request.only)?;
        (Vec::new(), Some(p))
    } else {
        let runs = plan(
            request.experiment,
            request.quality,
            request.particles,
            request.seed,
        )?;
        (runs, None)
    };
    let stored = StoredPlan {
        experiment: request.experiment,
        quality: request.quality,
        seed: request.seed,
        runs,
        seeded,
    };
    prepare_folder(&request.out, &stored, request.resume)?;
    if let Some(p) = &stored.seeded {
        let report = run_seeded(
            &request.out,
            p,
            request.quality,
            &request.only,
            request.command.clone(),
            progress,
        )?;
        return Ok(Outcome {
            markdown: report.markdown(),
            files: report.files,
        });
    }
    let runs = stored.runs;
    let work = |r: &PlannedRun, steps: u64| r.particles() as f64 * steps as f64 * r.cost_weight();
    let mut records = Vec::new();
    for r in &runs {
        records.push(RunFolder::new(&request.out, r).record()?);
    }
    let mut left_work: f64 = runs
        .iter()
        .zip(&records)
        .map(|(r, rec)| work(r, r.steps() - rec.steps_done.min(r.steps())))
        .sum();
    let started = Instant::now();
    let mut done_work = 0.0;
    for (i, (r, before)) in runs.iter().zip(&records).enumerate() {
        let folder = RunFolder::new(&request.out, r);
        let skipped = before.pieces_done == r.pieces.len();
        progress(&Progress {
            run: r.id.clone(),
            index: (i + 1, runs.len()),
            steps: (before.steps_done, r.steps()),
            skipped,
            left_s: None,
        });
        if skipped {
            continue;
        }
        let mut last = before.steps_done;
        execute(&folder, r, &mut |p: RunProgress| {
            let w = work(r, p.step - last);
            last = p.step;
            done_work += w;
            left_work -= w;
            let rate = started.elapsed().as_secs_f64() / done_work.max(1.0);
            progress(&Progress {
                run: r.id.clone(),
                index: (i + 1, runs.len()),
                steps: (p.step, p.steps),
                skipped: false,
                left_s: Some((work(r, p.steps - p.step) * rate, left_work.max(0.0) * rate)),
            });
        })?;
    }
    let mut results = Vec::new();
    for r in &runs {
        let folder = RunFolder::new(&request.out, r);
        results.push(result_of(&folder, r, &folder.record()?)?);
    }
    let mut report = Report::new(
        request.experiment,
        request.quality,
        request.seed,
        request.command.clone(),
        results,
    );
    report.write(&request.out)?;
    Ok(Outcome {
        markdown: report.markdown(),
        files: report.files,
    })
}

/// Checks that `out` is new, empty, or holds this very reproduction (then only with
/// `resume`), and stores the plan.
fn prepare_folder(out: &Path, stored: &StoredPlan, resume: bool) -> Result<(), ReproduceError> {
    let path = out.join(PLAN_FILE);
    let refuse = |message: String| ReproduceError::Folder {
        path: out.to_owned(),
        message,
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            let same = serde_json::from_slice::<StoredPlan>(&bytes).is_ok_and(|p| p == *stored);
            if !same {
                return Err(refuse(format!(
                    "it holds another reproduction ({PLAN_FILE} differs in experiment, quality, \
                     --n, --seed or the product's protocol); choose another --out"
                )));
            }
            if !resume {
                return Err(refuse(
                    "it already holds this reproduction; pass --resume to continue it, or \
                     choose another --out"
                        .into(),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let occupied = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
            if occupied {
                return Err(refuse(format!(
                    "the folder is not empty and holds no reproduction ({PLAN_FILE}); choose \
                     a new or empty folder"
                )));
            }
            std::fs::create_dir_all(out).map_err(ReproduceError::file(out))?;
            let text =
                serde_json::to_string_pretty(stored).map_err(|e| ReproduceError::Content {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
            std::fs::write(&path, text).map_err(ReproduceError::file(&path))
        }
        Err(source) => Err(ReproduceError::File { path, source }),
    }
}
