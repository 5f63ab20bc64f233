//! The whole MD step on the GPU (SCIENCE.md §1, "Dynamics"): cell list, Mie forces, the
//! droplet wall, velocity-Verlet / Langevin (BAOAB) integration, compression and reductions,
//! encoded as three dispatches per step (plus two per logged step) so that a block of many
//! steps runs without any read-back.
//!
//! Per step: `step_first` (kick, drift, Langevin O, drift; clears the cell counts),
//! `bin_particles` (cell list by atomics), `forces` (cell traversal, wall, closing kick).
//! Logged steps add `reduce_partial` and `reduce_final`, which write (kinetic energy,
//! potential energy, virial) into a log on the GPU; the log and the fault flags are read back
//! once at the end of [`GpuMd::run`].

use super::context::{bytes, words, GpuContext};
use super::reference::ForceField;
use super::{GpuError, GpuSystem, Space};

/// Dispatches per time step (without logging).
pub const DISPATCHES_PER_STEP: u32 = 3;
/// Extra dispatches per logged step (the two reduction passes).
pub const DISPATCHES_PER_LOG: u32 = 2;

const MAIN_SHADER: [&str; 6] = [
    include_str!("shaders/common.wgsl"),
    include_str!("shaders/philox.wgsl"),
    include_str!("shaders/integrate.wgsl"),
    include_str!("shaders/cells.wgsl"),
    include_str!("shaders/forces.wgsl"),
    include_str!("shaders/reduce.wgsl"),
];
/// Bytes per per-step parameter record (the uniform dynamic-offset alignment).
const RECORD: u64 = 256;
/// Words of a record that the shader reads.
const WORDS: usize = 36;
/// Steps encoded per submission.
const MAX_BLOCK: u64 = 1000;
/// Threads per workgroup of the per-particle kernels.
const WG: u32 = 64;
/// Threads per workgroup of the reductions.
const RWG: u32 = 256;
/// Fixed-point units per box length.
const FIXED: f64 = 4_294_967_296.0;
/// Number of fault flags at the head of the counters buffer.
const NFLAGS: u64 = 4;

/// How the GPU path advances time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Integrator {
    /// Velocity Verlet (NVE).
    Nve {
        /// Time step (τ).
        dt: f64,
    },
    /// Langevin dynamics, BAOAB splitting (Leimkuhler & Matthews 2013) with exact
    /// Ornstein–Uhlenbeck velocity update; noise from Philox4x32-10 keyed by (seed, step, particle).
    Langevin {
        /// Time step (τ).
        dt: f64,
        /// Temperature kT (energy units).
        kt: f64,
        /// Friction γ (1/τ).
        gamma: f64,
        /// Seed of the noise.
        seed: u64,
    },
}

impl Integrator {
    fn dt(&self) -> f64 {
        match *self {
            Self::Nve { dt } | Self::Langevin { dt, .. } => dt,
        }
    }
}

/// Observables of one logged step, summed on the GPU in f32.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observables {
    /// The step after which they were taken.
    pub step: u64,
    /// Kinetic energy Σ m v²/2.
    pub kinetic_energy: f64,
    /// Potential energy (pairs and wall).
    pub potential_energy: f64,
    /// Virial W = Σ_pairs r·F.
    pub virial: f64,
    /// Box volume (periodic), `None` in open space.
    pub volume: Option<f64>,
}

impl Observables {
    /// Kinetic plus potential energy.
    #[must_use]
    pub fn total_energy(&self) -> f64 {
        self.kinetic_energy + self.potential_energy
    }

    /// Kinetic temperature 2 KE / dof (kT units).
    #[must_use]
    pub fn temperature(&self, degrees_of_freedom: f64) -> f64 {
        2.0 * self.kinetic_energy / degrees_of_freedom
    }

    /// Virial part of the pressure W / (3V) (periodic box only).
    #[must_use]
    pub fn virial_pressure(&self) -> Option<f64> {
        self.volume.map(|v| self.virial / (3.0 * v))
    }
}

/// Geometry of the current state.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Geometry {
    /// Periodic box, or the virtual box of the fixed-point coordinates in open space.
    lengths: [f64; 3],
    open: bool,
    /// Droplet wall radius (0: none).
    wall_radius: f64,
    wall_eps: f64,
    /// Open space: largest |coordinate| that cannot make pair distances wrap.
    open_limit: f64,
}

