//! Advancing the GPU state: blocks of up to [`MAX_BLOCK`] steps, each step's parameter record
//! written up front and all steps encoded into one compute pass and one submission, the fault
//! flags and the log read back once at the end of the call; a faulted call restores the state
//! it started from.

use super::buffers::MAX_BLOCK;
use super::fixed_box::{FixedBox, FIXED};
use super::grid::Grid;
use super::integrator::{Integrator, Observables};
use super::params::{Params, RECORD};
use super::pipelines::partials;
use super::GpuMd;
use crate::gpu::context::words;
use crate::gpu::GpuError;

impl GpuMd {
    /// Advances `steps` steps, logging every `log_every` (0: never), while every length
    /// shrinks linearly in time to `final_scale` times its present value over the first `ramp`
    /// steps (the CPU engine's `md::compression` schedule).
    pub(super) async fn advance(
        &mut self,
        steps: u64,
        log_every: u64,
        final_scale: f64,
        ramp: u64,
    ) -> Result<Vec<Observables>, GpuError> {
        let start_box = self.fixed_box;
        let start_step = self.step;
        let nlogs = steps.checked_div(log_every).unwrap_or(0);
        self.ensure_log_records(nlogs.max(1));
        self.bufs
            .copy_state(&self.ctx.device, &self.ctx.queue, true);
        self.ctx
            .queue
            .write_buffer(&self.bufs.counters, 0, &[0u8; 16]);
        let box_at = |s: u64| -> FixedBox {
            if final_scale == 1.0 || ramp == 0 {
                return start_box;
            }
            // Every length linear in time, as the CPU engine's `md::compression`.
            let f = s.min(ramp) as f64 / ramp as f64;
            start_box.scaled(1.0 + (final_scale - 1.0) * f)
        };
        let mut log_steps = Vec::new();
        let mut done = 0;
        while done < steps {
            let k = (steps - done).min(MAX_BLOCK);
            let last = box_at(done + k);
            self.ensure_grid(&self.fixed_box.smaller(last));
            let dt = self.integrator.dt();
            let mut records = Vec::with_capacity(k as usize * RECORD as usize);
            let mut logs = Vec::with_capacity(k as usize);
            for s in 1..=k {
                let b = box_at(done + s);
                let logged = log_every > 0 && (done + s) % log_every == 0;
                let mut params = self.params(&b, self.step + s - 1, dt, 0.5 * dt, true);
                if logged {
                    params.log_slot = ((done + s) / log_every - 1) as u32;
                    log_steps.push((self.step + s, b));
                }
                params.write(&mut records);
                logs.push(logged);
            }
            self.submit_pass(&records, |md, pass| {
                for (s, &logged) in logs.iter().enumerate() {
                    let offset = (s as u64 * RECORD) as u32;
                    md.encode_step(pass, offset);
                    if logged {
                        md.encode_reduce(pass, offset);
                    }
                }
            });
            self.step += k;
            self.fixed_box = last;
            done += k;
        }
        // One read-back: the fault flags, then the log.
        let flags = words(&self.ctx.read_bytes(&self.bufs.counters, 0, 16).await?);
        if let Some(e) = self.fault(&flags) {
            self.bufs
                .copy_state(&self.ctx.device, &self.ctx.queue, false);
            self.step = start_step;
            self.fixed_box = start_box;
            let b = self.fixed_box;
            self.ensure_grid(&b);
            self.refresh_forces();
            return Err(e);
        }
        if log_steps.is_empty() {
            return Ok(Vec::new());
        }
        let raw = self
            .ctx
            .read_bytes(
                &self.bufs.red,
                self.bufs.log_offset(),
                log_steps.len() as u64 * 16,
            )
            .await?;
        let w = words(&raw);
        Ok(log_steps
            .iter()
            .enumerate()
            .map(|(k, (step, b))| Observables {
                volume: b.geometry().box_lengths().map(|l| l[0] * l[1] * l[2]),
                ..self.observables(*step, &w[4 * k..4 * k + 4])
            })
            .collect())
    }

    /// The fault the flags report, the most serious first.
    fn fault(&self, flags: &[u32]) -> Option<GpuError> {
        if flags[2] > 0 {
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
        }
    }

