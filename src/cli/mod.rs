//! The `bnsl` command-line tool: a thin shell over the core, for batch runs and cross-checks.
//!
//! Every subcommand parses its arguments, calls one core function and prints its result; the
//! work itself lives in the library so that tests check exactly what users run.

mod bench;
mod bench_analysis;
mod bench_fit;
mod bench_free_energy;
mod classify;
mod error;
mod eval;
mod export;
mod export_experiment;
mod fit;
mod fit_series;
mod free_energy;
mod gsdinfo;
mod input;
mod order;
mod pair_args;
mod phase_diagram;
mod phase_files;
mod phase_run;
mod recipe_source;
mod reproduce;
mod run;
mod run_files;
mod run_link;
mod sweep;

pub use error::CliError;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// BNSL Studio on the command line: simulate, analyse and fit binary nanocrystal superlattices.
#[derive(Debug, Parser)]
#[command(name = "bnsl", version = crate::VERSION, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands of `bnsl`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the version of the core (the same the page's status bar shows).
    Version,
    /// Run a fixed benchmark (`bnsl bench md|analysis|fit|free-energy`) and print one JSON line.
    #[command(subcommand)]
    Bench(bench::Bench),
    /// Evaluate the Mie potential on a GSD frame and print energy, virial pressure and forces as JSON.
    Eval(eval::EvalArgs),
    /// Run the simulation a TOML file describes (`bnsl run CONFIG.toml [--device cpu]`).
    Run(run::RunArgs),
    /// Describe a GSD trajectory as JSON: frames, N, types and box per frame.
    GsdInfo {
        /// The GSD file.
        file: std::path::PathBuf,
    },
    /// Per-particle Steinhardt q_l of one frame as CSV `index,type,q`.
    Order(order::OrderArgs),
    /// Crystalline fraction of large particles per frame as CSV `frame,fraction`.
    Classify(classify::ClassifyArgs),
    /// Fit a lattice model to one S(q) file and print one JSON object (issue #5).
    Fit(fit::FitArgs),
    /// Fit a time series frame by frame and print one CSV row per time (issue #5).
    FitSeries(fit_series::FitSeriesArgs),
    /// Free energy of a crystal by Frenkel–Ladd with the centre of mass fixed, as one JSON object.
    FreeEnergy(free_energy::FreeEnergyArgs),
    /// A phase diagram's whole campaign (issue #13): checkpointed, resumable, JSON/CSV/SVG out.
    PhaseDiagram(phase_diagram::PhaseDiagramArgs),
    /// Reproduce a panel of the paper end to end: runs, analysis, plots, tables (issue #15).
    Reproduce(reproduce::ReproduceArgs),
    /// Write a run, or every run of a `bnsl reproduce` experiment (`--experiment`), as LAMMPS decks and/or HOOMD-blue 4 scripts.
    Export(export::ExportArgs),
    /// Write a grid of runs as a signac project, or read its results back (`--collect DIR`).
    Sweep(sweep::SweepArgs),
}

/// Parses the process arguments, runs the chosen subcommand and reports errors on stderr.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Version) => report(
            writeln!(std::io::stdout().lock(), "bnsl {}", crate::VERSION).map_err(CliError::from),
        ),
        Some(Command::Bench(which)) => report(bench::run(&which)),
        Some(Command::Eval(args)) => report(eval::run(&args)),
        Some(Command::Run(args)) => report(run::run(&args)),
        Some(Command::GsdInfo { file }) => report(gsdinfo::run(&file)),
        Some(Command::Order(args)) => report(order::run(&args)),
        Some(Command::Classify(args)) => report(classify::run(&args)),
        Some(Command::Fit(args)) => report(fit::run(&args)),
        Some(Command::FitSeries(args)) => report(fit_series::run(&args)),
        Some(Command::FreeEnergy(args)) => report(free_energy::run(&args)),
        Some(Command::PhaseDiagram(args)) => report(phase_diagram::run(&args)),
        Some(Command::Reproduce(args)) => report(reproduce::run(&args)),
        Some(Command::Export(args)) => report(export::run(&args)),
        Some(Command::Sweep(args)) => report(sweep::run(&args)),
        None => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let _ = cmd.print_help();
            ExitCode::SUCCESS
        }
    }
}

/// Prints an error on stderr and maps it to the exit code; a standard output closed by its
/// reader (`bnsl order … | head`) ends the command quietly and successfully.
fn report(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_closed_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
