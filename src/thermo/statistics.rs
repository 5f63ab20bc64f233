//! Means and standard errors of correlated time series (block averages) and of independent
//! repeats.
//!
//! Block averaging (Flyvbjerg & Petersen, J. Chem. Phys. 91, 461, 1989): the series is cut into
//! `blocks` equal blocks; when a block is much longer than the correlation time the block
//! means are independent and SE = s_blocks/√blocks.

/// Mean and standard error of independent values (SE = s/√n, s with n − 1; 0 for one value).
#[must_use]
pub fn mean_error(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, (var / n as f64).sqrt())
}

/// Mean and block-average standard error of a time series in `blocks` blocks (trailing values
/// that do not fill a block count in the mean only).
#[must_use]
pub fn block_mean_error(series: &[f64], blocks: usize) -> (f64, f64) {
    let blocks = blocks.max(2);
    let len = series.len() / blocks;
    if len == 0 {
        return mean_error(series);
    }
    let means: Vec<f64> = series
        .chunks_exact(len)
        .take(blocks)
        .map(|b| b.iter().sum::<f64>() / len as f64)
        .collect();
    let mean = series.iter().sum::<f64>() / series.len() as f64;
    (mean, mean_error(&means).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn independent_and_blocked() {
        let (m, e) = mean_error(&[1.0, 2.0, 3.0, 4.0]);
        assert!((m - 2.5).abs() < 1e-15);
        assert!((e - (5.0f64 / 3.0 / 4.0).sqrt()).abs() < 1e-15);
        assert_eq!(mean_error(&[7.0]), (7.0, 0.0));
        assert!(mean_error(&[]).0.is_nan());
        // a slow square wave: blocks see its swings, so the error is not the naive one
        let series: Vec<f64> = (0..1000)
            .map(|i| if (i / 100) % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let (m, e) = block_mean_error(&series, 10);
        assert!(m.abs() < 1e-15 && e > 0.3, "{m} {e}");
    }
}
