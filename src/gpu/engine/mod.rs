//! The whole MD step on the GPU (SCIENCE.md §1, "Dynamics"): cell list, Mie forces, the
//! droplet wall, velocity-Verlet / Langevin (BAOAB) integration, compression and reductions,
//! encoded as three dispatches per step (plus two per logged step) so that a block of many
//! steps runs without any read-back.
//!
//! The parts, one job each: [`pipelines`] (the shaders and how a step is dispatched),
//! [`buffers`] (what lives on the GPU), [`fixed_box`] (the fixed-point coordinates' box),
//! [`grid`] (cell-grid sizing), [`params`] (the per-step parameter record, a `#[repr(C)]`
//! mirror of the WGSL `Params`), [`step`] (blocks of steps, faults and the log) and
//! [`integrator`]; this file holds [`GpuMd`], the system resident on the GPU. The log and the
//! fault flags are read back once at the end of [`GpuMd::run`].

mod buffers;
mod fixed_box;
mod grid;
mod integrator;
mod params;
mod pipelines;
mod step;

use super::context::{words, GpuContext};
use super::reference::ForceField;
use super::{GpuError, GpuSystem};
use buffers::Buffers;
use fixed_box::{from_fixed, FixedBox};
use grid::Grid;
use integrator::check_integrator;
pub use integrator::{Integrator, Observables};
use pipelines::Pipelines;
pub use pipelines::{DISPATCHES_PER_LOG, DISPATCHES_PER_STEP};

/// A system resident on the GPU, advanced in blocks of steps with no read-back inside a block.
pub struct GpuMd {
    ctx: GpuContext,
    pipes: Pipelines,
    bufs: Buffers,
    bind: wgpu::BindGroup,
    n: u32,
    ntypes: u32,
    max_cutoff: f64,
    /// The fixed-point box of the present state.
    fixed_box: FixedBox,
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
        let fixed_box = FixedBox::of(system, rc);
        let pipes = Pipelines::new(&ctx.device);
        let bufs = Buffers::new(&ctx.device, &ctx.queue, system, &fixed_box);
        let bind = bufs.bind(&ctx.device, &pipes.layout);
        let mut me = Self {
            ctx,
            pipes,
            bufs,
            bind,
            n,
            ntypes: k as u32,
            max_cutoff: rc,
            fixed_box,
            grid: Grid::NONE,
            integrator,
            step: 0,
            dispatches: 0,
            min_capacity: 0,
        };
        me.ensure_grid(&fixed_box);
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
        self.fixed_box.geometry().box_lengths()
    }

    /// Current droplet radius, or `None`.
    #[must_use]
    pub fn droplet_radius(&self) -> Option<f64> {
        self.fixed_box.geometry().droplet_radius()
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
        let g = self.fixed_box;
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
        if !self.fixed_box.open
            && self
                .fixed_box
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
        let mut record = Vec::new();
        self.params(&self.fixed_box, 0, 0.0, 0.0, false)
            .write(&mut record);
        self.submit_pass(&record, |md, pass| md.encode_reduce(pass, 0));
        let raw = self
            .ctx
            .read_bytes(&self.bufs.red, self.bufs.log_offset(), 16)
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
        let l = self.fixed_box.lengths;
        self.read_xyz(&self.bufs.pos, |a, w| from_fixed(w, l[a]))
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
}
