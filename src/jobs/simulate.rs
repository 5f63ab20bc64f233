//! The Simulate tab's job (issue #6): a recipe run through the one run loop
//! ([`crate::run::Run`]), one chunk (about 20,000 particle-steps, [`chunk_steps`]) per
//! [`Job::advance`], with the page's outputs attached: log rows (observables and crystalline
//! fraction) every `log_every` steps, frames for the 3D view and the GSD download every
//! `frame_every` steps (with Fig. 4 labels and q_l; a JSON header and the arrays as a
//! transferred byte attachment, [`FrameData::to_bytes`]), and at the end the fingerprint of the
//! final positions — the same number `bnsl run --link` prints. A run that stops (a blow-up)
//! sends the last good state's row and frame first, then fails with the reason and a hint.
//!
//! The device (issue #7) is part of the job spec, not of the recipe (a share link always
//! reproduces on the CPU). The run loop drives a [`crate::gpu::MdDriver`]: [`Device::Cpu`]
//! runs the recipe exactly as `bnsl run --link` does; [`Device::Gpu`] asks for WebGPU (wgpu
//! finds `navigator.gpu` in a worker's global scope; without an adapter the driver stays on
//! the CPU with a notice) and runs longer chunks, reading the state back at every log and
//! frame point. The job reports where it runs ([`SimulateOutput::Engine`]) and the driver's
//! notices (a device lost mid-run falls back to the CPU from the last good state); a run that
//! used the GPU ends with [`SimulateOutput::Finished`] `device: Gpu`: its fingerprint is that
//! of a single-precision run and is not the share link's.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use serde::{Deserialize, Serialize};

use super::{Emit, Job, JobError, JobEvent, JobFuture, JobOutput, Step};
use crate::gpu::Device;
use crate::md::seed_pace::{Preparation, PreparationStage};
use crate::run::{Moment, Output, Run, RunError, Sample, Summary};
use crate::simulate::{
    check_preparable, chunk_steps, prepare_paced, Prepared, Recipe, RecipeError,
};

mod frame;

pub use frame::{
    label_code, label_of, FrameBytesError, FrameData, FrameMeta, BYTES_PER_PARTICLE,
    MAX_FRAME_PARTICLES,
};

/// What to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulateSpec {
    /// The recipe.
    pub recipe: Recipe,
    /// The user confirmed a run above the size that needs a confirmation.
    pub confirmed: bool,
    /// Where to run (the page's engine choice; not part of the recipe or its link).
    #[serde(default)]
    pub device: Device,
    /// Fault injection, for tests only: on a GPU run, destroy the GPU device (as a browser's
    /// GPU reset does) once the run has passed this step, so that the fall-back to the CPU
    /// from the last good state can be proven end to end. `None` in normal use; the page sets
    /// it only from the debug `localStorage` key `bnsl.debug.loseGpuAtStep`
    /// (`app::debug_lose_gpu_at_step`). Ignored on the CPU path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lose_gpu_after_steps: Option<u64>,
}

/// One log row as the page receives it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SampleRow {
    /// Time step.
    pub step: u64,
    /// Time (τ).
    pub time: f64,
    /// Kinetic temperature.
    pub temperature: f64,
    /// Potential energy per particle (ε).
    pub potential_energy: f64,
    /// Pressure (none in a droplet).
    pub pressure: Option<f64>,
    /// Number density N/V (σ⁻³).
    pub density: f64,
    /// Effective packing fraction (Barker–Henderson).
    pub packing_fraction: f64,
    /// Crystalline fraction of the large particles.
    pub crystalline_fraction: f64,
}

impl SampleRow {
    fn of(s: &Sample, particles: usize) -> Self {
        let o = &s.observables;
        Self {
            step: o.step,
            time: o.time,
            temperature: o.temperature,
            potential_energy: o.potential_energy / particles.max(1) as f64,
            pressure: o.pressure.is_finite().then_some(o.pressure),
            density: o.density,
            packing_fraction: o.packing_fraction,
            crystalline_fraction: s.crystalline_fraction,
        }
    }

