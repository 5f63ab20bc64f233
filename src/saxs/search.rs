//! Starting points for the lattice fits: peaks seen in the data and lattices that place a
//! strong reflection on them, scored with the predicted relative intensities. For hexagonal
//! crystals the axial ratio c/a is scanned over the catalogue entry's range (0.90–1.15 for
//! AlB₂) as the paper did, coarse to
//! fine (every fourth value, then the full grid around the three best), before
//! Levenberg–Marquardt refines it. Scores use every k-th point, k chosen so that a peak's
//! half width still spans two or more points. When peaks are broad (half width above 1 % of
//! the largest q: crystals about ten cells across or smaller) and overlap, the observed
//! maxima are no longer reflections: then a global grid over a (steps moving the last peak
//! by one width) at every coarse c/a of the scan is scored as well, so that the refinement starts
//! in the basin of the global minimum.

use super::linalg::least_squares;
use crate::lattice::{reflections, CoreDiameters, Crystal, UnitCell};
use std::f64::consts::PI;
use std::sync::Arc;

/// A peak seen in the data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Observed {
    pub q: f64,
    pub prominence: f64,
    pub hwhm: f64,
}

/// Local maxima of the 5-point smoothed data, by topographic prominence, largest first.
pub(crate) fn observed_peaks(q: &[f64], y: &[f64]) -> Vec<Observed> {
    let n = q.len();
    if n < 5 {
        return Vec::new();
    }
    let s: Vec<f64> = (0..n)
        .map(|i| {
            let lo = i.saturating_sub(2);
            let hi = (i + 2).min(n - 1);
            y[lo..=hi].iter().sum::<f64>() / (hi - lo + 1) as f64
        })
        .collect();
    let mut out = Vec::new();
    for i in 1..n - 1 {
        if !(s[i] > s[i - 1] && s[i] >= s[i + 1]) {
            continue;
        }
        let mut left_min = s[i];
        let mut j = i;
        while j > 0 && s[j - 1] <= s[i] {
            j -= 1;
            left_min = left_min.min(s[j]);
        }
        let mut right_min = s[i];
        let mut k = i;
        while k + 1 < n && s[k + 1] <= s[i] {
            k += 1;
            right_min = right_min.min(s[k]);
        }
        let base = left_min.max(right_min);
        let prominence = s[i] - base;
        if prominence.is_nan() || prominence <= 0.0 {
            continue;
        }
        let half = s[i] - prominence / 2.0;
        let mut l = i;
        while l > 0 && s[l] > half {
            l -= 1;
        }
        let mut r = i;
        while r + 1 < n && s[r] > half {
            r += 1;
        }
        let hwhm = (q[i] - q[l]).min(q[r] - q[i]).max(q[1] - q[0]);
        out.push(Observed {
            q: q[i],
            prominence,
            hwhm,
        });
    }
    out.sort_by(|a, b| b.prominence.total_cmp(&a.prominence));
    out
}

/// A starting lattice with its score (weighted residual sum of squares, lower is better).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Seed {
    pub cell: UnitCell,
    pub score: f64,
}

/// Reflections of the cell scaled to a = 1 with cores scaled alike (`cores` in units of a;
/// typical ones when `None`): (q at a = 1, relative powder intensity).
fn unit_reflections(
    crystal: &Arc<Crystal>,
    rho: f64,
    q_max: f64,
    cores: Option<CoreDiameters>,
) -> Vec<(f64, f64)> {
    let cell = UnitCell::of(Arc::clone(crystal), 1.0, rho);
    let cores = cores.unwrap_or_else(|| CoreDiameters::typical_for(&cell));
    reflections(&cell, &cores, q_max)
        .into_iter()
        .filter(|r| !r.absent)
        .map(|r| (r.q, r.powder_intensity()))
        .collect()
}

