//! `bnsl phase-diagram --well narrow|wide [--ratio 1:2] [--depths …] [--densities …]
//! [--crystal-densities …] [--n N] [--quality fast|standard|paper] [--seed S] --out DIR
//! [--resume]`: the whole campaign of a phase diagram ([`crate::thermo::campaign`]), point by
//! point with a progress bar and the time left on stderr.
//!
//! DIR holds `campaign.json` (the arguments that fix the numbers) and one checkpoint per state
//! point in `points/`, each written atomically (a temporary file renamed), so a campaign
//! stopped at any moment — Ctrl-C, `kill`, a power cut — continues with `--resume`, which
//! skips the points done and refuses a DIR made with other arguments, naming them. `--resume`
//! on a new or empty DIR starts the campaign. At the end: `diagram.json` (the
//! [`PhaseDiagram`]), CSV tables and SVG plots in the style of Fig. 3c,d.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::CliError;
use crate::thermo::campaign::{
    CampaignSpec, ComputedPoint, PlannedPoint, PointResult, DEFAULT_CRYSTAL_DENSITIES,
    DEFAULT_DEPTHS, DEFAULT_FLUID_DENSITIES, KNOWN_RATIOS, MAX_PARTICLES,
};
use crate::thermo::diagram::{PhaseDiagram, Provenance, Well};
use crate::thermo::{CrystalFreeEnergy, Quality, ThermoError};

/// Arguments of `bnsl phase-diagram`.
#[derive(Debug, clap::Args)]
pub struct PhaseDiagramArgs {
    /// The attraction: `narrow` (Mie 50–25 cut at 1.5σ_ij) or `wide` (50–6 cut at 3σ_ij).
    #[arg(long, value_parser = ["narrow", "wide"])]
    pub well: String,
    /// Large : small particles.
    #[arg(long, default_value = "1:2")]
    pub ratio: String,
    /// Well depths ε/kT, increasing (0: the purely repulsive potential at kT = ε).
    #[arg(long, value_delimiter = ',', default_values_t = DEFAULT_DEPTHS)]
    pub depths: Vec<f64>,
    /// Fluid densities ρσ³ (all particles), increasing.
    #[arg(long, value_delimiter = ',', default_values_t = DEFAULT_FLUID_DENSITIES)]
    pub densities: Vec<f64>,
    /// Crystal densities ρσ³, increasing; the crystal's free energy is computed at the last.
    #[arg(long, value_delimiter = ',', default_values_t = DEFAULT_CRYSTAL_DENSITIES)]
    pub crystal_densities: Vec<f64>,
    /// Particles per state point (rounded to whole crystal cells; the same in fluid and
    /// crystal). Default: 500, or the least the densest box needs.
    #[arg(long)]
    pub n: Option<usize>,
    /// `fast`, `standard` or `paper` (see docs/thermo.md).
    #[arg(long, default_value = "fast", value_parser = ["fast", "standard", "paper"])]
    pub quality: String,
    /// Seed of the campaign; each state point's seed derives from it.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The campaign's directory: checkpoints and results.
    #[arg(long)]
    pub out: PathBuf,
    /// Continue the campaign in --out, skipping the points done (starts it when DIR is new).
    #[arg(long)]
    pub resume: bool,
    /// Depths computed at once, one thread each (default: every core). Each depth's points
    /// depend only on that depth's earlier points, so the results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
}

/// `campaign.json`: what fixes the numbers, and the particles that follow from it.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    spec: CampaignSpec,
    cells: [usize; 3],
    counts: Vec<usize>,
    points: usize,
    bnsl: String,
}

/// One point's checkpoint as written (the free energy's full computation beside it).
#[derive(Serialize)]
struct CheckpointOut<'a> {
    point: &'a PlannedPoint,
    #[serde(flatten)]
    result: &'a PointResult,
    wall_s: f64,
    detail: Option<&'a CrystalFreeEnergy>,
}

