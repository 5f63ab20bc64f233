//! What a run gives its outputs (lumol's `Output`: setup / write / finish, called at set
//! frequencies): a [`Moment`] — the state, its observables and, computed once on demand, its
//! crystal classification — at the start, at every multiple of the output's interval, at the
//! end, and at the last good state when the run stops on an error.

use std::cell::OnceCell;

use super::crystal::{Crystal, Sample, Snapshot};
use super::error::RunError;
use crate::analysis::{AnalysisError, Classification};
use crate::md::{Observables, State};
use crate::model::Frame;

/// Why the loop hands a moment to the outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MomentKind {
    /// The initial state, before the first step.
    Start,
    /// A multiple of the output's interval.
    Interval,
    /// The end of the last stage.
    End,
    /// The last good state of a run that stopped on an error.
    LastGood,
}

/// One moment of a run, as its outputs see it.
pub struct Moment<'a> {
    /// Why this moment is handed out.
    pub kind: MomentKind,
    /// The state (positions, velocities, step, …).
    pub state: &'a State,
    /// Its observables.
    pub observables: &'a Observables,
    crystal: &'a Crystal,
    classified: OnceCell<Result<(Frame, Classification), AnalysisError>>,
}

impl<'a> Moment<'a> {
    /// A moment of `state`, classified by `crystal` when an output asks.
    #[must_use]
    pub fn new(
        kind: MomentKind,
        state: &'a State,
        observables: &'a Observables,
        crystal: &'a Crystal,
    ) -> Self {
        Self {
            kind,
            state,
            observables,
            crystal,
            classified: OnceCell::new(),
        }
    }

    /// The step of the state.
    #[must_use]
    pub fn step(&self) -> u64 {
        self.state.step
    }

    /// Whether the run ends here (the last stage is done, or the run stopped on an error).
    #[must_use]
    pub fn is_last(&self) -> bool {
        matches!(self.kind, MomentKind::End | MomentKind::LastGood)
    }

    fn classified(&self) -> Result<&(Frame, Classification), RunError> {
        self.classified
            .get_or_init(|| {
                let frame = self.crystal.species_frame(self.state);
                self.crystal.classify(&frame).map(|c| (frame, c))
            })
            .as_ref()
            .map_err(|e| RunError::Analysis(e.clone()))
    }

    /// The frame with one type per species (what the classifier reads) and its
    /// classification, computed once per moment.
    ///
    /// # Errors
    /// [`RunError::Analysis`] when the classifier cannot run.
    pub fn classification(&self) -> Result<(&Frame, &Classification), RunError> {
        self.classified().map(|(f, c)| (f, c))
    }

    /// The species index of the large particles in [`Moment::classification`]'s frame.
    #[must_use]
    pub fn large(&self) -> u32 {
        self.crystal.large()
    }

    /// The observables and the crystalline fraction of the large species (SCIENCE.md §2).
    ///
    /// # Errors
    /// [`RunError::Analysis`] when the classifier cannot run.
    pub fn sample(&self) -> Result<Sample, RunError> {
        let (frame, classification) = self.classified()?;
        Ok(Sample {
            observables: *self.observables,
            crystalline_fraction: self.crystal.fraction(frame, classification),
        })
    }

    /// The configuration with its Fig. 4 roles and q_l, for the view.
    ///
    /// # Errors
    /// [`RunError::Analysis`] when the classifier or q_l cannot run.
    pub fn snapshot(&self) -> Result<Snapshot, RunError> {
        let (frame, classification) = self.classified()?;
        self.crystal
            .snapshot(self.state, frame.clone(), classification)
    }
}

/// Something attached to a run: a log, a trajectory, the page's rows and frames, a caller's own.
pub trait Output {
    /// Steps between writes (0: only at the start and the end). The loop stops the engine at
    /// every multiple of the step counter.
    fn every(&self) -> u64;

    /// Takes one moment: the start, a multiple of [`Output::every`], the end, or the last good
    /// state of a run that stopped (see [`Moment::kind`]); each step at most once.
    ///
    /// # Errors
    /// When the output cannot be written or the moment cannot be analysed.
    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError>;

    /// Called once after the last moment (the end, or the last good state): close files.
    ///
    /// # Errors
    /// When the output cannot be completed.
    fn finish(&mut self) -> Result<(), RunError> {
        Ok(())
    }
}
