//! The compute pipelines of one MD step and how a step is dispatched: `step_first` (kick,
//! drift, Langevin O, drift; clears the cell counts), `bin_particles` (cell list by atomics),
//! `forces` (cell traversal, wall, closing kick), and on logged steps `reduce_partial` and
//! `reduce_final` (kinetic energy, potential energy, virial into the log on the GPU).

use super::params::SHADER_BYTES;

/// The shader sources, concatenated into one module.
pub(super) const SHADER_SOURCE: [&str; 6] = [
    include_str!("../shaders/common.wgsl"),
    include_str!("../shaders/philox.wgsl"),
    include_str!("../shaders/integrate.wgsl"),
    include_str!("../shaders/cells.wgsl"),
    include_str!("../shaders/forces.wgsl"),
    include_str!("../shaders/reduce.wgsl"),
];

/// Dispatches per time step (without logging).
pub const DISPATCHES_PER_STEP: u32 = 3;
/// Extra dispatches per logged step (the two reduction passes).
pub const DISPATCHES_PER_LOG: u32 = 2;
/// Threads per workgroup of the per-particle kernels.
const WG: u32 = 64;
/// Threads per workgroup of the reductions.
pub(super) const RWG: u32 = 256;
/// Workgroups along x of one dispatch (WebGPU's guaranteed limit).
const MAX_GROUPS_X: u32 = 65_535;

/// The bind group layout (binding 0: the parameter record at a dynamic offset; 1–8: storage)
/// and the five pipelines.
pub(super) struct Pipelines {
    pub layout: wgpu::BindGroupLayout,
    step_first: wgpu::ComputePipeline,
    bin: wgpu::ComputePipeline,
    forces: wgpu::ComputePipeline,
    reduce_partial: wgpu::ComputePipeline,
    reduce_final: wgpu::ComputePipeline,
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

/// Number of partial sums of the first reduction pass for `n` particles.
pub(super) fn partials(n: u32) -> u32 {
    n.div_ceil(RWG)
}

impl Pipelines {
    /// Compiles the shaders and creates the pipelines on `device`.
    pub fn new(device: &wgpu::Device) -> Self {
        let source: String = SHADER_SOURCE.concat();
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
                min_binding_size: wgpu::BufferSize::new(SHADER_BYTES),
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
        Self {
            step_first: make("step_first"),
            bin: make("bin_particles"),
            forces: make("forces"),
            reduce_partial: make("reduce_partial"),
            reduce_final: make("reduce_final"),
            layout,
        }
    }

    /// Encodes one time step of `n` particles on a grid of `ncells` cells with the record at
    /// byte `offset`; returns the dispatches encoded.
    pub fn encode_step(
        &self,
        pass: &mut wgpu::ComputePass<'_>,
        bind: &wgpu::BindGroup,
        offset: u32,
        n: u32,
        ncells: u32,
    ) -> u32 {
        // The first kernel also clears the cell counts: one thread per particle or cell.
        let groups_first = n.max(ncells).div_ceil(WG);
        let groups = n.div_ceil(WG);
        pass.set_bind_group(0, bind, &[offset]);
        pass.set_pipeline(&self.step_first);
        pass.dispatch_workgroups(
            groups_first.min(MAX_GROUPS_X),
            groups_first.div_ceil(MAX_GROUPS_X),
            1,
        );
        pass.set_pipeline(&self.bin);
        pass.dispatch_workgroups(groups, 1, 1);
        pass.set_pipeline(&self.forces);
        pass.dispatch_workgroups(groups, 1, 1);
        DISPATCHES_PER_STEP
    }

    /// Encodes the two reduction passes of `n` particles with the record at byte `offset`;
    /// returns the dispatches encoded.
    pub fn encode_reduce(
        &self,
        pass: &mut wgpu::ComputePass<'_>,
        bind: &wgpu::BindGroup,
        offset: u32,
        n: u32,
    ) -> u32 {
        pass.set_bind_group(0, bind, &[offset]);
        pass.set_pipeline(&self.reduce_partial);
        pass.dispatch_workgroups(partials(n), 1, 1);
        pass.set_pipeline(&self.reduce_final);
        pass.dispatch_workgroups(1, 1, 1);
        DISPATCHES_PER_LOG
    }
}
