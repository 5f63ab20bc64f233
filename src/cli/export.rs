//! `bnsl export --lammps|--hoomd RECIPE --out DIR`: writes a run (a TOML file, `--preset ID
//! [--paper]` or `--link URL|@FILE.json`, resolved as `bnsl run` resolves them) as a LAMMPS
//! deck with its data file and/or a HOOMD-blue 4 script with its initial GSD file
//! ([`crate::export`]). Files already in DIR are never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CliError;
use crate::export::{export, Engine};
use crate::md::config::{InitialConfig, RunConfig};
use crate::model::Frame;
use crate::simulate::{preset, PresetSize, Recipe, PRESET_IDS};

/// Where a run description comes from: a TOML file, a preset or a share link.
#[derive(Debug, clap::Args)]
pub struct RecipeSource {
    /// The run description (TOML).
    #[arg(required_unless_present_any = ["link", "preset"])]
    pub config: Option<PathBuf>,
    /// The recipe of a share link (`https://…/#/simulate?r=…`, or `@FILE.json`).
    #[arg(long, conflicts_with_all = ["config", "preset"])]
    pub link: Option<String>,
    /// A preset of the Simulate tab (`bnsl run --preset list` lists them).
    #[arg(long, conflicts_with = "config")]
    pub preset: Option<String>,
    /// With --preset: the paper's 27,000-particle size instead of the small one.
    #[arg(long, requires = "preset")]
    pub paper: bool,
}

impl RecipeSource {
    /// The run description and, for `initial.kind = "gsd"`, its frame.
    ///
    /// # Errors
    /// What is wrong with the file, link or preset (its field, line and column).
    pub fn resolve(&self) -> Result<(RunConfig, Option<Frame>), CliError> {
        if let Some(link) = &self.link {
            let recipe = if let Some(path) = link.strip_prefix('@') {
                let path = Path::new(path);
                let json =
                    super::input::read_file(path, super::input::MAX_CONFIG_BYTES, "a recipe")?;
                Recipe::from_json(&json).map_err(|e| CliError::input(path, e.to_string()))?
            } else {
                Recipe::from_link(link)?
            };
            return Ok((recipe.run, None));
        }
        if let Some(id) = &self.preset {
            let size = if self.paper {
                PresetSize::Paper
            } else {
                PresetSize::Small
            };
            return preset(id, size)
                .map(|p| (p.recipe.run, None))
                .ok_or_else(|| CliError::Unknown {
                    what: "preset",
                    value: id.clone(),
                    choices: PRESET_IDS.join(", "),
                });
        }
        let Some(path) = self.config.as_deref() else {
            return Err(CliError::Argument {
                what: "recipe",
                value: String::new(),
                expected: "give a CONFIG.toml, --link or --preset".into(),
            });
        };
        let text =
            super::input::read_text(path, super::input::MAX_CONFIG_BYTES, "a run configuration")?;
        let cfg = RunConfig::from_toml(&text).map_err(|source| CliError::Config {
            path: path.to_owned(),
            source,
        })?;
        if let Some(p) = crate::simulate::check_run_config(&cfg).first() {
            return Err(CliError::input(path, format!("{}: {}", p.field, p.message)));
        }
        let frame = match &cfg.initial {
            InitialConfig::Gsd { path: gsd, frame } => Some(
                super::eval::read_frame(Path::new(gsd), *frame)
                    .map_err(|e| CliError::input(path, format!("initial.path: {e}")))?,
            ),
            _ => None,
        };
        Ok((cfg, frame))
    }

    /// What names the recipe in messages.
    #[must_use]
    pub fn label(&self) -> PathBuf {
        match (&self.config, &self.preset, &self.link) {
            (Some(p), _, _) => p.clone(),
            (_, Some(id), _) => PathBuf::from(format!("--preset {id}")),
            _ => PathBuf::from("--link"),
        }
    }
}

/// Arguments of `bnsl export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The run to export.
    #[command(flatten)]
    pub source: RecipeSource,
    /// Write a LAMMPS input deck and data file (`in.lammps`, `data.lammps`).
    #[arg(long)]
    pub lammps: bool,
    /// Write a HOOMD-blue 4 script and its initial state (`run.py`, `init.gsd`).
    #[arg(long)]
    pub hoomd: bool,
    /// The folder to write to (created if missing); with both engines, `DIR/lammps` and `DIR/hoomd`.
    #[arg(long)]
    pub out: PathBuf,
}

/// The engines the flags ask for.
///
/// # Errors
/// [`CliError::Argument`] when neither is asked for.
pub(super) fn engines(lammps: bool, hoomd: bool) -> Result<Vec<Engine>, CliError> {
    let list: Vec<Engine> = [(lammps, Engine::Lammps), (hoomd, Engine::Hoomd)]
        .into_iter()
        .filter_map(|(on, e)| on.then_some(e))
        .collect();
    if list.is_empty() {
        return Err(CliError::Argument {
            what: "engine",
            value: String::new(),
            expected: "give --lammps, --hoomd or both".into(),
        });
    }
    Ok(list)
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

/// Exports the run.
///
/// # Errors
/// What is wrong with the recipe, what the engine cannot run, or a file that cannot be written.
pub fn run(args: &ExportArgs) -> Result<(), CliError> {
    let engines = engines(args.lammps, args.hoomd)?;
    let (cfg, frame) = args.source.resolve()?;
    let mut files = Vec::new();
    for engine in &engines {
        let exported = export(&cfg, frame.clone(), *engine)
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