impl Geometry {
    fn scaled(&self, lambda: f64) -> Self {
        if self.open {
            Self {
                wall_radius: self.wall_radius * lambda,
                ..*self
            }
        } else {
            Self {
                lengths: self.lengths.map(|l| l * lambda),
                ..*self
            }
        }
    }
}

/// Cell grid of a block of steps.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Grid {
    cells: [u32; 3],
    mul: [u32; 3],
    cap: u32,
}

impl Grid {
    fn ncells(&self) -> u32 {
        self.cells[0] * self.cells[1] * self.cells[2]
    }
}

struct Buffers {
    params: wgpu::Buffer,
    pos: wgpu::Buffer,
    vel: wgpu::Buffer,
    frc: wgpu::Buffer,
    img: wgpu::Buffer,
    counters: wgpu::Buffer,
    slots: wgpu::Buffer,
    table: wgpu::Buffer,
    red: wgpu::Buffer,
    backup: [wgpu::Buffer; 3],
    /// Cells the counters buffer holds, slots it holds, log records `red` holds.
    counter_cells: u64,
    slot_words: u64,
    log_records: u64,
}

struct Pipelines {
    layout: wgpu::BindGroupLayout,
    step_first: wgpu::ComputePipeline,
    bin: wgpu::ComputePipeline,
    forces: wgpu::ComputePipeline,
    reduce_partial: wgpu::ComputePipeline,
    reduce_final: wgpu::ComputePipeline,
}

/// A system resident on the GPU, advanced in blocks of steps with no read-back inside a block.
pub struct GpuMd {
    ctx: GpuContext,
    pipes: Pipelines,
    bufs: Buffers,
    bind: wgpu::BindGroup,
    n: u32,
    ntypes: u32,
    max_cutoff: f64,
    /// Particles per unit volume in the occupied region at the current geometry.
    geom: Geometry,
    grid: Grid,
    integrator: Integrator,
    step: u64,
    dispatches: u64,
    min_capacity: u32,
}

impl std::fmt::Debug for GpuMd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuMd")
            .field("adapter", &self.ctx.adapter)
            .field("n", &self.n)
            .field("step", &self.step)
            .field("grid", &self.grid)
            .finish_non_exhaustive()
    }
}

fn storage(binding: u32, read_only: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

fn make_pipelines(device: &wgpu::Device) -> Pipelines {
    let source: String = MAIN_SHADER.concat();
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("bnsl-md"),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    let mut entries = vec![wgpu::BindGroupLayoutEntry {
        binding: 0,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: true,
            min_binding_size: wgpu::BufferSize::new(WORDS as u64 * 4),
        },
        count: None,
    }];
    for b in 1..=8 {
        entries.push(storage(b, b == 7));
    }
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("bnsl-md"),
        entries: &entries,
    });
    let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("bnsl-md"),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    let make = |entry: &str| {
        device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: Some(&pl),
            module: &module,
            entry_point: Some(entry),
            compilation_options: wgpu::PipelineCompilationOptions::default(),
            cache: None,
        })
    };
    Pipelines {
        step_first: make("step_first"),
        bin: make("bin_particles"),
        forces: make("forces"),
        reduce_partial: make("reduce_partial"),
        reduce_final: make("reduce_final"),
        layout,
    }
}

fn buffer(
    device: &wgpu::Device,
    label: &str,
    size: u64,
    usage: wgpu::BufferUsages,
) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: size.max(16),
        usage,
        mapped_at_creation: false,
    })
}

/// Fixed-point coordinate of `x` in a box of edge `l` (wrapped into the box).
fn to_fixed(x: f64, l: f64) -> u32 {
    let s = libm::round(x / l * FIXED) as i64;
    s.rem_euclid(1 << 32) as u32
}

fn ceil_div(a: u32, b: u32) -> u32 {
    a.div_ceil(b)
}

impl GpuMd {
    /// Opens the default GPU and uploads `system`; forces are computed at once.
    ///
    /// # Errors
    /// [`GpuError`] when no adapter exists, the input is invalid, or the device fails.
    pub async fn new(system: &GpuSystem, integrator: Integrator) -> Result<Self, GpuError> {
        let ctx = GpuContext::new().await?;
        Self::with_context(ctx, system, integrator).await
    }

