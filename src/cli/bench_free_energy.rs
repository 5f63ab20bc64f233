//! `bnsl bench free-energy`: the fixed free-energy workload of issue #13 — one crystal state
//! point by Frenkel–Ladd ([`crate::thermo::crystal_free_energy`]), timed natively on one thread.
//! 500 particles of fcc (5 × 5 × 5 cells) at ρσ³ = 1.3, ε/kT = 2.5 (kT = 0.4), Mie 50–25 cut at
//! 1.5 σ and shifted, at standard quality (12 λ points × 3 repeats × 12,000 steps plus the
//! reference run: 456,000 steps). Bar: under 2 minutes at βF/N ± 0.005 kT. Prints one JSON line
//! with wall and CPU seconds, the steps and the result.

use std::io::Write;
use std::time::Instant;

use super::error::CliError;
use crate::lattice::{crystal, Diameters, UnitCell};
use crate::md::MdError;
use crate::model::{PairRule, PairTable};
use crate::thermo::{crystal_free_energy, Crystal, Quality};

/// Arguments of `bnsl bench free-energy`.
#[derive(Debug, clap::Args)]
pub struct FreeEnergyBenchArgs {
    /// fcc cells per edge (5: the 500-particle workload).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(3..=12))]
    pub cells: u32,
    /// `fast`, `standard` (the workload) or `paper`.
    #[arg(long, default_value = "standard", value_parser = ["fast", "standard", "paper"])]
    pub quality: String,
    /// Seed of the Langevin noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// The workload's state point.
const DENSITY: f64 = 1.3;
const KT: f64 = 0.4;

/// CPU time of this thread (Linux `/proc/thread-self/schedstat`, first field in ns): on a
/// shared machine wall time also counts other processes.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns * 1e-9)
}

/// Runs the benchmark.
///
/// # Errors
/// A message when the crystal cannot be set up or the run fails.
pub fn run(args: &FreeEnergyBenchArgs) -> Result<(), CliError> {
    let quality = Quality::from_name(&args.quality).ok_or_else(|| CliError::Unknown {
        what: "--quality",
        value: args.quality.clone(),
        choices: "fast, standard, paper".into(),
    })?;
    let cells = args.cells as usize;
    let a = (4.0 / DENSITY).cbrt();
    let mut frame = crystal(&UnitCell::fcc(a), [cells; 3], Diameters::PAPER);
    frame.types.truncate(1);
    let table = PairTable::additive(&[1.0], PairRule::narrow_well(1.0)).map_err(MdError::from)?;
    let schedule = quality.schedule();
    let n = frame.len();
    let (start, c0) = (Instant::now(), thread_cpu_seconds());
    let result = crystal_free_energy(
        &Crystal {
            lattice: &frame,
            table: &table,
            kt: KT,
            lattice_points: n,
            seed: args.seed,
        },
        &schedule,
        &mut |_| true,
    )
    .map_err(CliError::Thermo)?;
    let seconds = start.elapsed().as_secs_f64();
    let cpu = c0.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
    let steps = schedule.total_steps();
    let line = serde_json::json!({
        "benchmark": "free-energy",
        "particles": n,
        "lattice": "fcc",
        "density": DENSITY,
        "kt": KT,
        "potential": "mie 50-25, r_cut 1.5 sigma, shifted",
        "quality": args.quality,
        "steps": steps,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "steps_per_second": steps as f64 / seconds,
        "beta_f_per_particle": result.beta_f_per_particle,
        "beta_f_error": result.beta_f_error,
        "threads": 1,
        "targets": {"seconds": 120.0, "beta_f_error": 0.005},
    });
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}
