// Philox4x32-10 (Salmon et al., SC'11; the Random123 reference), u32 operations only.
// Counter (step_lo, step_hi, particle, stream), key (seed_lo, seed_hi): the same words the
// CPU reference `gpu::philox` draws, so both paths see bit-identical random numbers.

// High and low words of the 64-bit product a*b, built from 16-bit halves with u32 ops only.
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
    let a0 = a & 0xffffu;
    let a1 = a >> 16u;
    let b0 = b & 0xffffu;
    let b1 = b >> 16u;
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
    let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
    return vec2<u32>(hi, a * b);
}

fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
    var c = counter;
    var k = key;
    for (var r = 0u; r < 10u; r = r + 1u) {
        let p0 = mulhilo(0xD2511F53u, c.x);
        let p1 = mulhilo(0xCD9E8D57u, c.z);
        c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
        k = k + vec2<u32>(0x9E3779B9u, 0xBB67AE85u);
    }
    return c;
}

// Uniform in (0, 1]: ((u >> 8) + 1) / 2^24, exact in f32.
fn uniform_open0(u: u32) -> f32 {
    return f32((u >> 8u) + 1u) * 5.9604644775390625e-8;
}

// Uniform in [0, 1): (u >> 8) / 2^24, exact in f32.
fn uniform_closed0(u: u32) -> f32 {
    return f32(u >> 8u) * 5.9604644775390625e-8;
}

// Three standard normal deviates from one Philox block (two Box-Muller pairs, the last unused).
fn gaussian3(bits: vec4<u32>) -> vec3<f32> {
    let r0 = sqrt(-2.0 * log(uniform_open0(bits.x)));
    let t0 = 6.283185307179586 * uniform_closed0(bits.y);
    let r1 = sqrt(-2.0 * log(uniform_open0(bits.z)));
    let t1 = 6.283185307179586 * uniform_closed0(bits.w);
    return vec3<f32>(r0 * cos(t0), r0 * sin(t0), r1 * cos(t1));
}
