//! `bnsl run CONFIG.toml [--device cpu|gpu]`: runs the simulation a TOML file describes
//! (`crate::md::config::RunConfig`, examples in examples/*.toml) stage by stage and writes the
//! CSV log of observables and the GSD trajectory (`crate::io::gsd`, single precision as HOOMD-blue writes).

use std::io::Write;
use std::path::PathBuf;

use crate::io::gsd::HoomdWriter;
use crate::md::config::RunConfig;
use crate::md::Observables;

/// Arguments of `bnsl run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The run description (TOML).
    #[arg(required_unless_present_any = ["link", "preset"])]
    pub config: Option<PathBuf>,
    /// Run the recipe of a share link (`https://…/#/simulate?r=…`, or `@FILE.json` for a recipe
    /// as JSON) and print its fingerprint.
    #[arg(long, conflicts_with_all = ["config", "preset"])]
    pub link: Option<String>,
    /// Run a preset of the Simulate tab (`--preset list` lists them) and print its fingerprint.
    #[arg(long, conflicts_with = "config")]
    pub preset: Option<String>,
    /// With --preset: the paper's 27,000-particle size instead of the small one.
    #[arg(long, requires = "preset")]
    pub paper: bool,
    /// With --preset: print the preset's share fragment (`#/simulate?r=…`) and do not run.
    #[arg(long, requires = "preset")]
    pub share: bool,
    /// With --link or --preset: write the log (observables and crystalline fraction) as CSV here.
    #[arg(long)]
    pub log: Option<PathBuf>,
    /// Confirm a run above the size that needs a confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Where the run executes: `cpu` (the engine) or `gpu` (WebGPU; falls back to the CPU).
    /// Links and presets run on the CPU, where the fingerprint is bit-identical to the page's.
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "gpu"])]
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
    if args.link.is_some() || args.preset.is_some() {
        return super::run_link::run(args);
    }
    let config = args
        .config
        .as_ref()
        .ok_or("give a CONFIG.toml, --link or --preset")?;
    let text = super::input::read_text(
        config,
        super::input::MAX_CONFIG_BYTES,
        "a run configuration",
    )?;
    let cfg = RunConfig::from_toml(&text).map_err(|e| format!("{}: {e}", config.display()))?;
    if let Some(p) = crate::simulate::check_run_config(&cfg).first() {
        return Err(format!("{}: {}: {}", config.display(), p.field, p.message));
    }
    let frame = match &cfg.initial {
        crate::md::config::InitialConfig::Gsd { path, frame } => {
            let f = super::eval::read_frame(std::path::Path::new(path), *frame)
                .map_err(|e| format!("{}: initial.path: {e}", config.display()))?;
            if f.len() > crate::simulate::MAX_PARTICLES {
                return Err(format!(
                    "{path}: the frame has {} particles, more than the {} a run may have",
                    f.len(),
                    crate::simulate::MAX_PARTICLES
                ));
            }
            Some(f)
        }
        _ => None,
    };
    let mut sim = cfg
        .build(frame)
        .map_err(|e| format!("{}: {e}", config.display()))?;
    if args.device == "gpu" {
        return super::run_device::run(sim, crate::gpu::Device::Gpu, &cfg, args.max_steps);
    }
    let out = &cfg.output;
    let log_every = out.log_every.max(1);
    let mut log = std::io::BufWriter::new(
        std::fs::File::create(&out.log).map_err(|e| format!("{}: {e}", out.log))?,
    );
    let io_err = |e: std::io::Error| format!("{}: {e}", out.log);
    writeln!(log, "{}", Observables::CSV_HEADER).map_err(io_err)?;
    writeln!(log, "{}", sim.observables().csv_row()).map_err(io_err)?;
    let traj_file =
        std::fs::File::create(&out.trajectory).map_err(|e| format!("{}: {e}", out.trajectory))?;
    let mut traj = HoomdWriter::create(std::io::BufWriter::new(traj_file))
        .map_err(|e| format!("{}: {e}", out.trajectory))?;
    let gsd_err = |e: crate::io::gsd::GsdError| format!("{}: {e}", out.trajectory);
    traj.append(&sim.state().to_frame()).map_err(gsd_err)?;
    let frame_every = out.frame_every.max(1);
    let every = log_every.min(frame_every);
    for (k, stage) in cfg.stage.iter().enumerate() {
        let steps = args.max_steps.map_or(stage.steps, |m| m.min(stage.steps));
        if let Some(rho) = stage.compress_to {
            sim.compress_to(rho, steps).map_err(|e| e.to_string())?;
        }
        let mut done = 0;
        while done < steps {
            let chunk = (every - sim.state().step % every).min(steps - done);
            sim.run(chunk)
                .map_err(|e| format!("stage {}: {e}", k + 1))?;
            done += chunk;
            if sim.state().step % log_every == 0 || done == steps {
                writeln!(log, "{}", sim.observables().csv_row()).map_err(io_err)?;
            }
            if sim.state().step % frame_every == 0 {
                traj.append(&sim.state().to_frame()).map_err(gsd_err)?;
            }
        }
    }
    if sim.state().step % frame_every != 0 {
        traj.append(&sim.state().to_frame()).map_err(gsd_err)?;
    }
    traj.finish().map_err(gsd_err)?;
    log.flush().map_err(io_err)?;
    let o = sim.observables();
    println!(
        "{}",
        serde_json::json!({
            "steps": sim.state().step,
            "particles": sim.state().len(),
            "final": o,
            "log": out.log,
            "trajectory": out.trajectory,
        })
    );
    Ok(())
}
