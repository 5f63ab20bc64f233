//! `bnsl run CONFIG.toml --device gpu`: the same stages, log and trajectory as the CPU loop
//! of `run.rs`, driven through `crate::gpu::MdDriver` (WebGPU via wgpu; the CPU engine when no
//! adapter exists, for MTK, or after a device failure, each said on stderr). Rows are logged
//! and frames written at the same steps as on the CPU.

use std::io::Write;

use crate::gpu::{Device, MdDriver};
use crate::io::gsd::HoomdWriter;
use crate::md::config::RunConfig;
use crate::md::{Observables, Simulation};

fn notes(driver: &mut MdDriver) {
    for n in driver.take_notices() {
        eprintln!("note: {n}");
    }
}

/// Runs `sim` (built from `cfg`) on `device`, writing the log and trajectory `cfg` names;
/// `max_steps` caps each stage.
///
/// # Errors
/// A message naming the file or stage that failed.
pub fn run(
    sim: Simulation,
    device: Device,
    cfg: &RunConfig,
    max_steps: Option<u64>,
) -> Result<(), String> {
    let mut driver = pollster::block_on(MdDriver::new(sim, device));
    notes(&mut driver);
    let out = &cfg.output;
    let log_every = out.log_every.max(1);
    let frame_every = out.frame_every.max(1);
    let every = log_every.min(frame_every);
    let mut log = std::io::BufWriter::new(
        std::fs::File::create(&out.log).map_err(|e| format!("{}: {e}", out.log))?,
    );
    let io_err = |e: std::io::Error| format!("{}: {e}", out.log);
    let row = |d: &mut MdDriver| -> Result<Observables, String> {
        let o = pollster::block_on(d.observables()).map_err(|e| e.to_string());
        notes(d);
        o
    };
    writeln!(log, "{}", Observables::CSV_HEADER).map_err(io_err)?;
    writeln!(log, "{}", row(&mut driver)?.csv_row()).map_err(io_err)?;
    let traj_file =
        std::fs::File::create(&out.trajectory).map_err(|e| format!("{}: {e}", out.trajectory))?;
    let mut traj = HoomdWriter::create(std::io::BufWriter::new(traj_file))
        .map_err(|e| format!("{}: {e}", out.trajectory))?;
    let gsd_err = |e: crate::io::gsd::GsdError| format!("{}: {e}", out.trajectory);
    let frame = |d: &mut MdDriver| -> Result<crate::model::Frame, String> {
        let s = pollster::block_on(d.state()).map_err(|e| e.to_string());
        notes(d);
        Ok(s?.to_frame())
    };
    traj.append(&frame(&mut driver)?).map_err(gsd_err)?;
    for (k, stage) in cfg.stage.iter().enumerate() {
        let steps = max_steps.map_or(stage.steps, |m| m.min(stage.steps));
        if let Some(rho) = stage.compress_to {
            driver.compress_to(rho, steps).map_err(|e| e.to_string())?;
        }
        let mut done = 0;
        while done < steps {
            let chunk = (every - driver.step() % every).min(steps - done);
            pollster::block_on(driver.advance(chunk))
                .map_err(|e| format!("stage {}: {e}", k + 1))?;
            notes(&mut driver);
            done += chunk;
            if driver.step().is_multiple_of(log_every) || done == steps {
                writeln!(log, "{}", row(&mut driver)?.csv_row()).map_err(io_err)?;
            }
            if driver.step().is_multiple_of(frame_every) {
                traj.append(&frame(&mut driver)?).map_err(gsd_err)?;
            }
        }
    }
    if !driver.step().is_multiple_of(frame_every) {
        traj.append(&frame(&mut driver)?).map_err(gsd_err)?;
    }
    traj.finish().map_err(gsd_err)?;
    log.flush().map_err(io_err)?;
    let o = row(&mut driver)?;
    println!(
        "{}",
        serde_json::json!({
            "steps": driver.step(),
            "particles": driver.len(),
            "final": o,
            "log": out.log,
            "trajectory": out.trajectory,
            "device": driver.device().name(),
            "adapter": driver.adapter(),
        })
    );
    Ok(())
}
