//! One MD run, on the GPU or the CPU, behind one type: [`MdDriver`]. The page's simulation
//! worker, `bnsl run --device` and the tests drive a run through it without caring where it
//! executes (SCIENCE.md §1 "Dynamics"; issue #7: "a device lost in mid-run falls back to the
//! CPU from the last good state, with a message").
//!
//! # API
//!
//! ```text
//! let sim: md::Simulation = config.build(None)?;          // the CPU engine's set-up, as always
//! let mut run = MdDriver::new(sim, Device::Gpu).await;     // never fails: no GPU -> CPU + notice
//! run.compress_to(2.28, 100_000)?;                         // optional, as Simulation::compress_to
//! let log = run.advance_logged(1000, 100).await?;          // 1000 steps, md::Observables every 100
//! let x = run.positions().await?;                          // for drawing (one read-back on the GPU)
//! let s = run.state().await?;                              // full md::State (also a checkpoint)
//! let o = run.observables().await?;                        // md::Observables of the present state
//! for note in run.take_notices() { /* show it: "WebGPU lost ...; continuing on the CPU" */ }
//! run.device(); run.adapter();                             // where it runs now
//! run.switch_to(Device::Cpu).await?;                       // the user's engine switch, mid-run
//! ```
//!
//! * Every method that may touch the GPU is `async`: GPU read-back is asynchronous in the
//!   browser. Natively, block on them (`pollster::block_on`). Nothing is read back inside
//!   [`MdDriver::advance`] except the end-of-block fault flags and the requested log.
//! * The GPU path runs NVE and Langevin (same Philox noise keys as the CPU engine, so a run
//!   continued on either device draws the same numbers), the pair potentials of the two-power
//!   form (Mie, Lennard-Jones, WCA: `PairTable::has_power_law`) and the droplet's wall. A run
//!   that needs anything else — MTK, springs to sites, a λ-mix, the fixed centre of mass
//!   (`md::ExtraTerms`), another pair potential — runs on the CPU, and a notice names what
//!   kept it there ([`cpu_only`]).
//! * **Fall-back.** The driver keeps the last good state: the state it started from, then a
//!   fresh read-back every [`MdDriver::set_checkpoint_every`] steps (default 1000) and at
//!   every [`MdDriver::state`] call. When the device is lost or reports an error, the run is
//!   rebuilt on the CPU engine from that state (with the remainder of a compression), the
//!   steps since it are re-run there, the call completes, and a notice says what happened.
//!   Physical faults (a particle through the wall, non-finite forces) are errors on both
//!   devices; a full cell of the GPU cell list is retried with more slots.
//! * Observables on the GPU path come from single-precision sums on the GPU (relative error
//!   ~1e-6); the CPU path's are those of [`Simulation::observables`].

use super::deadline::{no_answer, within, GPU_SETUP_LIMIT_MS};
use super::{
    GpuContext, GpuError, GpuMd, GpuSystem, Integrator as GpuIntegrator,
    Observables as GpuObservables,
};
use crate::md::compression::Compression;
use crate::md::{Integrator, MdError, Observables, SimOptions, Simulation, State};
use crate::model::barker_henderson::packing_fraction;
use crate::model::{Geometry, PairTable};

/// Where a run should execute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    /// The CPU engine (`md::Simulation`, f64, one thread).
    #[default]
    Cpu,
    /// The WebGPU path (`gpu::GpuMd`, f32 with fixed-point positions).
    Gpu,
}

impl Device {
    /// `"cpu"` or `"gpu"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Device::Cpu => "cpu",
            Device::Gpu => "gpu",
        }
    }

    /// Parses `"cpu"` or `"gpu"` (any case).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "cpu" => Some(Device::Cpu),
            "gpu" | "webgpu" => Some(Device::Gpu),
            _ => None,
        }
    }
}