    /// The parameter record of one step in box `b`: the step counter (the Philox counter),
    /// the time step `dt` of the first half and `kick2` of the closing kick; `moving = false`
    /// leaves the Langevin update off (forces and reductions only).
    pub(super) fn params(
        &self,
        b: &FixedBox,
        step: u64,
        dt: f64,
        kick2: f64,
        moving: bool,
    ) -> Params {
        let f = |x: f64| x as f32;
        let mut p = Params {
            scale: b.lengths.map(|l| f(l / FIXED)),
            n: self.n,
            inv_scale: b.lengths.map(|l| f(FIXED / l)),
            ncells: self.grid.ncells(),
            cells: self.grid.cells,
            cap: self.grid.cap,
            dt: f(dt),
            kick2: f(kick2),
            c1: 1.0,
            step_lo: step as u32,
            step_hi: (step >> 32) as u32,
            ntypes: self.ntypes,
            open_space: u32::from(b.open),
            wall_radius: f(b.wall_radius),
            wall_eps: f(b.wall_eps),
            open_limit: f(b.open_limit),
            partials: partials(self.n),
            cell_mul: self.grid.mul,
            ..Params::default()
        };
        if let (
            true,
            Integrator::Langevin {
                kt, gamma, seed, ..
            },
        ) = (moving, self.integrator)
        {
            let c1 = libm::exp(-gamma * dt);
            p.c1 = f(c1);
            p.c2 = f(libm::sqrt((1.0 - c1 * c1) * kt));
            p.seed_lo = seed as u32;
            p.seed_hi = (seed >> 32) as u32;
            p.langevin = 1;
        }
        if b.open {
            let scale = b.lengths[0] / FIXED;
            let rint = libm::round(b.wall_radius / scale) as u64;
            let r2 = rint * rint;
            p.wall_r2_hi = (r2 >> 32) as u32;
            p.wall_r2_lo = r2 as u32;
            p.scale2 = f(scale * scale);
        }
        p
    }

    fn encode_step(&mut self, pass: &mut wgpu::ComputePass<'_>, offset: u32) {
        let d = self
            .pipes
            .encode_step(pass, &self.bind, offset, self.n, self.grid.ncells());
        self.dispatches += u64::from(d);
    }

    pub(super) fn encode_reduce(&mut self, pass: &mut wgpu::ComputePass<'_>, offset: u32) {
        let d = self.pipes.encode_reduce(pass, &self.bind, offset, self.n);
        self.dispatches += u64::from(d);
    }

    /// Rebuilds the cell list and forces of the present state without moving anything.
    pub(super) fn refresh_forces(&mut self) {
        let mut record = Vec::new();
        self.params(&self.fixed_box, self.step, 0.0, 0.0, false)
            .write(&mut record);
        self.submit_pass(&record, |md, pass| md.encode_step(pass, 0));
    }

    /// Writes the per-step parameter `records`, then encodes one compute pass with `encode`
    /// and submits it as one command buffer (the one place a pass is recorded).
    pub(super) fn submit_pass(
        &mut self,
        records: &[u8],
        encode: impl FnOnce(&mut Self, &mut wgpu::ComputePass<'_>),
    ) {
        self.ctx.queue.write_buffer(&self.bufs.params, 0, records);
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

    /// Chooses the cell grid for box `b` (the smallest of a block) and grows the buffers.
    pub(super) fn ensure_grid(&mut self, b: &FixedBox) {
        let grid = Grid::choose(b, self.n, self.max_cutoff, self.min_capacity);
        if grid == self.grid {
            return;
        }
        self.grid = grid;
        let device = &self.ctx.device;
        if self
            .bufs
            .ensure_cells(device, u64::from(grid.ncells()), grid.cap)
        {
            self.bind = self.bufs.bind(device, &self.pipes.layout);
        }
    }

    /// Grows the log to hold `records` records.
    pub(super) fn ensure_log_records(&mut self, records: u64) {
        if self.bufs.ensure_log(&self.ctx.device, records) {
            self.bind = self.bufs.bind(&self.ctx.device, &self.pipes.layout);
        }
    }
}