/// One point's checkpoint as read back (the detail is for people, not for the diagram).
#[derive(Deserialize)]
struct CheckpointIn {
    point: PlannedPoint,
    #[serde(flatten)]
    result: PointResult,
    wall_s: f64,
}

const MANIFEST: &str = "campaign.json";
const POINTS: &str = "points";

/// The spec the arguments describe, with each argument checked and named when wrong.
fn spec_of(args: &PhaseDiagramArgs) -> Result<CampaignSpec, CliError> {
    let well = match args.well.as_str() {
        "narrow" => Well::Narrow,
        "wide" => Well::Wide,
        other => {
            return Err(CliError::Unknown {
                what: "--well",
                value: other.into(),
                choices: "narrow, wide".into(),
            })
        }
    };
    let ratio = parse_ratio(&args.ratio).ok_or_else(|| CliError::Argument {
        what: "--ratio",
        value: args.ratio.clone(),
        expected: format!("L:S as two whole numbers; known: {KNOWN_RATIOS}"),
    })?;
    let quality = Quality::from_name(&args.quality).ok_or_else(|| CliError::Unknown {
        what: "--quality",
        value: args.quality.clone(),
        choices: "fast, standard, paper".into(),
    })?;
    let mut spec = CampaignSpec {
        well,
        ratio,
        depths: args.depths.clone(),
        fluid_densities: args.densities.clone(),
        crystal_densities: args.crystal_densities.clone(),
        n: args.n.unwrap_or(500),
        quality,
        seed: args.seed,
    };
    if spec.solid().is_none() {
        return Err(CliError::Argument {
            what: "--ratio",
            value: args.ratio.clone(),
            expected: format!("a composition with a known crystal: {KNOWN_RATIOS}"),
        });
    }
    let list = |v: &[f64]| v.iter().map(f64::to_string).collect::<Vec<_>>().join(",");
    match spec.check() {
        Ok(()) => {}
        Err(ThermoError::OutOfRange { name, allowed, .. }) if name != "particles" => {
            let (what, values) = match name {
                "depth" => ("--depths", &spec.depths),
                "fluid density" => ("--densities", &spec.fluid_densities),
                _ => ("--crystal-densities", &spec.crystal_densities),
            };
            return Err(CliError::Argument {
                what,
                value: list(values),
                expected: allowed.into(),
            });
        }
        Err(ThermoError::OutOfRange { .. }) => {
            let least = spec.least_particles();
            if args.n.is_none() {
                if let Some(n) = least {
                    spec.n = n;
                    return Ok(spec);
                }
            }
            let densest = spec
                .fluid_densities
                .iter()
                .chain(&spec.crystal_densities)
                .fold(0.0f64, |a, &b| a.max(b));
            return Err(CliError::Argument {
                what: "--n",
                value: spec.n.to_string(),
                expected: match least {
                    Some(n) => format!(
                        "{n} to {MAX_PARTICLES} for the {} well at ρσ³ up to {densest} (each box \
                         edge must exceed twice the cut-off plus skin)",
                        args.well
                    ),
                    None => format!(
                        "no N up to {MAX_PARTICLES} fits the densities asked for; lower them"
                    ),
                },
            });
        }
        Err(e) => return Err(CliError::Thermo(e)),
    }
    Ok(spec)
}

/// `1:2` → [1, 2].
fn parse_ratio(text: &str) -> Option<[u32; 2]> {
    let (l, s) = text.split_once(':')?;
    Some([l.trim().parse().ok()?, s.trim().parse().ok()?])
}

/// The flags that fix a campaign, as given on the command line, for messages and provenance.
fn flags_of(spec: &CampaignSpec) -> Vec<(&'static str, String)> {
    let list = |v: &[f64]| v.iter().map(f64::to_string).collect::<Vec<_>>().join(",");
    vec![
        (
            "--well",
            match spec.well {
                Well::Narrow => "narrow".into(),
                Well::Wide => "wide".into(),
            },
        ),
        ("--ratio", format!("{}:{}", spec.ratio[0], spec.ratio[1])),
        ("--depths", list(&spec.depths)),
        ("--densities", list(&spec.fluid_densities)),
        ("--crystal-densities", list(&spec.crystal_densities)),
        ("--n", spec.n.to_string()),
        ("--quality", quality_name(spec.quality).into()),
        ("--seed", spec.seed.to_string()),
    ]
}

