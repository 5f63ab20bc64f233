//! `bnsl free-energy [FRAME.gsd | --lattice fcc|alb2|nazn13 --cells NX,NY,NZ --density RHO]
//! --kt KT [--potential P --n N --m M --rcut RC --shift --epsilon E] [--seed S]
//! [--quality fast|standard|paper]`:
//! the crystal's free energy by Frenkel–Ladd with the centre of mass fixed
//! ([`crate::thermo::frenkel_ladd`]). The frame's positions (or the built lattice's) are the
//! spring sites, σ_ij comes from the diameters (σ_ij = (σ_i + σ_j)/2), and one JSON object is
//! printed: `beta_f_per_particle`, `beta_f_error`, `pressure`, `u_per_particle`, the spring
//! constants, the λ schedule and the conventions. Progress with time left goes to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use super::error::CliError;
use super::eval::read_frame;
use super::pair_args::PairArgs;
use crate::lattice::Structure;
use crate::md::MdError;
use crate::model::{Frame, PairTable};
use crate::thermo::crystal_point::{built_crystal, drop_unused_types};
use crate::thermo::{crystal_free_energy, Crystal, CrystalFreeEnergy, Progress, Quality};

/// Arguments of `bnsl free-energy`.
#[derive(Debug, clap::Args)]
pub struct FreeEnergyArgs {
    /// A HOOMD-schema GSD file whose frame is the perfect lattice (or use --lattice).
    pub file: Option<PathBuf>,
    /// Frame index in FILE (negative counts from the end).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub frame: i64,
    /// Build the lattice instead of reading it: `fcc`, `alb2` or `nazn13`.
    #[arg(long, value_parser = ["fcc", "alb2", "nazn13"])]
    pub lattice: Option<String>,
    /// Orthorhombic cells along x, y, z for --lattice (e.g. 5,5,5).
    #[arg(long, value_delimiter = ',')]
    pub cells: Option<Vec<usize>>,
    /// Total number density ρσ³ of the built lattice.
    #[arg(long)]
    pub density: Option<f64>,
    /// c/a of a built AlB₂ lattice.
    #[arg(long, default_value_t = 1.0)]
    pub c_over_a: f64,
    /// Temperature kT in units of ε (ε/kT is the well depth).
    #[arg(long)]
    pub kt: f64,
    /// The pair potential (Mie 50–25 cut at 1.5 σ_ij unless told otherwise).
    #[command(flatten)]
    pub pair: PairArgs,
    /// Lattice points in the box (default: particles of type 0, right for fcc and AlB₂).
    #[arg(long)]
    pub lattice_points: Option<usize>,
    /// Seed of the Langevin noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// `fast`, `standard` (±0.005 kT at N ≈ 500) or `paper` (use N ≥ 2,000).
    #[arg(long, default_value = "standard", value_parser = ["fast", "standard", "paper"])]
    pub quality: String,
}

/// What is printed: the inputs that fix the result, then the result.
#[derive(Serialize)]
struct Report<'a> {
    input: Input<'a>,
    #[serde(flatten)]
    result: &'a CrystalFreeEnergy,
    wall_seconds: f64,
}

#[derive(Serialize)]
struct Input<'a> {
    source: String,
    potential: &'static str,
    n: u32,
    m: u32,
    epsilon: f64,
    r_cut: f64,
    shift: bool,
    kt: f64,
    lattice_points: usize,
    seed: u64,
    quality: &'a str,
}

