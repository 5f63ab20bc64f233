//! The fixed analysis benchmark workload of issue #4, shared by `bnsl bench analysis` (native)
//! and the browser timing (`tests/wasm_analysis_bench.rs`) so that both time the same
//! particles: a perturbed AlB₂ crystal (a = 1.05 σ, c/a = 1, Gaussian 0.05 σ per coordinate
//! from a seeded ChaCha8 stream), 27,000 particles = 9,000 L + 18,000 S by default.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use crate::lattice::{crystal, Diameters, UnitCell};
use crate::model::Frame;

/// Standard deviation of the perturbation per coordinate (σ).
pub const PERTURBATION: f64 = 0.05;

/// The benchmark frame: about `n` particles of perturbed AlB₂ (exactly 27,000 for
/// `n = 27_000`: 18 × 10 × 25 orthorhombic cells of 6).
#[must_use]
pub fn benchmark_frame(n: usize, seed: u64) -> Frame {
    let cells = if n == 27_000 {
        [18, 10, 25]
    } else {
        let c = (n / 6).max(1) as f64;
        let ny = (c / 3.0).cbrt().round().max(1.0);
        let nx = (c / ny).sqrt().round().max(1.0);
        [nx as usize, ny as usize, nx as usize]
    };
    let mut frame = crystal(&UnitCell::alb2(1.05, 1.0), cells, Diameters::PAPER);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    if let Ok(normal) = Normal::new(0.0, PERTURBATION) {
        for p in &mut frame.positions {
            for x in p.iter_mut() {
                *x += normal.sample(&mut rng);
            }
        }
    }
    frame
}

/// A synthetic melting series: an AlB₂ crystal (a = 1.05 σ, c/a = 1, `cells` orthorhombic
/// cells of 6) with independent Gaussian noise of standard deviation `sigmas[k]` per
/// coordinate in frame k (step 1000·k), seeded. The Analyse tab's lattice example: its AlB₂
/// fraction falls from 1 as the noise grows.
#[must_use]
pub fn perturbation_series(cells: [usize; 3], sigmas: &[f64], seed: u64) -> Vec<Frame> {
    let ideal = crystal(&UnitCell::alb2(1.05, 1.0), cells, Diameters::PAPER);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    sigmas
        .iter()
        .enumerate()
        .map(|(k, &sigma)| {
            let mut frame = ideal.clone();
            frame.step = 1000 * k as u64;
            if let Ok(normal) = Normal::new(0.0, sigma.abs()) {
                for p in &mut frame.positions {
                    for x in p.iter_mut() {
                        *x += normal.sample(&mut rng);
                    }
                }
            }
            frame
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmark_frame_has_27000_particles_one_third_large() {
        let f = benchmark_frame(27_000, 1);
        assert_eq!(f.len(), 27_000);
        assert_eq!(f.typeid.iter().filter(|&&t| t == 0).count(), 9_000);
        assert_eq!(f, benchmark_frame(27_000, 1));
        assert_ne!(f.positions, benchmark_frame(27_000, 2).positions);
    }

    #[test]
    fn the_melting_series_loses_its_order() {
        let frames = perturbation_series([4, 3, 4], &[0.0, 0.3], 5);
        let c = crate::analysis::Classifier::alb2();
        let first = crate::analysis::crystalline_fraction(&frames[0], &c).unwrap_or(-1.0);
        let last = crate::analysis::crystalline_fraction(&frames[1], &c).unwrap_or(-1.0);
        assert_eq!(first, 1.0);
        assert!((0.0..0.2).contains(&last), "{last}");
        assert_eq!(frames[1].step, 1000);
    }
}