    /// Column names of [`SampleRow::csv_row`].
    pub const CSV_HEADER: &'static str = "step,time,temperature,potential_energy_per_particle,pressure,density,packing_fraction,crystalline_fraction";

    /// The row as CSV (shortest round-trip representation of every number).
    #[must_use]
    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{}",
            self.step,
            self.time,
            self.temperature,
            self.potential_energy,
            self.pressure.map_or(String::new(), |p| p.to_string()),
            self.density,
            self.packing_fraction,
            self.crystalline_fraction
        )
    }
}

/// What the simulation job reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SimulateOutput {
    /// The initial state is being prepared (a seeded start's fluid, lattice search and
    /// insertion, before the first frame): the stage, sent with every preparation progress.
    Preparing(PreparationStage),
    /// The initial state is built.
    Started {
        /// Number of particles.
        particles: u64,
        /// Steps in all.
        total_steps: u64,
    },
    /// Where the run executes now (sent at the start and when the driver changes device).
    Engine {
        /// The device.
        device: Device,
        /// The GPU adapter's name, on the GPU.
        adapter: Option<String>,
    },
    /// A message from the device driver (e.g. "WebGPU lost ...; continuing on the CPU").
    Notice(String),
    /// Log rows taken in the last chunk.
    Samples(Vec<SampleRow>),
    /// A frame for the view and the trajectory: the header here, the per-particle arrays
    /// in the event's attachment ([`FrameData::from_parts`]).
    Frame(FrameMeta),
    /// The run ended: 16 hex digits of the final positions' fingerprint.
    Finished {
        /// The fingerprint, 16 lowercase hex digits.
        fingerprint: String,
        /// Steps run.
        steps: u64,
        /// `Gpu` when any part of the run ran on the GPU: then the fingerprint is not the
        /// share link's (that one is the CPU engine's).
        device: Device,
    },
}

/// The page's log rows: one [`SampleRow`] per moment of the run's log interval.
struct PageRows {
    every: u64,
    particles: usize,
    rows: Vec<SampleRow>,
}

impl Output for PageRows {
    fn every(&self) -> u64 {
        self.every
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        self.rows
            .push(SampleRow::of(&moment.sample()?, self.particles));
        Ok(())
    }
}

/// The page's frames for the view and the GSD download: one per moment of the run's frame
/// interval, with Fig. 4 roles and q_l.
struct PageFrames {
    every: u64,
    frames: Vec<Emit>,
}

impl Output for PageFrames {
    fn every(&self) -> u64 {
        self.every
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        let frame = FrameData::of(&moment.snapshot()?);
        self.frames.push(Emit {
            event: JobEvent::Output(JobOutput::Simulate(Box::new(SimulateOutput::Frame(
                frame.meta(),
            )))),
            attachment: frame.to_bytes(),
        });
        Ok(())
    }
}

/// Steps a GPU chunk may run for a CPU chunk of `chunk` steps (the GPU waits only at the log
/// and frame points).
fn gpu_budget(chunk: u64) -> u64 {
    chunk.saturating_mul(10).clamp(50, 5_000)
}

/// The preparation of the initial state, polled one slice per chunk.
type Preparing = Pin<Box<dyn Future<Output = Result<Prepared, RecipeError>>>>;

/// The simulation job.
pub struct SimulateJob {
    recipe: Recipe,
    /// The initial state's preparation while it lasts (a seeded start's), and where it is.
    preparing: Option<(Preparing, Rc<Cell<Option<Preparation>>>)>,
    /// The checked, built run until the first chunk puts it on its device.
    prepared: Option<Prepared>,
    run: Option<Run>,
    chunk: u64,
    /// The device asked for.
    device: Device,
    /// The device last reported to the page.
    reported: Option<Device>,
    /// Some part of the run ran on the GPU.
    used_gpu: bool,
    /// The step after which to destroy the GPU device (fault injection; fires once).
    lose_gpu_after: Option<u64>,
    rows: PageRows,
    frames: PageFrames,
    summary: Summary,
    /// The error of a run that stopped, reported after its last good state was sent.
    stopped: Option<RecipeError>,
}

