//! Honest answers (issue #17): whether a lattice fit explains the pattern, said first and
//! plainly, with the peaks it does not explain.
//!
//! A fit does **not** explain the pattern when any of these holds:
//! - **unexplained peaks**: the residual y − model has a peak (5-point smoothed, by
//!   topographic prominence as in [`super::search`]) higher than 5 noise levels and than
//!   [`UNEXPLAINED_SHARE`] of the data's most prominent peak. The noise level is the median
//!   error bar within ±[`NOISE_WINDOW`] points of the peak when errors are known (they vary
//!   over decades in I(q)/P(q)), else 1.4826·MAD of the residual;
//! - **missing peaks**: a reflection the structure predicts strong (I_k ≥ 0.3·I_max,
//!   [`super::peaks`]) that is isolated (no other fitted peak within 3 half widths), inside
//!   the data, expected above 5 noise levels, but fitted below 5 % of the prediction. The
//!   prediction's scale is the least-squares s = Σ A_k·r_k / Σ r_k² of the fitted amplitudes
//!   A_k on the predicted ratios r_k = I_k/I_max;
//! - **poor fit**: χ²_red > [`MAX_CHI2_REDUCED`] with known errors;
//! - **wrong intensities**: the same structure with the amplitudes it predicts (one scale)
//!   fits more than [`MAX_PREDICTION_RATIO`] times worse (χ²_red) than with free amplitudes:
//!   the peaks sit on its lattice but their intensities are not its basis's (a lamellar
//!   ladder 1:2:3 read as bcc 110, 220, 330).

use super::peaks::PeakModel;
use super::search::observed_peaks;
use serde::{Deserialize, Serialize};

/// χ²_red above which a fit with known errors is called poor.
pub const MAX_CHI2_REDUCED: f64 = 10.0;
/// Share of the data's most prominent peak a residual peak must reach to count.
pub const UNEXPLAINED_SHARE: f64 = 0.05;
/// Ratio of χ²_red with predicted amplitudes to χ²_red with free ones above which the
/// structure's intensities are said to disagree with the data.
pub const MAX_PREDICTION_RATIO: f64 = 25.0;

/// Half width, in points, of the window whose median error bar is the noise level at a peak.
pub const NOISE_WINDOW: usize = 10;

/// A reflection the structure predicts strong but the data do not show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MissingPeak {
    /// Miller indices of the reflection.
    pub label: String,
    /// Its position.
    pub q: f64,
}

