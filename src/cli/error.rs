//! The command-line tool's one error type: the core's errors, each with the file it concerns,
//! and the tool's own refusals. A closed standard output (`bnsl order … | head`) is not an
//! error worth a message: [`CliError::is_closed_pipe`].

use std::path::{Path, PathBuf};

use crate::analysis::AnalysisError;
use crate::io::gsd::GsdError;
use crate::md::MdError;
use crate::run::RunError;
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
    /// An argument has a value the command does not know.
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
    /// A command's own message.
    #[error("{0}")]
    Message(String),
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::Message(message)
    }
}

impl CliError {
    /// A file error for `path`.
    pub fn file(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| CliError::File {
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
