//! Free indexing (issue #17): the peaks found, their q ratios to the first, and the lattice
//! families whose allowed positions place a reflection on every one of them.
//!
//! - lamellar: q_n = n·q₁;
//! - cubic √N ladders, q = (2π/a)·√N with N = h² + k² + l²: primitive (every N that is a sum
//!   of three squares), body-centred (N even), face-centred (h, k, l all odd or all even);
//! - 2D hexagonal (cylinders): q = (4π/(√3·a))·√(h² + hk + k²);
//! - hexagonal with c/a (3D, primitive): q = 2π·√(4(h² + hk + k²)/(3a²) + l²/c²), c/a
//!   scanned from 0.5 to 2.0.
//!
//! A peak is indexed when an allowed position lies within the relative tolerance of it; the
//! first peak is tried as each of the lowest allowed positions, the smallest lattice that
//! indexes all peaks is kept (for hexagonal P the c/a with the smallest largest error: with
//! few peaks several (a, c/a) index them, and only one is listed).

use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// A lattice family that indexes every peak.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FamilyMatch {
    /// "lamellar", "cubic P", "cubic I", "cubic F", "hexagonal 2D", "hexagonal P".
    pub family: String,
    /// Lattice constant (period for lamellar), in the inverse of the q unit.
    pub a: f64,
    /// c/a (hexagonal P only).
    pub c_over_a: Option<f64>,
    /// The index given to each peak ("N=4", "hk=1", "hkl 1,0,1").
    pub indices: Vec<String>,
    /// Largest relative position error |q_allowed/q − 1|.
    pub max_error: f64,
}

/// The peaks, their ratios and the families that index them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indexing {
    /// Peak positions, ascending.
    pub peaks: Vec<f64>,
    /// q/q₁ of each peak.
    pub ratios: Vec<f64>,
    /// Families that index every peak.
    pub families: Vec<FamilyMatch>,
}

fn three_squares(n: u32) -> bool {
    let mut m = n;
    while m > 0 && m.is_multiple_of(4) {
        m /= 4;
    }
    m % 8 != 7
}

fn face_centred(n: u32) -> bool {
    // N of hkl all odd or all even: N ≡ 3 (mod 8) from all odd, 4·(sum of three squares)
    // from all even.
    n % 8 == 3 || (n.is_multiple_of(4) && n > 0 && three_squares(n / 4))
}

fn hexagonal_2d(n: u32) -> bool {
    (0..=n).any(|h| (0..=h).any(|k| h * h + h * k + k * k == n))
}

/// Indexes one ladder q = (2π/a)·√N·scale with N from `allowed`.
fn ladder(
    family: &str,
    peaks: &[f64],
    allowed: &[u32],
    scale: f64,
    tol: f64,
    label: &str,
) -> Option<FamilyMatch> {
    let first = peaks[0];
    for &n1 in allowed.iter().take(6) {
        let a = 2.0 * PI * scale * f64::from(n1).sqrt() / first;
        let mut indices = Vec::with_capacity(peaks.len());
        let mut worst: f64 = 0.0;
        for &q in peaks {
            let target = (q * a / (2.0 * PI * scale)).powi(2);
            let best = allowed
                .iter()
                .map(|&n| (n, (f64::from(n).sqrt() / target.sqrt() - 1.0).abs()))
                .min_by(|x, y| x.1.total_cmp(&y.1))?;
            if best.1 > tol {
                indices.clear();
                break;
            }
            worst = worst.max(best.1);
            indices.push(format!("{label}={}", best.0));
        }
        if indices.len() == peaks.len() {
            return Some(FamilyMatch {
                family: family.to_owned(),
                a,
                c_over_a: None,
                indices,
                max_error: worst,
            });
        }
    }
    None
}

