//! Mean squared displacement and the diffusion coefficient (SCIENCE.md §2 "Also expected";
//! §3 uses D of the large particles, Fig. S19).
//!
//! MSD(τ) = ⟨|r_i(t+τ) − r_i(t)|²⟩ over particles and over every time origin t (freud's
//! `MSD(mode="window")`), on unwrapped positions r + n·L from the image counters. D comes from
//! a least-squares line MSD = 6Dτ + c over the caller's fitting range (the linear regime).

use super::error::{AnalysisError, Result};
use crate::model::Frame;

/// Unwrapped positions of a frame: position + image · box edge (the positions themselves in
/// open space or without image counters).
#[must_use]
pub fn unwrapped(frame: &Frame) -> Vec<[f64; 3]> {
    match (frame.box_lengths(), &frame.images) {
        (Some(l), Some(images)) => frame
            .positions
            .iter()
            .zip(images)
            .map(|(p, n)| [0, 1, 2].map(|d| p[d] + f64::from(n[d]) * l[d]))
            .collect(),
        _ => frame.positions.clone(),
    }
}

/// Window-averaged MSD for lags 0..T−1 from `T` snapshots of unwrapped positions.
///
/// # Errors
/// Snapshots of different lengths.
pub fn msd_window(snapshots: &[Vec<[f64; 3]>]) -> Result<Vec<f64>> {
    let n = snapshots.first().map_or(0, Vec::len);
    if let Some(bad) = snapshots.iter().find(|s| s.len() != n) {
        return Err(AnalysisError::LengthMismatch {
            what: "snapshot",
            got: bad.len(),
            expected: n,
        });
    }
    let t = snapshots.len();
    let mut out = vec![0.0; t];
    for (lag, slot) in out.iter_mut().enumerate().skip(1) {
        let mut sum = 0.0;
        for origin in 0..(t - lag) {
            for (a, b) in snapshots[origin].iter().zip(&snapshots[origin + lag]) {
                sum += (b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2) + (b[2] - a[2]).powi(2);
            }
        }
        *slot = if n == 0 {
            0.0
        } else {
            sum / ((t - lag) * n) as f64
        };
    }
    Ok(out)
}

/// D = slope/6 of the least-squares line through (time, msd) for `t_min ≤ time ≤ t_max`.
///
/// # Errors
/// Mismatched lengths, or fewer than two points in the range.
pub fn diffusion_coefficient(time: &[f64], msd: &[f64], t_min: f64, t_max: f64) -> Result<f64> {
    if time.len() != msd.len() {
        return Err(AnalysisError::LengthMismatch {
            what: "msd",
            got: msd.len(),
            expected: time.len(),
        });
    }
    let pts: Vec<(f64, f64)> = time
        .iter()
        .zip(msd)
        .filter(|(t, _)| **t >= t_min && **t <= t_max)
        .map(|(&t, &m)| (t, m))
        .collect();
    if pts.len() < 2 {
        return Err(AnalysisError::BadParameter {
            name: "t_max",
            value: t_max,
            why: "the fitting range must hold at least two points",
        });
    }
    let n = pts.len() as f64;
    let (st, sm) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (mt, mm) = (st / n, sm / n);
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (t, m) in &pts {
        sxy += (t - mt) * (m - mm);
        sxx += (t - mt) * (t - mt);
    }
    if sxx == 0.0 {
        return Err(AnalysisError::BadParameter {
            name: "t_max",
            value: t_max,
            why: "the fitting range must span more than one time",
        });
    }
    Ok(sxy / sxx / 6.0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Normal};

    #[test]
    fn random_walk_gives_its_diffusion_coefficient() {
        // Steps of variance 2·D·dt per axis: MSD = 6 D t.
        let (d, dt, n, t): (f64, f64, usize, usize) = (0.25, 0.1, 2000, 60);
        let step = Normal::new(0.0, (2.0 * d * dt).sqrt()).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut pos = vec![[0.0; 3]; n];
        let mut snaps = Vec::new();
        for _ in 0..t {
            snaps.push(pos.clone());
            for p in &mut pos {
                for x in p.iter_mut() {
                    *x += step.sample(&mut rng);
                }
            }
        }
        let msd = msd_window(&snaps).unwrap();
        let time: Vec<f64> = (0..t).map(|k| k as f64 * dt).collect();
        let est = diffusion_coefficient(&time, &msd, 0.5, 3.0).unwrap();
        assert!((est - d).abs() < 0.05 * d, "{est}");
    }

    #[test]
    fn unwrapping_uses_images() {
        let mut frame = crate::lattice::crystal(
            &crate::lattice::UnitCell::fcc(1.0),
            [2, 2, 2],
            crate::lattice::Diameters::PAPER,
        );
        frame.images = Some(vec![[1, 0, -1]; frame.len()]);
        let u = unwrapped(&frame);
        assert!((u[0][0] - frame.positions[0][0] - 2.0).abs() < 1e-12);
        assert!((u[0][2] - frame.positions[0][2] + 2.0).abs() < 1e-12);
        assert!(msd_window(&[vec![[0.0; 3]; 2], vec![[0.0; 3]; 3]]).is_err());
    }
}