/// What can stop a driven run.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// The CPU engine refused the input or stopped (it kept its last good state).
    #[error("CPU engine: {0}")]
    Md(#[from] MdError),
    /// The GPU path stopped on a physical fault (escape, non-finite value) or bad input;
    /// the state is the one before the failing call.
    #[error("GPU path: {0}")]
    Gpu(#[from] GpuError),
}

struct GpuRun {
    md: GpuMd,
    /// Image counters of the state uploaded (the GPU counts from zero).
    base_image: Vec<[i32; 3]>,
}

enum Backend {
    Cpu(Box<Simulation>),
    Gpu(Box<GpuRun>),
}

/// A run on the GPU or the CPU with automatic fall-back to the CPU; see the module docs.
pub struct MdDriver {
    backend: Backend,
    table: PairTable,
    integrator: Integrator,
    options: SimOptions,
    bh: Vec<f64>,
    /// Last good state of the GPU path (positions, velocities, images, geometry, step).
    checkpoint: State,
    checkpoint_every: u64,
    /// Compression in progress on the GPU path (the CPU engine keeps its own).
    compression: Option<Compression>,
    notices: Vec<String>,
    /// Threads of the CPU engine (kept for a fall-back from the GPU).
    threads: usize,
}

impl std::fmt::Debug for MdDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MdDriver")
            .field("device", &self.device())
            .field("adapter", &self.adapter())
            .field("step", &self.step())
            .finish_non_exhaustive()
    }
}

/// Whether a GPU error means the device (not the physics) failed.
fn is_device_failure(e: &GpuError) -> bool {
    matches!(
        e,
        GpuError::Backend(_) | GpuError::Readback(_) | GpuError::Device(_) | GpuError::NoAdapter(_)
    )
}

fn gpu_integrator(integrator: &Integrator, dt: f64) -> Option<GpuIntegrator> {
    match *integrator {
        Integrator::Nve => Some(GpuIntegrator::Nve { dt }),
        Integrator::Langevin { kt, gamma, seed } => Some(GpuIntegrator::Langevin {
            dt,
            kt,
            gamma,
            seed,
        }),
        Integrator::Mtk(_) => None,
    }
}

/// What of `sim` the GPU path lacks (empty: the GPU can take the run).
#[must_use]
pub fn cpu_only(sim: &Simulation) -> Vec<String> {
    let mut parts = Vec::new();
    if matches!(sim.integrator(), Integrator::Mtk(_)) {
        parts.push("the MTK (Nosé–Hoover) thermostat".to_string());
    }
    if !sim.table().has_power_law() {
        parts.push(format!(
            "the {} pair potential",
            sim.table().potential().name()
        ));
    }
    parts.extend(sim.terms().cpu_only().into_iter().map(String::from));
    parts
}

impl MdDriver {
    /// Takes over `sim` (its state, pair table, integrator and options) and runs it on
    /// `device`. Asking for the GPU opens the default adapter; when there is none, the device
    /// refuses, or the integrator is MTK, the run stays on the CPU and a notice says why.
    pub async fn new(sim: Simulation, device: Device) -> Self {
        Self::new_within(sim, device, GPU_SETUP_LIMIT_MS).await
    }

    /// As [`MdDriver::new`], giving the browser `limit_ms` to open the GPU and take the system
    /// (not applied natively); past it the run stays on the CPU with a notice.
    pub async fn new_within(sim: Simulation, device: Device, limit_ms: u32) -> Self {
        let mut me = Self::on_cpu(sim);
        if device == Device::Gpu {
            me.try_gpu(None, limit_ms).await;
        }
        me
    }

    /// As [`MdDriver::new`] with [`Device::Gpu`] on an already opened device.
    pub async fn with_context(sim: Simulation, ctx: GpuContext) -> Self {
        let mut me = Self::on_cpu(sim);
        me.try_gpu(Some(ctx), GPU_SETUP_LIMIT_MS).await;
        me
    }

    fn on_cpu(sim: Simulation) -> Self {
        Self {
            table: sim.table().clone(),
            integrator: sim.integrator().clone(),
            options: sim.options(),
            bh: sim.bh_diameters().to_vec(),
            checkpoint: sim.state().clone(),
            checkpoint_every: 1000,
            compression: None,
            notices: Vec::new(),
            threads: sim.threads(),
            backend: Backend::Cpu(Box::new(sim)),
        }
    }

