//! `bnsl run CONFIG.toml [--device cpu]`: runs the simulation a TOML file describes
//! (`crate::md::config::RunConfig`, examples in examples/*.toml) stage by stage and writes the
//! CSV log of observables (and the trajectory).

use std::io::Write;
use std::path::PathBuf;

use crate::md::config::RunConfig;
use crate::md::Observables;

/// Arguments of `bnsl run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The run description (TOML).
    pub config: PathBuf,
    /// Where forces are computed: `cpu` (the WebGPU path is a separate issue).
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// Run only this many steps of each stage (for a quick look at a long protocol).
    #[arg(long)]
    pub max_steps: Option<u64>,
}

/// Runs the configuration.
///
/// # Errors
/// A message naming the file, field or step that failed.
pub fn run(args: &RunArgs) -> Result<(), String> {
    if args.device != "cpu" {
        return Err(format!(
            "device '{}' is not available in bnsl run: use --device cpu",
            args.device
        ));
    }
    let text = std::fs::read_to_string(&args.config)
        .map_err(|e| format!("{}: {e}", args.config.display()))?;
    let cfg = RunConfig::from_toml(&text).map_err(|e| format!("{}: {e}", args.config.display()))?;
    if let crate::md::config::InitialConfig::Gsd { path, .. } = &cfg.initial {
        return Err(format!(
            "{path}: reading GSD initial states needs crate::io::gsd, which this build lacks"
        ));
    }
    let mut sim = cfg.build(None).map_err(|e| e.to_string())?;
    let out = &cfg.output;
    let log_every = out.log_every.max(1);
    let mut log = std::io::BufWriter::new(
        std::fs::File::create(&out.log).map_err(|e| format!("{}: {e}", out.log))?,
    );
    let io_err = |e: std::io::Error| format!("{}: {e}", out.log);
    writeln!(log, "{}", Observables::CSV_HEADER).map_err(io_err)?;
    writeln!(log, "{}", sim.observables().csv_row()).map_err(io_err)?;
    for (k, stage) in cfg.stage.iter().enumerate() {
        let steps = args.max_steps.map_or(stage.steps, |m| m.min(stage.steps));
        if let Some(rho) = stage.compress_to {
            sim.compress_to(rho, steps).map_err(|e| e.to_string())?;
        }
        let mut done = 0;
        while done < steps {
            let chunk = (log_every - sim.state().step % log_every).min(steps - done);
            sim.run(chunk)
                .map_err(|e| format!("stage {}: {e}", k + 1))?;
            done += chunk;
            if sim.state().step % log_every == 0 || done == steps {
                writeln!(log, "{}", sim.observables().csv_row()).map_err(io_err)?;
            }
        }
    }
    log.flush().map_err(io_err)?;
    let o = sim.observables();
    println!(
        "{}",
        serde_json::json!({
            "steps": sim.state().step,
            "particles": sim.state().len(),
            "final": o,
            "log": out.log,
        })
    );
    Ok(())
}