/// The data a search works on.
pub(crate) struct SearchData<'a> {
    pub q: &'a [f64],
    pub y: &'a [f64],
    pub weights: &'a [f64],
    pub x: &'a [f64],
    pub background_terms: usize,
    /// 1/P(q) when I(q) is fitted: the basis function of its constant background.
    pub inverse_form: Option<&'a [f64]>,
}

/// Weighted RSS of the best fit of "scale × lattice pattern + polynomial", or `None` when
/// the lattice has no reflection in range or does not fit with a positive scale.
fn score(data: &SearchData<'_>, list: &[(f64, f64)], a: f64, w: f64) -> Option<f64> {
    score_phases(data, &[(list, a)], w)
}

/// Weighted RSS of the best fit of "Σ scale_k × pattern_k + polynomial" over phases given as
/// (reflections at a = 1, a), or `None` when a phase has no reflection in range or a scale
/// comes out negative.
fn score_phases(data: &SearchData<'_>, phases: &[(&[(f64, f64)], f64)], w: f64) -> Option<f64> {
    let (q_lo, q_hi) = (data.q[0], data.q[data.q.len() - 1]);
    let mut columns = Vec::with_capacity(phases.len() + data.background_terms);
    for &(list, a) in phases {
        let peaks: Vec<(f64, f64)> = list
            .iter()
            .map(|&(q1, i)| (q1 / a, i))
            .filter(|&(q, _)| q > q_lo - 5.0 * w && q < q_hi + 5.0 * w)
            .collect();
        if peaks.is_empty() {
            return None;
        }
        columns.push(
            data.q
                .iter()
                .map(|&q| {
                    peaks
                        .iter()
                        .map(|&(q0, i)| {
                            let d = q - q0;
                            i * w * w / (d * d + w * w)
                        })
                        .sum()
                })
                .collect::<Vec<f64>>(),
        );
    }
    for k in 0..data.background_terms {
        columns.push(data.x.iter().map(|&x| x.powi(k as i32)).collect());
    }
    if let Some(column) = data.inverse_form {
        columns.push(column.to_vec());
    }
    let coef = least_squares(&columns, data.y, data.weights)?;
    if coef[..phases.len()].iter().any(|c| c.is_nan() || *c <= 0.0) {
        return None;
    }
    let mut rss = 0.0;
    for i in 0..data.q.len() {
        let m: f64 = columns.iter().zip(&coef).map(|(c, k)| c[i] * k).sum();
        let r = data.y[i] - m;
        rss += data.weights[i] * r * r;
    }
    Some(rss)
}

