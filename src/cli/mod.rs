//! The `bnsl` command-line tool: a thin shell over the core, for batch runs and cross-checks.
//!
//! Every subcommand parses its arguments, calls one core function and prints its result; the
//! work itself lives in the library so that tests check exactly what users run.

mod gsdinfo;

use clap::{Parser, Subcommand};
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
    /// Describe a GSD trajectory as JSON: frames, N, types and box per frame.
    GsdInfo {
        /// The GSD file.
        file: std::path::PathBuf,
    },
}

/// Parses the process arguments, runs the chosen subcommand and reports errors on stderr.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Version) => {
            println!("bnsl {}", crate::VERSION);
            ExitCode::SUCCESS
        }
        Some(Command::GsdInfo { file }) => gsdinfo::run(&file),
        None => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let _ = cmd.print_help();
            ExitCode::SUCCESS
        }
    }
}