impl SimulateJob {
    /// Checks `spec`'s recipe and builds its initial state.
    ///
    /// # Errors
    /// The recipe's bound, confirmation or build error.
    pub fn new(spec: &SimulateSpec) -> Result<Self, JobError> {
        let recipe = &spec.recipe;
        recipe.check_runnable(spec.confirmed)?;
        check_preparable(recipe)?;
        let at = Rc::new(Cell::new(None));
        let sink = Rc::clone(&at);
        let owned = recipe.clone();
        let mut future: Preparing =
            Box::pin(async move { prepare_paced(&owned, &mut |p| sink.set(Some(p))).await });
        // A start without preparation (all but the seeded one) is built here, and fails here.
        let (preparing, prepared) = match poll_slice(&mut future) {
            Poll::Ready(prepared) => (None, Some(prepared?)),
            Poll::Pending => (Some((future, at)), None),
        };
        let output = &recipe.run.output;
        Ok(Self {
            recipe: recipe.clone(),
            preparing,
            prepared,
            run: None,
            chunk: chunk_steps(recipe.particles(), recipe.run.pair.r_cut),
            device: spec.device,
            reported: None,
            used_gpu: false,
            lose_gpu_after: spec.lose_gpu_after_steps,
            rows: PageRows {
                every: output.log_every.max(1),
                particles: recipe.particles(),
                rows: Vec::new(),
            },
            frames: PageFrames {
                every: output.frame_every.max(1),
                frames: Vec::new(),
            },
            summary: Summary::default(),
            stopped: None,
        })
    }

    /// The device report (when it changed) and the driver's notices.
    fn driver_reports(&mut self, run: &mut Run) -> Vec<Emit> {
        let driver = run.driver_mut();
        let mut emits: Vec<Emit> = driver
            .take_notices()
            .into_iter()
            .map(|n| Self::out(SimulateOutput::Notice(n)))
            .collect();
        let device = driver.device();
        self.used_gpu |= device == Device::Gpu;
        if self.reported != Some(device) {
            self.reported = Some(device);
            emits.push(Self::out(SimulateOutput::Engine {
                device,
                adapter: driver.adapter().map(str::to_owned),
            }));
        }
        emits
    }

    /// One chunk: the first puts the run on its device and reports the start; each later one
    /// runs a budget of steps through the run loop and reports what its outputs took.
    async fn chunk(&mut self) -> Result<Step, JobError> {
        if let Some(e) = self.stopped.take() {
            return Err(e.into());
        }
        if let Some((future, at)) = self.preparing.as_mut() {
            match poll_slice(future) {
                Poll::Pending => {
                    let Some(p) = at.get() else {
                        return Ok(Step::Continue(Vec::new()));
                    };
                    return Ok(Step::Continue(vec![
                        Self::out(SimulateOutput::Preparing(p.stage)),
                        Emit::progress(p.done, p.total, p.stage.describe()),
                    ]));
                }
                Poll::Ready(prepared) => {
                    self.preparing = None;
                    self.prepared = Some(prepared?);
                }
            }
        }
        let (mut run, first) = match (self.run.take(), self.prepared.take()) {
            (Some(run), _) => (run, false),
            (None, Some(prepared)) => (prepared.start(&self.recipe, self.device).await?, true),
            // The start failed and said so: nothing is left to run.
            (None, None) => return Ok(Step::Done(Vec::new())),
        };
        let mut emits = self.driver_reports(&mut run);
        let budget = if first {
            0
        } else if run.driver().device() == Device::Gpu {
            gpu_budget(self.chunk)
        } else {
            self.chunk
        };
        let budget = match self.lose_gpu_after {
            Some(at) if run.driver().step() < at => budget.min(at - run.driver().step()),
            _ => budget,
        };
        let advanced = run
            .advance(
                budget,
                &mut [&mut self.rows, &mut self.frames, &mut self.summary],
            )
            .await;
        if self
            .lose_gpu_after
            .is_some_and(|at| run.driver().step() >= at)
        {
            // Fault injection: the next GPU call fails and the driver falls back.
            self.lose_gpu_after = None;
            run.driver().lose_gpu_device();
        }
        emits.extend(self.driver_reports(&mut run));
        let (done, total) = run.progress();
        if first {
            emits.insert(
                0,
                Self::out(SimulateOutput::Started {
                    particles: self.recipe.particles() as u64,
                    total_steps: total,
                }),
            );
        }
        let rows = std::mem::take(&mut self.rows.rows);
        if !rows.is_empty() {
            emits.push(Self::out(SimulateOutput::Samples(rows)));
        }
        emits.append(&mut self.frames.frames);
        emits.push(Emit::progress(
            done,
            total,
            if first {
                "started".to_owned()
            } else {
                format!("step {done} of {total}")
            },
        ));
        let ended = run.has_ended();
        self.run = Some(run);
        if let Err(e) = advanced {
            // The page gets the last good state first, then the error.
            self.stopped = Some(e.into());
            return Ok(Step::Continue(emits));
        }
        if !ended {
            return Ok(Step::Continue(emits));
        }
        let fingerprint = self.summary.fingerprint.unwrap_or_default();
        emits.push(Self::out(SimulateOutput::Finished {
            fingerprint: format!("{fingerprint:016x}"),
            steps: done,
            device: if self.used_gpu {
                Device::Gpu
            } else {
                Device::Cpu
            },
        }));
        Ok(Step::Done(emits))
    }

