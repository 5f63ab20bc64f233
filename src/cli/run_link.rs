//! `bnsl run --link URL` (or `--link @recipe.json`) and `bnsl run --preset ID [--paper] [--share]`: runs a Simulate-tab
//! recipe (`crate::simulate`) exactly as the page's worker does and prints
//! `fingerprint: <16 hex digits>`, the same line the page shows when the run ends.

use std::io::Write;

use super::run::RunArgs;
use crate::simulate::{preset, PresetSize, Recipe, Sample, SimRun, PRESET_IDS};

/// Runs (or shares) the recipe named by `--link` or `--preset`.
///
/// # Errors
/// A message saying what is wrong with the link, the preset or the run.
pub fn run(args: &RunArgs) -> Result<(), String> {
    if args.device != "cpu" {
        return Err(format!(
            "device '{}': recipes reproduce bit for bit on the CPU path only; use --device cpu",
            args.device
        ));
    }
    let recipe = if let Some(link) = &args.link {
        if let Some(path) = link.strip_prefix('@') {
            let json = super::input::read_file(
                std::path::Path::new(path),
                super::input::MAX_CONFIG_BYTES,
                "a recipe",
            )?;
            Recipe::from_json(&json).map_err(|e| format!("{path}: {e}"))?
        } else {
            Recipe::from_link(link).map_err(|e| format!("link: {e}"))?
        }
    } else {
        let id = args.preset.as_deref().unwrap_or_default();
        if id == "list" {
            for id in PRESET_IDS {
                if let Some(p) = preset(id, PresetSize::Small) {
                    println!("{id}\t{}", p.title);
                }
            }
            return Ok(());
        }
        let size = if args.paper {
            PresetSize::Paper
        } else {
            PresetSize::Small
        };
        preset(id, size)
            .ok_or_else(|| {
                format!(
                    "unknown preset '{id}'; `bnsl run --preset list` lists them: {}",
                    PRESET_IDS.join(", ")
                )
            })?
            .recipe
    };
    if args.share {
        println!(
            "{}",
            recipe.to_fragment().map_err(|e| format!("share: {e}"))?
        );
        return Ok(());
    }
    recipe
        .check_runnable(args.yes)
        .map_err(|e| format!("{e} (pass --yes to run it anyway)"))?;
    let mut run = SimRun::new(&recipe).map_err(|e| e.to_string())?;
    let mut log = match &args.log {
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let first = run.sample().map_err(|e| e.to_string())?;
            writeln!(w, "{}\n{}", Sample::CSV_HEADER, first.csv_row())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Some((w, path))
        }
        None => None,
    };
    while !run.is_finished() {
        let chunk = run.advance(u64::MAX).map_err(|e| e.to_string())?;
        if let Some((w, path)) = &mut log {
            for s in &chunk.samples {
                writeln!(w, "{}", s.csv_row()).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    if let Some((w, path)) = &mut log {
        w.flush().map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let fingerprint = run.fingerprint();
    let last = run.sample().map_err(|e| e.to_string())?;
    println!("preset: {}", recipe.preset);
    println!("particles: {}", recipe.particles());
    println!("steps: {}", run.progress().0);
    println!("crystalline_fraction: {:.4}", last.crystalline_fraction);
    println!("fingerprint: {fingerprint:016x}");
    Ok(())
}