fn hexagonal_3d(peaks: &[f64], tol: f64) -> Option<FamilyMatch> {
    let g: Vec<u32> = (1..=40).filter(|&n| hexagonal_2d(n)).collect();
    let mut planes: Vec<(u32, u32)> = Vec::new();
    for &gi in std::iter::once(&0).chain(&g) {
        for l in 0..=8u32 {
            if gi + l > 0 {
                planes.push((gi, l));
            }
        }
    }
    let mut best: Option<FamilyMatch> = None;
    for step in 0..=600 {
        let rho = 0.5 + 0.0025 * f64::from(step);
        let unit = |(gi, l): (u32, u32)| {
            (4.0 * f64::from(gi) / 3.0 + f64::from(l * l) / (rho * rho)).sqrt()
        };
        let mut first: Vec<(u32, u32)> = planes.clone();
        first.sort_by(|x, y| unit(*x).total_cmp(&unit(*y)));
        for &p1 in first.iter().take(4) {
            let a = 2.0 * PI * unit(p1) / peaks[0];
            let mut worst: f64 = 0.0;
            let mut indices = Vec::new();
            for &q in peaks {
                let target = q * a / (2.0 * PI);
                let (p, err) = planes
                    .iter()
                    .map(|&p| (p, (unit(p) / target - 1.0).abs()))
                    .min_by(|x, y| x.1.total_cmp(&y.1))?;
                if err > tol {
                    break;
                }
                worst = worst.max(err);
                indices.push(format!("g={},l={}", p.0, p.1));
            }
            if indices.len() == peaks.len() && best.as_ref().is_none_or(|b| worst < b.max_error) {
                best = Some(FamilyMatch {
                    family: "hexagonal P".to_owned(),
                    a,
                    c_over_a: Some(rho),
                    indices,
                    max_error: worst,
                });
            }
        }
    }
    best
}

/// Indexes `peaks` (any order) with relative tolerance `tol` (0.005 is a good start).
#[must_use]
pub fn index_peaks(peaks: &[f64], tol: f64) -> Indexing {
    let mut peaks: Vec<f64> = peaks.iter().copied().filter(|q| *q > 0.0).collect();
    peaks.sort_by(f64::total_cmp);
    let ratios = peaks.iter().map(|q| q / peaks[0]).collect();
    let mut families = Vec::new();
    if peaks.len() >= 2 {
        let range: Vec<u32> = (1..=200).collect();
        let squares: Vec<u32> = (1..=14u32).map(|n| n * n).collect();
        let sets: [(&str, Vec<u32>, f64, &str); 5] = [
            ("lamellar", squares, 1.0, "n²"),
            (
                "cubic P",
                range
                    .iter()
                    .copied()
                    .filter(|&n| three_squares(n))
                    .collect(),
                1.0,
                "N",
            ),
            (
                "cubic I",
                range
                    .iter()
                    .copied()
                    .filter(|&n| n.is_multiple_of(2) && three_squares(n))
                    .collect(),
                1.0,
                "N",
            ),
            (
                "cubic F",
                range.iter().copied().filter(|&n| face_centred(n)).collect(),
                1.0,
                "N",
            ),
            (
                "hexagonal 2D",
                range.iter().copied().filter(|&n| hexagonal_2d(n)).collect(),
                2.0 / 3f64.sqrt(),
                "h²+hk+k²",
            ),
        ];
        for (family, allowed, scale, label) in sets {
            families.extend(ladder(family, &peaks, &allowed, scale, tol, label));
        }
        if peaks.len() >= 3 {
            families.extend(hexagonal_3d(&peaks, tol));
        }
    }
    Indexing {
        peaks,
        ratios,
        families,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladders_are_recognised() {
        let lamellar = index_peaks(&[0.4, 0.8, 1.2], 0.005);
        assert!(lamellar.families.iter().any(|f| f.family == "lamellar"));
        // fcc: √3, √4, √8, √11, √12 at a = 10.
        let fcc: Vec<f64> = [3.0f64, 4.0, 8.0, 11.0, 12.0]
            .iter()
            .map(|n| 2.0 * PI / 10.0 * n.sqrt())
            .collect();
        let found = index_peaks(&fcc, 0.005);
        let f = found
            .families
            .iter()
            .find(|f| f.family == "cubic F")
            .expect("fcc ladder");
        assert!((f.a - 10.0).abs() < 1e-9);
        // A lamellar ladder is not cubic F (√3 : √4 is no integer ratio).
        assert!(!found.families.iter().any(|f| f.family == "lamellar"));
        // AlB₂-like hexagonal P at c/a = 1.05: 001, 100, 101, 110.
        let (a, rho) = (14.0, 1.05);
        let q = |g: f64, l: f64| 2.0 * PI / a * (4.0 * g / 3.0 + l * l / (rho * rho)).sqrt();
        let hex = index_peaks(
            &[
                q(0.0, 1.0),
                q(1.0, 0.0),
                q(1.0, 1.0),
                q(3.0, 0.0),
                q(1.0, 2.0),
            ],
            0.002,
        );
        let h = hex
            .families
            .iter()
            .find(|f| f.family == "hexagonal P")
            .expect("hexagonal");
        // Several (a, c/a) can index five peaks; the one kept indexes them all.
        assert!(h.max_error < 0.002 && h.c_over_a.is_some(), "{h:?}");
    }
}