/// The lattice the arguments name: read from FILE or built.
fn lattice(args: &FreeEnergyArgs) -> Result<(Frame, String, usize), CliError> {
    match (&args.file, &args.lattice) {
        (Some(path), Some(name)) => Err(CliError::Argument {
            what: "--lattice",
            value: name.clone(),
            expected: format!(
                "give either FILE ({}) or --lattice, not both",
                path.display()
            ),
        }),
        (None, None) => Err(CliError::Argument {
            what: "FILE",
            value: String::new(),
            expected: "a GSD file, or --lattice fcc|alb2|nazn13".into(),
        }),
        (Some(path), None) => {
            let frame = read_frame(path, args.frame)?;
            let type0 = frame.typeid.iter().filter(|&&t| t == 0).count();
            Ok((
                frame,
                format!("{} frame {}", path.display(), args.frame),
                type0,
            ))
        }
        (None, Some(name)) => {
            let cells = args.cells.clone().unwrap_or_default();
            if cells.len() != 3 || cells.iter().any(|&c| c == 0 || c > 64) {
                return Err(CliError::Argument {
                    what: "--cells",
                    value: format!("{cells:?}"),
                    expected: "three counts NX,NY,NZ, each 1 to 64 (needed with --lattice)".into(),
                });
            }
            let rho = args.density.unwrap_or(f64::NAN);
            if !(rho.is_finite() && rho > 0.0 && rho < 10.0) {
                return Err(CliError::Argument {
                    what: "--density",
                    value: rho.to_string(),
                    expected: "above 0 and below 10 (needed with --lattice)".into(),
                });
            }
            if !(args.c_over_a.is_finite() && (0.5..=2.0).contains(&args.c_over_a)) {
                return Err(CliError::Argument {
                    what: "--c-over-a",
                    value: args.c_over_a.to_string(),
                    expected: "0.5 to 2".into(),
                });
            }
            let structure = match name.as_str() {
                "fcc" => Structure::Fcc,
                "alb2" => Structure::Alb2,
                _ => Structure::Nazn13,
            };
            let built = built_crystal(
                structure,
                [cells[0], cells[1], cells[2]],
                rho,
                args.c_over_a,
            );
            Ok((
                built.frame,
                format!("{name} {cells:?} at ρσ³ = {rho}, a = {}", built.a),
                built.lattice_points,
            ))
        }
    }
}

/// The diameter of each type present (types no particle has are dropped).
fn used_types(frame: &mut Frame) -> Result<Vec<f64>, CliError> {
    let diameters = drop_unused_types(frame);
    if diameters.is_empty() {
        return Err(CliError::Argument {
            what: "FILE",
            value: "a frame with no particles".into(),
            expected: "a perfect lattice with at least two particles".into(),
        });
    }
    Ok(diameters)
}

/// Runs `bnsl free-energy`.
///
/// # Errors
/// [`CliError`] naming the argument or the failure.
pub fn run(args: &FreeEnergyArgs) -> Result<(), CliError> {
    let quality = Quality::from_name(&args.quality).ok_or_else(|| CliError::Unknown {
        what: "--quality",
        value: args.quality.clone(),
        choices: "fast, standard, paper".into(),
    })?;
    if !(args.kt.is_finite() && args.kt > 0.0 && args.kt <= 100.0) {
        return Err(CliError::Argument {
            what: "--kt",
            value: args.kt.to_string(),
            expected: "above 0 and at most 100".into(),
        });
    }
    let rule = args.pair.rule()?;
    let (mut frame, source, type0) = lattice(args)?;
    let diameters = used_types(&mut frame)?;
    let table = PairTable::additive(&diameters, rule).map_err(MdError::from)?;
    let lattice_points = args.lattice_points.unwrap_or(type0);
    let schedule = quality.schedule();
    let started = Instant::now();
    let mut stderr = std::io::stderr();
    let mut last = 0.0;
    let mut progress = |p: Progress| {
        let t = started.elapsed().as_secs_f64();
        if t - last > 1.0 || p.done == p.total {
            last = t;
            let left = t / p.done.max(1) as f64 * (p.total - p.done) as f64;
            let _ = write!(
                stderr,
                "\rfree energy: {:5.1} % ({} of {} steps), {:.0} s left   ",
                100.0 * p.done as f64 / p.total as f64,
                p.done,
                p.total,
                left
            );
        }
        true
    };
    let result = crystal_free_energy(
        &Crystal {
            lattice: &frame,
            table: &table,
            kt: args.kt,
            lattice_points,
            seed: args.seed,
        },
        &schedule,
        &mut progress,
    )
    .map_err(CliError::Thermo)?;
    let _ = writeln!(std::io::stderr());
    let report = Report {
        input: Input {
            source,
            potential: rule.potential.name(),
            n: rule.n,
            m: rule.m,
            epsilon: rule.epsilon,
            r_cut: rule.r_cut,
            shift: rule.shift,
            kt: args.kt,
            lattice_points,
            seed: args.seed,
            quality: &args.quality,
        },
        result: &result,
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    let json = serde_json::to_string_pretty(&report).expect("numbers and strings serialise");
    writeln!(std::io::stdout(), "{json}")?;
    Ok(())
}
