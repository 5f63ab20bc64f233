//! Structure factor S(q) of one configuration (SCIENCE.md §2 "Also expected"), optionally
//! weighted by the form factors of homogeneous spheres (SCIENCE.md §5) so that it can be laid
//! over a measured S(q):
//!
//! - **Debye** (droplets, any space): I(q) = Σ_i Σ_j f_i f_j sin(q r_ij)/(q r_ij), with pair
//!   distances binned to `bin_width` (the only approximation: |Δr| ≤ bin_width/2);
//! - **reciprocal lattice** (periodic boxes): I(q) = |Σ_j f_j exp(i q·r_j)|² at the box's
//!   wave vectors q = 2π(h/Lx, k/Ly, l/Lz), averaged in shells of width `dq`.
//!
//! S(q) = I(q) / Σ_j f_j². Unweighted, f_j = 1; weighted, f_j = V_j · 3[sin x − x cos x]/x³
//! with x = q d_j/2 and V_j = π d_j³/6, d_j the core diameter of particle j's type.

use super::error::{AnalysisError, Result};
use super::neighbors::NeighborQuery;
use crate::md::threads::map_ranges;

/// Scattering amplitude of a homogeneous sphere of diameter `d` at wave number `q`:
/// V · 3[sin x − x cos x]/x³, x = q d / 2.
#[must_use]
pub fn sphere_amplitude(q: f64, d: f64) -> f64 {
    let x = 0.5 * q * d;
    let v = std::f64::consts::PI / 6.0 * d * d * d;
    if x.abs() < 1e-3 {
        v * (1.0 - x * x / 10.0)
    } else {
        v * 3.0 * (libm::sin(x) - x * libm::cos(x)) / (x * x * x)
    }
}

/// An S(q) curve.
#[derive(Clone, Debug, PartialEq)]
pub struct StructureFactor {
    /// Wave numbers (σ⁻¹, or the inverse of the positions' unit).
    pub q: Vec<f64>,
    /// S(q).
    pub s: Vec<f64>,
}

/// Per-particle amplitudes at wave number q.
fn amplitudes(query: &NeighborQuery, core_diameters: Option<&[f64]>, q: f64) -> Result<Vec<f64>> {
    match core_diameters {
        None => Ok(vec![1.0; query.len()]),
        Some(d) => query
            .typeid()
            .iter()
            .map(|&t| {
                d.get(t as usize).map(|&dt| sphere_amplitude(q, dt)).ok_or(
                    AnalysisError::LengthMismatch {
                        what: "core diameters (one per type)",
                        got: d.len(),
                        expected: t as usize + 1,
                    },
                )
            })
            .collect(),
    }
}

/// Rows i of the Debye pair sum per task on a pool's threads ([`map_ranges`]).
const ROWS_PER_TASK: usize = 256;

