//! The analysis of a whole trajectory as the Analyse tab shows it (SCIENCE.md §2, Fig. 3e and
//! Fig. 4): per frame, the crystalline fraction of the large particles under each classifier,
//! the q_l histograms against their thresholds, the Fig. 4 labels, the local density, g(r)
//! and S(q).
//!
//! [`AnalysisSettings`] says what to compute (editable, validated field by field),
//! [`FrameWork`] analyses one frame in stages, [`TrajectoryRun`] walks a GSD file held in
//! memory frame by frame, and [`FrameReport`] is the plain-array result.

mod draft;
mod frame;
mod report;
mod run;
mod settings;
pub mod species;

pub use draft::{issue_for, ClassifierDraft, RuleDraft, RuleKind, SettingsDraft};
pub use frame::FrameWork;
pub use report::{ClassifierReport, Curve, DensityReport, FrameReport, Histogram, RuleReport};
pub use run::{RunStep, TrajectoryRun};
pub use settings::{
    AnalysisSettings, DensitySettings, DensityThreshold, RdfSettings, SettingIssue,
    StructureFactorSettings, MAX_RULE_K,
};

use crate::analysis::AnalysisError;
use crate::io::gsd::GsdError;

/// Why a trajectory could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The settings are invalid (every problem listed).
    #[error("invalid analysis settings: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Settings(Vec<SettingIssue>),
    /// The file is not a readable HOOMD GSD trajectory.
    #[error("this file cannot be read as a GSD trajectory: {0}")]
    Gsd(#[from] GsdError),
    /// The file holds no frames.
    #[error("the GSD file holds no frames")]
    NoFrames,
    /// A frame could not be analysed.
    #[error("frame {frame}, {what}: {source}")]
    Analysis {
        /// Index of the frame.
        frame: u64,
        /// The stage (classifier name, "local density", …).
        what: String,
        /// The analysis error.
        source: AnalysisError,
    },
}
