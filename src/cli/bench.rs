//! `bnsl bench md`: the fixed MD workload of issue #3 (see `crate::md::workload`), timed on
//! `--threads N` threads (default every core; the results are the same on any number); prints
//! one JSON line. `--lammps-data FILE` also writes the starting configuration as
//! a LAMMPS data file so that scripts/bench-md-vs-lammps.sh runs LAMMPS on the same particles.

use std::io::Write;
use std::time::Instant;

use super::error::CliError;
use crate::md::workload::benchmark_simulation;
use crate::model::Geometry;

/// The benchmarks of `bnsl bench`: each runs a fixed workload and prints one JSON line.
#[derive(Debug, clap::Subcommand)]
pub enum Bench {
    /// The MD workload of issue #3 (`bnsl bench md [--n 27000] [--steps 1000] [--device cpu|gpu]`).
    Md(MdBenchArgs),
    /// The analysis workload of issue #4 (`bnsl bench analysis [--n 27000] [--gsd FILE]`).
    Analysis(super::bench_analysis::AnalysisBenchArgs),
    /// The SAXS fitting workload of issue #5 (`bnsl bench fit`).
    Fit,
    /// One 500-particle crystal free energy of issue #13 (`bnsl bench free-energy [--quality Q]`).
    FreeEnergy(super::bench_free_energy::FreeEnergyBenchArgs),
}

/// Runs the chosen benchmark.
///
/// # Errors
/// The benchmark's message.
pub fn run(bench: &Bench) -> Result<(), CliError> {
    match bench {
        Bench::Md(args) => run_md(args),
        Bench::Analysis(args) => super::bench_analysis::run(args),
        Bench::Fit => super::bench_fit::run(),
        Bench::FreeEnergy(args) => super::bench_free_energy::run(args),
    }
}

/// Arguments of `bnsl bench md`.
#[derive(Debug, clap::Args)]
pub struct MdBenchArgs {
    /// Number of particles (rounded to whole AlB₂ cells of 6).
    #[arg(long, default_value_t = 27_000)]
    pub n: usize,
    /// Number of timed steps.
    #[arg(long, default_value_t = 1000)]
    pub steps: u64,
    /// Seed of velocities and noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the starting configuration as a LAMMPS data file here.
    #[arg(long)]
    pub lammps_data: Option<std::path::PathBuf>,
    /// Where to run: `cpu` (the engine, `--threads` threads) or `gpu` (the WebGPU path via wgpu).
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "gpu"])]
    pub device: String,
    /// Threads of the CPU engine (default: every core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// Runs the MD benchmark.
///
/// # Errors
/// A message when the workload cannot be set up or a step fails.
fn run_md(args: &MdBenchArgs) -> Result<(), CliError> {
    if args.device == "gpu" {
        return run_gpu(args);
    }
    let mut sim = benchmark_simulation(args.n, args.seed)?;
    sim.set_threads(
        args.threads
            .map_or_else(crate::md::threads::available, usize::from),
    )?;
    if let Some(path) = args.lammps_data.as_deref() {
        write_lammps_data(path, sim.state()).map_err(CliError::file(path))?;
    }
    let builds0 = sim.list_builds();
    let cpu0 = process_cpu_seconds();
    let start = Instant::now();
    sim.run(args.steps)?;
    let seconds = start.elapsed().as_secs_f64();
    let cpu = process_cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let n = sim.state().len();
    let obs = sim.observables();
    let line = serde_json::json!({
        "benchmark": "md",
        "particles": n,
        "steps": args.steps,
        "seconds": seconds,
        "steps_per_second": args.steps as f64 / seconds,
        "particle_steps_per_second": (n as u64 * args.steps) as f64 / seconds,
        "cpu_seconds": cpu,
        "steps_per_cpu_second": cpu.map(|c| args.steps as f64 / c),
        "neighbor_list_builds": sim.list_builds() - builds0,
        "temperature": obs.temperature,
        "potential_energy_per_particle": obs.potential_energy / n as f64,
        "threads": sim.threads(),
        "device": "cpu",
    });
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}

/// `--device gpu`: the same workload through `crate::gpu::bench::bench_md`; one JSON line.
fn run_gpu(args: &MdBenchArgs) -> Result<(), CliError> {
    let b = crate::gpu::bench::bench_md(args.n, args.steps, args.seed)?;
    let line = serde_json::json!({
        "benchmark": "md",
        "particles": b.particles,
        "steps": b.steps,
        "seconds": b.seconds,
        "steps_per_second": b.steps as f64 / b.seconds,
        "particle_steps_per_second": (b.particles as u64 * b.steps) as f64 / b.seconds,
        "dispatches_per_step": b.dispatches_per_step,
        "temperature": b.temperature,
        "potential_energy_per_particle": b.potential_energy_per_particle,
        "device": "gpu",
        "adapter": b.adapter,
    });
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}

/// User + system CPU time of this process from /proc/self/stat (Linux; `None` elsewhere), so
/// that the comparison with LAMMPS is fair on a loaded machine.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn write_lammps_data(path: &std::path::Path, state: &crate::md::State) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let l = match state.geometry {
        Geometry::Periodic(l) => l,
        Geometry::Open { .. } => [0.0; 3],
    };
    writeln!(out, "bnsl bench md workload\n")?;
    writeln!(
        out,
        "{} atoms\n{} atom types\n",
        state.len(),
        state.types.len()
    )?;
    for (k, name) in ["x", "y", "z"].iter().enumerate() {
        writeln!(out, "{:?} {:?} {name}lo {name}hi", -0.5 * l[k], 0.5 * l[k])?;
    }
    writeln!(out, "\nMasses\n")?;
    for t in 0..state.types.len() {
        writeln!(out, "{} 1.0", t + 1)?;
    }
    writeln!(out, "\nAtoms # atomic\n")?;
    for (i, (p, t)) in state.pos.iter().zip(&state.typeid).enumerate() {
        writeln!(out, "{} {} {:?} {:?} {:?}", i + 1, t + 1, p[0], p[1], p[2])?;
    }
    writeln!(out, "\nVelocities\n")?;
    for (i, v) in state.vel.iter().enumerate() {
        writeln!(out, "{} {:?} {:?} {:?}", i + 1, v[0], v[1], v[2])?;
    }
    out.flush()
}
