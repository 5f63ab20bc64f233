//! The command-line tool's one error type: the core's errors, each with the file it concerns,
//! and the tool's own refusals. A closed standard output (`bnsl order … | head`) is not an
//! error worth a message: [`CliError::is_closed_pipe`].

use std::path::{Path, PathBuf};

use crate::analysis::AnalysisError;
use crate::gpu::GpuError;
use crate::io::gsd::GsdError;
use crate::md::MdError;
use crate::run::RunError;
use crate::saxs::read::ReadError;
use crate::saxs::FitError;
use crate::simulate::RecipeError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Standard output could not be written.
    #[error("standard output: {0}")]
    Stdout(#[from] std::io::Error),
    /// A GSD file could not be read or written.
    #[error("{}: {source}", path.display())]
    Gsd {
        /// The file.
        path: PathBuf,
        /// The GSD error.
        source: GsdError,
    },
    /// The analysis of one frame of a file failed.
    #[error("{}: frame {frame}: {source}", path.display())]
    Frame {
        /// The file.
        path: PathBuf,
        /// The frame.
        frame: u64,
        /// Why.
        source: AnalysisError,
    },
    /// A GSD file lacks the frame asked for.
    #[error("{}: frame {index} does not exist ({count} frames)", path.display())]
    NoFrame {
        /// The file.
        path: PathBuf,
        /// The frame asked for (negative: from the end).
        index: i64,
        /// Frames in the file.
        count: u64,
    },
    /// A TOML run description is not valid.
    #[error("{}: {source}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// Where and what (line, column, field).
        source: toml::de::Error,
    },
    /// A JSON input is not valid.
    #[error("{}: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Where and what.
        source: serde_json::Error,
    },
    /// Writing would destroy an input or another output of the same run.
    #[error("{what} '{}' is also {other}: the run would overwrite it; choose another file name (nothing was written)", path.display())]
    Overwrite {
        /// The output (`output.log`, `--trajectory`, …).
        what: String,
        /// Its path.
        path: PathBuf,
        /// The input or output it collides with.
        other: String,
    },
    /// An argument names something the command does not know.
    #[error("unknown {what} '{value}': {choices}")]
    Unknown {
        /// The argument.
        what: &'static str,
        /// Its value.
        value: String,
        /// What it may name.
        choices: String,
    },
    /// An input refused before any work: larger than its limit (checked while reading), not
    /// UTF-8, a value outside the engine's bounds, a degenerate fit (issue #18).
    #[error("{}: {message}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong and where (field, line).
        message: String,
    },
    /// An argument has a value the command cannot use.
    #[error("{what} '{value}': {expected}")]
    Argument {
        /// The argument.
        what: &'static str,
        /// Its value.
        value: String,
        /// What it may be.
        expected: String,
    },
    /// The engine refused its input.
    #[error(transparent)]
    Md(#[from] MdError),
    /// A run stopped.
    #[error(transparent)]
    Run(#[from] RunError),
    /// A recipe (link, preset) could not be read, checked or run.
    #[error(transparent)]
    Recipe(#[from] RecipeError),
    /// An analysis failed.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// A reproduction (`bnsl reproduce`) stopped.
    #[error(transparent)]
    Reproduce(#[from] crate::reproduce::ReproduceError),
    /// The GPU path failed.
    #[error(transparent)]
    Gpu(#[from] GpuError),
    /// A data file could not be read as S(q).
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Where and what.
        source: ReadError,
    },
    /// A fit failed.
    #[error("{}: {source}", path.display())]
    Fit {
        /// The data file (or the benchmark's workload).
        path: PathBuf,
        /// Why.
        source: FitError,
    },
    /// A free-energy computation failed.
    #[error(transparent)]
    Thermo(crate::thermo::ThermoError),
    /// A state point of a phase-diagram campaign failed; the points before it are kept.
    #[error("state point {point}: {source} (the points done are kept; --resume retries this one)")]
    StatePoint {
        /// The point's name (`0007-fluid-depth1.5-rho0.75`).
        point: String,
        /// Why.
        source: Box<crate::thermo::ThermoError>,
    },
    /// A series has no frames.
    #[error("{}: the series has no frames", .0.display())]
    EmptySeries(PathBuf),
    /// A fitted series lacks a phase at a time.
    #[error("phase {phase} missing at t = {time}")]
    MissingPhase {
        /// The phase (model order).
        phase: usize,
        /// The time.
        time: f64,
    },
}

impl CliError {
    /// An input refusal for `path`.
    pub fn input(path: &Path, message: impl Into<String>) -> Self {
        CliError::Input {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    /// A file error for `path`.
    pub fn file(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| CliError::File {
            path: path.to_owned(),
            source,
        }
    }

    /// A read error for `path`.
    pub fn read(path: &Path) -> impl FnOnce(ReadError) -> Self + '_ {
        move |source| CliError::Read {
            path: path.to_owned(),
            source,
        }
    }

    /// A fit error for `path`.
    pub fn fit(path: &Path) -> impl FnOnce(FitError) -> Self + '_ {
        move |source| CliError::Fit {
            path: path.to_owned(),
            source,
        }
    }

    /// A GSD error for `path`.
    pub fn gsd(path: &Path) -> impl FnOnce(GsdError) -> Self + '_ {
        move |source| CliError::Gsd {
            path: path.to_owned(),
            source,
        }
    }

    /// Whether standard output was closed by its reader (`| head`): then the command stops
    /// quietly, as a Unix filter does.
    #[must_use]
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, CliError::Stdout(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
