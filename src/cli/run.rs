//! `bnsl run CONFIG.toml [--device cpu|gpu]`: runs the simulation a TOML file describes
//! (`crate::md::config::RunConfig`, examples in examples/*.toml) through the one run loop
//! (`crate::run`) on either device, writing the CSV log (observables and crystalline fraction)
//! and the GSD trajectory (`crate::io::gsd`, single precision as HOOMD-blue writes). Outputs
//! that would overwrite an input or each other are refused before any work.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CliError;
use super::recipe_source::{list_presets, RecipeSource, Resolved};
use super::run_files::{csv_log, refuse_overwrite, trajectory};
use crate::gpu::{Device, MdDriver};
use crate::md::config::{InitialConfig, RunConfig};
use crate::model::Frame;
use crate::run::{structure_of, Crystal, Output, Run, SeedGrowth, Summary};

/// Arguments of `bnsl run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The run: a TOML file, a preset or a share link, and `--max-steps`.
    #[command(flatten)]
    pub source: RecipeSource,
    /// With --preset: print the preset's share fragment (`#/simulate?r=…`) and do not run.
    #[arg(long, requires = "preset")]
    pub share: bool,
    /// With --link or --preset: write the log (observables and crystalline fraction) as CSV here.
    #[arg(long)]
    pub log: Option<PathBuf>,
    /// With --link or --preset: write the GSD trajectory here (the frames the page offers).
    #[arg(long)]
    pub trajectory: Option<PathBuf>,
    /// Confirm a run above the size that needs a confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Where the run executes: `cpu` (the engine) or `gpu` (WebGPU; falls back to the CPU).
    /// Links and presets run on the CPU, where the fingerprint is bit-identical to the page's.
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "gpu"])]
    pub device: String,
    /// Threads of the CPU engine (default: every core); the results, fingerprints included,
    /// are the same on any number.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

impl RunArgs {
    /// `--threads`, or every core.
    #[must_use]
    pub fn threads(&self) -> usize {
        self.threads
            .map_or_else(crate::md::threads::available, usize::from)
    }
}

/// Steps between two looks at the engine's notices (a fall-back to the CPU is said when it
/// happens, not at the end).
const NOTICE_EVERY: u64 = 10_000;

/// Prints the engine's notices on standard error.
pub(super) fn notes(driver: &mut MdDriver) {
    for n in driver.take_notices() {
        eprintln!("note: {n}");
    }
}

/// Runs `run` to its end with `outputs`, saying the engine's notices as they come.
///
/// # Errors
/// The run's error (after the outputs took the last good state).
pub(super) fn run_to_end(run: &mut Run, outputs: &mut [&mut dyn Output]) -> Result<(), CliError> {
    notes(run.driver_mut());
    while !run.has_ended() {
        let advanced = pollster::block_on(run.advance(NOTICE_EVERY, outputs));
        notes(run.driver_mut());
        advanced?;
    }
    Ok(())
}

/// Runs the configuration (or, with --link / --preset, a recipe).
///
/// # Errors
/// The file, field or step that failed.
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    if args.source.config.is_none() {
        super::run_link::check_device(args)?;
        if args.source.lists_presets() {
            return list_presets();
        }
    }
    match args.source.resolve()? {
        Resolved::Recipe(recipe) => super::run_link::run(args, &recipe),
        Resolved::File {
            path,
            config,
            frame,
        } => run_file(args, &path, &config, frame),
    }
}

/// Runs the run description `cfg` read from `config`, starting from `frame` (see [`Resolved`]).
fn run_file(
    args: &RunArgs,
    config: &Path,
    cfg: &RunConfig,
    frame: Option<Frame>,
) -> Result<(), CliError> {
    let out = &cfg.output;
    let (log_path, traj_path) = (Path::new(&out.log), Path::new(&out.trajectory));
    let mut inputs = vec![("run description", config)];
    if let InitialConfig::Gsd { path, .. } = &cfg.initial {
        inputs.push(("initial (its GSD file)", Path::new(path)));
    }
    if let InitialConfig::Seeded {
        fluid: Some(path), ..
    } = &cfg.initial
    {
        inputs.push(("initial.fluid (its GSD file)", Path::new(path)));
    }
    refuse_overwrite(
        &[("output.log", log_path), ("output.trajectory", traj_path)],
        &inputs,
    )?;
    let (sim, seed) = cfg
        .build_reported(frame, &mut |_, _| {})
        .map_err(|e| CliError::input(config, e.to_string()))?;
    let device = if args.device == "gpu" {
        Device::Gpu
    } else {
        Device::Cpu
    };
    let crystal = Crystal::new(cfg, structure_of(cfg))?;
    let mut run = pollster::block_on(Run::start(sim, device, cfg.stage.clone(), crystal))?;
    run.set_threads(args.threads())?;
    let mut log = csv_log(log_path, out.log_every.max(1))?;
    let mut traj = trajectory(traj_path, out.frame_every.max(1))?;
    let mut summary = Summary::default();
    let mut growth = seed
        .as_ref()
        .map(|s| SeedGrowth::new(s.seed_large(), s.link, out.log_every.max(1)));
    match growth.as_mut() {
        Some(g) => run_to_end(&mut run, &mut [&mut log, &mut traj, &mut summary, g])?,
        None => run_to_end(&mut run, &mut [&mut log, &mut traj, &mut summary])?,
    }
    let growth = growth.map(|g| {
        serde_json::json!({
            "rate_per_tau": g.rate(),
            "seed_cluster_start": g.rows.first().map(|r| r.seed_cluster),
            "seed_cluster_end": g.rows.last().map(|r| r.seed_cluster),
            "rows": g.rows,
        })
    });
    let driver = run.driver();
    let mut report = serde_json::json!({
        "steps": driver.step(),
        "particles": driver.len(),
        "final": summary.sample.map(|s| s.observables),
        "crystalline_fraction": summary.sample.map(|s| s.crystalline_fraction),
        "seed": seed,
        "growth": growth,
        "log": out.log,
        "trajectory": out.trajectory,
        "device": driver.device().name(),
        "adapter": driver.adapter(),
    });
    // The seed's lattice and its growth appear only for a seeded start (no nulls otherwise).
    if let Some(fields) = report.as_object_mut() {
        fields.retain(|key, value| !(matches!(key.as_str(), "seed" | "growth") && value.is_null()));
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{report}")?;
    Ok(())
}