    /// Uploads `system` to an already opened device.
    ///
    /// # Errors
    /// [`GpuError`] when the input is invalid or the device fails.
    pub async fn with_context(
        ctx: GpuContext,
        system: &GpuSystem,
        integrator: Integrator,
    ) -> Result<Self, GpuError> {
        system.validate()?;
        check_integrator(&integrator)?;
        let n = system.len() as u32;
        let k = system.pairs.ntypes();
        let rc = system.pairs.max_cutoff();
        let geom = initial_geometry(system, rc);
        let device = &ctx.device;
        let pipes = make_pipelines(device);
        let st = wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_DST
            | wgpu::BufferUsages::COPY_SRC;
        let cp = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        let nn = u64::from(n);
        let mut me_bufs = Buffers {
            params: buffer(
                device,
                "params",
                MAX_BLOCK * RECORD,
                wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            ),
            pos: buffer(device, "pos", nn * 16, st),
            vel: buffer(device, "vel", nn * 16, st),
            frc: buffer(device, "frc", nn * 32, st),
            img: buffer(device, "img", nn * 16, st),
            counters: buffer(device, "counters", 16, st),
            slots: buffer(device, "slots", 16, st),
            table: buffer(device, "table", ((k * k + k) * 32) as u64, st),
            red: buffer(device, "red", 16, st),
            backup: [
                buffer(device, "pos-backup", nn * 16, cp),
                buffer(device, "vel-backup", nn * 16, cp),
                buffer(device, "img-backup", nn * 16, cp),
            ],
            counter_cells: 0,
            slot_words: 0,
            log_records: 0,
        };
        upload_state(&ctx.queue, &me_bufs, system, &geom);
        upload_table(&ctx.queue, &me_bufs.table, system);
        let partials = u64::from(ceil_div(n, RWG));
        me_bufs.red = buffer(device, "red", (partials + 1) * 16, st);
        me_bufs.log_records = 1;
        let grid = Grid {
            cells: [0; 3],
            mul: [0; 3],
            cap: 0,
        };
        let bind = make_bind(device, &pipes.layout, &me_bufs);
        let mut me = Self {
            ctx,
            pipes,
            bufs: me_bufs,
            bind,
            n,
            ntypes: k as u32,
            max_cutoff: rc,
            geom,
            grid,
            integrator,
            step: 0,
            dispatches: 0,
            min_capacity: 0,
        };
        me.ensure_grid(&geom);
        me.refresh_forces();
        if let Some(e) = me.ctx.take_error() {
            return Err(GpuError::Backend(e));
        }
        Ok(me)
    }

    /// Adapter description.
    #[must_use]
    pub fn adapter(&self) -> &str {
        &self.ctx.adapter
    }

    /// Number of particles.
    #[must_use]
    pub fn len(&self) -> usize {
        self.n as usize
    }

    /// Whether the system is empty (never: construction refuses it).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Steps taken so far.
    #[must_use]
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Dispatches encoded so far (all kernels).
    #[must_use]
    pub fn dispatches(&self) -> u64 {
        self.dispatches
    }

    /// Current periodic box lengths, or `None` in open space.
    #[must_use]
    pub fn box_lengths(&self) -> Option<[f64; 3]> {
        (!self.geom.open).then_some(self.geom.lengths)
    }

    /// Current droplet radius, or `None`.
    #[must_use]
    pub fn droplet_radius(&self) -> Option<f64> {
        (self.geom.open && self.geom.wall_radius > 0.0).then_some(self.geom.wall_radius)
    }

    /// Cells along each axis and slots per cell of the current cell list.
    #[must_use]
    pub fn cell_grid(&self) -> ([u32; 3], u32) {
        (self.grid.cells, self.grid.cap)
    }

    /// Replaces the integrator (the state is kept).
    ///
    /// # Errors
    /// [`GpuError::InvalidInput`] for a non-positive time step or temperature.
    pub fn set_integrator(&mut self, integrator: Integrator) -> Result<(), GpuError> {
        check_integrator(&integrator)?;
        self.integrator = integrator;
        Ok(())
    }

    /// Sets the step counter (the Langevin noise is keyed by it): a run continued from a CPU
    /// state at step `step` draws the same noise as the CPU engine would.
    pub fn set_step(&mut self, step: u64) {
        self.step = step;
    }

    /// Destroys the device, as a browser does when the GPU is reset or the tab loses it: every
    /// later call fails with a device error. For testing the fall-back of
    /// [`super::MdDriver`]; the state on the GPU is gone.
    pub fn lose_device(&self) {
        self.ctx.device.destroy();
    }

