//! `bnsl bench analysis [--n 27000] [--seed S] [--gsd FILE] [--threads N]`: the fixed analysis
//! workload of issue #4, timed natively on N threads (default every core; the same numbers on
//! any); prints one JSON line.
//!
//! Workload: a perturbed AlB₂ crystal (a = 1.05 σ, c/a = 1, Gaussian 0.05 σ per coordinate,
//! seeded), 27,000 particles = 9,000 L + 18,000 S by default. Timed: from the frame to the
//! crystalline fraction under the AlB₂ classifier (neighbour search for the 20 nearest of
//! every L, q8, the composition guard, the fraction). `--gsd FILE` also writes the frame so
//! that scripts/bench-analysis-vs-freud.py runs freud on the same particles.

use std::io::Write;
use std::time::Instant;

use super::error::CliError;
use crate::analysis::{AnalysisError, Classifier, NeighborQuery, Steinhardt, TypeFilter};
use crate::model::Frame;

/// Repetitions; the fastest is reported (the machine is shared). Each time is given as wall
/// time and as the CPU time of the process's threads.
const REPEATS: usize = 7;

/// The benchmark frame: about `n` particles of perturbed AlB₂ (`analysis::workload`).
fn workload(n: usize, seed: u64) -> Frame {
    crate::analysis::workload::benchmark_frame(n, seed)
}

/// CPU time of all the process's threads in seconds (Linux `/proc/self/task/*/schedstat`, ns
/// resolution), robust against other processes on a shared machine; `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let mut ns = 0.0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("schedstat");
        let text = std::fs::read_to_string(path).ok()?;
        ns += text.split_whitespace().next()?.parse::<f64>().ok()?;
    }
    Some(ns * 1e-9)
}

/// Wall and CPU seconds of `f`, with its result.
fn timed<T>(f: impl FnOnce() -> Result<T, AnalysisError>) -> Result<(T, f64, f64), AnalysisError> {
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    let out = f()?;
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map_or(f64::NAN, |(b, a)| b - a);
    Ok((out, wall, cpu))
}

/// Arguments of `bnsl bench analysis`.
#[derive(Debug, clap::Args)]
pub struct AnalysisBenchArgs {
    /// Number of particles (rounded to whole AlB₂ cells of 6).
    #[arg(long, default_value_t = 27_000)]
    pub n: usize,
    /// Seed of the perturbation.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the frame as a GSD file here (for scripts/bench-analysis-vs-freud.py).
    #[arg(long, visible_alias = "lammps-data")]
    pub gsd: Option<std::path::PathBuf>,
    /// Threads of the analysis (default: every core); the results are the same on any number.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// Runs the benchmark.
///
/// # Errors
/// A message when the workload or an analysis fails, or the frame cannot be written.
pub fn run(args: &AnalysisBenchArgs) -> Result<(), CliError> {
    let frame = workload(args.n, args.seed);
    if let Some(path) = args.gsd.as_deref() {
        let bytes = crate::io::gsd::write_trajectory(std::slice::from_ref(&frame))
            .map_err(CliError::gsd(path))?;
        std::fs::write(path, bytes).map_err(CliError::file(path))?;
    }
    let threads = super::order::analysis_threads(args.threads)?;
    let classifier = Classifier::alb2();
    let mut best = [f64::INFINITY; 6];
    let mut fraction = 0.0;
    let mut mean_q8 = 0.0;
    for _ in 0..REPEATS {
        threads.install(|| -> Result<(), AnalysisError> {
            let (f, wall, cpu) =
                timed(|| crate::analysis::crystalline_fraction(&frame, &classifier))?;
            fraction = f;
            best[0] = best[0].min(wall);
            best[1] = best[1].min(cpu);
            let filter = TypeFilter {
                centres: Some(vec![0]),
                neighbors: None,
            };
            let (list, wall, cpu) =
                timed(|| NeighborQuery::from_frame(&frame)?.nearest(20, &filter))?;
            best[2] = best[2].min(wall);
            best[3] = best[3].min(cpu);
            let (q8, wall, cpu) = timed(|| Steinhardt::new(8).and_then(|s| s.compute(&list)))?;
            best[4] = best[4].min(wall);
            best[5] = best[5].min(cpu);
            mean_q8 = q8.ql.iter().sum::<f64>() / q8.ql.len().max(1) as f64;
            Ok(())
        })?;
    }
    let large = frame.typeid.iter().filter(|&&t| t == 0).count();
    let line = serde_json::json!({
        "benchmark": "analysis",
        "particles": frame.len(),
        "large": large,
        "threads": threads.count(),
        "repeats": REPEATS,
        "classification_wall_seconds": best[0],
        "classification_cpu_seconds": best[1],
        "neighbors_wall_seconds": best[2],
        "neighbors_cpu_seconds": best[3],
        "q8_wall_seconds": best[4],
        "q8_cpu_seconds": best[5],
        "crystalline_fraction": fraction,
        "mean_q8": mean_q8,
    });
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}
