//! Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC'11; the Random123 reference) with 32-bit
//! integer operations only: the CPU twin of `shaders/philox.wgsl`, so that the Langevin noise
//! of the GPU path is keyed exactly like the CPU path's: counter `(step_lo, step_hi, particle,
//! stream)`, key `(seed_lo, seed_hi)`.

/// Multiplier of the first Philox lane pair.
const M0: u32 = 0xD251_1F53;
/// Multiplier of the second Philox lane pair.
const M1: u32 = 0xCD9E_8D57;
/// Weyl increments of the key schedule.
const W0: u32 = 0x9E37_79B9;
/// Weyl increment of the second key word.
const W1: u32 = 0xBB67_AE85;

/// High and low words of the 64-bit product `a * b`, from 16-bit halves (as the shader does).
#[must_use]
pub fn mulhilo(a: u32, b: u32) -> (u32, u32) {
    let (a0, a1) = (a & 0xffff, a >> 16);
    let (b0, b1) = (b & 0xffff, b >> 16);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    let hi = p11 + (p01 >> 16) + (p10 >> 16) + (mid >> 16);
    (hi, a.wrapping_mul(b))
}

/// The Philox4x32-10 block for a counter and a key.
#[must_use]
pub fn philox4x32_10(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut c = counter;
    let mut k = key;
    for _ in 0..10 {
        let (h0, l0) = mulhilo(M0, c[0]);
        let (h1, l1) = mulhilo(M1, c[2]);
        c = [h1 ^ c[1] ^ k[0], l1, h0 ^ c[3] ^ k[1], l0];
        k = [k[0].wrapping_add(W0), k[1].wrapping_add(W1)];
    }
    c
}

/// The block the Langevin step of `step` draws for `particle` under `seed` (stream 0).
#[must_use]
pub fn langevin_bits(seed: u64, step: u64, particle: u32) -> [u32; 4] {
    philox4x32_10(
        [step as u32, (step >> 32) as u32, particle, 0],
        [seed as u32, (seed >> 32) as u32],
    )
}

/// Three standard normal deviates from one block (Box–Muller on words 0,1 and 2,3), in f64.
/// The shader evaluates the same formula in f32.
#[must_use]
pub fn gaussian3(bits: [u32; 4]) -> [f64; 3] {
    const TWO_POW_M24: f64 = 1.0 / 16_777_216.0;
    let open = |u: u32| f64((u >> 8) + 1) * TWO_POW_M24;
    let closed = |u: u32| f64(u >> 8) * TWO_POW_M24;
    let r0 = libm::sqrt(-2.0 * libm::log(open(bits[0])));
    let t0 = 2.0 * core::f64::consts::PI * closed(bits[1]);
    let r1 = libm::sqrt(-2.0 * libm::log(open(bits[2])));
    let t1 = 2.0 * core::f64::consts::PI * closed(bits[3]);
    [r0 * libm::cos(t0), r0 * libm::sin(t0), r1 * libm::cos(t1)]
}

/// Exact conversion of a 24-bit integer to f64.
fn f64(x: u32) -> f64 {
    f64::from(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mulhilo_matches_u64_product() {
        let vals = [
            0u32,
            1,
            0xffff,
            0x1_0000,
            0xD251_1F53,
            0xCD9E_8D57,
            u32::MAX,
            123_456_789,
        ];
        for &a in &vals {
            for &b in &vals {
                let p = u64::from(a) * u64::from(b);
                assert_eq!(mulhilo(a, b), ((p >> 32) as u32, p as u32), "{a} * {b}");
            }
        }
    }

    /// Known-answer vectors of Random123's kat_vectors for philox4x32_10.
    #[test]
    fn philox_known_answers() {
        assert_eq!(
            philox4x32_10([0, 0, 0, 0], [0, 0]),
            [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]
        );
        assert_eq!(
            philox4x32_10([u32::MAX; 4], [u32::MAX; 2]),
            [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]
        );
        assert_eq!(
            philox4x32_10(
                [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344],
                [0xa409_3822, 0x299f_31d0]
            ),
            [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]
        );
    }

    #[test]
    fn normals_have_unit_variance() {
        let mut sum = 0.0;
        let mut sum2 = 0.0;
        let n = 20_000u32;
        for i in 0..n {
            for z in gaussian3(langevin_bits(7, 3, i)) {
                sum += z;
                sum2 += z * z;
            }
        }
        let m = sum / f64::from(3 * n);
        let v = sum2 / f64::from(3 * n) - m * m;
        assert!(m.abs() < 0.02, "mean {m}");
        assert!((v - 1.0).abs() < 0.03, "variance {v}");
    }
}