    /// Sets a lower bound on the slots per cell (the default comes from the density).
    pub fn set_min_cell_capacity(&mut self, capacity: u32) {
        self.min_capacity = capacity;
        let g = self.geom;
        self.ensure_grid(&g);
        self.refresh_forces();
    }

    /// Advances `steps` steps, logging observables every `log_every` steps (0: never), with no
    /// read-back until the end.
    ///
    /// # Errors
    /// A fault (cell overflow, escape, non-finite value) restores the state the call started
    /// from and names the particle; device errors are passed on.
    pub async fn run(&mut self, steps: u64, log_every: u64) -> Result<Vec<Observables>, GpuError> {
        self.advance(steps, log_every, 1.0, steps).await
    }

    /// Compresses over `steps` steps: every length (periodic box edges, or the droplet radius)
    /// shrinks linearly in time to `final_scale` times its present value, the schedule of the
    /// CPU engine (`md::compression`); periodic positions are rescaled with the box.
    ///
    /// # Errors
    /// As [`GpuMd::run`]; [`GpuError::InvalidInput`] for a non-positive scale or a box that
    /// would become shorter than twice the cut-off.
    pub async fn compress(
        &mut self,
        steps: u64,
        final_scale: f64,
        log_every: u64,
    ) -> Result<Vec<Observables>, GpuError> {
        self.compress_within(steps, steps, final_scale, log_every)
            .await
    }

    /// Advances `steps` steps while every length shrinks linearly in time to `final_scale`
    /// times its present value over the first `ramp` of them (`ramp <= steps`), then stays:
    /// a piece of a longer compression that may end inside this block.
    ///
    /// # Errors
    /// As [`GpuMd::compress`]; [`GpuError::InvalidInput`] when `ramp > steps`.
    pub async fn compress_within(
        &mut self,
        steps: u64,
        ramp: u64,
        final_scale: f64,
        log_every: u64,
    ) -> Result<Vec<Observables>, GpuError> {
        if ramp > steps {
            return Err(GpuError::InvalidInput(format!(
                "compression ramp of {ramp} steps is longer than the block of {steps}"
            )));
        }
        if !(final_scale.is_finite() && final_scale > 0.0) {
            return Err(GpuError::InvalidInput(format!(
                "compression scale {final_scale} must be positive"
            )));
        }
        if !self.geom.open
            && self
                .geom
                .lengths
                .iter()
                .any(|l| l * final_scale < 2.0 * self.max_cutoff)
        {
            return Err(GpuError::InvalidInput(format!(
                "compressing by {final_scale} would make the box smaller than twice the cut-off {}",
                self.max_cutoff
            )));
        }
        self.advance(steps, log_every, final_scale, ramp).await
    }

    /// Observables of the present state (one reduction and one read-back).
    ///
    /// # Errors
    /// Device errors.
    pub async fn observe(&mut self) -> Result<Observables, GpuError> {
        self.ensure_log_records(1);
        let rec = self.record(&self.geom, 0, 0.0, 0.0, false);
        self.submit_pass(&rec, |md, pass| md.encode_reduce(pass, 0));
        let partials = u64::from(ceil_div(self.n, RWG));
        let raw = self
            .ctx
            .read_bytes(&self.bufs.red, partials * 16, 16)
            .await?;
        let w = words(&raw);
        Ok(self.observables(self.step, &w))
    }

    /// Forces, per-particle energies and virials of the present state, read back.
    ///
    /// # Errors
    /// Device errors.
    pub async fn force_field(&mut self) -> Result<ForceField, GpuError> {
        let raw = self
            .ctx
            .read_bytes(&self.bufs.frc, 0, u64::from(self.n) * 32)
            .await?;
        let w = words(&raw);
        let f = |k: usize| f64::from(f32::from_bits(w[k]));
        let n = self.n as usize;
        Ok(ForceField {
            forces: (0..n)
                .map(|i| [f(8 * i), f(8 * i + 1), f(8 * i + 2)])
                .collect(),
            energies: (0..n).map(|i| f(8 * i + 3)).collect(),
            virials: (0..n)
                .map(|i| [f(8 * i + 4), f(8 * i + 5), f(8 * i + 6)])
                .collect(),
        })
    }

