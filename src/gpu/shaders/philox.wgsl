// Philox4x32-10 (Salmon et al., SC'11; the Random123 reference), u32 operations only.
// Counter (particle, step_lo, step_hi, LANGEVIN_TAG), key (seed_lo, seed_hi): the same words
// the CPU engine's `md::philox` draws, so both paths see bit-identical random numbers.

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

// Fourth counter word of the Langevin stream ("LANG"), as `md::philox::LANGEVIN_TAG`.
const LANGEVIN_TAG: u32 = 0x4C414E47u;

// One word to a uniform number of zero mean and unit variance, (2 (u + 1/2) / 2^32 - 1) sqrt(3),
// as `md::philox::unit_uniform`: the high 24 bits and the low 8 bits are scaled separately so
// that the f32 result is within one rounding of the f64 value.
fn unit_uniform(u: u32) -> f32 {
    let hi = f32(u >> 8u) * 1.1920928955078125e-7;
    let lo = (f32(u & 0xffu) + 0.5) * 4.656612873077393e-10;
    return ((hi - 1.0) + lo) * 1.7320508075688772;
}

// The three unit-variance noise numbers of `md::philox::langevin_noise`.
fn langevin_noise3(bits: vec4<u32>) -> vec3<f32> {
    return vec3<f32>(unit_uniform(bits.x), unit_uniform(bits.y), unit_uniform(bits.z));
}
