//! `bnsl run --link URL` (or `--link @recipe.json`) and `bnsl run --preset ID [--paper] [--share]`: runs a Simulate-tab
//! recipe (`crate::simulate`) through the run loop exactly as the page's worker does and prints
//! `fingerprint: <16 hex digits>`, the same line the page shows when the run ends; `--log` and
//! `--trajectory` write what the page's CSV and GSD downloads hold.

use std::io::Write;
use std::path::Path;

use super::error::CliError;
use super::run::{run_to_end, RunArgs};
use super::run_files::{csv_log, refuse_overwrite, trajectory};
use crate::gpu::Device;
use crate::run::{Output, Summary};
use crate::simulate::{start, Recipe, RecipeError};

/// Refuses a device other than the CPU for a link or preset (checked before the recipe is read).
///
/// # Errors
/// [`CliError::Argument`] naming the device.
pub fn check_device(args: &RunArgs) -> Result<(), CliError> {
    if args.device != "cpu" {
        return Err(CliError::Argument {
            what: "device",
            value: args.device.clone(),
            expected: "recipes reproduce bit for bit on the CPU path only; use --device cpu".into(),
        });
    }
    Ok(())
}

/// Runs (or shares) the recipe named by `--link` or `--preset` (resolved, its stages cut to
/// `--max-steps`).
///
/// # Errors
/// What is wrong with the link, the preset, the files or the run.
pub fn run(args: &RunArgs, recipe: &Recipe) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    if args.share {
        writeln!(stdout, "{}", recipe.to_fragment()?)?;
        return Ok(());
    }
    let outputs: Vec<(&str, &Path)> = [("--log", &args.log), ("--trajectory", &args.trajectory)]
        .into_iter()
        .filter_map(|(name, p)| Some((name, p.as_deref()?)))
        .collect();
    let inputs: Vec<(&str, &Path)> = args
        .source
        .link
        .as_deref()
        .and_then(|l| l.strip_prefix('@'))
        .map(|p| ("--link", Path::new(p)))
        .into_iter()
        .collect();
    refuse_overwrite(&outputs, &inputs)?;
    recipe.check_runnable(args.yes).map_err(|e| match e {
        RecipeError::NeedsConfirmation { .. } => CliError::Argument {
            what: "size",
            value: format!("{} particles", recipe.particles()),
            expected: format!("{e} (pass --yes to run it anyway)"),
        },
        other => other.into(),
    })?;
    let mut run = pollster::block_on(start(recipe, Device::Cpu))?;
    run.set_threads(args.threads())?;
    let output = &recipe.run.output;
    let mut log = args
        .log
        .as_deref()
        .map(|p| csv_log(p, output.log_every.max(1)))
        .transpose()?;
    let mut traj = args
        .trajectory
        .as_deref()
        .map(|p| trajectory(p, output.frame_every.max(1)))
        .transpose()?;
    let mut summary = Summary::default();
    let mut attached: Vec<&mut dyn Output> = vec![&mut summary];
    if let Some(log) = log.as_mut() {
        attached.push(log);
    }
    if let Some(traj) = traj.as_mut() {
        attached.push(traj);
    }
    run_to_end(&mut run, &mut attached)?;
    writeln!(stdout, "preset: {}", recipe.preset)?;
    writeln!(stdout, "particles: {}", recipe.particles())?;
    writeln!(stdout, "steps: {}", run.progress().0)?;
    if let Some(sample) = summary.sample {
        writeln!(
            stdout,
            "crystalline_fraction: {:.4}",
            sample.crystalline_fraction
        )?;
    }
    writeln!(
        stdout,
        "fingerprint: {:016x}",
        summary.fingerprint.unwrap_or_default()
    )?;
    Ok(())
}