    /// Positions (σ), read back: in the periodic box wrapped into [−L/2, L/2).
    ///
    /// # Errors
    /// Device errors.
    pub async fn positions(&self) -> Result<Vec<[f64; 3]>, GpuError> {
        let l = self.geom.lengths;
        self.read_xyz(&self.bufs.pos, |a, w| f64::from(w as i32) * l[a] / FIXED)
            .await
    }

    /// Velocities (σ/τ), read back.
    ///
    /// # Errors
    /// Device errors.
    pub async fn velocities(&self) -> Result<Vec<[f64; 3]>, GpuError> {
        self.read_xyz(&self.bufs.vel, |_, w| f64::from(f32::from_bits(w)))
            .await
    }

    /// Periodic image counters, read back.
    ///
    /// # Errors
    /// Device errors.
    pub async fn images(&self) -> Result<Vec<[i32; 3]>, GpuError> {
        self.read_xyz(&self.bufs.img, |_, w| w as i32).await
    }

    /// Reads a per-particle `vec4` buffer back and converts x, y, z of each particle with
    /// `convert(axis, word)`.
    async fn read_xyz<T>(
        &self,
        buffer: &wgpu::Buffer,
        convert: impl Fn(usize, u32) -> T,
    ) -> Result<Vec<[T; 3]>, GpuError> {
        let raw = self
            .ctx
            .read_bytes(buffer, 0, u64::from(self.n) * 16)
            .await?;
        let w = words(&raw);
        Ok((0..self.n as usize)
            .map(|i| std::array::from_fn(|a| convert(a, w[4 * i + a])))
            .collect())
    }

    fn observables(&self, step: u64, w: &[u32]) -> Observables {
        let f = |k: usize| f64::from(f32::from_bits(w[k]));
        Observables {
            step,
            kinetic_energy: f(0),
            potential_energy: f(1),
            virial: f(2),
            volume: self.box_lengths().map(|l| l[0] * l[1] * l[2]),
        }
    }

    async fn advance(
        &mut self,
        steps: u64,
        log_every: u64,
        final_scale: f64,
        ramp: u64,
    ) -> Result<Vec<Observables>, GpuError> {
        let start_geom = self.geom;
        let start_step = self.step;
        let nlogs = steps.checked_div(log_every).unwrap_or(0);
        self.ensure_log_records(nlogs.max(1));
        self.backup();
        self.ctx
            .queue
            .write_buffer(&self.bufs.counters, 0, &[0u8; 16]);
        let geometry_at = |s: u64| -> Geometry {
            if final_scale == 1.0 || ramp == 0 {
                return start_geom;
            }
            // Every length linear in time, as the CPU engine's `md::compression`.
            let f = s.min(ramp) as f64 / ramp as f64;
            start_geom.scaled(1.0 + (final_scale - 1.0) * f)
        };
        let mut log_steps = Vec::new();
        let mut done = 0;
        while done < steps {
            let k = (steps - done).min(MAX_BLOCK);
            let last = geometry_at(done + k);
            let smallest = if last.open {
                if last.wall_radius < self.geom.wall_radius {
                    last
                } else {
                    self.geom
                }
            } else if last.lengths[0] < self.geom.lengths[0] {
                last
            } else {
                self.geom
            };
            self.ensure_grid(&smallest);
            let dt = self.integrator.dt();
            let mut recs = Vec::with_capacity(k as usize * (RECORD as usize / 4));
            let mut logs = Vec::with_capacity(k as usize);
            for s in 1..=k {
                let g = geometry_at(done + s);
                let logged = log_every > 0 && (done + s) % log_every == 0;
                let slot = if logged {
                    (done + s) / log_every - 1
                } else {
                    0
                };
                let mut r = self.record(&g, self.step + s - 1, dt, 0.5 * dt, true);
                r[26] = slot as u32;
                recs.extend_from_slice(&r);
                recs.resize(recs.len() + (RECORD as usize / 4 - WORDS), 0);
                logs.push(logged.then_some(slot));
                if logged {
                    log_steps.push((self.step + s, g));
                }
            }
            self.submit_pass(&recs, |md, pass| {
                for (s, log) in logs.iter().enumerate() {
                    let off = (s as u64 * RECORD) as u32;
                    md.encode_step(pass, off);
                    if log.is_some() {
                        md.encode_reduce(pass, off);
                    }
                }
            });
            self.step += k;
            self.geom = last;
            done += k;
        }
        // One read-back: the fault flags, then the log.
        let flags = words(&self.ctx.read_bytes(&self.bufs.counters, 0, 16).await?);
        let fault = if flags[2] > 0 {
            Some(GpuError::NonFinite {
                index: flags[2] as usize - 1,
            })
        } else if flags[1] > 0 {
            Some(GpuError::Escaped {
                index: flags[1] as usize - 1,
            })
        } else if flags[0] > 0 {
            Some(GpuError::CellOverflow {
                needed: flags[0],
                capacity: self.grid.cap,
            })
        } else {
            None
        };
        if let Some(e) = fault {
            self.restore();
            self.step = start_step;
            self.geom = start_geom;
            let g = self.geom;
            self.ensure_grid(&g);
            self.refresh_forces();
            return Err(e);
        }
        if log_steps.is_empty() {
            return Ok(Vec::new());
        }
        let partials = u64::from(ceil_div(self.n, RWG));
        let raw = self
            .ctx
            .read_bytes(&self.bufs.red, partials * 16, log_steps.len() as u64 * 16)
            .await?;
        let w = words(&raw);
        Ok(log_steps
            .iter()
            .enumerate()
            .map(|(k, (step, g))| {
                let mut o = self.observables(*step, &w[4 * k..4 * k + 4]);
                o.volume = (!g.open).then(|| g.lengths[0] * g.lengths[1] * g.lengths[2]);
                o
            })
            .collect())
    }

