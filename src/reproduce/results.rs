//! What a run became, read back from its logs (SCIENCE.md §2 and §4): the crystalline fraction
//! of L over time and density, where it ends, and — for the Fig. 4 droplets — the effective
//! packing fraction φ_eff (Barker–Henderson diameters, the log's `packing_fraction`) at which
//! crystallisation starts.

use std::path::Path;

use serde::Serialize;

use super::error::ReproduceError;
use super::execute::{Record, RunFolder};
use super::plan::{PaperResult, PlannedRun};
use crate::analysis::msd::unwrapped;
use crate::io::gsd::HoomdReader;

/// Crystallisation has started at the first logged moment from which the crystalline fraction
/// of L stays at or above this to the end of the run (a fluid logs about 0).
pub const ONSET_FRACTION: f64 = 0.05;

/// One log row, the columns the reproduction reads.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Step.
    pub step: u64,
    /// Time (τ).
    pub time: f64,
    /// kT.
    pub temperature: f64,
    /// Number density ρσ³.
    pub density: f64,
    /// Effective packing fraction φ_eff (Barker–Henderson diameters).
    pub packing_fraction: f64,
    /// Crystalline fraction of L.
    pub fraction: f64,
}

/// A run's outcome beside the paper's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunResult {
    /// Identifier.
    pub id: String,
    /// What it is.
    pub label: String,
    /// The preset it scales.
    pub preset: String,
    /// Particles.
    pub particles: usize,
    /// Steps run (all of the protocol when `complete`).
    pub steps: u64,
    /// Steps of the protocol.
    pub planned_steps: u64,
    /// Whether every piece has run.
    pub complete: bool,
    /// Time step (τ).
    pub dt: f64,
    /// Simulated time run (τ).
    pub tau: f64,
    /// Wall-clock seconds (all invocations).
    pub wall_s: f64,
    /// Where it ran.
    pub device: &'static str,
    /// kT (ε = 1).
    pub kt: f64,
    /// Density at the first and last logged moment (ρσ³).
    pub density: (f64, f64),
    /// φ_eff at the last logged moment.
    pub final_packing_fraction: f64,
    /// kT measured over the last tenth of the log (the thermostat's check).
    pub final_temperature: f64,
    /// Crystalline fraction of L at the last logged moment.
    pub final_fraction: f64,
    /// Largest logged crystalline fraction of L.
    pub max_fraction: f64,
    /// Diffusion coefficient of L over the last piece (σ²/τ): the mean squared displacement of
    /// the L between its first and last frame over 6Δt (one lag; in a periodic box the
    /// compression's affine shrinking taken out). Tells a mobile fluid (SCIENCE.md §4: 0.0058 for
    /// the narrow well at ρσ³ 2.2) from a glass.
    pub diffusion_l: Option<f64>,
    /// φ_eff where crystallisation starts ([`ONSET_FRACTION`]), if it does.
    pub onset_packing_fraction: Option<f64>,
    /// Density (ρσ³) there.
    pub onset_density: Option<f64>,
    /// What the paper reports.
    pub paper: PaperResult,
    /// The same in words.
    pub paper_text: String,
    /// Whether ours agrees, in words.
    pub verdict: String,
    /// The log, every row.
    #[serde(skip)]
    pub rows: Vec<Row>,
    /// The step the plotted stage starts at.
    #[serde(skip)]
    pub slow_from: u64,
}

/// Reads the log of every finished piece of `run` (the first row of each later piece repeats
/// the previous piece's last and is dropped).
///
/// # Errors
/// [`ReproduceError::File`] / [`ReproduceError::Content`] for a missing or damaged log.
pub fn read_rows(folder: &RunFolder, pieces: usize) -> Result<Vec<Row>, ReproduceError> {
    let mut rows = Vec::new();
    for k in 0..pieces {
        let path = folder.log(k);
        let text = std::fs::read_to_string(&path).map_err(ReproduceError::file(&path))?;
        let piece = parse_log(&path, &text)?;
        let skip = usize::from(k > 0);
        rows.extend(piece.into_iter().skip(skip));
    }
    Ok(rows)
}

