//! Slow compression (SCIENCE.md §1, Fig. 3e,f and Fig. 4): the periodic box (positions rescaled
//! affinely) or the droplet's wall radius shrinks continuously from the state's density at the
//! start to a final number density over a given number of steps.
//!
//! Schedule: every edge (or the radius) changes linearly in time,
//! L(s) = L₀·(1 + (λ − 1)·s/S) with λ = (ρ₀/ρ₁)^{1/3}; at s = S the edges are L₀·λ, which is
//! the final density up to one rounding of the volume.

/// A compression in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Compression {
    /// Final number density N/V (σ⁻³).
    pub final_density: f64,
    /// Number of steps it takes.
    pub steps: u64,
    /// Step at which it started.
    pub start_step: u64,
    /// Box edges (or `[R; 3]` for a droplet) at the start.
    pub start_lengths: [f64; 3],
    /// λ = (ρ₀/ρ₁)^{1/3}.
    pub ratio: f64,
}

impl Compression {
    /// Edges (or radius) at `step`.
    #[must_use]
    pub fn lengths_at(&self, step: u64) -> [f64; 3] {
        let s = step.saturating_sub(self.start_step).min(self.steps);
        let frac = if self.steps == 0 {
            1.0
        } else {
            s as f64 / self.steps as f64
        };
        let factor = if s == self.steps {
            self.ratio
        } else {
            1.0 + (self.ratio - 1.0) * frac
        };
        self.start_lengths.map(|l| l * factor)
    }

    /// Whether the compression is over at `step`.
    #[must_use]
    pub fn done(&self, step: u64) -> bool {
        step >= self.start_step + self.steps
    }
}
