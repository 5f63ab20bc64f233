//! `bnsl reproduce fig3e|fig3f|fig4|seeded [--n N] [--quality fast|standard|paper] [--seed S]
//! [--hold STEPS] [--only RUN] --out DIR [--resume]`: one of the paper's self-assembly panels end to end
//! ([`crate::reproduce`]), progress and time left on standard error, the report's table on
//! standard output.

use std::io::Write;
use std::path::PathBuf;

use super::error::CliError;
use crate::reproduce::{duration, reproduce, Experiment, Progress, Quality, Request};

/// Arguments of `bnsl reproduce`.
#[derive(Debug, clap::Args)]
pub struct ReproduceArgs {
    /// The panel: fig3e (narrow well 2.5 and 1.0 kT, repulsive control), fig3f (wide well),
    /// fig4 (polydisperse droplets, AlB₂ 1:2 and NaZn₁₃ 1:13), seeded (seeded growth).
    pub experiment: String,
    /// Particles per run (300 to 1,000,000; default 600 fast, 3,000 standard, 27,000 paper).
    #[arg(long)]
    pub n: Option<usize>,
    /// How long the runs are: fast (minutes), standard (an hour or two), paper (days on a CPU).
    #[arg(long, default_value = "standard")]
    pub quality: String,
    /// Seed of every run (initial fluid, velocities, Langevin noise).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder: runs/, plan.json, results.md, results.json, plots (SVG and PNG).
    #[arg(long)]
    pub out: PathBuf,
    /// Continue the reproduction already in --out (finished runs are skipped; an unfinished
    /// run continues from its last checkpoint).
    #[arg(long)]
    pub resume: bool,
    /// Seeded only: steps held after the seed is cut in (default: the quality's, 5,000 fast,
    /// 100,000 standard, 200,000 paper; dt 0.002).
    #[arg(long)]
    pub hold: Option<u64>,
    /// Seeded only: do just this run (`narrow-s1`, `wide-s2`, …; repeatable), so several
    /// processes can share the folder (start the others with --resume). The report covers
    /// the runs finished so far.
    #[arg(long, value_name = "RUN")]
    pub only: Vec<String>,
}

/// Runs the reproduction and prints its Markdown table.
///
/// # Errors
/// The argument, folder, file or run that failed.
pub fn run(args: &ReproduceArgs) -> Result<(), CliError> {
    let experiment: Experiment = args.experiment.parse()?;
    let quality: Quality = args.quality.parse()?;
    let mut command = format!(
        "bnsl reproduce {} --quality {} --seed {}",
        experiment.name(),
        quality.name(),
        args.seed
    );
    if let Some(n) = args.n {
        command.push_str(&format!(" --n {n}"));
    }
    if let Some(hold) = args.hold {
        command.push_str(&format!(" --hold {hold}"));
    }
    command.push_str(&format!(" --out {}", args.out.display()));
    for run in &args.only {
        command.push_str(&format!(" --only {run}"));
    }
    let request = Request {
        experiment,
        quality,
        particles: args.n,
        seed: args.seed,
        out: args.out.clone(),
        resume: args.resume,
        hold: args.hold,
        only: args.only.clone(),
        command,
    };
    // At most a line every 2 s, but each run's first estimate of the time left always.
    let mut last_line = std::time::Instant::now();
    let mut estimated = None;
    let report = reproduce(&request, &mut |p: &Progress| {
        let first_estimate = p.left_s.is_some() && estimated != Some(p.index);
        if p.left_s.is_some() && !first_estimate && last_line.elapsed().as_secs_f64() < 2.0 {
            return;
        }
        if first_estimate {
            estimated = Some(p.index);
        }
        last_line = std::time::Instant::now();
        eprintln!("{}", progress_line(p));
    })?;
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{}", report.markdown)?;
    Ok(())
}

fn progress_line(p: &Progress) -> String {
    let (i, n) = p.index;
    let (done, all) = p.steps;
    let head = format!("[{i}/{n}] {}", p.run);
    if p.skipped {
        return format!("{head}: finished before, skipped");
    }
    let pc = if all == 0 {
        100.0
    } else {
        done as f64 * 100.0 / all as f64
    };
    match p.left_s {
        None if done > 0 => format!("{head}: resuming at step {done} of {all}"),
        None => format!("{head}: starting ({all} steps)"),
        Some((run, total)) => format!(
            "{head}: step {done} of {all} ({pc:.1} %), run left ~{}, all left ~{}",
            duration(run),
            duration(total)
        ),
    }
}
