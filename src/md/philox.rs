//! Counter-based random numbers: Philox4x32-10 (Salmon et al., SC'11; the generator HOOMD-blue
//! uses), defined by 32-bit integer operations only so that a WGSL shader can mirror it bit for
//! bit: [`mulhilo`] assembles the 32×32→64-bit product from 16-bit halves, the form WGSL
//! (which has no 64-bit integers) uses. The CPU path takes the same product from one native
//! 64-bit multiplication ([`mulhilo64`]); a test proves the two equal.
//!
//! The Langevin noise of particle `i` at step `t` with seed `s` is
//! `philox(counter = [i, t_lo, t_hi, LANGEVIN_TAG], key = [s_lo, s_hi])`; each of the first three
//! 32-bit outputs u becomes a uniform number ξ = (2·(u + ½)/2³² − 1)·√3 with zero mean and unit
//! variance (uniform noise of the right variance, as HOOMD-blue and LAMMPS use by default).

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

/// Fourth counter word of the Langevin stream ("LANG").
pub const LANGEVIN_TAG: u32 = 0x4C41_4E47;

/// The high and low 32-bit words of the 64-bit product `a·b`, from 16-bit halves.
#[inline(always)]
#[must_use]
pub fn mulhilo(a: u32, b: u32) -> (u32, u32) {
    let (a_lo, a_hi) = (a & 0xFFFF, a >> 16);
    let (b_lo, b_hi) = (b & 0xFFFF, b >> 16);
    let ll = a_lo * b_lo;
    let lh = a_lo * b_hi;
    let hl = a_hi * b_lo;
    let hh = a_hi * b_hi;
    let mid = (ll >> 16) + (lh & 0xFFFF) + (hl & 0xFFFF);
    let lo = (ll & 0xFFFF) | (mid << 16);
    let hi = hh
        .wrapping_add(lh >> 16)
        .wrapping_add(hl >> 16)
        .wrapping_add(mid >> 16);
    (hi, lo)
}

/// The same product as [`mulhilo`] from a native 64-bit multiplication (the CPU's fast path).
#[inline(always)]
#[must_use]
pub fn mulhilo64(a: u32, b: u32) -> (u32, u32) {
    let p = u64::from(a) * u64::from(b);
    ((p >> 32) as u32, p as u32)
}

/// Philox4x32 with 10 rounds.
#[inline(always)]
#[must_use]
pub fn philox4x32_10(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut c = counter;
    let mut k = key;
    for round in 0..10 {
        if round > 0 {
            k[0] = k[0].wrapping_add(W0);
            k[1] = k[1].wrapping_add(W1);
        }
        let (hi0, lo0) = mulhilo64(M0, c[0]);
        let (hi1, lo1) = mulhilo64(M1, c[2]);
        c = [hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0];
    }
    c
}

/// Maps a 32-bit word to a uniform number in (−√3, √3) with mean 0 and variance 1.
#[inline(always)]
#[must_use]
pub fn unit_uniform(u: u32) -> f64 {
    const SCALE: f64 = 1.0 / 4_294_967_296.0;
    (2.0 * ((f64::from(u) + 0.5) * SCALE) - 1.0) * 1.732_050_807_568_877_2
}

/// The three unit-variance noise numbers of particle `index` at `step` for `seed`.
#[inline(always)]
#[must_use]
pub fn langevin_noise(seed: u64, step: u64, index: u32) -> [f64; 3] {
    let r = philox4x32_10(
        [index, step as u32, (step >> 32) as u32, LANGEVIN_TAG],
        [seed as u32, (seed >> 32) as u32],
    );
    [unit_uniform(r[0]), unit_uniform(r[1]), unit_uniform(r[2])]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mulhilo_equals_64_bit_product() {
        let mut x: u32 = 12345;
        for _ in 0..10_000 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let y = x.rotate_left(13) ^ 0xDEAD_BEEF;
            let p = u64::from(x) * u64::from(y);
            assert_eq!(mulhilo(x, y), ((p >> 32) as u32, p as u32));
            assert_eq!(mulhilo64(x, y), mulhilo(x, y));
        }
        let p = u64::from(u32::MAX) * u64::from(u32::MAX);
        assert_eq!(mulhilo(u32::MAX, u32::MAX), ((p >> 32) as u32, p as u32));
    }

    #[test]
    fn known_answers_from_random123() {
        assert_eq!(
            philox4x32_10([0; 4], [0; 2]),
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
    fn noise_has_unit_variance() {
        let (mut s1, mut s2) = (0.0, 0.0);
        let n = 100_000u32;
        for i in 0..n {
            for x in langevin_noise(7, 3, i) {
                s1 += x;
                s2 += x * x;
            }
        }
        let m = s1 / f64::from(3 * n);
        let v = s2 / f64::from(3 * n) - m * m;
        assert!(m.abs() < 0.01 && (v - 1.0).abs() < 0.01, "{m} {v}");
    }
}