    /// Runs the CPU engine on `n` threads (now, or after a fall-back from the GPU); the
    /// results do not depend on it ([`Simulation::set_threads`]).
    ///
    /// # Errors
    /// [`MdError::Init`] when the threads cannot be started.
    pub fn set_threads(&mut self, n: usize) -> Result<(), MdError> {
        self.threads = n;
        if let Backend::Cpu(sim) = &mut self.backend {
            sim.set_threads(n)?;
        }
        Ok(())
    }

    /// Moves a CPU run to the GPU (no-op on the GPU); on failure stays on the CPU with a notice.
    async fn try_gpu(&mut self, ctx: Option<GpuContext>, limit_ms: u32) {
        let Backend::Cpu(sim) = &self.backend else {
            return;
        };
        let lacking = cpu_only(sim);
        let integrator = gpu_integrator(sim.integrator(), self.options.dt);
        let Some(integrator) = integrator.filter(|_| lacking.is_empty()) else {
            let verb = if lacking.len() == 1 { "runs" } else { "run" };
            self.notices.push(format!(
                "{} {verb} on the CPU engine only; running on the CPU",
                lacking.join(", ")
            ));
            return;
        };
        let state = sim.state().clone();
        let compression = sim.compression().cloned();
        let table = &self.table;
        let wall_epsilon = self.options.wall_epsilon;
        let uploaded = within(
            limit_ms,
            async {
                let ctx = match ctx {
                    Some(c) => c,
                    None => GpuContext::new().await?,
                };
                let system = GpuSystem::from_state(&state, table, wall_epsilon)?;
                GpuMd::with_context(ctx, &system, integrator).await
            },
            || GpuError::Device(no_answer(limit_ms)),
        )
        .await;
        match uploaded {
            Ok(mut md) => {
                md.set_step(state.step);
                self.compression = compression;
                self.backend = Backend::Gpu(Box::new(GpuRun {
                    md,
                    base_image: state.image.clone(),
                }));
                self.checkpoint = state;
            }
            Err(e) => self
                .notices
                .push(format!("WebGPU is not used ({e}); running on the CPU")),
        }
    }

    /// Where the run executes now.
    #[must_use]
    pub fn device(&self) -> Device {
        match self.backend {
            Backend::Cpu(_) => Device::Cpu,
            Backend::Gpu(_) => Device::Gpu,
        }
    }

    /// The GPU adapter's name while on the GPU.
    #[must_use]
    pub fn adapter(&self) -> Option<&str> {
        match &self.backend {
            Backend::Gpu(g) => Some(g.md.adapter()),
            Backend::Cpu(_) => None,
        }
    }

    /// Messages for the user since the last call (why the CPU is used, a fall-back).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Steps taken (the state's step counter).
    #[must_use]
    pub fn step(&self) -> u64 {
        match &self.backend {
            Backend::Cpu(sim) => sim.state().step,
            Backend::Gpu(g) => g.md.step(),
        }
    }

    /// Number of particles.
    #[must_use]
    pub fn len(&self) -> usize {
        self.checkpoint.len()
    }

