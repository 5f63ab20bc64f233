//! One run loop (issue #12), after lumol's `Simulation::run` with its `Output`s at set
//! frequencies: a schedule of stages (`md::config::StageConfig`: equilibrate, compress to a
//! density, hold, …) drives either engine through [`crate::gpu::MdDriver`], and the outputs
//! attached to the run take a [`Moment`] at the start, at every multiple of their interval, at
//! the end and — when the engine stops — at the last good state.
//!
//! Data flows one way: the engine's state and observables → a [`Moment`] (classified on demand
//! by the run's [`Crystal`], once per moment however many outputs ask) → the outputs: the CSV
//! log ([`CsvLog`]), the GSD trajectory ([`GsdTrajectory`]), the page's rows and frames
//! (`jobs::simulate`), the last moment ([`Summary`]) and any caller's own [`Output`].
//!
//! Every face drives this loop: `bnsl run CONFIG.toml` (either device), `bnsl run --link` /
//! `--preset`, and the Simulate tab's worker job, a chunk per [`Run::advance`] call.

mod crystal;
mod error;
mod files;
mod output;
mod runner;
mod seed_growth;

pub use crystal::{structure_of, Crystal, Sample, Snapshot};
pub use error::{RunError, UNSTABLE_HINT};
pub use files::{CsvLog, GsdTrajectory, Summary};
pub use output::{Moment, MomentKind, Output};
pub use runner::Run;
pub use seed_growth::{GrowthRow, SeedGrowth};
