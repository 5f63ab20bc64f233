//! `bnsl eval FILE.gsd [--frame F] [--n 50] [--m 25] [--epsilon 1] [--rcut 1.5] [--shift]
//! [--device cpu|gpu]`: evaluates the Mie potential on one frame (`crate::md::evaluate`, or the
//! GPU force kernel through `crate::gpu::evaluate_on_gpu`) and prints one JSON object with
//! `potential_energy`, `energy_per_particle`, `virial_pressure` (virial part only) and
//! `forces` (N×3); the GPU's object adds `device` and `adapter`.

use std::path::PathBuf;

use crate::io::gsd::HoomdReader;
use crate::md::evaluate::evaluate;
use crate::model::PairRule;

/// Arguments of `bnsl eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// A HOOMD-schema GSD file.
    pub file: PathBuf,
    /// Frame index (negative counts from the end).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub frame: i64,
    /// Repulsive exponent.
    #[arg(long, default_value_t = 50)]
    pub n: u32,
    /// Attractive exponent.
    #[arg(long, default_value_t = 25)]
    pub m: u32,
    /// Well depth ε.
    #[arg(long, default_value_t = 1.0)]
    pub epsilon: f64,
    /// Cut-off in units of σ_ij.
    #[arg(long, default_value_t = 1.5)]
    pub rcut: f64,
    /// Shift the energy to zero at the cut-off.
    #[arg(long)]
    pub shift: bool,
    /// Where to evaluate: `cpu` (the engine, f64) or `gpu` (the WebGPU force kernel, f32).
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "gpu"])]
    pub device: String,
}

/// Reads frame `index` (negative from the end) of a GSD file.
///
/// # Errors
/// A message naming the file and the problem.
pub fn read_frame(path: &std::path::Path, index: i64) -> Result<crate::model::Frame, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut reader = HoomdReader::open(std::io::BufReader::new(file))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let count = reader.frame_count() as i64;
    let k = if index < 0 { count + index } else { index };
    if k < 0 || k >= count {
        return Err(format!(
            "{}: frame {index} does not exist ({count} frames)",
            path.display()
        ));
    }
    reader
        .read_frame(k as u64)
        .map_err(|e| format!("{}: frame {k}: {e}", path.display()))
}

/// Runs the evaluation and prints the JSON object.
///
/// # Errors
/// A message when the file cannot be read or the parameters are invalid.
pub fn run(args: &EvalArgs) -> Result<(), String> {
    if let Some(p) =
        crate::simulate::check_pair_rule(args.epsilon, args.n, args.m, args.rcut).first()
    {
        return Err(format!(
            "--{}: {}",
            p.field.replace("r_cut", "rcut"),
            p.message
        ));
    }
    let frame = read_frame(&args.file, args.frame)?;
    let rule = PairRule {
        epsilon: args.epsilon,
        n: args.n,
        m: args.m,
        r_cut: args.rcut,
        shift: args.shift,
        attractive: true,
    };
    if args.device == "gpu" {
        let (result, adapter) = pollster::block_on(crate::gpu::evaluate_on_gpu(&frame, rule))
            .map_err(|e| e.to_string())?;
        let mut json = serde_json::to_value(&result).map_err(|e| e.to_string())?;
        if let Some(map) = json.as_object_mut() {
            map.insert("device".into(), "gpu".into());
            map.insert("adapter".into(), adapter.into());
        }
        println!("{json}");
        return Ok(());
    }
    let result = evaluate(&frame, rule)
        .map_err(|e| format!("{}: frame {}: {e}", args.file.display(), args.frame))?;
    println!(
        "{}",
        serde_json::to_string(&result).map_err(|e| e.to_string())?
    );
    Ok(())
}
