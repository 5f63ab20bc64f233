//! Model S(q) of ideal lattices, for overlays, example datasets and tests (SCIENCE.md §5):
//! a Lorentzian at every present reflection with the Scherrer half width w = πK/ξ and an
//! integrated area proportional to the powder intensity m·|F|²/q² (structure factor from the
//! basis with sphere form factors of the cores), on a smooth background.

use super::lorentz::{lorentzian, scherrer_width};
use crate::lattice::{reflections, CoreDiameters, Reflection, UnitCell};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

/// One crystalline phase of a model pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatticePhase {
    /// The unit cell (lengths in the inverse of the q unit).
    pub cell: UnitCell,
    /// Core diameters used for the structure factor.
    pub cores: CoreDiameters,
    /// Crystal size ξ (sets w = πK/ξ for every peak).
    pub xi: f64,
    /// Height of the phase's strongest peak above the background.
    pub height: f64,
}

/// A reflection of a phase with its peak amplitude.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelPeak {
    /// The reflection family.
    pub reflection: Reflection,
    /// Lorentzian amplitude A.
    pub amplitude: f64,
    /// Half width w.
    pub width: f64,
}

impl LatticePhase {
    /// The peaks with q ≤ `q_max`, amplitudes scaled so the strongest is `height`.
    #[must_use]
    pub fn peaks(&self, q_max: f64) -> Vec<ModelPeak> {
        let w = scherrer_width(self.xi);
        let list: Vec<Reflection> = reflections(&self.cell, &self.cores, q_max + 20.0 * w)
            .into_iter()
            .filter(|r| !r.absent)
            .collect();
        let strongest = list
            .iter()
            .map(Reflection::powder_intensity)
            .fold(0.0, f64::max);
        if strongest.is_nan() || strongest <= 0.0 {
            return Vec::new();
        }
        list.into_iter()
            .map(|r| ModelPeak {
                amplitude: self.height * r.powder_intensity() / strongest,
                width: w,
                reflection: r,
            })
            .collect()
    }
}

/// S(q) = background(q) + Σ phases Σ peaks L(q) at each q, with background(q) = b₀ + b₁q + b₂q².
#[must_use]
pub fn model_pattern(phases: &[LatticePhase], background: [f64; 3], q: &[f64]) -> Vec<f64> {
    let q_max = q.iter().copied().fold(0.0, f64::max);
    let peaks: Vec<ModelPeak> = phases.iter().flat_map(|p| p.peaks(q_max)).collect();
    q.iter()
        .map(|&x| {
            let mut v = background[0] + background[1] * x + background[2] * x * x;
            for p in &peaks {
                v += lorentzian(x, p.reflection.q, p.amplitude, p.width);
            }
            v
        })
        .collect()
}

/// Gaussian noise with σ = relative·S + absolute at each point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Noise {
    /// Part proportional to the signal.
    pub relative: f64,
    /// Constant part.
    pub absolute: f64,
}

/// A noisy pattern on `n` evenly spaced q in [q_min, q_max]: (q, S, σ). Deterministic for a
/// given seed.
#[must_use]
pub fn noisy_pattern(
    phases: &[LatticePhase],
    background: [f64; 3],
    (q_min, q_max, n): (f64, f64, usize),
    noise: Noise,
    seed: u64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = n.max(2);
    let q: Vec<f64> = (0..n)
        .map(|i| q_min + (q_max - q_min) * i as f64 / (n - 1) as f64)
        .collect();
    let clean = model_pattern(phases, background, &q);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s = Vec::with_capacity(n);
    let mut err = Vec::with_capacity(n);
    for &v in &clean {
        let sigma = (noise.relative * v.abs() + noise.absolute).max(1e-12);
        let draw = Normal::new(0.0, sigma).map_or(0.0, |d| d.sample(&mut rng));
        s.push(v + draw);
        err.push(sigma);
    }
    (q, s, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strongest_peak_has_the_requested_height() {
        let cell = UnitCell::alb2(14.0, 1.0);
        let phase = LatticePhase {
            cell,
            cores: CoreDiameters {
                large: 10.4,
                small: 4.5,
            },
            xi: 300.0,
            height: 2.0,
        };
        let peaks = phase.peaks(2.0);
        let top = peaks.iter().map(|p| p.amplitude).fold(0.0, f64::max);
        assert!((top - 2.0).abs() < 1e-12);
        let q: Vec<f64> = peaks.iter().map(|p| p.reflection.q).collect();
        let s = model_pattern(&[phase], [1.0, 0.0, 0.0], &q);
        assert!(s.iter().all(|&v| v >= 1.0));
    }
}