fn parse_log(path: &Path, text: &str) -> Result<Vec<Row>, ReproduceError> {
    let bad = |line: usize, message: String| ReproduceError::Content {
        path: path.to_owned(),
        message: format!("line {line}: {message}"),
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| bad(1, format!("no column '{name}'")))
    };
    let [step, time, temperature, density, phi, fraction] = [
        column("step")?,
        column("time")?,
        column("temperature")?,
        column("density")?,
        column("packing_fraction")?,
        column("crystalline_fraction")?,
    ];
    lines
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, line)| {
            let cells: Vec<&str> = line.split(',').collect();
            let num = |c: usize| -> Result<f64, ReproduceError> {
                cells
                    .get(c)
                    .and_then(|x| x.parse::<f64>().ok())
                    .ok_or_else(|| bad(i + 2, format!("column {} is not a number", c + 1)))
            };
            Ok(Row {
                step: cells
                    .get(step)
                    .and_then(|x| x.parse().ok())
                    .ok_or_else(|| bad(i + 2, "the step is not a whole number".into()))?,
                time: num(time)?,
                temperature: num(temperature)?,
                density: num(density)?,
                packing_fraction: num(phi)?,
                fraction: num(fraction)?,
            })
        })
        .collect()
}

/// The first row from which the fraction stays at or above [`ONSET_FRACTION`] to the end.
#[must_use]
pub fn onset(rows: &[Row]) -> Option<&Row> {
    let last_below = rows.iter().rposition(|r| r.fraction < ONSET_FRACTION);
    match last_below {
        None => rows.first(),
        Some(i) => rows.get(i + 1),
    }
}

/// The outcome of `run` from its folder.
///
/// # Errors
/// As [`read_rows`].
pub fn result_of(
    folder: &RunFolder,
    run: &PlannedRun,
    record: &Record,
) -> Result<RunResult, ReproduceError> {
    let rows = read_rows(folder, record.pieces_done)?;
    let first = rows.first().copied();
    let last = rows.last().copied();
    let tail = &rows[rows.len() - rows.len().div_ceil(10)..];
    let final_temperature = if tail.is_empty() {
        f64::NAN
    } else {
        tail.iter().map(|r| r.temperature).sum::<f64>() / tail.len() as f64
    };
    let final_fraction = last.map_or(f64::NAN, |r| r.fraction);
    let max_fraction = rows.iter().map(|r| r.fraction).fold(f64::NAN, f64::max);
    let start = onset(&rows).copied();
    let slow_from: u64 = run
        .pieces
        .iter()
        .take_while(|p| p.stage < run.slow_stage)
        .map(|p| p.steps)
        .sum();
    let verdict = verdict(run.paper, final_fraction, start.as_ref());
    Ok(RunResult {
        id: run.id.clone(),
        label: run.label.clone(),
        preset: run.preset.clone(),
        particles: run.particles(),
        steps: record.steps_done,
        planned_steps: run.steps(),
        complete: record.pieces_done == run.pieces.len(),
        dt: run.config.dt,
        tau: record.steps_done as f64 * run.config.dt,
        wall_s: record.wall_s,
        device: "CPU (one thread)",
        kt: run.config.kt,
        density: (
            first.map_or(f64::NAN, |r| r.density),
            last.map_or(f64::NAN, |r| r.density),
        ),
        final_packing_fraction: last.map_or(f64::NAN, |r| r.packing_fraction),
        final_temperature,
        final_fraction,
        max_fraction,
        diffusion_l: match record.pieces_done.checked_sub(1) {
            Some(k) => diffusion_of_l(&folder.frames(k), run)?,
            None => None,
        },
        onset_packing_fraction: start.map(|r| r.packing_fraction),
        onset_density: start.map(|r| r.density),
        paper: run.paper,
        paper_text: run.paper.describe(),
        verdict,
        rows,
        slow_from,
    })
}