/// Whether a fit explains the pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// True when no peak is unexplained, none is missing and χ²_red is acceptable.
    pub explained: bool,
    /// One plain sentence for people, to show before any table.
    pub message: String,
    /// Positions of the peaks found in the data (above 5 noise levels), ascending.
    pub observed_peaks: Vec<f64>,
    /// Positions of the data's peaks the model leaves unexplained.
    pub unexplained_peaks: Vec<f64>,
    /// Strong reflections the structure predicts but the data do not show.
    pub missing_peaks: Vec<MissingPeak>,
    /// χ²_red of the fit with free amplitudes.
    pub chi2_reduced: f64,
    /// χ²_red of the same structure with the amplitudes it predicts (automatic choice).
    pub predicted_chi2_reduced: Option<f64>,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Judges the fit `params` of `model` to (q, y) with inverse errors `inv_sigma`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn judge(
    q: &[f64],
    y: &[f64],
    inv_sigma: &[f64],
    known_sigma: bool,
    model: &PeakModel,
    params: &[f64],
    chi2_reduced: f64,
    predicted_chi2_reduced: Option<f64>,
) -> Verdict {
    let fitted = model.values(params, q);
    let residual: Vec<f64> = y.iter().zip(&fitted).map(|(a, b)| a - b).collect();
    let noise = if known_sigma {
        median(inv_sigma.iter().map(|s| 1.0 / s).collect())
    } else {
        1.4826 * median(residual.iter().map(|r| r.abs()).collect())
    };
    // Peaks of the data apart from the background b/P of an I(q) fit (it grows where P falls).
    let shown: Vec<f64> = q
        .iter()
        .zip(y)
        .map(|(&x, v)| v - model.flat_term(params, x))
        .collect();
    let found = observed_peaks(q, &shown);
    let data_peak = found.first().map_or(0.0, |p| p.prominence);
    let threshold = |at: f64| -> f64 {
        let local = if known_sigma {
            let i = q.partition_point(|&x| x < at);
            let (lo, hi) = (
                i.saturating_sub(NOISE_WINDOW),
                (i + NOISE_WINDOW).min(q.len() - 1),
            );
            median(inv_sigma[lo..=hi].iter().map(|s| 1.0 / s).collect())
        } else {
            noise
        };
        (5.0 * local).max(UNEXPLAINED_SHARE * data_peak)
    };
    let mut seen: Vec<f64> = found
        .iter()
        .filter(|p| p.prominence > threshold(p.q))
        .map(|p| p.q)
        .collect();
    seen.sort_by(f64::total_cmp);
    let mut unexplained_peaks: Vec<f64> = observed_peaks(q, &residual)
        .into_iter()
        .filter(|p| p.prominence > threshold(p.q))
        .map(|p| p.q)
        .collect();
    unexplained_peaks.sort_by(f64::total_cmp);
    let missing_peaks = missing(model, params, (q[0], q[q.len() - 1]), noise);
    let poor = known_sigma && chi2_reduced > MAX_CHI2_REDUCED;
    let wrong_intensities =
        predicted_chi2_reduced.is_some_and(|p| p > MAX_PREDICTION_RATIO * chi2_reduced.max(1.0));
    let explained =
        unexplained_peaks.is_empty() && missing_peaks.is_empty() && !poor && !wrong_intensities;
    let name = model
        .phases
        .iter()
        .map(|p| p.crystal.label.as_str())
        .collect::<Vec<_>>()
        .join(" + ");
    let message = if explained {
        format!("{name} explains every peak of the pattern (χ²_red = {chi2_reduced:.3}).")
    } else {
        let mut parts = Vec::new();
        if !unexplained_peaks.is_empty() {
            let list: Vec<String> = unexplained_peaks
                .iter()
                .map(|v| format!("{v:.4}"))
                .collect();
            parts.push(format!("peaks at q = {} are unexplained", list.join(", ")));
        }
        if !missing_peaks.is_empty() {
            let list: Vec<String> = missing_peaks
                .iter()
                .map(|m| format!("{} at q = {:.4}", m.label, m.q))
                .collect();
            parts.push(format!(
                "{name} predicts strong peaks the data do not show ({})",
                list.join(", ")
            ));
        }
        if let (true, Some(p)) = (wrong_intensities, predicted_chi2_reduced) {
            parts.push(format!(
                "the peaks sit on a {name} lattice but their intensities are not {name}'s (χ²_red {p:.1} with the predicted intensities)"
            ));
        }
        if poor {
            parts.push(format!(
                "χ²_red = {chi2_reduced:.1} is far above 1 for the best model ({name})"
            ));
        }
        let list: Vec<String> = seen.iter().map(|v| format!("{v:.4}")).collect();
        format!(
            "No structure in the catalogue explains this pattern (peaks found at q = {}): {}.",
            list.join(", "),
            parts.join("; ")
        )
    };
    Verdict {
        explained,
        message,
        observed_peaks: seen,
        unexplained_peaks,
        missing_peaks,
        chi2_reduced,
        predicted_chi2_reduced,
    }
}

/// Strong predicted reflections fitted far below their prediction (see the module docs).
fn missing(model: &PeakModel, p: &[f64], (q_lo, q_hi): (f64, f64), noise: f64) -> Vec<MissingPeak> {
    let mut out = Vec::new();
    let all: Vec<(f64, f64, f64)> = (0..model.phases.len())
        .flat_map(|i| {
            let lay = &model.layout[i];
            (0..lay.amplitude.len()).map(move |k| {
                (
                    model.peak_q(p, i, k),
                    p[lay.amplitude[k]] * lay.relative[k],
                    p[lay.width[k]],
                )
            })
        })
        .collect();
    for (i, phase) in model.phases.iter().enumerate() {
        let lay = &model.layout[i];
        let strongest = phase.peaks.iter().map(|k| k.predicted).fold(0.0, f64::max);
        if strongest <= 0.0 {
            continue;
        }
        let ratio: Vec<f64> = phase
            .peaks
            .iter()
            .map(|k| k.predicted / strongest)
            .collect();
        let amp: Vec<f64> = (0..ratio.len())
            .map(|k| p[lay.amplitude[k]] * lay.relative[k])
            .collect();
        let (num, den) = ratio
            .iter()
            .zip(&amp)
            .fold((0.0, 0.0), |(n, d), (r, a)| (n + r * a, d + r * r));
        if den <= 0.0 {
            continue;
        }
        let scale = num / den;
        for (k, peak) in phase.peaks.iter().enumerate() {
            let (qk, w) = (model.peak_q(p, i, k), p[lay.width[k]]);
            let expected = scale * ratio[k];
            let inside = qk > q_lo + 2.0 * w && qk < q_hi - 2.0 * w;
            let isolated = all
                .iter()
                .filter(|o| (o.0 - qk).abs() < 3.0 * w.max(o.2))
                .count()
                == 1;
            if ratio[k] >= 0.3
                && inside
                && isolated
                && expected > 5.0 * noise
                && amp[k] < 0.05 * expected
            {
                out.push(MissingPeak {
                    label: peak
                        .families
                        .first()
                        .map(|h| crate::lattice::hkl_label(*h))
                        .unwrap_or_default(),
                    q: qk,
                });
            }
        }
    }
    out.sort_by(|a, b| a.q.total_cmp(&b.q));
    out
}
