//! `bnsl sweep RECIPE --depth … --density … --seed … --well … --out DIR [--lammps] [--hoomd]`
//! writes a signac project (signac 2 layout, job ids as signac computes them) with one job per
//! grid point ([`crate::export::sweep`]), job by job with `job k/n` on standard error (`--resume`
//! writes only the jobs missing after a stop); `bnsl sweep --collect DIR` prints each job's state
//! point and the last row of its log as one JSON line.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CliError;
use super::export::{write_all, EngineFlags};
use super::recipe_source::RecipeSource;
use crate::export::signac::{CONFIG, CONFIG_TEXT, STATEPOINT, WORKSPACE};
use crate::export::sweep::{final_row, jobs, Grid, Well, LOGS};

/// Arguments of `bnsl sweep` (a base recipe, or with `--collect` none).
#[derive(Debug, clap::Args)]
#[command(mut_arg("config", |a| a.required_unless_present("collect")))]
pub struct SweepArgs {
    /// The base run: a TOML file, a preset or a share link (`--max-steps` cuts its stages).
    #[command(flatten)]
    pub source: RecipeSource,
    /// Well depths ε/kT, comma separated (> 0).
    #[arg(long, value_delimiter = ',')]
    pub depth: Vec<f64>,
    /// Final number densities ρσ³, comma separated.
    #[arg(long, value_delimiter = ',')]
    pub density: Vec<f64>,
    /// Seeds, comma separated.
    #[arg(long, value_delimiter = ',')]
    pub seed: Vec<u64>,
    /// Wells, comma separated: narrow (Mie 50–25, 1.5 σ) and/or wide (50–6, 3 σ).
    #[arg(long, value_delimiter = ',')]
    pub well: Vec<String>,
    /// The engines each job is also written for (`lammps/`, `hoomd/`).
    #[command(flatten)]
    pub engines: EngineFlags,
    /// The project folder to create.
    #[arg(long, required_unless_present = "collect")]
    pub out: Option<PathBuf>,
    /// Write only the jobs not yet in the project (after a stop or an error).
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Read a project's results back: one JSON line per job.
    #[arg(long, conflicts_with_all = ["out", "config", "link", "preset"])]
    pub collect: Option<PathBuf>,
}

/// Writes the project, or collects its results.
///
/// # Errors
/// A grid value out of bounds, a job that cannot be exported, a file that cannot be written
/// or read.
pub fn run(args: &SweepArgs) -> Result<(), CliError> {
    if let Some(dir) = &args.collect {
        return collect(dir);
    }
    let Some(out) = &args.out else {
        return Err(CliError::Argument {
            what: "sweep",
            value: String::new(),
            expected: "give a base recipe and --out DIR, or --collect DIR".into(),
        });
    };
    let source = &args.source;
    let wells = args
        .well
        .iter()
        .map(|w| {
            Well::from_name(w).ok_or_else(|| CliError::Unknown {
                what: "well",
                value: w.clone(),
                choices: "narrow, wide".into(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let grid = Grid {
        depths: args.depth.clone(),
        densities: args.density.clone(),
        seeds: args.seed.clone(),
        wells,
    };
    let engines = args.engines.chosen();
    let (base, frame) = source.run_config()?;
    if frame.is_some() {
        return Err(CliError::input(
            &source.label(),
            "initial.kind = \"gsd\" (or a seeded start's initial.fluid): a sweep starts every \
             job from its own fluid; give a random or seeded fluid",
        ));
    }
    let jobs = jobs(&base, &grid).map_err(|e| CliError::input(&source.label(), e.to_string()))?;
    let mut kept = Vec::new();
    for job in &jobs {
        let folder = out.join(job.folder());
        if !folder.exists() {
            continue;
        }
        let statepoint = folder.join(STATEPOINT);
        let same = std::fs::read_to_string(&statepoint).is_ok_and(|t| t == job.statepoint_text());
        if !(args.resume && same) {
            return Err(CliError::Overwrite {
                what: format!("job {}", job.statepoint),
                path: folder,
                other: if same {
                    "already written (pass --resume to write only the missing jobs)".into()
                } else {
                    "a folder that is not this job's".into()
                },
            });
        }
        kept.push(job.id.clone());
    }
    let config = out.join(CONFIG);
    if !config.exists() {
        write_all(out, &[(CONFIG.to_owned(), CONFIG_TEXT.as_bytes().to_vec())])?;
    }
    let mut stdout = std::io::stdout().lock();
    for (k, job) in jobs.iter().enumerate() {
        if !kept.contains(&job.id) {
            let files = job
                .files(&engines)
                .map_err(|e| CliError::input(&source.label(), e.to_string()))?;
            write_all(out, &files)?;
        }
        writeln!(stdout, "{} {}", job.id, job.statepoint)?;
        eprintln!(
            "job {}/{}{}",
            k + 1,
            jobs.len(),
            if kept.contains(&job.id) {
                " (kept)"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn collect(dir: &Path) -> Result<(), CliError> {
    let workspace = dir.join(WORKSPACE);
    let mut ids: Vec<PathBuf> = std::fs::read_dir(&workspace)
        .map_err(CliError::file(&workspace))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join(STATEPOINT).is_file())
        .collect();
    ids.sort();
    let mut stdout = std::io::stdout().lock();
    for job in ids {
        let sp_path = job.join(STATEPOINT);
        let sp_bytes =
            super::input::read_file(&sp_path, super::input::MAX_CONFIG_BYTES, "a state point")?;
        let statepoint: serde_json::Value =
            serde_json::from_slice(&sp_bytes).map_err(|source| CliError::Json {
                path: sp_path.clone(),
                source,
            })?;
        let mut result = serde_json::json!({
            "id": job.file_name().map(|n| n.to_string_lossy().into_owned()),
            "statepoint": statepoint,
            "log": null,
            "final": null,
        });
        for log in LOGS {
            let path = job.join(log);
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(CliError::file(&path))?;
            if let Some(row) = final_row(log, &text) {
                result["log"] = serde_json::json!(log);
                result["final"] = row
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::json!(v)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
                break;
            }
        }
        writeln!(stdout, "{result}")?;
    }
    Ok(())
}
