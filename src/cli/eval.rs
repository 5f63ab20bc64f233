//! `bnsl eval FILE.gsd [--frame F] [--potential mie|lj|wca] [--n 50] [--m 25] [--epsilon 1]
//! [--rcut 1.5] [--shift] [--device cpu|gpu]`: evaluates a pair potential (Mie by default) on
//! one frame (`crate::md::evaluate`, or the
//! GPU force kernel through `crate::gpu::evaluate_on_gpu`) and prints one JSON object with
//! `potential_energy`, `energy_per_particle`, `virial_pressure` (virial part only) and
//! `forces` (N×3); the GPU's object adds `device` and `adapter`.

use std::io::Write;
use std::path::PathBuf;

use super::error::CliError;
use crate::io::gsd::HoomdReader;
use crate::md::evaluate::evaluate;
use crate::model::{PairRule, PotentialKind};

/// Arguments of `bnsl eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// A HOOMD-schema GSD file.
    pub file: PathBuf,
    /// Frame index (negative counts from the end).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub frame: i64,
    /// Pair potential: `mie`, `lj` (Lennard-Jones 12–6) or `wca`.
    #[arg(long, default_value = "mie", value_parser = potential_name)]
    pub potential: PotentialKind,
    /// Repulsive exponent (Mie; 50 when left out).
    #[arg(long)]
    pub n: Option<u32>,
    /// Attractive exponent (Mie; 25 when left out).
    #[arg(long)]
    pub m: Option<u32>,
    /// Well depth ε.
    #[arg(long, default_value_t = 1.0)]
    pub epsilon: f64,
    /// Cut-off in units of σ_ij (fixed at 2^(1/6) for `wca`).
    #[arg(long, default_value_t = 1.5)]
    pub rcut: f64,
    /// Shift the energy to zero at the cut-off.
    #[arg(long)]
    pub shift: bool,
    /// Where to evaluate: `cpu` (the engine, f64) or `gpu` (the WebGPU force kernel, f32).
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "gpu"])]
    pub device: String,
}

fn potential_name(name: &str) -> Result<PotentialKind, String> {
    PotentialKind::from_name(name).ok_or_else(|| {
        let all: Vec<&str> = PotentialKind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown potential '{name}' (one of {})", all.join(", "))
    })
}

/// The pair rule of the arguments: the exponents and cut-off a potential fixes are taken from
/// it; giving others is an error.
///
/// # Errors
/// [`CliError::Argument`] naming the argument.
pub fn rule(args: &EvalArgs) -> Result<PairRule, CliError> {
    let name = args.potential.name();
    let (n, m) = match args.potential.fixed_exponents() {
        Some((n, m)) => {
            if args.n.is_some_and(|v| v != n) || args.m.is_some_and(|v| v != m) {
                return Err(CliError::Argument {
                    what: "--n/--m",
                    value: format!("{}-{}", args.n.unwrap_or(n), args.m.unwrap_or(m)),
                    expected: format!("{name} fixes the exponents at {n}-{m}"),
                });
            }
            (n, m)
        }
        None => (args.n.unwrap_or(50), args.m.unwrap_or(25)),
    };
    let (r_cut, shift) = match args.potential.fixed_cut() {
        Some(cut) => (cut, true),
        None => (args.rcut, args.shift),
    };
    Ok(PairRule {
        potential: args.potential,
        epsilon: args.epsilon,
        n,
        m,
        r_cut,
        shift,
        attractive: true,
    })
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
    let rule = rule(args)?;
    if let Some(p) =
        crate::simulate::check_pair_rule(rule.epsilon, rule.n, rule.m, rule.r_cut).first()
    {
        return Err(CliError::Argument {
            what: "pair rule",
            value: format!("--{}", p.field.replace("r_cut", "rcut")),
            expected: p.message.clone(),
        });
    }
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
