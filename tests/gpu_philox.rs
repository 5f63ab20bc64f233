//! The shader's Philox4x32-10 draws bit-identical words to the Rust reference for given
//! (seed, step, particle), and the same normals up to f32 rounding.

mod gpu_support;

use bnsl::gpu::{philox, philox_on_gpu, GpuContext};
use gpu_support::block;

#[test]
fn gpu_philox_words_are_bit_identical_to_the_cpu() {
    let ctx = block(GpuContext::new()).unwrap_or_else(|e| {
        panic!("GPU path unavailable: {e}. The setup installs Mesa lavapipe (mesa-vulkan-drivers).")
    });
    for (seed, step) in [
        (0u64, 0u64),
        (42, 1),
        (0xDEAD_BEEF_1234_5678, 123_456_789_012),
        (u64::MAX, u64::MAX),
    ] {
        let count = 4099;
        let draws = block(philox_on_gpu(&ctx, seed, step, count)).expect("probe");
        for i in 0..count {
            let cpu = philox::langevin_bits(seed, step, i);
            assert_eq!(
                draws.bits[i as usize], cpu,
                "seed {seed} step {step} particle {i}"
            );
            let z = philox::gaussian3(cpu);
            for a in 0..3 {
                let g = f64::from(draws.normals[i as usize][a]);
                assert!(
                    (g - z[a]).abs() < 2e-5 * (1.0 + z[a].abs()),
                    "normal {a} of particle {i}: {g} vs {}",
                    z[a]
                );
            }
        }
    }
}