    fn out(o: SimulateOutput) -> Emit {
        Emit::output(JobOutput::Simulate(Box::new(o)))
    }
}

/// Runs one slice of the preparation (it never waits on anything but itself).
fn poll_slice(future: &mut Preparing) -> Poll<Result<Prepared, RecipeError>> {
    future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
}

impl Job for SimulateJob {
    fn advance(&mut self) -> JobFuture<'_> {
        Box::pin(self.chunk())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::jobs::{build, drive, JobSpec};
    use crate::simulate::{preset, PresetSize};

    #[test]
    fn a_seeded_start_reports_its_preparation_stages_before_the_run_and_keeps_its_fingerprint() {
        let mut recipe = preset("seed-alb2-narrow", PresetSize::Small)
            .expect("preset")
            .recipe;
        recipe.run.species[0].count = 300;
        recipe.run.species[1].count = 600;
        if let crate::md::config::InitialConfig::Seeded {
            compress,
            equilibrate,
            seed_radius,
            ..
        } = &mut recipe.run.initial
        {
            (*compress, *equilibrate, *seed_radius) = (1_000, 400, 2.0);
        }
        recipe.run.stage[0].steps = 100;
        let expected = pollster::block_on(async {
            let mut run = crate::simulate::start(&recipe, Device::Cpu).await?;
            run.advance(u64::MAX, &mut []).await?;
            Ok::<_, RecipeError>(run.fingerprint().await?)
        })
        .expect("the run");
        let spec = JobSpec::Simulate(Box::new(SimulateSpec {
            recipe,
            confirmed: false,
            device: Device::Cpu,
            lose_gpu_after_steps: None,
        }));
        let mut job = build(spec, Vec::new()).expect("job");
        let emits = drive(job.as_mut()).expect("run");
        let mut stages = Vec::new();
        let mut progress = Vec::new();
        let mut started_at = None;
        let mut fingerprint = None;
        for (i, e) in emits.iter().enumerate() {
            match &e.event {
                JobEvent::Progress(p) if started_at.is_none() => progress.push(p.clone()),
                JobEvent::Output(JobOutput::Simulate(out)) => match out.as_ref() {
                    SimulateOutput::Preparing(stage) => {
                        assert!(started_at.is_none(), "preparing after the start");
                        if stages.last() != Some(stage) {
                            stages.push(*stage);
                        }
                    }
                    SimulateOutput::Started { .. } => started_at = Some(i),
                    SimulateOutput::Finished { fingerprint: f, .. } => {
                        fingerprint = Some(f.clone())
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        assert_eq!(
            stages.first(),
            Some(&PreparationStage::Compress),
            "{stages:?}"
        );
        assert!(
            stages.contains(&PreparationStage::Equilibrate),
            "{stages:?}"
        );
        assert!(
            stages.contains(&PreparationStage::Lattice { trial: 7 }),
            "{stages:?}"
        );
        assert_eq!(stages.last(), Some(&PreparationStage::Insert), "{stages:?}");
        assert!(
            progress.len() > 50,
            "{} preparation reports",
            progress.len()
        );
        assert!(progress.windows(2).all(|w| w[1].done >= w[0].done));
        assert!(progress.iter().all(|p| p.done <= p.total && p.total > 0));
        assert!(progress.iter().all(|p| !p.note.is_empty()));
        assert_eq!(fingerprint, Some(format!("{expected:016x}")));
    }

    #[test]
    fn the_job_reports_rows_frames_and_the_cli_fingerprint() {
        let recipe = preset("quick-test", PresetSize::Small).unwrap().recipe;
        let expected = pollster::block_on(async {
            let mut run = crate::simulate::start(&recipe, Device::Cpu).await?;
            run.advance(u64::MAX, &mut []).await?;
            Ok::<_, RecipeError>(run.fingerprint().await?)
        })
        .unwrap();
        let spec = JobSpec::Simulate(Box::new(SimulateSpec {
            recipe,
            confirmed: false,
            device: Device::Cpu,
            lose_gpu_after_steps: None,
        }));
        let json = serde_json::to_string(&spec).unwrap();
        let spec: JobSpec = serde_json::from_str(&json).unwrap();
        let mut job = build(spec, Vec::new()).unwrap();
        let emits = drive(job.as_mut()).unwrap();
        let mut rows = 0;
        let mut frames = Vec::new();
        let mut fingerprint = None;
        for e in &emits {
            let text = serde_json::to_string(&e.event).unwrap();
            let back: JobEvent = serde_json::from_str(&text).unwrap();
            let JobEvent::Output(JobOutput::Simulate(out)) = back else {
                continue;
            };
            match *out {
                SimulateOutput::Samples(s) => rows += s.len(),
                SimulateOutput::Frame(meta) => {
                    frames.push(FrameData::from_parts(meta, &e.attachment).unwrap())
                }
                SimulateOutput::Finished {
                    fingerprint: f,
                    steps,
                    device,
                } => {
                    assert_eq!(steps, 2_000);
                    assert_eq!(device, Device::Cpu);
                    fingerprint = Some(f);
                }
                SimulateOutput::Started { .. }
                | SimulateOutput::Preparing(_)
                | SimulateOutput::Engine { .. }
                | SimulateOutput::Notice(_) => {}
            }
        }
        assert_eq!(rows, 21);
        assert_eq!(frames.len(), 5);
        let last = frames.last().unwrap();
        assert_eq!(last.frame().len(), 300);
        assert_eq!(last.fig4_labels().len(), 300);
        assert_eq!(fingerprint.unwrap(), format!("{expected:016x}"));
    }

    /// What a GPU job of the quick-test preset reported, in order.
    #[derive(Default)]
    struct GpuJobReport {
        engines: Vec<(Device, Option<String>)>,
        notices: Vec<String>,
        rows: Vec<SampleRow>,
        frames: usize,
        finished: Option<(u64, Device, String)>,
    }

    /// Runs the quick-test preset as a GPU job (through its JSON, as the page sends it).
    fn run_gpu_job(lose_gpu_after_steps: Option<u64>) -> GpuJobReport {
        let recipe = preset("quick-test", PresetSize::Small)
            .expect("preset")
            .recipe;
        let spec = JobSpec::Simulate(Box::new(SimulateSpec {
            recipe,
            confirmed: false,
            device: Device::Gpu,
            lose_gpu_after_steps,
        }));
        let json = serde_json::to_string(&spec).expect("to JSON");
        assert!(json.contains("\"gpu\""), "{json}");
        assert_eq!(
            json.contains("lose_gpu_after_steps"),
            lose_gpu_after_steps.is_some()
        );
        let spec: JobSpec = serde_json::from_str(&json).expect("from JSON");
        let mut job = build(spec, Vec::new()).expect("job");
        let emits = drive(job.as_mut()).expect("run");
        let mut r = GpuJobReport::default();
        for e in &emits {
            let JobEvent::Output(JobOutput::Simulate(out)) = &e.event else {
                continue;
            };
            match out.as_ref() {
                SimulateOutput::Engine { device, adapter } => {
                    r.engines.push((*device, adapter.clone()))
                }
                SimulateOutput::Notice(n) => r.notices.push(n.clone()),
                SimulateOutput::Samples(s) => r.rows.extend(s.iter().copied()),
                SimulateOutput::Frame(_) => r.frames += 1,
                SimulateOutput::Finished {
                    steps,
                    device,
                    fingerprint,
                } => {
                    r.finished = Some((*steps, *device, fingerprint.clone()));
                }
                SimulateOutput::Started { .. } | SimulateOutput::Preparing(_) => {}
            }
        }
        let (steps, _, fingerprint) = r.finished.clone().expect("the run finished");
        assert_eq!(steps, 2_000);
        assert_eq!(fingerprint.len(), 16);
        // Same log and frame points as the CPU job.
        assert_eq!(r.rows.len(), 21);
        assert_eq!(r.rows.last().expect("rows").step, 2_000);
        assert!(r.rows.iter().all(|row| row.temperature.is_finite()));
        assert_eq!(r.frames, 5);
        r
    }

    #[test]
    fn a_gpu_job_runs_to_the_end_and_says_where_it_ran() {
        let r = run_gpu_job(None);
        let (first_device, adapter) = r.engines.first().cloned().expect("an Engine report");
        let device = r.finished.unwrap().1;
        if first_device == Device::Gpu {
            assert!(adapter.is_some());
            assert_eq!(device, Device::Gpu);
            assert_eq!(r.engines.len(), 1, "stayed on the GPU: {:?}", r.engines);
        } else {
            // No adapter here: the driver said why and the run went on on the CPU.
            assert!(!r.notices.is_empty(), "a CPU fall-back without a notice");
            assert_eq!(device, Device::Cpu);
        }
    }

    #[test]
    fn a_gpu_device_lost_mid_run_falls_back_to_the_cpu_with_a_notice() {
        let r = run_gpu_job(Some(500));
        let device = r.finished.unwrap().1;
        if r.engines.first().map(|e| e.0) != Some(Device::Gpu) {
            // No adapter here (lavapipe missing): nothing to lose; the run was a CPU run.
            assert_eq!(device, Device::Cpu);
            return;
        }
        let devices: Vec<Device> = r.engines.iter().map(|e| e.0).collect();
        assert_eq!(devices, [Device::Gpu, Device::Cpu], "GPU, then the CPU");
        assert_eq!(r.notices.len(), 1, "{:?}", r.notices);
        let notice = &r.notices[0];
        assert!(notice.contains("continuing on the CPU"), "{notice}");
        assert!(notice.contains("last good state"), "{notice}");
        // Part of the run ran in single precision: the fingerprint says GPU.
        assert_eq!(device, Device::Gpu);
        // The rows go on without a gap or a repeat across the switch.
        let steps: Vec<u64> = r.rows.iter().map(|row| row.step).collect();
        assert_eq!(steps, (0..=2_000).step_by(100).collect::<Vec<u64>>());
    }

    #[test]
    fn a_huge_unconfirmed_recipe_is_refused() {
        let mut recipe = preset("quick-test", PresetSize::Small).unwrap().recipe;
        recipe.run.species[1].count = 40_000;
        let spec = SimulateSpec {
            recipe,
            confirmed: false,
            device: Device::Cpu,
            lose_gpu_after_steps: None,
        };
        let err = SimulateJob::new(&spec).err().unwrap();
        assert!(err.to_string().contains("confirmation"), "{err}");
    }
}
