//! The Simulate tab's job (issue #6): a [`crate::simulate::SimRun`] advanced one chunk
//! (about 20,000 particle-steps, [`chunk_steps`]) per [`Job::advance`], reporting progress,
//! log rows (observables and crystalline fraction), frames for the 3D view and the GSD
//! download (every `frame_every` steps, with Fig. 4 labels and q_l; a JSON header and the
//! arrays as a transferred byte attachment, [`FrameData::to_bytes`]), and at the end the fingerprint of the final positions — the same number `bnsl run --link` prints.
//!
//! The device (issue #7) is part of the job spec, not of the recipe (a share link always
//! reproduces on the CPU). [`Device::Cpu`] runs the recipe on the CPU engine exactly as
//! `bnsl run --link` does. [`Device::Gpu`] runs the same blocks through a
//! [`crate::gpu::MdDriver`] (WebGPU in the worker: wgpu finds `navigator.gpu` in a worker's
//! global scope; without an adapter the driver stays on the CPU with a notice), reading the
//! state back at every log and frame point for the samples and the view. The job reports
//! where it runs ([`SimulateOutput::Engine`]) and the driver's notices (a device lost
//! mid-run falls back to the CPU from the last good state); a run that used the GPU ends
//! with [`SimulateOutput::Finished`] `device: Gpu`: its fingerprint is that of a
//! single-precision run and is not the share link's.

use serde::{Deserialize, Serialize};

use super::{Emit, Job, JobError, JobEvent, JobFuture, JobOutput, Step};
use crate::gpu::{Device, DriverError, MdDriver};
use crate::simulate::{chunk_steps, Recipe, RecipeError, Sample, SimRun};

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

/// The simulation job.
pub struct SimulateJob {
    run: SimRun,
    chunk: u64,
    started: bool,
    /// The device asked for.
    device: Device,
    /// The driver of a GPU run (None on the CPU path).
    driver: Option<Box<MdDriver>>,
    /// The device last reported to the page.
    reported: Device,
    /// Some part of the run ran on the GPU.
    used_gpu: bool,
    /// The step after which to destroy the GPU device (fault injection; fires once).
    lose_gpu_after: Option<u64>,
}

impl SimulateJob {
    /// Builds the initial state of `spec`'s recipe.
    ///
    /// # Errors
    /// The recipe's bound, confirmation or build error, in words.
    pub fn new(spec: &SimulateSpec) -> Result<Self, JobError> {
        spec.recipe
            .check_runnable(spec.confirmed)
            .map_err(|e| JobError::new(e.to_string()))?;
        let run = SimRun::new(&spec.recipe).map_err(|e| JobError::new(e.to_string()))?;
        let chunk = chunk_steps(spec.recipe.particles(), spec.recipe.run.pair.r_cut);
        Ok(Self {
            run,
            chunk,
            started: false,
            device: spec.device,
            driver: None,
            reported: Device::Cpu,
            used_gpu: false,
            lose_gpu_after: spec.lose_gpu_after_steps,
        })
    }

    /// The first chunk's reports: size, first sample, first frame.
    fn start(&mut self) -> Result<Vec<Emit>, JobError> {
        self.started = true;
        let n = self.run.recipe().particles();
        let (_, total) = self.run.progress();
        let first = self
            .run
            .sample()
            .map_err(|e| JobError::new(e.to_string()))?;
        let mut emits = Vec::new();
        if self.driver.is_none() {
            emits.push(Self::out(SimulateOutput::Engine {
                device: Device::Cpu,
                adapter: None,
            }));
        }
        emits.extend([
            Self::out(SimulateOutput::Started {
                particles: n as u64,
                total_steps: total,
            }),
            Self::out(SimulateOutput::Samples(vec![SampleRow::of(&first, n)])),
            self.snapshot()?,
            Emit::progress(0, total, "started"),
        ]);
        Ok(emits)
    }

    /// The device report and the driver's notices, when there are any.
    fn driver_reports(&mut self) -> Vec<Emit> {
        let Some(driver) = self.driver.as_mut() else {
            return Vec::new();
        };
        let mut emits: Vec<Emit> = driver
            .take_notices()
            .into_iter()
            .map(|n| Self::out(SimulateOutput::Notice(n)))
            .collect();
        let device = driver.device();
        if device != self.reported {
            self.reported = device;
            emits.push(Self::out(SimulateOutput::Engine {
                device,
                adapter: driver.adapter().map(str::to_owned),
            }));
        }
        emits
    }

