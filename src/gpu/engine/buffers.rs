//! The GPU buffers of the MD path, their layout and their bind group: positions (fixed point,
//! type in w), velocities, forces with energies and virials, image counters, the cell list
//! (fault flags, then counts; slots), the pair table, the reductions and log, the per-step
//! parameter records, and a backup of the state that a faulted block restores.

use super::fixed_box::{to_fixed, FixedBox};
use super::params::RECORD;
use super::pipelines::partials;
use crate::gpu::context::bytes;
use crate::gpu::GpuSystem;

/// Steps encoded per submission (parameter records in the uniform buffer).
pub(super) const MAX_BLOCK: u64 = 1000;
/// Number of fault flags at the head of the counters buffer.
pub(super) const NFLAGS: u64 = 4;
/// Bytes per particle of the `vec4` buffers (positions, velocities, images).
const VEC4: u64 = 16;
/// Bytes per particle of the force buffer (`ForceOut`: two `vec4`).
const FORCE_OUT: u64 = 32;
/// Bytes per pair-table entry (`Pair`: eight words).
const PAIR: u64 = 32;

fn storage_usage() -> wgpu::BufferUsages {
    wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC
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

/// Every buffer of the MD path.
pub(super) struct Buffers {
    pub params: wgpu::Buffer,
    pub pos: wgpu::Buffer,
    pub vel: wgpu::Buffer,
    pub frc: wgpu::Buffer,
    pub img: wgpu::Buffer,
    pub counters: wgpu::Buffer,
    slots: wgpu::Buffer,
    table: wgpu::Buffer,
    pub red: wgpu::Buffer,
    backup: [wgpu::Buffer; 3],
    n: u32,
    /// Cells the counters buffer holds, slots it holds, log records `red` holds.
    counter_cells: u64,
    slot_words: u64,
    log_records: u64,
}

impl Buffers {
    /// Buffers for `system` (uploaded: state in box `b`, pair table), with room for one log
    /// record and no cells yet.
    pub fn new(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        system: &GpuSystem,
        b: &FixedBox,
    ) -> Self {
        let n = system.len() as u32;
        let k = system.pairs.ntypes() as u64;
        let nn = u64::from(n);
        let st = storage_usage();
        let cp = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        let bufs = Self {
            params: buffer(
                device,
                "params",
                MAX_BLOCK * RECORD,
                wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            ),
            pos: buffer(device, "pos", nn * VEC4, st),
            vel: buffer(device, "vel", nn * VEC4, st),
            frc: buffer(device, "frc", nn * FORCE_OUT, st),
            img: buffer(device, "img", nn * VEC4, st),
            counters: buffer(device, "counters", 16, st),
            slots: buffer(device, "slots", 16, st),
            table: buffer(device, "table", (k * k + k) * PAIR, st),
            red: buffer(device, "red", (u64::from(partials(n)) + 1) * VEC4, st),
            backup: [
                buffer(device, "pos-backup", nn * VEC4, cp),
                buffer(device, "vel-backup", nn * VEC4, cp),
                buffer(device, "img-backup", nn * VEC4, cp),
            ],
            n,
            counter_cells: 0,
            slot_words: 0,
            log_records: 1,
        };
        bufs.upload_state(queue, system, b);
        bufs.upload_table(queue, system);
        bufs
    }

    /// Grows the cell buffers to `ncells` cells of `cap` slots; true when a buffer was
    /// replaced (the bind group must be remade).
    pub fn ensure_cells(&mut self, device: &wgpu::Device, ncells: u64, cap: u32) -> bool {
        let mut grown = false;
        if ncells > self.counter_cells {
            self.counters = buffer(device, "counters", (NFLAGS + ncells) * 4, storage_usage());
            self.counter_cells = ncells;
            grown = true;
        }
        let words = ncells * u64::from(cap);
        if words > self.slot_words {
            self.slots = buffer(device, "slots", words * 4, storage_usage());
            self.slot_words = words;
            grown = true;
        }
        grown
    }

    /// Grows the log to `records` records; true when the buffer was replaced.
    pub fn ensure_log(&mut self, device: &wgpu::Device, records: u64) -> bool {
        if records <= self.log_records {
            return false;
        }
        let size = (u64::from(partials(self.n)) + records) * VEC4;
        self.red = buffer(device, "red", size, storage_usage());
        self.log_records = records;
        true
    }

    /// Byte offset of the log (after the partial sums) in `red`.
    pub fn log_offset(&self) -> u64 {
        u64::from(partials(self.n)) * VEC4
    }

    /// The bind group of every buffer (binding 0: one record at a dynamic offset).
    pub fn bind(&self, device: &wgpu::Device, layout: &wgpu::BindGroupLayout) -> wgpu::BindGroup {
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
                        buffer: &self.params,
                        offset: 0,
                        size: wgpu::BufferSize::new(RECORD),
                    }),
                },
                whole(1, &self.pos),
                whole(2, &self.vel),
                whole(3, &self.frc),
                whole(4, &self.img),
                whole(5, &self.counters),
                whole(6, &self.slots),
                whole(7, &self.table),
                whole(8, &self.red),
            ],
        })
    }

    /// Copies positions, velocities and images into the backup (`to_backup`) or back.
    pub fn copy_state(&self, device: &wgpu::Device, queue: &wgpu::Queue, to_backup: bool) {
        let size = u64::from(self.n) * VEC4;
        let mut enc =
            device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        for (live, saved) in [&self.pos, &self.vel, &self.img]
            .into_iter()
            .zip(&self.backup)
        {
            let (src, dst) = if to_backup {
                (live, saved)
            } else {
                (saved, live)
            };
            enc.copy_buffer_to_buffer(src, 0, dst, 0, size);
        }
        queue.submit([enc.finish()]);
    }

    fn upload_state(&self, queue: &wgpu::Queue, system: &GpuSystem, b: &FixedBox) {
        let n = system.len();
        let mut pos = Vec::with_capacity(4 * n);
        let mut vel = Vec::with_capacity(4 * n);
        for i in 0..n {
            for a in 0..3 {
                pos.push(to_fixed(system.positions[i][a], b.lengths[a]));
            }
            pos.push(system.typeid[i]);
            let v = system.velocities.get(i).copied().unwrap_or([0.0; 3]);
            vel.extend(v.iter().map(|x| (*x as f32).to_bits()));
            vel.push(0);
        }
        queue.write_buffer(&self.pos, 0, &bytes(&pos));
        queue.write_buffer(&self.vel, 0, &bytes(&vel));
        queue.write_buffer(&self.img, 0, &vec![0u8; n * VEC4 as usize]);
    }

    fn upload_table(&self, queue: &wgpu::Queue, system: &GpuSystem) {
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
        queue.write_buffer(&self.table, 0, &bytes(&w));
    }
}
