// Test kernel: writes the Philox4x32-10 block of counter (step, particle = index) and the
// three unit-variance noise numbers derived from it, so tests can compare them with the Rust reference.
// Compiled together with philox.wgsl only.

struct Probe {
    seed_lo: u32,
    seed_hi: u32,
    step_lo: u32,
    step_hi: u32,
}

@group(0) @binding(0) var<uniform> Q: Probe;
@group(0) @binding(1) var<storage, read_write> bits_out: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> noise_out: array<vec4<f32>>;

@compute @workgroup_size(64)
fn probe(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if (i >= arrayLength(&bits_out)) {
        return;
    }
    let b = philox4x32_10(vec4<u32>(i, Q.step_lo, Q.step_hi, LANGEVIN_TAG), vec2<u32>(Q.seed_lo, Q.seed_hi));
    bits_out[i] = b;
    noise_out[i] = vec4<f32>(langevin_noise3(b), 0.0);
}