fn quality_name(quality: Quality) -> &'static str {
    match quality {
        Quality::Fast => "fast",
        Quality::Standard => "standard",
        Quality::Paper => "paper",
    }
}

/// The command that makes (or continues) this campaign in `out`.
fn command_of(spec: &CampaignSpec, out: &Path) -> String {
    let mut words = vec!["bnsl phase-diagram".to_string()];
    for (flag, value) in flags_of(spec) {
        words.push(format!("{flag} {value}"));
    }
    words.push(format!("--out {} --resume", out.display()));
    words.join(" ")
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, synced, then renamed.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(CliError::file(path))
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).expect("numbers and strings serialise");
    text.push('\n');
    text.into_bytes()
}

/// Opens (or, new, creates) the campaign directory; refuses one made with other arguments.
fn open_dir(args: &PhaseDiagramArgs, manifest: &Manifest) -> Result<(), CliError> {
    let dir = &args.out;
    let path = dir.join(MANIFEST);
    if path.exists() {
        if !args.resume {
            return Err(CliError::Argument {
                what: "--out",
                value: dir.display().to_string(),
                expected: "a new or empty directory; this one holds a campaign (campaign.json): \
                           add --resume to continue it (nothing was changed)"
                    .into(),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(CliError::file(&path))?;
        let old: Manifest = serde_json::from_str(&text).map_err(|source| CliError::Json {
            path: path.clone(),
            source,
        })?;
        let differ: Vec<String> = flags_of(&old.spec)
            .into_iter()
            .zip(flags_of(&manifest.spec))
            .filter(|(a, b)| a.1 != b.1)
            .map(|((flag, was), (_, now))| format!("{flag} was {was}, now {now}"))
            .collect();
        if !differ.is_empty() {
            return Err(CliError::Argument {
                what: "--resume",
                value: dir.display().to_string(),
                expected: format!(
                    "the arguments this campaign was made with: {} (nothing was changed; run \
                     with the same arguments or choose another --out)",
                    differ.join("; ")
                ),
            });
        }
        return Ok(());
    }
    let occupied = std::fs::read_dir(dir)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if occupied {
        return Err(CliError::Argument {
            what: "--out",
            value: dir.display().to_string(),
            expected: "a new or empty directory (this one holds other files and no campaign.json; \
                       nothing was changed)"
                .into(),
        });
    }
    std::fs::create_dir_all(dir.join(POINTS)).map_err(CliError::file(dir))?;
    write_atomic(&path, &json(manifest))
}

/// The campaign's `points/` folder: one checkpoint per computed state point.
pub(super) struct Checkpoints<'a> {
    /// The campaign's directory.
    pub dir: &'a Path,
}

impl Checkpoints<'_> {
    fn path(&self, point: &PlannedPoint) -> PathBuf {
        self.dir.join(POINTS).join(format!("{}.json", point.name()))
    }

    /// The result and wall time of `point`, if it was computed.
    ///
    /// # Errors
    /// [`CliError`] for an unreadable checkpoint or one that belongs to another plan.
    pub fn read(&self, point: &PlannedPoint) -> Result<Option<(PointResult, f64)>, CliError> {
        let path = self.path(point);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(CliError::file(&path)(e)),
        };
        let done: CheckpointIn = serde_json::from_str(&text).map_err(|source| CliError::Json {
            path: path.clone(),
            source,
        })?;
        if done.point != *point {
            return Err(CliError::input(
                &path,
                "this checkpoint belongs to another plan (its point differs); move it away to \
                 recompute",
            ));
        }
        Ok(Some((done.result, done.wall_s)))
    }

    /// Writes the checkpoint of `point` atomically.
    ///
    /// # Errors
    /// [`CliError::File`] when it cannot be written.
    pub fn write(
        &self,
        point: &PlannedPoint,
        computed: &ComputedPoint,
        wall_s: f64,
    ) -> Result<(), CliError> {
        write_atomic(
            &self.path(point),
            &json(&CheckpointOut {
                point,
                result: &computed.result,
                wall_s,
                detail: computed.detail.as_ref(),
            }),
        )
    }
}