    /// Whether the run has no particles (never: the engine refuses that).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.checkpoint.is_empty()
    }

    /// The step of the last good state a fall-back would restart from.
    #[must_use]
    pub fn checkpoint_step(&self) -> u64 {
        self.checkpoint.step
    }

    /// How many steps the GPU path may run between read-backs of the last good state
    /// (default 1000; at least 1). Larger is faster, smaller loses fewer steps on a fall-back.
    pub fn set_checkpoint_every(&mut self, steps: u64) {
        self.checkpoint_every = steps.max(1);
    }

    /// Starts shrinking the box (or droplet) to `final_density` over the next `steps` steps,
    /// every length linear in time (`md::compression`), on either device.
    ///
    /// # Errors
    /// [`DriverError::Md`] for a non-positive density or an unbounded cluster.
    pub fn compress_to(&mut self, final_density: f64, steps: u64) -> Result<(), DriverError> {
        match &mut self.backend {
            Backend::Cpu(sim) => sim.compress_to(final_density, steps)?,
            Backend::Gpu(g) => {
                // Validate and build the schedule exactly as the CPU engine does.
                self.compression = Some(schedule(
                    gpu_geometry(&g.md),
                    self.checkpoint.len(),
                    g.md.step(),
                    final_density,
                    steps,
                )?);
            }
        }
        Ok(())
    }

    /// Advances `steps` steps.
    ///
    /// # Errors
    /// As [`MdDriver::advance_logged`].
    pub async fn advance(&mut self, steps: u64) -> Result<(), DriverError> {
        self.advance_logged(steps, 0).await.map(|_| ())
    }

    /// Advances `steps` steps and returns the observables after every `log_every`-th step of
    /// this call (0: none). A GPU that fails is replaced by the CPU engine from the last good
    /// state (see the module docs) and the call still completes.
    ///
    /// # Errors
    /// A physical fault or invalid input; the state is then the last good one.
    pub async fn advance_logged(
        &mut self,
        steps: u64,
        log_every: u64,
    ) -> Result<Vec<Observables>, DriverError> {
        if let Backend::Gpu(_) = self.backend {
            let start = self.step();
            match self.advance_gpu(steps, log_every).await {
                Ok(log) => return Ok(log),
                Err(DriverError::Gpu(e)) if is_device_failure(&e) => {
                    self.fall_back(&e, start)?;
                }
                Err(e) => return Err(e),
            }
        }
        let Backend::Cpu(sim) = &mut self.backend else {
            return Ok(Vec::new());
        };
        let mut log = Vec::new();
        if log_every == 0 {
            sim.run(steps)?;
        } else {
            let mut done = 0;
            while done < steps {
                let k = log_every.min(steps - done);
                sim.run(k)?;
                done += k;
                if done % log_every == 0 {
                    log.push(sim.observables());
                }
            }
        }
        Ok(log)
    }

    async fn advance_gpu(
        &mut self,
        steps: u64,
        log_every: u64,
    ) -> Result<Vec<Observables>, DriverError> {
        let Backend::Gpu(g) = &mut self.backend else {
            return Ok(Vec::new());
        };
        let start = g.md.step();
        let mut raw = Vec::new();
        for _attempt in 0..4 {
            let result = match &self.compression {
                Some(c) if !c.done(start) => {
                    let end = c.start_step + c.steps;
                    let ramp = (end - start).min(steps);
                    let from = c.lengths_at(start)[0];
                    let to = c.lengths_at(start + ramp)[0];
                    g.md.compress_within(steps, ramp, to / from, log_every)
                        .await
                }
                _ => g.md.run(steps, log_every).await,
            };
            match result {
                Ok(log) => {
                    raw = log;
                    break;
                }
                Err(GpuError::CellOverflow { needed, capacity }) => {
                    g.md.set_min_cell_capacity(needed.max(capacity) + needed / 4 + 8);
                }
                Err(e) => return Err(e.into()),
            }
        }
        if g.md.step() != start + steps {
            return Err(GpuError::CellOverflow {
                needed: g.md.cell_grid().1,
                capacity: g.md.cell_grid().1,
            }
            .into());
        }
        let log = raw
            .iter()
            .map(|o| self.gpu_observables(o, self.volume_at(o.step)))
            .collect();
        if let Some(c) = &self.compression {
            if c.done(start + steps) {
                self.compression = None;
            }
        }
        if self.step() >= self.checkpoint.step + self.checkpoint_every {
            self.read_checkpoint().await?;
        }
        Ok(log)
    }

    /// The CPU engine at the last good state, carrying on the rest of a running compression.
    fn cpu_from_checkpoint(&mut self) -> Result<Simulation, DriverError> {
        let from = self.checkpoint.step;
        let mut sim = Simulation::new(
            self.checkpoint.clone(),
            self.table.clone(),
            self.integrator.clone(),
            self.options,
        )?;
        sim.set_threads(self.threads)?;
        if let Some(c) = self.compression.take() {
            let end = c.start_step + c.steps;
            if from < end {
                sim.compress_to(c.final_density, end - from)?;
            }
        }
        Ok(sim)
    }

    /// Rebuilds the run on the CPU engine from the last good state and brings it to `step`.
    fn fall_back(&mut self, why: &GpuError, step: u64) -> Result<(), DriverError> {
        let from = self.checkpoint.step;
        let mut sim = self.cpu_from_checkpoint()?;
        sim.run(step - from)?;
        let why = why.to_string();
        let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
        let why = why.trim_end_matches('.');
        self.notices.push(format!(
            "WebGPU failed at step {step} ({why}); continuing on the CPU from step {from}, the last good state"
        ));
        self.backend = Backend::Cpu(Box::new(sim));
        Ok(())
    }

    /// Volume at a logged step of the GPU path.
    fn volume_at(&self, step: u64) -> Option<f64> {
        let Backend::Gpu(g) = &self.backend else {
            return None;
        };
        let lengths = match &self.compression {
            Some(c) => c.lengths_at(step),
            None => match gpu_geometry(&g.md) {
                Geometry::Periodic(l) => l,
                Geometry::Open { radius } => [radius?; 3],
            },
        };
        Some(if g.md.box_lengths().is_some() {
            lengths[0] * lengths[1] * lengths[2]
        } else {
            4.0 / 3.0 * std::f64::consts::PI * lengths[0].powi(3)
        })
    }

    /// Degrees of freedom as [`Simulation::dof`].
    fn dof(&self) -> f64 {
        let n = 3.0 * self.len() as f64;
        match (&self.integrator, self.checkpoint.geometry) {
            (Integrator::Langevin { .. }, _) | (_, Geometry::Open { .. }) => n,
            _ => (n - 3.0).max(1.0),
        }
    }

    fn gpu_observables(&self, o: &GpuObservables, volume: Option<f64>) -> Observables {
        let n = self.len() as f64;
        let volume = volume.unwrap_or(f64::NAN);
        let k = o.kinetic_energy;
        let periodic = matches!(self.checkpoint.geometry, Geometry::Periodic(_));
        Observables {
            step: o.step,
            time: o.step as f64 * self.options.dt,
            temperature: 2.0 * k / self.dof(),
            potential_energy: o.potential_energy,
            kinetic_energy: k,
            pressure: if periodic {
                (2.0 * k + o.virial) / (3.0 * volume)
            } else {
                f64::NAN
            },
            density: n / volume,
            packing_fraction: packing_fraction(&self.checkpoint.type_counts(), &self.bh, volume),
            conserved: match self.integrator {
                Integrator::Nve => k + o.potential_energy,
                _ => f64::NAN,
            },
        }
    }

    /// Observables of the present state.
    ///
    /// # Errors
    /// Only when a fall-back itself fails.
    pub async fn observables(&mut self) -> Result<Observables, DriverError> {
        if let Backend::Gpu(g) = &mut self.backend {
            match g.md.observe().await {
                Ok(o) => {
                    let volume = self.volume_at(o.step);
                    return Ok(self.gpu_observables(&o, volume));
                }
                Err(e) if is_device_failure(&e) => {
                    let step = self.step();
                    self.fall_back(&e, step)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        match &self.backend {
            Backend::Cpu(sim) => Ok(sim.observables()),
            Backend::Gpu(_) => Err(GpuError::Backend("no observables".into()).into()),
        }
    }

    /// Positions of the present state (periodic: wrapped into the box), for drawing.
    ///
    /// # Errors
    /// Only when a fall-back itself fails.
    pub async fn positions(&mut self) -> Result<Vec<[f64; 3]>, DriverError> {
        if let Backend::Gpu(g) = &self.backend {
            match g.md.positions().await {
                Ok(p) => return Ok(p),
                Err(e) if is_device_failure(&e) => {
                    let step = self.step();
                    self.fall_back(&e, step)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(self.cpu_state().pos.clone())
    }

    /// The present state (positions, velocities, images, geometry, step; forces are those of
    /// the CPU engine, zero on the GPU path). On the GPU path this is also a new last good state.
    ///
    /// # Errors
    /// Only when a fall-back itself fails.
    pub async fn state(&mut self) -> Result<State, DriverError> {
        if let Backend::Gpu(_) = self.backend {
            self.read_checkpoint().await?;
            if let Backend::Gpu(_) = self.backend {
                return Ok(self.checkpoint.clone());
            }
        }
        Ok(self.cpu_state().clone())
    }

    fn cpu_state(&self) -> &State {
        match &self.backend {
            Backend::Cpu(sim) => sim.state(),
            Backend::Gpu(_) => &self.checkpoint,
        }
    }

    /// Reads the GPU state back into the checkpoint; a device failure falls back.
    async fn read_checkpoint(&mut self) -> Result<(), DriverError> {
        let Backend::Gpu(g) = &self.backend else {
            return Ok(());
        };
        let read = async {
            let pos = g.md.positions().await?;
            let vel = g.md.velocities().await?;
            let img = g.md.images().await?;
            Ok::<_, GpuError>((pos, vel, img))
        };
        match read.await {
            Ok((pos, vel, img)) => {
                let s = &mut self.checkpoint;
                s.geometry = gpu_geometry(&g.md);
                s.step = g.md.step();
                s.force = vec![[0.0; 3]; pos.len()];
                s.image = img
                    .iter()
                    .zip(&g.base_image)
                    .map(|(a, b)| std::array::from_fn(|k| a[k] + b[k]))
                    .collect();
                s.pos = pos;
                s.vel = vel;
                Ok(())
            }
            Err(e) if is_device_failure(&e) => {
                let step = self.step();
                self.fall_back(&e, step)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Moves the run to `device` at its present state (the user's engine switch). Moving to
    /// the GPU may stay on the CPU with a notice (no adapter, MTK).
    ///
    /// # Errors
    /// When the present state cannot be read or the CPU engine refuses it.
    pub async fn switch_to(&mut self, device: Device) -> Result<(), DriverError> {
        match (device, self.device()) {
            (Device::Cpu, Device::Gpu) => {
                self.read_checkpoint().await?;
                if let Backend::Gpu(_) = self.backend {
                    let sim = self.cpu_from_checkpoint()?;
                    self.backend = Backend::Cpu(Box::new(sim));
                }
            }
            (Device::Gpu, Device::Cpu) => self.try_gpu(None, GPU_SETUP_LIMIT_MS).await,
            _ => {}
        }
        Ok(())
    }

    /// Destroys the GPU device under the run, as a browser does on a GPU reset: the next call
    /// that touches the GPU falls back to the CPU. For testing the fall-back; no-op on the CPU.
    pub fn lose_gpu_device(&self) {
        if let Backend::Gpu(g) = &self.backend {
            g.md.lose_device();
        }
    }
}

fn gpu_geometry(md: &GpuMd) -> Geometry {
    match md.box_lengths() {
        Some(l) => Geometry::Periodic(l),
        None => Geometry::Open {
            radius: md.droplet_radius(),
        },
    }
}

/// The compression schedule `Simulation::compress_to` builds, for the GPU path.
fn schedule(
    geometry: Geometry,
    n: usize,
    step: u64,
    final_density: f64,
    steps: u64,
) -> Result<Compression, MdError> {
    if !final_density.is_finite() || final_density <= 0.0 {
        return Err(MdError::Parameter {
            what: "final density".into(),
            value: final_density,
            rule: "must be finite and > 0",
        });
    }
    let start_lengths = match geometry {
        Geometry::Periodic(l) => l,
        Geometry::Open { radius: Some(r) } => [r; 3],
        Geometry::Open { radius: None } => {
            return Err(MdError::Parameter {
                what: "compression of an unbounded cluster".into(),
                value: 0.0,
                rule: "needs a periodic box or a droplet radius",
            })
        }
    };
    let volume = match geometry {
        Geometry::Periodic(l) => l[0] * l[1] * l[2],
        _ => 4.0 / 3.0 * std::f64::consts::PI * start_lengths[0].powi(3),
    };
    Ok(Compression {
        final_density,
        steps,
        start_step: step,
        start_lengths,
        ratio: libm::cbrt(n as f64 / volume / final_density),
    })
}
