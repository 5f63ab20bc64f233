//! Why a recipe cannot be read, checked or run.

use crate::analysis::AnalysisError;
use crate::io::link::LinkError;
use crate::md::MdError;
use crate::run::RunError;

/// Why a recipe cannot be read, checked or run.
#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    /// The link itself is damaged, too long, of another link format, …
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The recipe was written by another version of the recipe format.
    #[error("the recipe was made by {} version of BNSL Studio (recipe format {found}, this page reads {supported})", if *found > u64::from(*supported) { "a newer" } else { "an older" })]
    Format {
        /// Format in the recipe.
        found: u64,
        /// Format this build reads.
        supported: u32,
    },
    /// The recipe's fields do not describe a run (unknown or missing field, wrong type).
    #[error("the recipe is not valid: {0}")]
    Content(String),
    /// A value is outside its bounds.
    #[error("{field}: {message}")]
    Bound {
        /// The field, e.g. `species[0].count` or `pair.m`.
        field: String,
        /// What is wrong, with the value and the rule.
        message: String,
    },
    /// The run is larger than a page should start without asking.
    #[error("{particles} particles is more than {limit}: this run needs a confirmation (it may take hours and much memory)")]
    NeedsConfirmation {
        /// Particles asked for.
        particles: usize,
        /// The size up to which no confirmation is needed.
        limit: usize,
    },
    /// Building or advancing the simulation failed.
    #[error(transparent)]
    Md(#[from] MdError),
    /// Classifying a frame failed.
    #[error("crystal classification: {0}")]
    Analysis(#[from] AnalysisError),
    /// The run loop stopped (the engine, an output, a classification).
    #[error(transparent)]
    Run(#[from] RunError),
}