    /// One per-step parameter record.
    fn record(&self, g: &Geometry, step: u64, dt: f64, kick2: f64, moving: bool) -> [u32; WORDS] {
        let mut r = [0u32; WORDS];
        let f = |x: f64| (x as f32).to_bits();
        for a in 0..3 {
            r[a] = f(g.lengths[a] / FIXED);
            r[4 + a] = f(FIXED / g.lengths[a]);
            r[8 + a] = self.grid.cells[a];
            r[28 + a] = self.grid.mul[a];
        }
        r[3] = self.n;
        r[7] = self.grid.ncells();
        r[11] = self.grid.cap;
        r[12] = f(dt);
        r[13] = f(kick2);
        if let (
            true,
            Integrator::Langevin {
                kt, gamma, seed, ..
            },
        ) = (moving, self.integrator)
        {
            let c1 = libm::exp(-gamma * dt);
            r[14] = f(c1);
            r[15] = f(libm::sqrt((1.0 - c1 * c1) * kt));
            r[18] = seed as u32;
            r[19] = (seed >> 32) as u32;
            r[25] = 1;
        } else {
            r[14] = f(1.0);
        }
        r[16] = step as u32;
        r[17] = (step >> 32) as u32;
        r[20] = self.ntypes;
        r[21] = u32::from(g.open);
        r[22] = f(g.wall_radius);
        r[23] = f(g.wall_eps);
        r[24] = f(g.open_limit);
        r[27] = ceil_div(self.n, RWG);
        if g.open {
            let scale = g.lengths[0] / FIXED;
            let rint = libm::round(g.wall_radius / scale) as u64;
            let r2 = rint * rint;
            r[31] = (r2 >> 32) as u32;
            r[32] = r2 as u32;
            r[33] = f(scale * scale);
        }
        r
    }

    fn encode_step(&mut self, pass: &mut wgpu::ComputePass<'_>, offset: u32) {
        let groups_first = ceil_div(self.n.max(self.grid.ncells()), WG);
        let groups = ceil_div(self.n, WG);
        pass.set_bind_group(0, &self.bind, &[offset]);
        pass.set_pipeline(&self.pipes.step_first);
        pass.dispatch_workgroups(groups_first.min(65_535), ceil_div(groups_first, 65_535), 1);
        pass.set_pipeline(&self.pipes.bin);
        pass.dispatch_workgroups(groups, 1, 1);
        pass.set_pipeline(&self.pipes.forces);
        pass.dispatch_workgroups(groups, 1, 1);
        self.dispatches += u64::from(DISPATCHES_PER_STEP);
    }

    fn encode_reduce(&mut self, pass: &mut wgpu::ComputePass<'_>, offset: u32) {
        pass.set_bind_group(0, &self.bind, &[offset]);
        pass.set_pipeline(&self.pipes.reduce_partial);
        pass.dispatch_workgroups(ceil_div(self.n, RWG), 1, 1);
        pass.set_pipeline(&self.pipes.reduce_final);
        pass.dispatch_workgroups(1, 1, 1);
        self.dispatches += u64::from(DISPATCHES_PER_LOG);
    }

