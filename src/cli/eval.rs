//! `bnsl eval FILE.gsd [--frame F] [--potential mie|lj|wca] [--n 50] [--m 25] [--epsilon 1]
//! [--rcut 1.5] [--shift] [--device cpu|gpu]`: evaluates a pair potential (Mie by default) on
//! one frame (`crate::md::evaluate`, or the
//! GPU force kernel through `crate::gpu::evaluate_on_gpu`) and prints one JSON object with
//! `potential_energy`, `energy_per_particle`, `virial_pressure` (virial part only) and
//! `forces` (N×3); the GPU's object adds `device` and `adapter`.

use std::io::Write;
use std::path::PathBuf;

use super::error::CliError;
use super::pair_args::PairArgs;
use crate::io::gsd::HoomdReader;
use crate::md::evaluate::evaluate;

/// Arguments of `bnsl eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// A HOOMD-schema GSD file.
    pub file: PathBuf,
    /// Frame index (negative counts from the end).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub frame: i64,
    /// The pair potential.
    #[command(flatten)]
    pub pair: PairArgs,
    /// Where to evaluate: `cpu` (the engine, f64) or `gpu` (the WebGPU force kernel, f32).
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "gpu"])]
    pub device: String,
}

/// Reads frame `index` (negative from the end) of a GSD file.
///
/// # Errors
/// [`CliError`] naming the file and the problem.
pub fn read_frame(path: &std::path::Path, index: i64) -> Result<crate::model::Frame, CliError> {
    let file = std::fs::File::open(path).map_err(CliError::file(path))?;
    let mut reader =
        HoomdReader::open(std::io::BufReader::new(file)).map_err(CliError::gsd(path))?;
    let count = reader.frame_count();
    let k = if index < 0 {
        count.checked_sub(index.unsigned_abs())
    } else {
        Some(index.unsigned_abs()).filter(|&k| k < count)
    };
    let Some(k) = k else {
        return Err(CliError::NoFrame {
            path: path.to_owned(),
            index,
            count,
        });
    };
    reader.read_frame(k).map_err(CliError::gsd(path))
}

/// Runs the evaluation and prints the JSON object.
///
/// # Errors
/// A message when the file cannot be read or the parameters are invalid.
pub fn run(args: &EvalArgs) -> Result<(), CliError> {
    let rule = args.pair.rule()?;
    let frame = read_frame(&args.file, args.frame)?;
    if args.device == "gpu" {
        let (result, adapter) = pollster::block_on(crate::gpu::evaluate_on_gpu(&frame, rule))?;
        let mut json = serde_json::json!(result);
        if let Some(map) = json.as_object_mut() {
            map.insert("device".into(), "gpu".into());
            map.insert("adapter".into(), adapter.into());
        }
        writeln!(std::io::stdout().lock(), "{json}")?;
        return Ok(());
    }
    let result = evaluate(&frame, rule)
        .map_err(|e| CliError::input(&args.file, format!("frame {}: {e}", args.frame)))?;
    writeln!(std::io::stdout().lock(), "{}", serde_json::json!(result))?;
    Ok(())
}
