//! Why a run stopped: the engine's fault (with the stage and the last good step, and a hint
//! when the dynamics became unstable), an output that could not be written, a classification
//! that failed.

use crate::analysis::AnalysisError;
use crate::gpu::{DriverError, GpuError};
use crate::io::gsd::GsdError;
use crate::md::MdError;

/// What the user can change when the dynamics became unstable.
pub const UNSTABLE_HINT: &str =
    "try a smaller time step dt, or a slower compression (more steps in the compressing stage)";

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The engine stopped in a stage; the run kept its last good state (step `kept_step`).
    #[error("stage {stage}: {source}{}", if is_unstable(source) { format!("; the last good state is step {kept_step}: {UNSTABLE_HINT}") } else { String::new() })]
    Engine {
        /// The stage, counted from 1.
        stage: usize,
        /// The step of the last good state.
        kept_step: u64,
        /// The engine's error.
        source: DriverError,
    },
    /// Setting up a stage (its compression) or the engine failed.
    #[error(transparent)]
    Driver(#[from] DriverError),
    /// The engine refused its input.
    #[error(transparent)]
    Md(#[from] MdError),
    /// Classifying a moment failed.
    #[error("crystal classification: {0}")]
    Analysis(#[from] AnalysisError),
    /// The species make other engine types than the state has.
    #[error("the species make {species_types} sub-types but the initial state has {state_types}")]
    Types {
        /// Sub-types the species make.
        species_types: usize,
        /// Types of the state.
        state_types: usize,
    },
    /// A text output (a CSV log) could not be written.
    #[error("{name}: {source}")]
    Write {
        /// The output's name (its file).
        name: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A trajectory could not be written.
    #[error("{name}: {source}")]
    Trajectory {
        /// The output's name (its file).
        name: String,
        /// The GSD error.
        source: GsdError,
    },
}

/// Whether an engine error means the dynamics became unstable (not bad input or a lost device).
fn is_unstable(e: &DriverError) -> bool {
    match e {
        DriverError::Md(m) => matches!(m, MdError::Blowup { .. } | MdError::OutsideWall { .. }),
        DriverError::Gpu(g) => matches!(g, GpuError::Escaped { .. } | GpuError::NonFinite { .. }),
    }
}

impl RunError {
    /// Whether the run stopped because its dynamics became unstable (a blow-up, a particle
    /// through the wall): then [`UNSTABLE_HINT`] applies.
    #[must_use]
    pub fn is_unstable(&self) -> bool {
        matches!(self, RunError::Engine { source, .. } if is_unstable(source))
    }
}