/// S(q) by the Debye sum over all pairs.
///
/// `core_diameters` (one per type id) switches on form-factor weighting.
///
/// # Errors
/// Non-positive `bin_width`, or too few core diameters for the types present.
pub fn debye(
    query: &NeighborQuery,
    q: &[f64],
    bin_width: f64,
    core_diameters: Option<&[f64]>,
) -> Result<StructureFactor> {
    if !(bin_width.is_finite() && bin_width > 0.0) {
        return Err(AnalysisError::BadParameter {
            name: "bin_width",
            value: bin_width,
            why: "must be positive",
        });
    }
    let ntypes = query.typeid().iter().max().map_or(0, |&t| t as usize + 1);
    amplitudes(query, core_diameters, 1.0)?;
    let p = query.positions();
    let image = query.geometry().minimum_image();
    // Pair-distance histograms per unordered type pair (a ≤ b); integer counts, so the
    // histograms of ranges of i add up to the same on any number of threads.
    let parts = map_ranges(p.len(), ROWS_PER_TASK, |rows| {
        let mut hist: Vec<Vec<u64>> = vec![Vec::new(); ntypes * ntypes];
        for i in rows {
            let ti = query.typeid()[i] as usize;
            for j in (i + 1)..p.len() {
                let tj = query.typeid()[j] as usize;
                let d = image.delta(p[i], p[j]);
                let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
                let k = (r / bin_width) as usize;
                let h = &mut hist[ti.min(tj) * ntypes + ti.max(tj)];
                if h.len() <= k {
                    h.resize(k + 1, 0);
                }
                h[k] += 1;
            }
        }
        hist
    });
    let mut hist: Vec<Vec<u64>> = vec![Vec::new(); ntypes * ntypes];
    for part in parts {
        for (h, add) in hist.iter_mut().zip(part) {
            if h.len() < add.len() {
                h.resize(add.len(), 0);
            }
            for (a, b) in h.iter_mut().zip(add) {
                *a += b;
            }
        }
    }
    let mut counts = vec![0usize; ntypes];
    for &t in query.typeid() {
        counts[t as usize] += 1;
    }
    let s = map_ranges(q.len(), 1, |k| {
        let qv = q[k.start];
        let f: Vec<f64> = (0..ntypes)
            .map(|t| core_diameters.map_or(1.0, |d| sphere_amplitude(qv, d[t])))
            .collect();
        let self_term: f64 = (0..ntypes).map(|t| counts[t] as f64 * f[t] * f[t]).sum();
        let mut cross = 0.0;
        for a in 0..ntypes {
            for b in a..ntypes {
                let mut sum = 0.0;
                for (k, &h) in hist[a * ntypes + b].iter().enumerate() {
                    if h > 0 {
                        let r = (k as f64 + 0.5) * bin_width;
                        let x = qv * r;
                        sum += h as f64
                            * if x.abs() < 1e-8 {
                                1.0
                            } else {
                                libm::sin(x) / x
                            };
                    }
                }
                cross += 2.0 * f[a] * f[b] * sum;
            }
        }
        if self_term > 0.0 {
            (self_term + cross) / self_term
        } else {
            f64::NAN
        }
    });
    Ok(StructureFactor { q: q.to_vec(), s })
}

