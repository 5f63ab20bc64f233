//! Runs the shader's Philox4x32-10 (`shaders/philox.wgsl`) for particles `0..count` at one
//! (seed, step), so tests can prove the GPU draws bit-identical random words to the CPU
//! engine's [`crate::md::philox`].

use super::context::{bytes, words, GpuContext};
use super::GpuError;

/// Philox blocks and the three unit-variance noise numbers the Langevin kernel derives from them, per particle.
#[derive(Clone, Debug, PartialEq)]
pub struct PhiloxDraws {
    /// The four 32-bit words of each particle's block.
    pub bits: Vec<[u32; 4]>,
    /// The three noise numbers of [`crate::md::philox::langevin_noise`] (f32 on the GPU).
    pub noise: Vec<[f32; 3]>,
}

/// Draws the Langevin noise words of particles `0..count` for `(seed, step)` on the GPU.
///
/// # Errors
/// Device errors; [`GpuError::InvalidInput`] for `count == 0`.
pub async fn philox_on_gpu(
    ctx: &GpuContext,
    seed: u64,
    step: u64,
    count: u32,
) -> Result<PhiloxDraws, GpuError> {
    if count == 0 {
        return Err(GpuError::InvalidInput(
            "philox probe of zero particles".into(),
        ));
    }
    let device = &ctx.device;
    let source = [
        include_str!("shaders/philox.wgsl"),
        include_str!("shaders/philox_probe.wgsl"),
    ]
    .concat();
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("philox-probe"),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some("philox-probe"),
        layout: None,
        module: &module,
        entry_point: Some("probe"),
        compilation_options: wgpu::PipelineCompilationOptions::default(),
        cache: None,
    });
    let usage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC;
    let make = |label: &str, size: u64, usage: wgpu::BufferUsages| {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size,
            usage,
            mapped_at_creation: false,
        })
    };
    let uniform = make(
        "probe-params",
        16,
        wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
    );
    let bits_buf = make("probe-bits", u64::from(count) * 16, usage);
    let noise_buf = make("probe-noise", u64::from(count) * 16, usage);
    ctx.queue.write_buffer(
        &uniform,
        0,
        &bytes(&[
            seed as u32,
            (seed >> 32) as u32,
            step as u32,
            (step >> 32) as u32,
        ]),
    );
    let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("philox-probe"),
        layout: &pipeline.get_bind_group_layout(0),
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: uniform.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: bits_buf.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 2,
                resource: noise_buf.as_entire_binding(),
            },
        ],
    });
    let mut enc = device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
    {
        let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: None,
            timestamp_writes: None,
        });
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.dispatch_workgroups(count.div_ceil(64), 1, 1);
    }
    ctx.queue.submit([enc.finish()]);
    let b = words(&ctx.read_bytes(&bits_buf, 0, u64::from(count) * 16).await?);
    let z = words(&ctx.read_bytes(&noise_buf, 0, u64::from(count) * 16).await?);
    Ok(PhiloxDraws {
        bits: b
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect(),
        noise: z
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2]].map(f32::from_bits))
            .collect(),
    })
}
