//! What the analysis of one frame produces: per classifier the crystalline fraction of the
//! large particles, the histogram of every rule's value against its threshold and the Fig. 4
//! labels; the local-density histogram with the "locally dense" fractions; total and partial
//! g(r); S(q). Plain arrays, so that the page can plot and export them as they are.

use serde::{Deserialize, Serialize};

use crate::analysis::{Comparison, Label};

/// A histogram of equal-width bins starting at `lo`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Lower edge of the first bin.
    pub lo: f64,
    /// Bin width.
    pub width: f64,
    /// Count per bin.
    pub counts: Vec<u32>,
    /// Values that were NaN (e.g. q_l of an isolated particle), not in any bin.
    pub missing: u32,
}

impl Histogram {
    /// Histogram of `values` over [lo, hi) in `bins` bins; values below `lo` go to the first
    /// bin and values at or above `hi` to the last, NaN to `missing`.
    #[must_use]
    pub fn of(values: &[f64], lo: f64, hi: f64, bins: usize) -> Self {
        let bins = bins.max(1);
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0u32; bins];
        let mut missing = 0;
        for &v in values {
            if v.is_nan() {
                missing += 1;
                continue;
            }
            let k = ((v - lo) / width).floor();
            let k = if k < 0.0 {
                0
            } else {
                (k as usize).min(bins - 1)
            };
            counts[k] += 1;
        }
        Self {
            lo,
            width,
            counts,
            missing,
        }
    }

    /// Bin centres.
    #[must_use]
    pub fn centres(&self) -> Vec<f64> {
        (0..self.counts.len())
            .map(|k| self.lo + (k as f64 + 0.5) * self.width)
            .collect()
    }

    /// Number of values in bins (NaN excluded).
    #[must_use]
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
}

/// One named curve y(x).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Name (e.g. "total", "L–S").
    pub name: String,
    /// Abscissae.
    pub x: Vec<f64>,
    /// Ordinates.
    pub y: Vec<f64>,
}

/// The values of one classifier rule over the classified particles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleReport {
    /// What the value is, e.g. "q8 over 20 nearest" or "fraction S among 20 nearest".
    pub label: String,
    /// The rule's comparison.
    pub comparison: Comparison,
    /// The rule's threshold.
    pub threshold: f64,
    /// Histogram over [0, 1].
    pub histogram: Histogram,
    /// Fraction of the classified particles passing this rule alone.
    pub passing: f64,
}

/// One classifier's result on a frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassifierReport {
    /// The classifier's name.
    pub name: String,
    /// N_crystalline(large)/N_large (SCIENCE.md §2).
    pub fraction: f64,
    /// Number of crystalline large particles.
    pub crystalline_large: usize,
    /// One entry per rule.
    pub rules: Vec<RuleReport>,
    /// Fig. 4 label of every particle (crystalline large, small next to one, other).
    pub labels: Vec<Label>,
}

/// Local density of every particle, as a histogram with the "locally dense" fractions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DensityReport {
    /// Histogram of the local density (σ⁻³).
    pub histogram: Histogram,
    /// Mean local density (σ⁻³).
    pub mean: f64,
    /// Per threshold: its name, its value and the fraction of particles above it.
    pub dense: Vec<(String, f64, f64)>,
}

/// Everything computed for one frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameReport {
    /// Index of the frame in the trajectory.
    pub frame: u64,
    /// Its time step.
    pub step: u64,
    /// Number of particles.
    pub particles: usize,
    /// Number of large particles.
    pub large: usize,
    /// The particle types after folding sub-types (what the classifiers saw).
    pub types: Vec<String>,
    /// One report per classifier, in the settings' order.
    pub classifiers: Vec<ClassifierReport>,
    /// Local density.
    pub density: DensityReport,
    /// g(r): the total first, then every pair of types (a ≤ b).
    pub rdf: Vec<Curve>,
    /// S(q).
    pub structure_factor: Curve,
    /// How S(q) was computed, in words (method and particle count).
    pub structure_factor_method: String,
}
