//! The seed's growth as a run output (SCIENCE.md §4, "Seeded growth, measured here"): at the
//! start, every `every` steps and at the end, the size of the seed's crystalline cluster
//! ([`crate::analysis::seed_cluster::seed_cluster_size`]) and the crystalline fraction of L;
//! the growth rate is the least-squares slope of the cluster's size against time, in L per τ.

use serde::Serialize;

use super::error::RunError;
use super::output::{Moment, Output};
use crate::analysis::seed_cluster::seed_cluster_size;

/// One look at the seed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GrowthRow {
    /// Step.
    pub step: u64,
    /// Time (τ).
    pub time: f64,
    /// Crystalline fraction of L in the whole box.
    pub crystalline_fraction: f64,
    /// L in the seed's crystalline cluster.
    pub seed_cluster: usize,
}

/// Watches the seed's cluster during a run.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedGrowth {
    every: u64,
    seed: Vec<usize>,
    link: f64,
    /// The looks taken so far.
    pub rows: Vec<GrowthRow>,
}

impl SeedGrowth {
    /// Watches the cluster of the particles `seed` (the seed's L at insertion), with bonds
    /// shorter than `link`, every `every` steps.
    #[must_use]
    pub fn new(seed: Vec<usize>, link: f64, every: u64) -> Self {
        Self {
            every,
            seed,
            link,
            rows: Vec::new(),
        }
    }

    /// L joining the seed's cluster per τ: the least-squares slope of its size against time
    /// (`None` with fewer than two looks at distinct times).
    #[must_use]
    pub fn rate(&self) -> Option<f64> {
        slope(
            &self
                .rows
                .iter()
                .map(|r| (r.time, r.seed_cluster as f64))
                .collect::<Vec<_>>(),
        )
    }
}

/// Least-squares slope of y against x.
#[must_use]
pub(crate) fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (points.len() >= 2 && sxx > 0.0).then(|| sxy / sxx)
}

impl Output for SeedGrowth {
    fn every(&self) -> u64 {
        self.every
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        let sample = moment.sample()?;
        let (frame, classification) = moment.classification()?;
        let large = moment.large();
        self.rows.push(GrowthRow {
            step: moment.step(),
            time: moment.observables.time,
            crystalline_fraction: sample.crystalline_fraction,
            seed_cluster: seed_cluster_size(frame, classification, large, self.link, &self.seed),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slope_of_a_line_is_its_rate() {
        let pts: Vec<(f64, f64)> = (0..5)
            .map(|i| (f64::from(i), 3.0 + 2.5 * f64::from(i)))
            .collect();
        assert!((slope(&pts).expect("slope") - 2.5).abs() < 1e-12);
        assert_eq!(slope(&pts[..1]), None);
    }
}
