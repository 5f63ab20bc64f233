//! Long work the page hands to its Web Worker: simulations, trajectory analyses, SAXS fits,
//! free energies.
//!
//! A job is a state machine that does one chunk of work (10–50 ms) per [`Job::advance`] and
//! returns what it has to say ([`Emit`]): progress, results. The worker (`src/bin/bnsl-worker.rs`,
//! driven by `app::worker`) calls `advance` until the job is done, yielding between chunks so
//! that pause, resume and stop requests are seen at once; natively, [`drive`] runs a job to
//! the end (tests, the command line). `advance` returns a future because GPU read-backs are
//! asynchronous in the browser.
//!
//! Every request and event is plain serde data (JSON between page and worker); bulky inputs
//! and outputs travel as a byte attachment beside the JSON ([`Emit::attachment`], the `input`
//! of [`build`]) or as [`PackedF32`].
//!
//! Adding a job: one [`JobSpec`] variant, one [`JobOutput`] variant, one arm in [`build`].

pub mod analyse;
pub mod coexistence;
pub mod fit_pattern;
pub mod fit_series;
pub mod free_energy;
mod packed;
pub mod phase_link;
mod probe;
pub mod simulate;
pub mod wire;

pub use packed::PackedF32;
pub use probe::{Probe, ProbeError, ProbeOutput, ProbeSpec};

use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;

/// What to run: one variant per kind of job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobSpec {
    /// The worker's self-test: counts chunks (proves start, progress, pause and stop).
    Probe(ProbeSpec),
    /// A Simulate-tab run ([`simulate::SimulateJob`]).
    Simulate(Box<simulate::SimulateSpec>),
    /// The Analyse tab's trajectory analysis ([`analyse::Analyse`]; input: the GSD bytes).
    Analyse(analyse::AnalyseSpec),
    /// The SAXS tab's series fit ([`fit_series::FitSeries`]).
    FitSeries(fit_series::FitSeriesSpec),
    /// The SAXS tab's single-pattern fit ([`fit_pattern::FitPattern`]).
    FitPattern(Box<fit_pattern::FitPatternSpec>),
    /// The Phase diagram tab's recompute ([`free_energy::FreeEnergyJob`]).
    FreeEnergy(free_energy::FreeEnergySpec),
    /// The Phase diagram tab's coexistence recompute ([`coexistence::CoexistenceJob`]).
    Coexistence(coexistence::CoexistenceSpec),
}

impl JobSpec {
    /// What the job is, in words for messages ("the series fit").
    #[must_use]
    pub fn describe(&self) -> &'static str {
        match self {
            JobSpec::Probe(_) => "the worker's self-test",
            JobSpec::Simulate(_) => "the simulation",
            JobSpec::Analyse(_) => "the trajectory analysis",
            JobSpec::FitSeries(_) => "the series fit",
            JobSpec::FitPattern(_) => "the SAXS fit",
            JobSpec::FreeEnergy(_) => "the free energy",
            JobSpec::Coexistence(_) => "the coexistence",
        }
    }
}

/// A result a job reports: one variant per kind of job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobOutput {
    /// Output of [`Probe`].
    Probe(ProbeOutput),
    /// Output of [`simulate::SimulateJob`].
    Simulate(Box<simulate::SimulateOutput>),
    /// One analysed frame of [`analyse::Analyse`] (labels in the attachment).
    Analyse(analyse::AnalyseOutput),
    /// The frames fitted so far by [`fit_series::FitSeries`].
    FitSeries(fit_series::FitSeriesOutput),
    /// The fit of [`fit_pattern::FitPattern`].
    FitPattern(Box<fit_pattern::FitPatternOutput>),
    /// What [`free_energy::FreeEnergyJob`] says.
    FreeEnergy(free_energy::FreeEnergyOutput),
    /// What [`coexistence::CoexistenceJob`] says.
    Coexistence(coexistence::CoexistenceOutput),
}

