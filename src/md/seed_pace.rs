//! The seeded start's preparation paced in slices (issue #15): making the fluid, the lattice
//! search's trial crystals and the insertion run for seconds to minutes before the first frame,
//! so they run as a future that gives control back every slice of work ([`Pace::run`]) and says
//! where it is ([`Preparation`]). The page's worker polls that future one slice per chunk, so
//! it shows the stage with progress and time left and sees pause and stop requests at once;
//! natively the future is polled to its end at once ([`finish`]). The slices change nothing in
//! the dynamics: `Simulation::run(a + b)` is `run(a)` then `run(b)`.

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use serde::{Deserialize, Serialize};

use super::error::MdError;
use super::simulation::Simulation;

/// What the preparation is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreparationStage {
    /// Compressing the fluid to the growth density.
    Compress,
    /// Equilibrating it (its pressure is measured in the second half).
    Equilibrate,
    /// Running trial crystal number `trial` (from 1) of the lattice search.
    Lattice {
        /// The trial's number.
        trial: usize,
    },
    /// Densifying the fluid by the seed's overlap shell and cutting the seed in.
    Insert,
}

impl PreparationStage {
    /// The stage in words, for progress lines.
    #[must_use]
    pub fn describe(self) -> String {
        match self {
            Self::Compress => "compressing the fluid".into(),
            Self::Equilibrate => "equilibrating the fluid and measuring its pressure".into(),
            Self::Lattice { trial } => {
                format!(
                    "matching the seed's lattice to the fluid's pressure (trial crystal {trial})"
                )
            }
            Self::Insert => "cutting the seed in".into(),
        }
    }
}

/// Where the preparation is: the stage and the work done and in all (an estimate while the
/// lattice search runs: its number of trials is known only at its end), in steps of the fluid
/// (particle-steps divided by the fluid's particles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preparation {
    /// The stage.
    pub stage: PreparationStage,
    /// Work done.
    pub done: u64,
    /// Work in all (at least `done`).
    pub total: u64,
}

/// Particle-steps per slice: about the page's chunk (20,000 at the narrow well's range,
/// `simulate::chunk_steps`), so a slice lasts 10–50 ms in a browser.
pub const SLICE_PARTICLE_STEPS: u64 = 20_000;

/// Gives control back once (wakes itself, so an executor polls again at once).
struct Yield(bool);

impl Future for Yield {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The preparation's clock: counts its work in particle-steps, reports it and yields after each
/// slice.
pub struct Pace<'p> {
    /// Particles of the fluid (the unit of [`Preparation`]'s steps).
    fluid: u64,
    stage: PreparationStage,
    done: u64,
    total: u64,
    since_yield: u64,
    progress: &'p mut dyn FnMut(Preparation),
}

impl<'p> Pace<'p> {
    /// A clock for a fluid of `fluid` particles and `total` particle-steps expected in all.
    pub fn new(fluid: usize, total: u64, progress: &'p mut dyn FnMut(Preparation)) -> Self {
        Self {
            fluid: fluid.max(1) as u64,
            stage: PreparationStage::Compress,
            done: 0,
            total,
            since_yield: 0,
            progress,
        }
    }

    /// Enters `stage` and reports it.
    pub fn enter(&mut self, stage: PreparationStage) {
        self.stage = stage;
        self.report();
    }

    /// Work expected in all (particle-steps), at least what is done.
    pub fn expect(&mut self, total: u64) {
        self.total = total;
    }

    /// Work done so far (particle-steps).
    #[must_use]
    pub fn done(&self) -> u64 {
        self.done
    }

    fn report(&mut self) {
        let total = self.total.max(self.done);
        (self.progress)(Preparation {
            stage: self.stage,
            done: self.done / self.fluid,
            total: total / self.fluid,
        });
    }

    /// Runs `steps` steps of `sim` in slices, reporting and yielding after each.
    ///
    /// # Errors
    /// The run's [`MdError`].
    pub async fn run(&mut self, sim: &mut Simulation, steps: u64) -> Result<(), MdError> {
        let n = sim.state().len().max(1) as u64;
        let mut left = steps;
        while left > 0 {
            let room = SLICE_PARTICLE_STEPS.saturating_sub(self.since_yield) / n;
            let k = room.clamp(1, left);
            sim.run(k)?;
            left -= k;
            self.done += k * n;
            self.since_yield += k * n;
            if self.since_yield >= SLICE_PARTICLE_STEPS {
                self.since_yield = 0;
                self.report();
                Yield(false).await;
            }
        }
        Ok(())
    }
}

/// Polls `future` to its end on this thread: the preparation only yields, it never waits.
pub fn finish<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yield_is_pending_once_then_ready() {
        let mut polls = 0;
        let value = finish(async {
            polls += 1;
            Yield(false).await;
            polls += 1;
            7
        });
        assert_eq!((value, polls), (7, 2));
        let mut y = pin!(Yield(false));
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(y.as_mut().poll(&mut cx), Poll::Pending);
        assert_eq!(y.as_mut().poll(&mut cx), Poll::Ready(()));
    }
}
