//! `bnsl export --lammps|--hoomd RECIPE --out DIR`: writes a run (a TOML file, `--preset ID
//! [--paper]` or `--link URL|@FILE.json`, resolved as `bnsl run` resolves them) as a LAMMPS
//! deck with its data file and/or a HOOMD-blue 4 script with its initial GSD file
//! ([`crate::export`]). `bnsl export --lammps|--hoomd --experiment fig3e|fig3f|fig4|seeded
//! [--quality Q] [--n N] [--seed S] --out DIR [--resume]` writes every run of that `bnsl
//! reproduce` experiment, one folder each, with a README and a run-all script
//! ([`crate::export::experiment`]). Files already in DIR are never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CliError;
use super::recipe_source::RecipeSource;
use crate::export::{Engine, Plan};

/// Arguments of `bnsl export` (a recipe, or with `--experiment` none).
#[derive(Debug, clap::Args)]
#[command(mut_arg("config", |a| a.required_unless_present("experiment")))]
pub struct ExportArgs {
    /// The run to export.
    #[command(flatten)]
    pub source: RecipeSource,
    /// The engines to write for.
    #[command(flatten)]
    pub engines: EngineFlags,
    /// The folder to write to (created if missing); with both engines, `DIR/lammps` and `DIR/hoomd`.
    #[arg(long)]
    pub out: PathBuf,
    /// Export every run of a `bnsl reproduce` experiment instead (fig3e, fig3f, fig4, seeded):
    /// `DIR/<run>/` each, with `DIR/README.md` and `DIR/run-all.sh`.
    #[arg(long, conflicts_with_all = ["config", "link", "preset", "paper"])]
    pub experiment: Option<String>,
    /// With --experiment: particles per run, as `bnsl reproduce --n` (its quality's default).
    #[arg(long, requires = "experiment")]
    pub n: Option<usize>,
    /// With --experiment: fast, standard (default) or paper, as `bnsl reproduce --quality`.
    #[arg(long, requires = "experiment")]
    pub quality: Option<String>,
    /// With --experiment: the seed of every run, as `bnsl reproduce --seed` (default 1).
    #[arg(long, requires = "experiment")]
    pub seed: Option<u64>,
    /// With --experiment: keep the runs already exported into DIR and export the missing ones
    /// (after a stop).
    #[arg(long, requires = "experiment")]
    pub resume: bool,
}

/// The engine flags of `bnsl export` and `bnsl sweep`.
#[derive(Debug, clap::Args)]
pub struct EngineFlags {
    /// Write a LAMMPS input deck and data file (`in.lammps`, `data.lammps`; `lammps/` in a
    /// sweep's job or an experiment's run).
    #[arg(long)]
    pub lammps: bool,
    /// Write a HOOMD-blue 4 script and its initial state (`run.py`, `init.gsd`; `hoomd/` in a
    /// sweep's job or an experiment's run).
    #[arg(long)]
    pub hoomd: bool,
}

impl EngineFlags {
    /// The engines the flags ask for (maybe none).
    #[must_use]
    pub fn chosen(&self) -> Vec<Engine> {
        [(self.lammps, Engine::Lammps), (self.hoomd, Engine::Hoomd)]
            .into_iter()
            .filter_map(|(on, e)| on.then_some(e))
            .collect()
    }

    /// The engines the flags ask for, at least one.
    ///
    /// # Errors
    /// [`CliError::Argument`] when neither is asked for.
    pub fn required(&self) -> Result<Vec<Engine>, CliError> {
        let list = self.chosen();
        if list.is_empty() {
            return Err(CliError::Argument {
                what: "engine",
                value: String::new(),
                expected: "give --lammps, --hoomd or both".into(),
            });
        }
        Ok(list)
    }
}

/// Writes `files` (paths relative to `dir`), refusing before writing anything when one exists.
///
/// # Errors
/// [`CliError::Overwrite`] for a file already there, [`CliError::File`] when writing fails.
pub(super) fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), CliError> {
    for (name, _) in files {
        let path = dir.join(name);
        if path.exists() {
            return Err(CliError::Overwrite {
                what: "the export".into(),
                path,
                other: "an existing file".into(),
            });
        }
    }
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(CliError::file(parent))?;
        }
        std::fs::write(&path, bytes).map_err(CliError::file(&path))?;
    }
    Ok(())
}

/// Exports the run, or every run of an experiment.
///
/// # Errors
/// What is wrong with the recipe, what the engine cannot run, or a file that cannot be written.
pub fn run(args: &ExportArgs) -> Result<(), CliError> {
    let engines = args.engines.required()?;
    if let Some(name) = &args.experiment {
        return super::export_experiment::run(args, name, &engines);
    }
    let (cfg, frame) = args.source.run_config()?;
    let plan =
        Plan::new(&cfg, frame).map_err(|e| CliError::input(&args.source.label(), e.to_string()))?;
    let mut files = Vec::new();
    for engine in &engines {
        let exported = plan
            .write(*engine)
            .map_err(|e| CliError::input(&args.source.label(), e.to_string()))?;
        for f in exported {
            let name = if engines.len() > 1 {
                format!("{}/{}", engine.folder(), f.name)
            } else {
                f.name.to_owned()
            };
            files.push((name, f.bytes));
        }
    }
    write_all(&args.out, &files)?;
    let mut stdout = std::io::stdout().lock();
    for (name, _) in &files {
        writeln!(stdout, "{}", args.out.join(name).display())?;
    }
    Ok(())
}