/// The best distinct starting lattices of one crystal, best first (`rho_grid` is used for
/// hexagonal crystals only).
pub(crate) fn lattice_seeds(
    crystal: &Arc<Crystal>,
    data: &SearchData<'_>,
    observed: &[Observed],
    rho_grid: &[f64],
    width: f64,
    keep: usize,
    cores: Option<CoreDiameters>,
) -> Vec<Seed> {
    let q_hi = data.q[data.q.len() - 1];
    let grid: &[f64] = if crystal.has_axial_ratio() {
        rho_grid
    } else {
        &[1.0]
    };
    // Peaks broader than 1 % of the q range's end: ξ/a below about 10.
    let broad = width > 0.01 * q_hi;
    let seeds_at = |rho: f64, around: Option<f64>| -> Vec<Seed> {
        // Strong low-order reflections at a = 1 are the candidates for the observed peaks.
        let low = unit_reflections(crystal, rho, 2.0 * PI * 3.0, None);
        let mut strong = low.clone();
        strong.sort_by(|a, b| b.1.total_cmp(&a.1));
        strong.truncate(6);
        let mut candidates: Vec<f64> = observed
            .iter()
            .take(3)
            .flat_map(|o| strong.iter().map(move |&(q1, _)| q1 / o.q))
            .filter(|a| a.is_finite() && *a > 0.0)
            .collect();
        let Some(a_max) = candidates.iter().copied().reduce(f64::max) else {
            return Vec::new();
        };
        let a_min = candidates.iter().copied().fold(a_max, f64::min);
        if broad {
            // Overlapping peaks hide the reflections' own positions: a grid in a, steps that
            // move the last peak in range by one width; global on the coarse c/a pass, around
            // the best a of the neighbouring coarse value on the fine pass.
            let step = 1.0 + width / q_hi;
            match around {
                None => {
                    let mut a = 0.9 * a_min;
                    while a <= 1.1 * a_max {
                        candidates.push(a);
                        a *= step;
                    }
                }
                Some(a0) => candidates.extend((-3..=3).map(|j| a0 * step.powi(j))),
            }
        }
        // Known cores in units of the lattice that puts the strongest reflection on the most
        // prominent peak: the intensities of the candidates near it.
        let scaled = cores.map(|c| CoreDiameters {
            large: c.large / candidates[0],
            small: c.small / candidates[0],
        });
        let list = unit_reflections(crystal, rho, (q_hi + 5.0 * width) * a_max * 1.101, scaled);
        candidates
            .into_iter()
            .filter_map(|a| {
                score(data, &list, a, width).map(|s| Seed {
                    cell: UnitCell::of(Arc::clone(crystal), a, rho),
                    score: s,
                })
            })
            .collect()
    };
    // Coarse to fine over c/a: every fourth grid value first, then the full grid within
    // three steps of the three best coarse values.
    let stride = if grid.len() > 12 { 4 } else { 1 };
    let mut done = vec![false; grid.len()];
    let mut seeds: Vec<Seed> = Vec::new();
    let mut coarse: Vec<(f64, usize, f64)> = Vec::new();
    let last = grid.len() - 1;
    for i in (0..grid.len())
        .step_by(stride)
        .chain((!last.is_multiple_of(stride)).then_some(last))
    {
        let found = seeds_at(grid[i], None);
        if let Some(best) = found.iter().min_by(|x, y| x.score.total_cmp(&y.score)) {
            coarse.push((best.score, i, best.cell.a));
        }
        done[i] = true;
        seeds.extend(found);
    }
    if stride > 1 {
        coarse.sort_by(|a, b| a.0.total_cmp(&b.0));
        for &(_, centre, a0) in coarse.iter().take(3) {
            let lo = centre.saturating_sub(stride - 1);
            let hi = (centre + stride - 1).min(last);
            for i in lo..=hi {
                if !done[i] {
                    done[i] = true;
                    seeds.extend(seeds_at(grid[i], Some(a0)));
                }
            }
        }
    }
    seeds.sort_by(|a, b| a.score.total_cmp(&b.score));
    let mut distinct: Vec<Seed> = Vec::new();
    for s in seeds {
        let close = distinct.iter().any(|d| {
            (d.cell.a / s.cell.a - 1.0).abs() < 3e-3
                && (d.cell.c_over_a - s.cell.c_over_a).abs() < 6e-3
        });
        if !close {
            distinct.push(s);
            if distinct.len() == keep {
                break;
            }
        }
    }
    distinct
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_lorentzian_and_its_width() {
        let q: Vec<f64> = (0..500).map(|i| 0.2 + 0.004 * f64::from(i)).collect();
        let y: Vec<f64> = q
            .iter()
            .map(|&x| {
                1.0 + 3.0 * 0.02f64.powi(2) / ((x - 1.0).powi(2) + 0.02f64.powi(2))
                    + 0.5 * 0.03f64.powi(2) / ((x - 1.5).powi(2) + 0.03f64.powi(2))
            })
            .collect();
        let p = observed_peaks(&q, &y);
        assert!((p[0].q - 1.0).abs() < 0.005);
        assert!((p[0].hwhm - 0.02).abs() < 0.008, "{}", p[0].hwhm);
        assert!((p[1].q - 1.5).abs() < 0.005);
    }
}