    /// One chunk of a run asked for on the GPU.
    async fn gpu_chunk(&mut self) -> Result<Step, JobError> {
        let derr = |e: DriverError| JobError::new(e.to_string());
        let err = |e: RecipeError| JobError::new(e.to_string());
        if !self.started {
            let driver = MdDriver::new(self.run.simulation().clone(), Device::Gpu).await;
            self.used_gpu = driver.device() == Device::Gpu;
            self.driver = Some(Box::new(driver));
            let mut emits = self.driver_reports();
            if self.reported == Device::Cpu {
                // No GPU: the driver said why; run the CPU path exactly as a CPU job.
                self.driver = None;
                self.device = Device::Cpu;
            }
            emits.extend(self.start()?);
            return Ok(Step::Continue(emits));
        }
        let n = self.run.recipe().particles();
        let stages = self.run.recipe().run.stage.len() as u64;
        let mut samples = Vec::new();
        let mut frame_due = false;
        let mut budget = self.chunk.saturating_mul(10).clamp(50, 5_000);
        let mut empty_blocks = 0;
        if let Some(driver) = self.driver.as_mut() {
            while budget > 0 && !self.run.is_finished() && empty_blocks <= stages {
                let steps = self.run.next_block(budget, driver.step());
                if steps > 0 {
                    driver.advance(steps).await.map_err(derr)?;
                    if self.lose_gpu_after.is_some_and(|at| driver.step() >= at) {
                        // Fault injection: the next GPU call fails and the driver falls back.
                        self.lose_gpu_after = None;
                        driver.lose_gpu_device();
                    }
                } else {
                    empty_blocks += 1;
                }
                budget -= steps;
                let end = self.run.book_block(steps, driver.step());
                if let Some((rho, over)) = end.compress {
                    driver.compress_to(rho, over).map_err(derr)?;
                }
                if end.sample_due || end.frame_due {
                    let state = driver.state().await.map_err(derr)?;
                    self.run.load_state(state).map_err(err)?;
                    if end.sample_due {
                        samples.push(SampleRow::of(&self.run.sample().map_err(err)?, n));
                    }
                    frame_due |= end.frame_due;
                }
            }
        }
        let mut emits = self.driver_reports();
        if !samples.is_empty() {
            emits.push(Self::out(SimulateOutput::Samples(samples)));
        }
        if frame_due {
            emits.push(self.snapshot()?);
        }
        Ok(self.progress_and_end(emits))
    }

    /// Appends the progress report and, at the end, the fingerprint.
    fn progress_and_end(&self, mut emits: Vec<Emit>) -> Step {
        let (done, total) = self.run.progress();
        emits.push(Emit::progress(
            done,
            total,
            format!("step {done} of {total}"),
        ));
        if self.run.is_finished() {
            emits.push(Self::out(SimulateOutput::Finished {
                fingerprint: format!("{:016x}", self.run.fingerprint()),
                steps: done,
                device: if self.used_gpu {
                    Device::Gpu
                } else {
                    Device::Cpu
                },
            }));
            Step::Done(emits)
        } else {
            Step::Continue(emits)
        }
    }

    fn out(o: SimulateOutput) -> Emit {
        Emit::output(JobOutput::Simulate(Box::new(o)))
    }

    fn snapshot(&self) -> Result<Emit, JobError> {
        let s = self
            .run
            .snapshot()
            .map_err(|e| JobError::new(e.to_string()))?;
        let frame = FrameData::of(&s);
        Ok(Emit {
            event: JobEvent::Output(JobOutput::Simulate(Box::new(SimulateOutput::Frame(
                frame.meta(),
            )))),
            attachment: frame.to_bytes(),
        })
    }

    /// One chunk of work.
    ///
    /// # Errors
    /// A failed step (the message names the particle and step) or classification.
    pub fn chunk(&mut self) -> Result<Step, JobError> {
        let err = |e: RecipeError| JobError::new(e.to_string());
        let n = self.run.recipe().particles();
        let mut emits = Vec::new();
        if !self.started {
            return Ok(Step::Continue(self.start()?));
        }
        let advance = self.run.advance(self.chunk).map_err(err)?;
        if !advance.samples.is_empty() {
            emits.push(Self::out(SimulateOutput::Samples(
                advance
                    .samples
                    .iter()
                    .map(|s| SampleRow::of(s, n))
                    .collect(),
            )));
        }
        if advance.frame_due {
            emits.push(self.snapshot()?);
        }
        Ok(self.progress_and_end(emits))
    }
}

impl Job for SimulateJob {
    fn advance(&mut self) -> JobFuture<'_> {
        if self.device == Device::Gpu {
            return Box::pin(self.gpu_chunk());
        }
        let step = self.chunk();
        Box::pin(async move { step })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::jobs::{build, drive, JobSpec};
    use crate::simulate::{preset, PresetSize};

    #[test]
    fn the_job_reports_rows_frames_and_the_cli_fingerprint() {
        let recipe = preset("quick-test", PresetSize::Small).unwrap().recipe;
        let expected = crate::simulate::SimRun::new(&recipe)
            .unwrap()
            .run_to_end()
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
                SimulateOutput::Started { .. } => {}
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
        assert!(err.message.contains("confirmation"), "{err}");
    }
}
