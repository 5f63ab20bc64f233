//! Radial distribution functions g(r), total and partial, with freud's `RDF` normalisation
//! (SCIENCE.md §2 "Also expected"): for centres of set A and neighbours of set B (self pairs
//! excluded), the pair-distance histogram h over bins [r_k, r_{k+1}) of [r_min, r_max) gives
//!
//! g(r_k) = h_k · V / (N_A · N_B · 4π(r_{k+1}³ − r_k³)/3),  N(r_k) = Σ_{k' ≤ k} h_{k'} / N_A,
//!
//! V the periodic box volume (or a volume the caller gives in open space).

use super::error::{AnalysisError, Result};
use super::neighbors::NeighborQuery;

/// Parameters of a g(r) histogram (freud's `RDF(bins, r_max, r_min)`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rdf {
    /// Number of bins.
    pub bins: usize,
    /// Upper edge of the last bin (σ).
    pub r_max: f64,
    /// Lower edge of the first bin (σ).
    pub r_min: f64,
}

/// A g(r) curve.
#[derive(Clone, Debug, PartialEq)]
pub struct RdfOutput {
    /// Bin centres.
    pub r: Vec<f64>,
    /// g(r) per bin.
    pub g: Vec<f64>,
    /// Cumulative neighbour count N(r) per centre, up to each bin's upper edge.
    pub n_r: Vec<f64>,
}

impl Rdf {
    /// g(r) between centres of `a_types` and neighbours of `b_types` (`None` = all types).
    /// `volume` overrides the box volume (required in open space).
    ///
    /// # Errors
    /// Bad bins/radii, no volume in open space, or a range too large for the periodic box.
    pub fn compute(
        &self,
        query: &NeighborQuery,
        a_types: Option<&[u32]>,
        b_types: Option<&[u32]>,
        volume: Option<f64>,
    ) -> Result<RdfOutput> {
        if self.bins == 0 {
            return Err(AnalysisError::BadParameter {
                name: "bins",
                value: 0.0,
                why: "must be at least 1",
            });
        }
        if !(self.r_min >= 0.0 && self.r_max > self.r_min && self.r_max.is_finite()) {
            return Err(AnalysisError::BadParameter {
                name: "r_max",
                value: self.r_max,
                why: "must be finite and above r_min >= 0",
            });
        }
        let volume =
            volume
                .or_else(|| query.geometry().volume())
                .ok_or(AnalysisError::BadParameter {
                    name: "volume",
                    value: f64::NAN,
                    why: "open space needs a volume for g(r)",
                })?;
        let a = query.select(a_types);
        let b = query.select(b_types);
        let list = query.within_of(self.r_max, &a, &b)?;
        let width = (self.r_max - self.r_min) / self.bins as f64;
        let mut hist = vec![0u64; self.bins];
        for &r in &list.distances {
            if r >= self.r_min {
                let k = ((r - self.r_min) / width) as usize;
                hist[k.min(self.bins - 1)] += 1;
            }
        }
        let (na, nb) = (a.len() as f64, b.len() as f64);
        let mut out = RdfOutput {
            r: Vec::with_capacity(self.bins),
            g: Vec::with_capacity(self.bins),
            n_r: Vec::with_capacity(self.bins),
        };
        let mut cumulative = 0.0;
        for (k, &h) in hist.iter().enumerate() {
            let lo = self.r_min + k as f64 * width;
            let hi = lo + width;
            let shell = 4.0 / 3.0 * std::f64::consts::PI * (hi.powi(3) - lo.powi(3));
            out.r.push(0.5 * (lo + hi));
            out.g.push(h as f64 * volume / (na * nb * shell));
            cumulative += h as f64 / na;
            out.n_r.push(cumulative);
        }
        Ok(out)
    }
}
