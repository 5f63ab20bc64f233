//! Where the run of `bnsl run`, `bnsl export` and `bnsl sweep` comes from: a TOML file, a
//! preset of the Simulate tab (`--preset ID [--paper]`) or a share link (`--link URL|@FILE.json`),
//! with `--max-steps` cutting every stage short. One set of flags ([`RecipeSource`], flattened
//! into the three commands) and one resolution ([`RecipeSource::resolve`]), so the three read a
//! recipe the same way and name a bad one with the same message.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CliError;
use crate::md::config::{InitialConfig, RunConfig, StageConfig};
use crate::model::Frame;
use crate::simulate::{preset, PresetSize, Recipe, MAX_PARTICLES, PRESET_IDS};

/// The recipe-source flags.
#[derive(Debug, clap::Args)]
pub struct RecipeSource {
    /// The run description (TOML).
    #[arg(required_unless_present_any = ["link", "preset"])]
    pub config: Option<PathBuf>,
    /// The recipe of a share link (`https://…/#/simulate?r=…`, or `@FILE.json` for a recipe
    /// as JSON); `bnsl run` prints its fingerprint.
    #[arg(long, conflicts_with_all = ["config", "preset"])]
    pub link: Option<String>,
    /// A preset of the Simulate tab (`bnsl run --preset list` lists them); `bnsl run` prints
    /// its fingerprint.
    #[arg(long, conflicts_with = "config")]
    pub preset: Option<String>,
    /// With --preset: the paper's 27,000-particle size instead of the small one.
    #[arg(long, requires = "preset")]
    pub paper: bool,
    /// Cut every stage to at most this many steps (for a quick look at a long protocol).
    #[arg(long)]
    pub max_steps: Option<u64>,
}

/// A recipe source resolved.
#[derive(Debug)]
pub enum Resolved {
    /// A run description from a TOML file.
    File {
        /// The file.
        path: PathBuf,
        /// The run it describes (stages cut to `--max-steps`).
        config: RunConfig,
        /// The frame its initial state reads: the start of `initial.kind = "gsd"`, or the
        /// fluid of a seeded start (`initial.fluid`).
        frame: Option<Frame>,
    },
    /// The recipe of a preset or share link (stages cut to `--max-steps`).
    Recipe(Recipe),
}

impl RecipeSource {
    /// Whether the source is `--preset list` (list the presets, run nothing).
    #[must_use]
    pub fn lists_presets(&self) -> bool {
        self.preset.as_deref() == Some("list")
    }

    /// Resolves the source: reads and checks the file, the link or the preset, then cuts
    /// every stage to `--max-steps`.
    ///
    /// # Errors
    /// What is wrong with the file (its field, line and column), the link or the preset.
    pub fn resolve(&self) -> Result<Resolved, CliError> {
        let mut resolved = if self.link.is_some() || self.preset.is_some() {
            Resolved::Recipe(self.recipe()?)
        } else {
            let Some(path) = self.config.as_deref() else {
                return Err(CliError::Argument {
                    what: "recipe",
                    value: String::new(),
                    expected: "give a CONFIG.toml, --link or --preset".into(),
                });
            };
            let (config, frame) = read_config(path)?;
            Resolved::File {
                path: path.to_owned(),
                config,
                frame,
            }
        };
        if let Some(most) = self.max_steps {
            let stages = match &mut resolved {
                Resolved::File { config, .. } => &mut config.stage,
                Resolved::Recipe(recipe) => &mut recipe.run.stage,
            };
            cut_stages(stages, most);
        }
        Ok(resolved)
    }

    /// The run description and the frame its initial state reads (see [`Resolved`]).
    ///
    /// # Errors
    /// As [`RecipeSource::resolve`].
    pub fn run_config(&self) -> Result<(RunConfig, Option<Frame>), CliError> {
        Ok(match self.resolve()? {
            Resolved::File { config, frame, .. } => (config, frame),
            Resolved::Recipe(recipe) => (recipe.run, None),
        })
    }

    /// What names the recipe in messages: the file, `--preset ID` or `--link`.
    #[must_use]
    pub fn label(&self) -> PathBuf {
        match (&self.config, &self.preset, &self.link) {
            (Some(p), _, _) => p.clone(),
            (_, Some(id), _) => PathBuf::from(format!("--preset {id}")),
            _ => PathBuf::from("--link"),
        }
    }

    /// The recipe `--link` or `--preset` names.
    fn recipe(&self) -> Result<Recipe, CliError> {
        if let Some(link) = &self.link {
            return if let Some(path) = link.strip_prefix('@') {
                let path = Path::new(path);
                let json =
                    super::input::read_file(path, super::input::MAX_CONFIG_BYTES, "a recipe")?;
                Recipe::from_json(&json).map_err(|e| CliError::input(path, e.to_string()))
            } else {
                Ok(Recipe::from_link(link)?)
            };
        }
        let id = self.preset.as_deref().unwrap_or_default();
        let size = if self.paper {
            PresetSize::Paper
        } else {
            PresetSize::Small
        };
        preset(id, size)
            .map(|p| p.recipe)
            .ok_or_else(|| CliError::Unknown {
                what: "preset",
                value: id.to_owned(),
                choices: format!(
                    "`bnsl run --preset list` lists them: {}",
                    PRESET_IDS.join(", ")
                ),
            })
    }
}

/// Prints every preset's identifier and title, one a line.
///
/// # Errors
/// [`CliError::Stdout`] when standard output is closed.
pub fn list_presets() -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    for id in PRESET_IDS {
        if let Some(p) = preset(id, PresetSize::Small) {
            writeln!(stdout, "{id}\t{}", p.title)?;
        }
    }
    Ok(())
}

/// Cuts every stage to at most `most` steps (the compression of a cut stage still reaches its
/// density, sooner).
pub fn cut_stages(stages: &mut [StageConfig], most: u64) {
    for stage in stages {
        stage.steps = stage.steps.min(most);
    }
}

/// Reads and checks the run description at `path`, and the GSD frame its initial state reads.
fn read_config(path: &Path) -> Result<(RunConfig, Option<Frame>), CliError> {
    let text =
        super::input::read_text(path, super::input::MAX_CONFIG_BYTES, "a run configuration")?;
    let cfg = RunConfig::from_toml(&text).map_err(|source| CliError::Config {
        path: path.to_owned(),
        source,
    })?;
    if let Some(p) = crate::simulate::check_run_config(&cfg).first() {
        return Err(CliError::input(path, format!("{}: {}", p.field, p.message)));
    }
    let source = match &cfg.initial {
        InitialConfig::Gsd { path, frame } => Some(("initial.path", path, *frame)),
        InitialConfig::Seeded {
            fluid: Some(path), ..
        } => Some(("initial.fluid", path, -1)),
        _ => None,
    };
    let Some((field, gsd, index)) = source else {
        return Ok((cfg, None));
    };
    let frame = super::eval::read_frame(Path::new(gsd), index)
        .map_err(|e| CliError::input(path, format!("{field}: {e}")))?;
    if frame.len() > MAX_PARTICLES {
        return Err(CliError::input(
            Path::new(gsd),
            format!(
                "the frame has {} particles, more than the {MAX_PARTICLES} a run may have",
                frame.len(),
            ),
        ));
    }
    Ok((cfg, Some(frame)))
}