/// The commit the binary was built from: `BNSL_COMMIT` at build time
/// (`BNSL_COMMIT=$(git describe --always --dirty) cargo build …`), else the `git describe` of
/// the checkout the binary sits in, else `unknown`.
fn build_commit() -> String {
    let described = option_env!("BNSL_COMMIT").map(str::to_owned).or_else(|| {
        let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["describe", "--always", "--dirty"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
    });
    format!(
        "bnsl {} ({})",
        crate::VERSION,
        described.as_deref().map_or("unknown", str::trim)
    )
}

/// Runs `bnsl phase-diagram`.
///
/// # Errors
/// [`CliError`] naming the argument, the file or the failed state point.
pub fn run(args: &PhaseDiagramArgs) -> Result<(), CliError> {
    let spec = spec_of(args)?;
    let (cells, counts) = spec.particles().map_err(CliError::Thermo)?;
    let plan = spec.plan();
    let manifest = Manifest {
        spec: spec.clone(),
        cells,
        counts: counts.clone(),
        points: plan.len(),
        bnsl: crate::VERSION.into(),
    };
    open_dir(args, &manifest)?;
    let dir = &args.out;
    let jobs = args
        .jobs
        .map_or_else(crate::md::threads::available, usize::from);
    let mut stderr = std::io::stderr();
    let _ = writeln!(
        stderr,
        "phase diagram: {} points, N = {} ({} L + {} S), quality {}, {} depth{} at once, in {}",
        plan.len(),
        counts.iter().sum::<usize>(),
        counts[0],
        counts[1],
        quality_name(spec.quality),
        jobs.min(spec.depths.len()),
        if jobs.min(spec.depths.len()) == 1 {
            ""
        } else {
            "s"
        },
        dir.display()
    );
    let outcome = super::phase_run::run_plan(&spec, &plan, jobs, &Checkpoints { dir })?;
    let _ = writeln!(
        stderr,
        "\n{} points computed, {} taken from earlier checkpoints, {} crystal points past the \
         stable branch skipped",
        outcome.computed, outcome.resumed, outcome.skipped_scan
    );
    let (results, wall) = (outcome.results, outcome.wall_s);
    let provenance = Provenance {
        command: command_of(&spec, dir),
        commit: build_commit(),
        n: counts.iter().sum(),
        quality: quality_name(spec.quality).into(),
        seed: spec.seed,
        wall_s: wall,
    };
    let diagram = spec
        .assemble(&results, provenance)
        .map_err(CliError::Thermo)?;
    super::phase_files::write_all(dir, &diagram, &results)?;
    let _ = writeln!(stderr, "wrote {}", dir.join("diagram.json").display());
    Ok(())
}

/// The diagram's JSON, for the files module, its reals to 12 significant digits: a density
/// measured as N/V of a box made for ρσ³ 2.35 reads 2.35, not 2.350000000000001 (every number
/// in it carries an error far above 1e-12 of itself).
pub(super) fn diagram_json(diagram: &PhaseDiagram) -> Vec<u8> {
    let mut value = serde_json::to_value(diagram).expect("numbers and strings serialise");
    to_significant_digits(&mut value);
    json(&value)
}

/// Rounds every real number in `value` to 12 significant digits (integers stay as they are).
fn to_significant_digits(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            let rounded = n
                .as_f64()
                .and_then(|x| format!("{x:.11e}").parse::<f64>().ok())
                .and_then(serde_json::Number::from_f64);
            if let Some(rounded) = rounded {
                *n = rounded;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(to_significant_digits),
        serde_json::Value::Object(map) => map.values_mut().for_each(to_significant_digits),
        _ => {}
    }
}

/// Atomic write, for the files module.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_atomic(path, bytes)
}
