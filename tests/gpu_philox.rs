//! The shader's Philox4x32-10 draws bit-identical words to the CPU engine's `md::philox` for
//! given (seed, step, particle), and the same unit-variance noise up to f32 rounding.

#![cfg(not(target_arch = "wasm32"))]

mod gpu_support;

use bnsl::gpu::{philox_on_gpu, GpuContext};
use bnsl::md::philox::{langevin_noise, philox4x32_10, LANGEVIN_TAG};
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
            let cpu = philox4x32_10(
                [i, step as u32, (step >> 32) as u32, LANGEVIN_TAG],
                [seed as u32, (seed >> 32) as u32],
            );
            assert_eq!(
                draws.bits[i as usize], cpu,
                "seed {seed} step {step} particle {i}"
            );
            let xi = langevin_noise(seed, step, i);
            for (a, (&gpu, &cpu)) in draws.noise[i as usize].iter().zip(&xi).enumerate() {
                let g = f64::from(gpu);
                assert!(
                    (g - cpu).abs() < 4e-7,
                    "noise {a} of particle {i}: {g} vs {cpu}"
                );
            }
        }
    }
}
