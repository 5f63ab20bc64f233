//! Local density with freud's `LocalDensity` semantics (SCIENCE.md §2, Fig. S22): around each
//! centre, every neighbour closer than r_max − d/2 counts 1, one at distance r with
//! r_max − d/2 ≤ r < r_max + d/2 counts 1 + (r_max − r − d/2)/d (its partial overlap with the
//! sphere, linearised), the centre itself is excluded, and the density is that count over the
//! sphere volume 4π r_max³/3. The paper uses r_max = 1.3 σ and d = 1.0 σ, and calls a particle
//! "locally dense" above 1.05/σ³ (fcc), 1.6/σ³ (AlB₂) or 2.5/σ³ (NaZn₁₃).

use super::error::{AnalysisError, Result};
use super::neighbors::{NeighborList, NeighborQuery, TypeFilter};

/// "Locally dense" threshold for fcc (σ⁻³).
pub const DENSE_FCC: f64 = 1.05;
/// "Locally dense" threshold for AlB₂ (σ⁻³).
pub const DENSE_ALB2: f64 = 1.6;
/// "Locally dense" threshold for NaZn₁₃ (σ⁻³).
pub const DENSE_NAZN13: f64 = 2.5;

/// Parameters of the local density (freud's `LocalDensity(r_max, diameter)`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalDensity {
    /// Radius of the counting sphere (σ).
    pub r_max: f64,
    /// Diameter over which a neighbour's contribution fades (σ).
    pub diameter: f64,
}

/// Per-centre results.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalDensityOutput {
    /// Particle index of each centre.
    pub centres: Vec<usize>,
    /// Weighted neighbour count of each centre.
    pub num_neighbors: Vec<f64>,
    /// Local density of each centre (σ⁻³).
    pub density: Vec<f64>,
}

impl LocalDensity {
    /// The paper's choice: r_max = 1.3 σ, diameter 1.0 σ.
    pub const PAPER: LocalDensity = LocalDensity {
        r_max: 1.3,
        diameter: 1.0,
    };

    /// Local density of the centres selected by `filter`, counting its candidate neighbours
    /// (freud's default query: a ball of radius r_max + d/2, self excluded).
    ///
    /// # Errors
    /// Non-positive r_max or negative diameter; a ball too large for the periodic box.
    pub fn compute(
        &self,
        query: &NeighborQuery,
        filter: &TypeFilter,
    ) -> Result<LocalDensityOutput> {
        self.check()?;
        let list = query.within(self.r_max + 0.5 * self.diameter, filter)?;
        self.compute_list(&list)
    }

    /// Local density from a given neighbour list.
    ///
    /// # Errors
    /// Non-positive r_max or negative diameter.
    pub fn compute_list(&self, list: &NeighborList) -> Result<LocalDensityOutput> {
        self.check()?;
        let volume = 4.0 / 3.0 * std::f64::consts::PI * self.r_max.powi(3);
        let inner = self.r_max - 0.5 * self.diameter;
        let mut num_neighbors = Vec::with_capacity(list.len());
        for row in 0..list.len() {
            let mut n = 0.0;
            for &r in &list.distances[list.row(row)] {
                n += if r < inner {
                    1.0
                } else {
                    1.0 + (self.r_max - (r + 0.5 * self.diameter)) / self.diameter
                };
            }
            num_neighbors.push(n);
        }
        Ok(LocalDensityOutput {
            centres: list.centres.clone(),
            density: num_neighbors.iter().map(|n| n / volume).collect(),
            num_neighbors,
        })
    }

    fn check(&self) -> Result<()> {
        if !(self.r_max.is_finite() && self.r_max > 0.0) {
            return Err(AnalysisError::BadParameter {
                name: "r_max",
                value: self.r_max,
                why: "must be positive and finite",
            });
        }
        if !(self.diameter.is_finite() && self.diameter >= 0.0) {
            return Err(AnalysisError::BadParameter {
                name: "diameter",
                value: self.diameter,
                why: "must be non-negative and finite",
            });
        }
        Ok(())
    }
}

/// Whether each density is above `threshold` ("locally dense").
#[must_use]
pub fn locally_dense(density: &[f64], threshold: f64) -> Vec<bool> {
    density.iter().map(|&d| d > threshold).collect()
}