/// How far a job has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Units of work done (steps, frames, patterns).
    pub done: u64,
    /// Units of work in all (0 when unknown).
    pub total: u64,
    /// A short human note, e.g. "frame 12 of 40" or "1830 steps/s".
    pub note: String,
}

impl Progress {
    /// Fraction done in [0, 1] (0 when the total is unknown).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0)
        }
    }
}

/// Something a job says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobEvent {
    /// Progress so far.
    Progress(Progress),
    /// A result (partial or final).
    Output(JobOutput),
}

/// An event with an optional byte attachment (e.g. a GSD file), moved without copying to the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Emit {
    /// The event.
    pub event: JobEvent,
    /// Raw bytes that go with it (empty when none).
    pub attachment: Vec<u8>,
}

impl Emit {
    /// An event without attachment.
    pub fn event(event: JobEvent) -> Self {
        Emit {
            event,
            attachment: Vec::new(),
        }
    }

    /// A progress event.
    pub fn progress(done: u64, total: u64, note: impl Into<String>) -> Self {
        Emit::event(JobEvent::Progress(Progress {
            done,
            total,
            note: note.into(),
        }))
    }

    /// An output event.
    pub fn output(output: JobOutput) -> Self {
        Emit::event(JobEvent::Output(output))
    }
}

/// The outcome of one chunk of work.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// More to do; these events happened in this chunk.
    Continue(Vec<Emit>),
    /// Finished; the last events.
    Done(Vec<Emit>),
}

/// A job failed: one variant per job's layer; the message says what and where, in words for
/// the user.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The probe's spec or its planned failure.
    #[error("probe: {0}")]
    Probe(#[from] probe::ProbeError),
    /// A Simulate run could not start or stopped.
    #[error(transparent)]
    Simulate(#[from] crate::simulate::RecipeError),
    /// The trajectory analysis failed.
    #[error(transparent)]
    Analyse(#[from] crate::analysis::pipeline::PipelineError),
    /// No trajectory was given to analyse.
    #[error("no file was given to analyse")]
    NoTrajectory,
    /// The label bytes of an analysed frame do not fit its report.
    #[error(
        "frame {frame}: {bytes} label bytes for {classifiers} classifiers of {particles} particles"
    )]
    Labels {
        /// The frame.
        frame: u64,
        /// Bytes given.
        bytes: usize,
        /// Classifiers of the report.
        classifiers: usize,
        /// Particles of the frame.
        particles: usize,
    },
    /// The series to fit has no frames, or not one time per frame.
    #[error(
        "the series has {frames} frames and {times} times; need at least one frame, one time each"
    )]
    SeriesShape {
        /// Frames given.
        frames: usize,
        /// Times given.
        times: usize,
    },
    /// A frame of the series has another length than q.
    #[error("frame {frame} has {values} values for {q} q points")]
    SeriesFrame {
        /// The frame.
        frame: usize,
        /// Its values.
        values: usize,
        /// The q points.
        q: usize,
    },
    /// A series is fitted with lattice models only.
    #[error("a series is fitted with lattice models; choose auto, alb2, nazn13 or alb2+nazn13")]
    SeriesModel,
    /// The fit of the series' last frame (its start) failed.
    #[error("fit of the last frame failed: {0}")]
    SeriesStart(crate::saxs::FitError),
    /// The series fit stopped.
    #[error("series fit stopped: {0}")]
    FitSeries(crate::saxs::FitError),
    /// The pattern's arrays differ in length.
    #[error("the pattern has {q} q values but {other} {what}")]
    PatternShape {
        /// q values.
        q: usize,
        /// Length of the other array.
        other: usize,
        /// Which array (intensities, errors, resolutions).
        what: &'static str,
    },
    /// The pattern is too short to fit.
    #[error("the pattern has {0} points; a fit needs at least 3")]
    PatternTooShort(usize),
    /// The single-pattern fit failed.
    #[error("fit failed: {0}")]
    FitPattern(crate::saxs::FitError),
    /// The free energy's state point is out of range.
    #[error("state point: {0}")]
    FreeEnergySpec(#[from] free_energy::SpecError),
    /// The free energy could not be computed.
    #[error("free energy: {0}")]
    FreeEnergy(crate::thermo::ThermoError),
}

