//! The range an axis shows: fixed, or the data's with a margin.

use super::chart::Scale;

/// Range shown for values `values` on an axis with `scale`, or `fixed` when given and valid.
///
/// Linear: data range plus 4 % each side; log: the positive data's decades, widened by 10 %
/// each side. Empty or degenerate data give a unit range around the value, so a plot can
/// always be drawn.
pub fn axis_range(
    values: impl Iterator<Item = f64>,
    scale: Scale,
    fixed: Option<(f64, f64)>,
) -> (f64, f64) {
    if let Some((lo, hi)) = fixed {
        let valid = lo.is_finite() && hi.is_finite() && lo < hi;
        if valid && (scale == Scale::Linear || lo > 0.0) {
            return (lo, hi);
        }
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite() && (scale == Scale::Linear || *v > 0.0)) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    match scale {
        Scale::Linear => {
            if !lo.is_finite() {
                return (0.0, 1.0);
            }
            if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
                let half = 0.5 * lo.abs().max(1.0);
                return (lo - half, hi + half);
            }
            let pad = 0.04 * (hi - lo);
            (lo - pad, hi + pad)
        }
        Scale::Log => {
            if !lo.is_finite() {
                return (0.1, 10.0);
            }
            if hi / lo < 1.0 + 1e-9 {
                return (lo / 10.0, hi * 10.0);
            }
            let pad = (hi / lo).powf(0.1);
            (lo / pad, hi * pad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_pads_and_survives_degenerate_data() {
        let (lo, hi) = axis_range([0.0, 10.0].into_iter(), Scale::Linear, None);
        assert!((lo + 0.4).abs() < 1e-12 && (hi - 10.4).abs() < 1e-12);
        let (lo, hi) = axis_range([3.0, 3.0].into_iter(), Scale::Linear, None);
        assert!(lo < 3.0 && hi > 3.0);
        assert_eq!(
            axis_range(std::iter::empty(), Scale::Linear, None),
            (0.0, 1.0)
        );
        assert_eq!(
            axis_range([f64::NAN].into_iter(), Scale::Linear, None),
            (0.0, 1.0)
        );
    }

    #[test]
    fn log_ignores_non_positive_values_and_bad_fixed_ranges() {
        let (lo, hi) = axis_range([-1.0, 0.0, 1.0, 100.0].into_iter(), Scale::Log, None);
        assert!(lo > 0.0 && lo < 1.0 && hi > 100.0);
        let (lo, _) = axis_range([1.0, 100.0].into_iter(), Scale::Log, Some((-1.0, 5.0)));
        assert!(lo > 0.0);
        assert_eq!(
            axis_range([1.0].into_iter(), Scale::Linear, Some((2.0, 5.0))),
            (2.0, 5.0)
        );
    }
}