/// D of the L between the first and last frame of a piece's trajectory (see
/// [`RunResult::diffusion_l`]); `None` for fewer than two frames.
fn diffusion_of_l(path: &Path, run: &PlannedRun) -> Result<Option<f64>, ReproduceError> {
    let gsd = |source| ReproduceError::Gsd {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(ReproduceError::file(path))?;
    let mut reader = HoomdReader::open(std::io::BufReader::new(file)).map_err(gsd)?;
    let count = reader.frame_count();
    if count < 2 {
        return Ok(None);
    }
    let (a, b) = (
        reader.read_frame(0).map_err(gsd)?,
        reader.read_frame(count - 1).map_err(gsd)?,
    );
    // The engine's types are the species' sub-types in order: L's come first.
    let large = run.config.species.first().map_or(1, |s| s.bins.max(1));
    let scale = match (a.box_lengths(), b.box_lengths()) {
        (Some(la), Some(lb)) => [0, 1, 2].map(|d| lb[d] / la[d]),
        _ => [1.0; 3],
    };
    let (ua, ub) = (unwrapped(&a), unwrapped(&b));
    let (mut sum, mut n) = (0.0, 0usize);
    for ((pa, pb), &t) in ua.iter().zip(&ub).zip(&a.typeid) {
        if t < large {
            sum += (0..3)
                .map(|d| (pb[d] - pa[d] * scale[d]).powi(2))
                .sum::<f64>();
            n += 1;
        }
    }
    let dt = b.step.saturating_sub(a.step) as f64 * run.config.dt;
    Ok((n > 0 && dt > 0.0).then(|| sum / n as f64 / (6.0 * dt)))
}

fn verdict(paper: PaperResult, final_fraction: f64, start: Option<&Row>) -> String {
    let pc = |x: f64| format!("{:.1} %", x * 100.0);
    match paper {
        PaperResult::FractionAbove { value } if final_fraction > value => {
            format!("agrees: {} crystalline", pc(final_fraction))
        }
        PaperResult::FractionAbove { .. } => format!(
            "does not agree: {} crystalline (no nucleation in this run)",
            pc(final_fraction)
        ),
        PaperResult::FractionAtMost { value } if final_fraction <= value => {
            format!("agrees: {} crystalline", pc(final_fraction))
        }
        PaperResult::FractionAtMost { .. } => {
            format!("does not agree: {} crystalline", pc(final_fraction))
        }
        PaperResult::NoCrystal if final_fraction < ONSET_FRACTION => {
            format!("agrees: {} crystalline", pc(final_fraction))
        }
        PaperResult::NoCrystal => format!("does not agree: {} crystalline", pc(final_fraction)),
        PaperResult::OnsetAt { phi_eff } => match start {
            Some(r) => format!(
                "crystallises from φ_eff = {:.3} (paper {phi_eff:.3}, difference {:+.3})",
                r.packing_fraction,
                r.packing_fraction - phi_eff
            ),
            None => format!(
                "does not agree: no crystallisation (final {})",
                pc(final_fraction)
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(step: u64, fraction: f64) -> Row {
        Row {
            step,
            time: step as f64,
            temperature: 0.4,
            density: 2.0,
            packing_fraction: 0.5 + step as f64 * 0.01,
            fraction,
        }
    }

    #[test]
    fn the_onset_is_where_the_fraction_stays_up_to_the_end() {
        let rows = [
            row(0, 0.0),
            row(1, 0.06),
            row(2, 0.01),
            row(3, 0.07),
            row(4, 0.2),
        ];
        assert_eq!(onset(&rows).map(|r| r.step), Some(3));
        let none = [row(0, 0.0), row(1, 0.2), row(2, 0.0)];
        assert!(onset(&none).is_none());
    }

    #[test]
    fn a_log_with_a_bad_number_names_its_line() {
        let text = "step,time,temperature,density,packing_fraction,crystalline_fraction\n0,0,0.4,2,0.5,0\n1,x,0.4,2,0.5,0\n";
        let e = parse_log(Path::new("p.csv"), text).expect_err("bad");
        assert!(e.to_string().contains("line 3"), "{e}");
    }
}