    /// Rebuilds the cell list and forces of the present state without moving anything.
    fn refresh_forces(&mut self) {
        let rec = self.record(&self.geom, self.step, 0.0, 0.0, false);
        self.submit_pass(&rec, |md, pass| md.encode_step(pass, 0));
    }

    /// Writes the per-step parameter `records`, then encodes one compute pass with `encode`
    /// and submits it as one command buffer (the one place a pass is recorded).
    fn submit_pass(
        &mut self,
        records: &[u32],
        encode: impl FnOnce(&mut Self, &mut wgpu::ComputePass<'_>),
    ) {
        self.ctx
            .queue
            .write_buffer(&self.bufs.params, 0, &bytes(records));
        let mut enc = self
            .ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: None,
                timestamp_writes: None,
            });
            encode(self, &mut pass);
        }
        self.ctx.queue.submit([enc.finish()]);
    }

    /// Chooses the cell grid for geometry `g` (the smallest of a block) and grows the buffers.
    fn ensure_grid(&mut self, g: &Geometry) {
        let rc = self.max_cutoff;
        let mut cells = [0u32; 3];
        let mut mul = [0u32; 3];
        for a in 0..3 {
            if g.open {
                // Hashed grid of period L/2 >= the occupied region's extent.
                let c = (libm::floor(0.5 * g.lengths[a] / rc) as u32).clamp(2, 256);
                cells[a] = c;
                mul[a] = 2 * c;
            } else {
                let c = (libm::floor(g.lengths[a] / rc) as u32).clamp(2, 1024);
                cells[a] = c;
                mul[a] = c;
            }
        }
        let cell_volume: f64 = (0..3).map(|a| g.lengths[a] / f64::from(mul[a])).product();
        let occupied = if !g.open {
            g.lengths.iter().product::<f64>()
        } else {
            let r = if g.wall_radius > 0.0 {
                g.wall_radius
            } else {
                0.5 * g.open_limit
            };
            4.0 / 3.0 * std::f64::consts::PI * r * r * r
        };
        let density = f64::from(self.n) / occupied;
        let cap = ((2.0 * density * cell_volume).ceil() as u32 + 16).max(self.min_capacity);
        let grid = Grid { cells, mul, cap };
        if grid == self.grid {
            return;
        }
        self.grid = grid;
        let device = &self.ctx.device;
        let st = wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_DST
            | wgpu::BufferUsages::COPY_SRC;
        let ncells = u64::from(grid.ncells());
        let mut rebind = false;
        if ncells > self.bufs.counter_cells {
            self.bufs.counters = buffer(device, "counters", (NFLAGS + ncells) * 4, st);
            self.bufs.counter_cells = ncells;
            rebind = true;
        }
        if ncells * u64::from(cap) > self.bufs.slot_words {
            self.bufs.slots = buffer(device, "slots", ncells * u64::from(cap) * 4, st);
            self.bufs.slot_words = ncells * u64::from(cap);
            rebind = true;
        }
        if rebind {
            self.bind = make_bind(device, &self.pipes.layout, &self.bufs);
        }
    }

    fn ensure_log_records(&mut self, records: u64) {
        if records <= self.bufs.log_records {
            return;
        }
        let partials = u64::from(ceil_div(self.n, RWG));
        let st = wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_DST
            | wgpu::BufferUsages::COPY_SRC;
        self.bufs.red = buffer(&self.ctx.device, "red", (partials + records) * 16, st);
        self.bufs.log_records = records;
        self.bind = make_bind(&self.ctx.device, &self.pipes.layout, &self.bufs);
    }

    /// Copies positions, velocities and images into the backup buffers.
    fn backup(&self) {
        self.copy_state(true);
    }

    /// Copies the backup buffers back into positions, velocities and images.
    fn restore(&self) {
        self.copy_state(false);
    }

    fn copy_state(&self, to_backup: bool) {
        let size = u64::from(self.n) * 16;
        let mut enc = self
            .ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        for (live, saved) in [&self.bufs.pos, &self.bufs.vel, &self.bufs.img]
            .into_iter()
            .zip(&self.bufs.backup)
        {
            let (src, dst) = if to_backup {
                (live, saved)
            } else {
                (saved, live)
            };
            enc.copy_buffer_to_buffer(src, 0, dst, 0, size);
        }
        self.ctx.queue.submit([enc.finish()]);
    }
}

