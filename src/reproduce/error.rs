//! Why a reproduction stopped: a bad argument (named, with its allowed range), a folder that
//! holds another reproduction, a file that could not be read or written, a run that failed.

use std::path::PathBuf;

use crate::io::gsd::GsdError;
use crate::md::MdError;
use crate::plot::PlotError;
use crate::run::RunError;

/// Why a reproduction stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReproduceError {
    /// An argument is outside its allowed values.
    #[error("{what} '{value}': {allowed}")]
    Argument {
        /// The argument (`--n`, `--quality`, the experiment).
        what: &'static str,
        /// The value given.
        value: String,
        /// The allowed values or range.
        allowed: String,
    },
    /// The output folder holds something else than this reproduction, or holds it without
    /// `--resume`.
    #[error("{}: {message} (nothing was written)", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What is there and what to do.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A checkpoint could not be read or written.
    #[error("{}: {source}", path.display())]
    Gsd {
        /// The file.
        path: PathBuf,
        /// The GSD error.
        source: GsdError,
    },
    /// A file of the reproduction has unexpected content.
    #[error("{}: {message}", path.display())]
    Content {
        /// The file.
        path: PathBuf,
        /// What is wrong, where.
        message: String,
    },
    /// A run could not be set up.
    #[error("run '{run}': {source}")]
    Setup {
        /// The run's identifier.
        run: String,
        /// The engine's refusal.
        source: Box<MdError>,
    },
    /// A run stopped.
    #[error("run '{run}': {source}")]
    Run {
        /// The run's identifier.
        run: String,
        /// Why.
        source: Box<RunError>,
    },
    /// A plot could not be drawn.
    #[error("plot '{name}': {source}")]
    Plot {
        /// The plot's file stem.
        name: String,
        /// Why.
        source: PlotError,
    },
    /// A plot could not be rasterised to PNG.
    #[error("plot '{name}': PNG: {message}")]
    Png {
        /// The plot's file stem.
        name: String,
        /// Why.
        message: String,
    },
}

impl ReproduceError {
    /// A closure turning an I/O error on `path` into [`ReproduceError::File`].
    pub(crate) fn file(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::File {
            path: path.to_owned(),
            source,
        }
    }
}