/// The future [`Job::advance`] returns.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<Step, JobError>> + 'a>>;

/// Long work done one chunk at a time.
pub trait Job {
    /// Does about 10–50 ms of work and says what happened.
    fn advance(&mut self) -> JobFuture<'_>;
}

/// Builds the job `spec` asks for; `input` is the byte attachment sent with the request
/// (a trajectory, a data file), empty when none.
pub fn build(spec: JobSpec, input: Vec<u8>) -> Result<Box<dyn Job>, JobError> {
    match spec {
        JobSpec::Probe(spec) => Ok(Box::new(Probe::new(spec)?)),
        JobSpec::Simulate(spec) => Ok(Box::new(simulate::SimulateJob::new(&spec)?)),
        JobSpec::Analyse(spec) => Ok(Box::new(analyse::Analyse::new(spec, input)?)),
        JobSpec::FitSeries(spec) => Ok(Box::new(fit_series::FitSeries::new(spec)?)),
        JobSpec::FitPattern(spec) => Ok(Box::new(fit_pattern::FitPattern::new(*spec)?)),
        JobSpec::FreeEnergy(spec) => Ok(Box::new(free_energy::FreeEnergyJob::new(spec)?)),
        JobSpec::Coexistence(spec) => Ok(Box::new(coexistence::CoexistenceJob::new(spec)?)),
    }
}

/// A request from the page to its worker (JSON; [`WorkerRequest::Start`] may carry bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Build and run this job (one job per worker).
    Start(JobSpec),
    /// Stop after the current chunk until resumed.
    Pause,
    /// Go on after a pause.
    Resume,
    /// Stop after the current chunk for good.
    Stop,
}

/// A message from the worker to the page (JSON; events may carry bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerReply {
    /// The worker has loaded and listens.
    Ready,
    /// Something the job said.
    Event(JobEvent),
    /// The job is paused (after the current chunk).
    Paused,
    /// The job goes on.
    Resumed,
    /// The job ended on a stop request.
    Stopped,
    /// The job finished its work.
    Finished,
    /// The job (or the request) failed.
    Failed(String),
}

/// Runs `job` to the end on this thread and returns every event it emitted (native only).
#[cfg(not(target_arch = "wasm32"))]
pub fn drive(job: &mut dyn Job) -> Result<Vec<Emit>, JobError> {
    let mut all = Vec::new();
    loop {
        match pollster::block_on(job.advance())? {
            Step::Continue(emits) => all.extend(emits),
            Step::Done(emits) => {
                all.extend(emits);
                return Ok(all);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_replies_round_trip_as_json() {
        let req = WorkerRequest::Start(JobSpec::Probe(ProbeSpec {
            chunks: 3,
            work_per_chunk: 10,
            fail_at: None,
            panic_at: None,
        }));
        let text = serde_json::to_string(&req).unwrap();
        assert_eq!(serde_json::from_str::<WorkerRequest>(&text).unwrap(), req);
        let reply = WorkerReply::Event(JobEvent::Progress(Progress {
            done: 1,
            total: 3,
            note: "chunk 1".into(),
        }));
        let text = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<WorkerReply>(&text).unwrap(), reply);
        assert!(serde_json::from_str::<WorkerRequest>("{\"Start\":{\"Nope\":1}}").is_err());
    }

    #[test]
    fn progress_fraction_is_bounded() {
        let p = |done, total| Progress {
            done,
            total,
            note: String::new(),
        };
        assert_eq!(p(5, 0).fraction(), 0.0);
        assert_eq!(p(5, 10).fraction(), 0.5);
        assert_eq!(p(15, 10).fraction(), 1.0);
    }
}
