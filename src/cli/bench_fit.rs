//! `bnsl bench fit`: the fixed fitting workload of issue #5, timed natively. One AlB₂ pattern of
//! 1000 points with 15 reflections in range (a = 14.3 nm, c/a = 1.00, ξ = 330 nm, 1 % noise),
//! fitted in automatic mode (AlB₂, NaZn₁₃ and the mixture) and with the model forced; and a
//! 500-frame series of the same lattice growing and shrinking by 2 % (`fit_series`). Prints one
//! JSON line with wall and CPU seconds (medians of 5 runs for the single fits).

use super::error::CliError;
use crate::lattice::{CoreDiameters, UnitCell};
use crate::saxs::read::{Pattern, QUnit, Series, UnitChoice, UnitOrigin};
use crate::saxs::synthetic::{noisy_pattern, LatticePhase, Noise};
use crate::saxs::{fit_lattice, fit_series, FitError, FitOptions, ModelChoice};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

const NOISE: Noise = Noise {
    relative: 0.01,
    absolute: 0.005,
};
const BACKGROUND: [f64; 3] = [1.0, -0.05, 0.01];
const Q_RANGE: (f64, f64, usize) = (0.3, 1.6, 1000);

fn phase(a: f64, height: f64) -> LatticePhase {
    LatticePhase {
        cell: UnitCell::alb2(a, 1.0),
        cores: CoreDiameters {
            large: 10.4,
            small: 4.5,
        },
        xi: 330.0,
        height,
    }
}

fn unit() -> UnitChoice {
    UnitChoice {
        unit: QUnit::InverseNm,
        origin: UnitOrigin::User,
        reason: "benchmark".to_string(),
    }
}

/// CPU time of this thread (Linux `/proc/thread-self/schedstat`, first field in ns): on a
/// shared machine wall time also counts other processes.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns * 1e-9)
}

/// Median wall and CPU seconds of `runs` calls.
fn median_seconds(
    runs: usize,
    mut f: impl FnMut() -> Result<(), FitError>,
) -> Result<(f64, Option<f64>), FitError> {
    let mut wall = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (start, c0) = (Instant::now(), thread_cpu_seconds());
        f()?;
        wall.push(start.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c0, thread_cpu_seconds()) {
            cpu.push(c1 - c0);
        }
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    Ok((wall[runs / 2], cpu.get(cpu.len() / 2).copied()))
}

/// Runs the benchmark.
///
/// # Errors
/// A message when a fit fails.
pub fn run() -> Result<(), CliError> {
    let workload = Path::new("bench fit workload");
    let (q, s, err) = noisy_pattern(&[phase(14.3, 2.0)], BACKGROUND, Q_RANGE, NOISE, 1);
    let mut pattern = Pattern::from_arrays(q.clone(), s, unit());
    pattern.error = Some(err);
    let auto = FitOptions::default();
    let fit = fit_lattice(&pattern, &auto).map_err(CliError::fit(workload))?;
    let reflections: usize = fit.model.phases.iter().map(|p| p.peaks.len()).sum();
    let auto_s = median_seconds(5, || fit_lattice(&pattern, &auto).map(drop))
        .map_err(CliError::fit(workload))?;
    let forced = FitOptions {
        model: ModelChoice::Alb2,
        ..FitOptions::default()
    };
    let forced_s = median_seconds(5, || fit_lattice(&pattern, &forced).map(drop))
        .map_err(CliError::fit(workload))?;
    let n_frames = 500;
    let frames: Vec<Vec<f64>> = (0..n_frames)
        .map(|t| {
            let x = t as f64 / (n_frames - 1) as f64;
            let (_, s, _) = noisy_pattern(
                &[phase(14.6 - 0.3 * x, 0.3 + 1.7 * x)],
                BACKGROUND,
                Q_RANGE,
                NOISE,
                10 + t as u64,
            );
            s
        })
        .collect();
    let series = Series {
        q,
        times: (0..n_frames).map(|t| 28.0 * t as f64).collect(),
        time_unit: Some("s"),
        frames,
        unit: unit(),
        warnings: Vec::new(),
    };
    let (start, c0) = (Instant::now(), thread_cpu_seconds());
    let fitted = fit_series(&series, &forced).map_err(CliError::fit(workload))?;
    let series_s = start.elapsed().as_secs_f64();
    let series_cpu = c0.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
    let line = serde_json::json!({
        "benchmark": "fit",
        "points": Q_RANGE.2,
        "reflections_fitted": reflections,
        "model_chosen": fit.name(),
        "single_auto_seconds": auto_s.0,
        "single_auto_cpu_seconds": auto_s.1,
        "single_forced_alb2_seconds": forced_s.0,
        "single_forced_alb2_cpu_seconds": forced_s.1,
        "series_frames": fitted.len(),
        "series_seconds": series_s,
        "series_cpu_seconds": series_cpu,
        "targets": {"single_browser_seconds": 0.1, "series_seconds": 30.0},
    });
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}