fn check_integrator(integrator: &Integrator) -> Result<(), GpuError> {
    let ok = match *integrator {
        Integrator::Nve { dt } => dt.is_finite() && dt > 0.0,
        Integrator::Langevin { dt, kt, gamma, .. } => {
            dt.is_finite()
                && dt > 0.0
                && kt.is_finite()
                && kt >= 0.0
                && gamma.is_finite()
                && gamma >= 0.0
        }
    };
    if ok {
        Ok(())
    } else {
        Err(GpuError::InvalidInput(format!(
            "integrator {integrator:?} needs dt > 0, kT >= 0, gamma >= 0"
        )))
    }
}

fn initial_geometry(system: &GpuSystem, rc: f64) -> Geometry {
    match system.space {
        Space::Periodic(lengths) => Geometry {
            lengths,
            open: false,
            wall_radius: 0.0,
            wall_eps: 0.0,
            open_limit: 0.0,
        },
        Space::Droplet {
            radius,
            wall_epsilon,
        } => {
            let limit = radius + rc;
            Geometry {
                lengths: [4.0 * limit; 3],
                open: true,
                wall_radius: radius,
                wall_eps: wall_epsilon,
                open_limit: limit,
            }
        }
        Space::Open => {
            let extent = system
                .positions
                .iter()
                .flatten()
                .fold(0.0f64, |a, x| a.max(x.abs()))
                + rc;
            Geometry {
                lengths: [8.0 * extent; 3],
                open: true,
                wall_radius: 0.0,
                wall_eps: 0.0,
                open_limit: 2.0 * extent,
            }
        }
    }
}

fn upload_state(queue: &wgpu::Queue, bufs: &Buffers, system: &GpuSystem, g: &Geometry) {
    let n = system.len();
    let mut pos = Vec::with_capacity(4 * n);
    let mut vel = Vec::with_capacity(4 * n);
    for i in 0..n {
        for a in 0..3 {
            pos.push(to_fixed(system.positions[i][a], g.lengths[a]));
        }
        pos.push(system.typeid[i]);
        let v = system.velocities.get(i).copied().unwrap_or([0.0; 3]);
        vel.extend(v.iter().map(|x| (*x as f32).to_bits()));
        vel.push(0);
    }
    queue.write_buffer(&bufs.pos, 0, &bytes(&pos));
    queue.write_buffer(&bufs.vel, 0, &bytes(&vel));
    queue.write_buffer(&bufs.img, 0, &vec![0u8; n * 16]);
}

fn upload_table(queue: &wgpu::Queue, table: &wgpu::Buffer, system: &GpuSystem) {
    let mut w = Vec::new();
    let f = |x: f64| (x as f32).to_bits();
    for p in system.pairs.pairs() {
        // U = cn (σ/r)^n − cm (σ/r)^m − shift: the engine's PairCoeff with σ factored out.
        let ec = p.epsilon * p.prefactor();
        let cm = if p.attractive { ec } else { 0.0 };
        let c = p.coeff();
        w.extend_from_slice(&[
            f(ec),
            f(cm),
            f(p.sigma * p.sigma),
            f(c.rcut2),
            f(c.shift),
            p.n,
            p.m,
            0,
        ]);
    }
    for t in 0..system.pairs.ntypes() {
        w.extend_from_slice(&[
            f(system.type_diameter[t]),
            f(1.0 / system.type_mass[t]),
            0,
            0,
            0,
            0,
            0,
            0,
        ]);
    }
    queue.write_buffer(table, 0, &bytes(&w));
}

fn make_bind(
    device: &wgpu::Device,
    layout: &wgpu::BindGroupLayout,
    b: &Buffers,
) -> wgpu::BindGroup {
    fn whole(binding: u32, buf: &wgpu::Buffer) -> wgpu::BindGroupEntry<'_> {
        wgpu::BindGroupEntry {
            binding,
            resource: buf.as_entire_binding(),
        }
    }
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("bnsl-md"),
        layout,
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &b.params,
                    offset: 0,
                    size: wgpu::BufferSize::new(RECORD),
                }),
            },
            whole(1, &b.pos),
            whole(2, &b.vel),
            whole(3, &b.frc),
            whole(4, &b.img),
            whole(5, &b.counters),
            whole(6, &b.slots),
            whole(7, &b.table),
            whole(8, &b.red),
        ],
    })
}