/// S(q) on the reciprocal lattice of a periodic box, averaged in shells [n·dq, (n+1)·dq) up
/// to `q_max`. At most `max_vectors_per_shell` wave vectors are used per shell (evenly
/// strided through the shell's vectors in (h, k, l) order; q and −q count once).
///
/// # Errors
/// Open space, bad `dq`/`q_max`, or too few core diameters.
pub fn reciprocal_lattice(
    query: &NeighborQuery,
    q_max: f64,
    dq: f64,
    max_vectors_per_shell: usize,
    core_diameters: Option<&[f64]>,
) -> Result<StructureFactor> {
    let Some(l) = query.geometry().box_lengths() else {
        return Err(AnalysisError::Inconsistent(
            "the reciprocal-lattice S(q) needs a periodic box; use the Debye sum in open space"
                .to_owned(),
        ));
    };
    if !(dq > 0.0 && q_max > dq && q_max.is_finite()) {
        return Err(AnalysisError::BadParameter {
            name: "q_max",
            value: q_max,
            why: "must be finite and above dq > 0",
        });
    }
    let tau = 2.0 * std::f64::consts::PI;
    let b = [tau / l[0], tau / l[1], tau / l[2]];
    let nmax = [0, 1, 2].map(|d| (q_max / b[d]).floor() as i64);
    let nshells = (q_max / dq).ceil() as usize;
    let mut shells: Vec<Vec<[f64; 3]>> = vec![Vec::new(); nshells];
    for h in 0..=nmax[0] {
        for k in -nmax[1]..=nmax[1] {
            for m in -nmax[2]..=nmax[2] {
                // Half space: the first non-zero index positive.
                let first = if h != 0 {
                    h
                } else if k != 0 {
                    k
                } else {
                    m
                };
                if first <= 0 {
                    continue;
                }
                let qv = [h as f64 * b[0], k as f64 * b[1], m as f64 * b[2]];
                let qn = (qv[0] * qv[0] + qv[1] * qv[1] + qv[2] * qv[2]).sqrt();
                if qn < q_max {
                    let shell = (qn / dq) as usize;
                    if shell < nshells {
                        shells[shell].push(qv);
                    }
                }
            }
        }
    }
    let p = query.positions();
    let mut out = StructureFactor {
        q: Vec::new(),
        s: Vec::new(),
    };
    for vectors in shells.iter().filter(|v| !v.is_empty()) {
        let stride = vectors.len().div_ceil(max_vectors_per_shell.max(1));
        let chosen: Vec<&[f64; 3]> = vectors.iter().step_by(stride).collect();
        let qmean = chosen
            .iter()
            .map(|v| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt())
            .sum::<f64>()
            / chosen.len() as f64;
        let f = amplitudes(query, core_diameters, qmean)?;
        let norm: f64 = f.iter().map(|x| x * x).sum();
        let mut total = 0.0;
        for v in &chosen {
            let (mut re, mut im) = (0.0, 0.0);
            for (r, fj) in p.iter().zip(&f) {
                let phase = v[0] * r[0] + v[1] * r[1] + v[2] * r[2];
                re += fj * libm::cos(phase);
                im += fj * libm::sin(phase);
            }
            total += re * re + im * im;
        }
        out.q.push(qmean);
        out.s.push(total / chosen.len() as f64 / norm);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lattice::{crystal, Diameters, UnitCell};

    #[test]
    fn bragg_peak_of_fcc_and_debye_limits() {
        let frame = crystal(&UnitCell::fcc(1.5), [4, 4, 4], Diameters::PAPER);
        let q = NeighborQuery::from_frame(&frame).unwrap();
        let tau = 2.0 * std::f64::consts::PI;
        // (111) at 2π√3/a: S = N there; (100) is extinct.
        let s = reciprocal_lattice(&q, 8.0, 0.05, 1000, None).unwrap();
        let q111 = tau * 3f64.sqrt() / 1.5;
        let q100 = tau / 1.5;
        let near = |target: f64| {
            s.q.iter()
                .position(|&x| (x - target).abs() < 0.03)
                .map(|i| s.s[i])
                .unwrap()
        };
        assert!((near(q111) - frame.len() as f64).abs() < 1e-6 * frame.len() as f64);
        assert!(near(q100) < 1e-9);
        // Debye: S(q → 0) = N for an open cluster; S → 1 at large q (weighted or not).
        let cluster = crate::lattice::cluster(&UnitCell::fcc(1.5), 3.0, Diameters::PAPER);
        let cq = NeighborQuery::from_frame(&cluster).unwrap();
        let d = debye(&cq, &[1e-4, 400.0], 1e-4, None).unwrap();
        assert!((d.s[0] - cluster.len() as f64).abs() < 1e-3 * cluster.len() as f64);
        assert!((d.s[1] - 1.0).abs() < 0.1);
        let w = debye(&cq, &[1e-4], 1e-4, Some(&[1.0, 0.55])).unwrap();
        assert!((w.s[0] - cluster.len() as f64).abs() < 1e-3 * cluster.len() as f64);
        assert!(reciprocal_lattice(&cq, 5.0, 0.1, 10, None).is_err());
    }

    #[test]
    fn sphere_amplitude_limits() {
        let v = std::f64::consts::PI / 6.0;
        assert!((sphere_amplitude(0.0, 1.0) - v).abs() < 1e-15);
        // First zero of 3(sin x − x cos x)/x³ at x = 4.4934.
        assert!(sphere_amplitude(2.0 * 4.493_409, 1.0).abs() < 1e-6);
    }
}
