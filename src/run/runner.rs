//! The run loop: a schedule of stages driven through [`MdDriver`] (either engine), stopping at
//! every step where an output is due and handing it a [`Moment`]. Resumable: each
//! [`Run::advance`] runs at most a budget of steps, so a worker can report between chunks.

use super::crystal::Crystal;
use super::error::RunError;
use super::output::{Moment, MomentKind, Output};
use crate::gpu::{Device, MdDriver};
use crate::md::config::StageConfig;
use crate::md::threads::Threads;
use crate::md::{fingerprint, Simulation};

/// A run in progress: the engine, the stages and where the run is in them.
pub struct Run {
    driver: MdDriver,
    stages: Vec<StageConfig>,
    crystal: Crystal,
    stage: usize,
    stage_done: u64,
    done: u64,
    total: u64,
    started: bool,
    ended: bool,
    /// The step each output (by its place in the list handed to [`Run::advance`]) last took.
    written: Vec<Option<u64>>,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("driver", &self.driver)
            .field("stage", &self.stage)
            .field("done", &self.done)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Run {
    /// Puts `sim` on `device` (the GPU may decline: then the CPU, with a notice in
    /// [`MdDriver::take_notices`]) and begins the first of `stages`; `crystal` classifies the
    /// moments.
    ///
    /// # Errors
    /// [`RunError::Types`] when `crystal` does not fit the state, [`RunError::Driver`] when the
    /// first stage's compression is refused.
    pub async fn start(
        sim: Simulation,
        device: Device,
        stages: Vec<StageConfig>,
        crystal: Crystal,
    ) -> Result<Self, RunError> {
        crystal.check(sim.state())?;
        let driver = MdDriver::new(sim, device).await;
        let total = stages.iter().map(|s| s.steps).sum();
        let mut run = Self {
            driver,
            stages,
            crystal,
            stage: 0,
            stage_done: 0,
            done: 0,
            total,
            started: false,
            ended: false,
            written: Vec::new(),
        };
        run.begin_stage()?;
        Ok(run)
    }

    fn begin_stage(&mut self) -> Result<(), RunError> {
        if let Some(stage) = self.stages.get(self.stage) {
            if let Some(rho) = stage.compress_to {
                self.driver.compress_to(rho, stage.steps)?;
            }
        }
        Ok(())
    }

    /// The engine (where it runs, its notices, its step counter).
    #[must_use]
    pub fn driver(&self) -> &MdDriver {
        &self.driver
    }

    /// Runs the CPU engine and the analysis of every moment on `n` threads (natively; in
    /// wasm32 on one); the results do not depend on it.
    ///
    /// # Errors
    /// [`RunError::Md`] when the threads cannot be started.
    pub fn set_threads(&mut self, n: usize) -> Result<(), RunError> {
        self.driver.set_threads(n)?;
        self.crystal.set_threads(Threads::new(n)?);
        Ok(())
    }

    /// The engine, to take its notices or switch its device between chunks.
    pub fn driver_mut(&mut self) -> &mut MdDriver {
        &mut self.driver
    }

    /// The classifier of the moments.
    #[must_use]
    pub fn crystal(&self) -> &Crystal {
        &self.crystal
    }

    /// Steps done and steps in all.
    #[must_use]
    pub fn progress(&self) -> (u64, u64) {
        (self.done, self.total)
    }

    /// Whether every stage has run.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.done >= self.total
    }

    /// Whether the outputs had their last moment (the end, or the last good state).
    #[must_use]
    pub fn has_ended(&self) -> bool {
        self.ended
    }

    /// 64-bit fingerprint of the present positions ([`crate::md::fingerprint`]).
    ///
    /// # Errors
    /// When the state cannot be read.
    pub async fn fingerprint(&mut self) -> Result<u64, RunError> {
        Ok(fingerprint(&self.driver.state().await?.pos))
    }

    /// Runs at most `budget` steps, stopping the engine at every step where one of `outputs`
    /// is due and handing the due ones the moment; the first call hands every output the
    /// start, the call that ends the last stage the end, and a call that fails the last good
    /// state, each followed by [`Output::finish`]. Pass the same outputs in the same order to
    /// every call.
    ///
    /// # Errors
    /// [`RunError::Engine`] when the engine stops (after the outputs took the last good state);
    /// an output's error.
    pub async fn advance(
        &mut self,
        budget: u64,
        outputs: &mut [&mut dyn Output],
    ) -> Result<(), RunError> {
        if self.ended {
            return Ok(());
        }
        self.written.resize(outputs.len(), None);
        if !self.started {
            self.started = true;
            self.moment(MomentKind::Start, outputs).await?;
        }
        let mut budget = budget;
        while budget > 0 && !self.is_finished() {
            let stage = self.stages[self.stage];
            let step = self.driver.step();
            let n = outputs
                .iter()
                .map(|o| o.every())
                .filter(|&every| every > 0)
                .fold(budget.min(stage.steps - self.stage_done), |n, every| {
                    n.min(every - step % every)
                });
            if let Err(source) = self.driver.advance(n).await {
                let kept_step = self.driver.step();
                self.done += kept_step.saturating_sub(step);
                let error = RunError::Engine {
                    stage: self.stage + 1,
                    kept_step,
                    source,
                };
                // The engine's error is what the user must see; an output that fails on the
                // last good state as well changes nothing about it.
                let _ = self.moment(MomentKind::LastGood, outputs).await;
                return Err(error);
            }
            budget -= n;
            self.stage_done += n;
            self.done += n;
            if self.stage_done >= stage.steps {
                self.stage += 1;
                self.stage_done = 0;
                self.begin_stage()?;
            }
            if !self.is_finished() {
                self.moment(MomentKind::Interval, outputs).await?;
            }
        }
        if self.is_finished() {
            self.moment(MomentKind::End, outputs).await?;
        }
        Ok(())
    }

    /// Hands the present state to the outputs that are due and have not taken this step yet
    /// (at the start, the end and the last good state: all); after the last moment, finishes
    /// them.
    async fn moment(
        &mut self,
        kind: MomentKind,
        outputs: &mut [&mut dyn Output],
    ) -> Result<(), RunError> {
        let step = self.driver.step();
        let due: Vec<usize> = (0..outputs.len())
            .filter(|&i| {
                let every = outputs[i].every();
                self.written[i] != Some(step)
                    && (kind != MomentKind::Interval || (every > 0 && step.is_multiple_of(every)))
            })
            .collect();
        let last = matches!(kind, MomentKind::End | MomentKind::LastGood);
        if last {
            self.ended = true;
        }
        if !due.is_empty() {
            let state = self.driver.state().await?;
            let observables = self.driver.observables().await?;
            let moment = Moment::new(kind, &state, &observables, &self.crystal);
            for i in due {
                outputs[i].write(&moment)?;
                self.written[i] = Some(step);
            }
        }
        if last {
            for o in outputs.iter_mut() {
                o.finish()?;
            }
        }
        Ok(())
    }
}
