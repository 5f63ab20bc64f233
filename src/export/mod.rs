//! Runs taken to the engines the field runs at scale (issue #16): a run description
//! ([`RunConfig`], from a TOML file, a preset or a share link) written as a LAMMPS input deck
//! with its data file ([`lammps`]) or as a HOOMD-blue 4 script with its initial GSD file
//! ([`hoomd`]), and grids of such runs as a signac workspace ([`sweep`], [`signac`]).
//!
//! Both writers start from the state `bnsl run` would start from: the run description is built
//! by [`RunConfig::build`], so the particles, their sub-types (polydisperse bins), velocities,
//! pair table and droplet radius are exactly ours; only the equations of motion after step 0
//! are the other engine's. What cannot be matched exactly is listed in docs/export.md.

#[cfg(not(target_arch = "wasm32"))]
pub mod experiment;
pub mod hoomd;
pub mod lammps;
mod plan;
pub mod signac;
pub mod sweep;

pub use plan::{engine_mie, Plan, StagePlan};

use crate::md::config::RunConfig;
use crate::md::MdError;
use crate::model::Frame;

/// Which engine to write for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// LAMMPS (`in.lammps` + `data.lammps`).
    Lammps,
    /// HOOMD-blue 4 (`run.py` + `init.gsd`).
    Hoomd,
}

impl Engine {
    /// The folder an export for this engine goes to inside a sweep job or an experiment's run
    /// (`lammps`, `hoomd`).
    #[must_use]
    pub fn folder(self) -> &'static str {
        match self {
            Engine::Lammps => "lammps",
            Engine::Hoomd => "hoomd",
        }
    }

    /// The files an export for this engine writes (input, initial state).
    #[must_use]
    pub fn files(self) -> [&'static str; 2] {
        match self {
            Engine::Lammps => [lammps::INPUT, lammps::DATA],
            Engine::Hoomd => [hoomd::SCRIPT, hoomd::INITIAL],
        }
    }

    /// The engine's name in prose.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Engine::Lammps => "LAMMPS",
            Engine::Hoomd => "HOOMD-blue",
        }
    }
}

/// One file of an export: its name relative to the export folder and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// File name (no folders).
    pub name: &'static str,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Why a run cannot be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The run description does not build.
    #[error("{0}")]
    Md(#[from] MdError),
    /// The run uses something the target engine cannot express.
    #[error("{engine} cannot run this: {what}")]
    Unsupported {
        /// The engine.
        engine: &'static str,
        /// What it lacks.
        what: String,
    },
    /// The initial GSD file could not be written.
    #[error("initial GSD file: {0}")]
    Gsd(#[from] crate::io::gsd::GsdError),
    /// The run description has no TOML form.
    #[error("run.toml: {0}")]
    Toml(String),
}

/// Writes the run `cfg` for `engine`. `frame` is the GSD frame of `initial.kind = "gsd"`
/// (the caller reads the file), as for [`RunConfig::build`].
///
/// # Errors
/// [`ExportError::Md`] when the run does not build, [`ExportError::Unsupported`] for what the
/// engine lacks (the purely repulsive Mie form without the shift, see [`engine_mie`]).
pub fn export(
    cfg: &RunConfig,
    frame: Option<Frame>,
    engine: Engine,
) -> Result<Vec<ExportFile>, ExportError> {
    Plan::new(cfg, frame)?.write(engine)
}

/// The file of the run description `bnsl run` runs natively in an export's folder.
pub const RUN_TOML: &str = "run.toml";

/// `(path, bytes)` of a run's files under `folder`: `folder/run.toml` (ours, for `bnsl run`)
/// and `folder/<engine>/…` for each of `engines`, all from one [`Plan`] (a seeded start is
/// built once). `progress(done, total)` hears of a seeded start's fluid steps.
///
/// # Errors
/// As [`export`]; [`ExportError::Toml`] when the run description has no TOML form.
pub fn run_files(
    folder: &str,
    cfg: &RunConfig,
    frame: Option<Frame>,
    engines: &[Engine],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let toml = toml::to_string(cfg).map_err(|e| ExportError::Toml(e.to_string()))?;
    let mut files = vec![(format!("{folder}/{RUN_TOML}"), toml.into_bytes())];
    if engines.is_empty() {
        return Ok(files);
    }
    let plan = Plan::new_reported(cfg, frame, progress)?;
    for engine in engines {
        for f in plan.write(*engine)? {
            files.push((format!("{folder}/{}/{}", engine.folder(), f.name), f.bytes));
        }
    }
    Ok(files)
}
