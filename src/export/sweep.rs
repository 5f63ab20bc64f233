//! A grid of runs from one base run description (issue #16, "Sweeps"): every combination of
//! well depths ε/kT, densities, seeds and wells becomes a job with a signac state point
//! ([`super::signac`]), its run description (`run.toml`, which `bnsl run` runs natively) and the
//! exported inputs for LAMMPS and/or HOOMD-blue. [`final_row`] reads a job's results back.
//!
//! How a state point changes the base run:
//! - `depth` D > 0: kT = ε/D (ε the base pair rule's depth; overrides keep their own ε).
//! - `density` ρ: the density the run ends at. Every density of the protocol (the initial one of
//!   a random or seeded fluid, every `compress_to`) moves by the same ρ − ρ_end(base), so a
//!   compression keeps its span (SCIENCE.md §1 compresses by 0.1 σ⁻³).
//! - `seed`: the seed of the initial state, velocities and noise.
//! - `well`: `narrow` (m = 25, r_cut = 1.5 σ_ij) or `wide` (m = 6, r_cut = 3 σ_ij), Mie only.

use serde_json::{json, Map, Value};

use super::signac::{job_id, STATEPOINT, WORKSPACE};
use super::{run_files, Engine, ExportError};
use crate::md::config::{InitialConfig, RunConfig};
use crate::model::potential::PotentialKind;

/// The two wells of the paper (SCIENCE.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Well {
    /// Mie 50–25, cut at 1.5 σ_ij.
    Narrow,
    /// Mie 50–6, cut at 3 σ_ij.
    Wide,
}

impl Well {
    /// The name in state points and on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Well::Narrow => "narrow",
            Well::Wide => "wide",
        }
    }

    /// The well called `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [Well::Narrow, Well::Wide]
            .into_iter()
            .find(|w| w.name() == name)
    }

    /// Attractive exponent m and cut-off (σ_ij).
    #[must_use]
    pub fn shape(self) -> (u32, f64) {
        match self {
            Well::Narrow => (25, 1.5),
            Well::Wide => (6, 3.0),
        }
    }
}

/// The values to sweep; an empty list keeps the base run's value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// Well depths ε/kT (> 0).
    pub depths: Vec<f64>,
    /// Final number densities (σ⁻³, > 0).
    pub densities: Vec<f64>,
    /// Seeds.
    pub seeds: Vec<u64>,
    /// Wells.
    pub wells: Vec<Well>,
}

/// Why a sweep cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A grid value is out of bounds or does not apply to the base run.
    #[error("{field} = {value}: {message}")]
    Value {
        /// The grid dimension.
        field: &'static str,
        /// The value.
        value: String,
        /// Why.
        message: String,
    },
    /// A job's run description breaks the recipe bounds.
    #[error("job {statepoint}: {field}: {message}")]
    Bound {
        /// The job's state point.
        statepoint: String,
        /// The field.
        field: String,
        /// Why.
        message: String,
    },
    /// A job cannot be exported.
    #[error("job {statepoint}: {source}")]
    Export {
        /// The job's state point.
        statepoint: String,
        /// Why.
        source: ExportError,
    },
    /// The run description has no TOML form.
    #[error("run description: {0}")]
    Toml(String),
}

/// One job of a sweep: its signac id, state point and run description.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// signac's job id.
    pub id: String,
    /// The state point.
    pub statepoint: Value,
    /// The run description of this job.
    pub config: RunConfig,
}

fn value_error(field: &'static str, value: impl ToString, message: &str) -> SweepError {
    SweepError::Value {
        field,
        value: value.to_string(),
        message: message.into(),
    }
}

/// The density the base run ends at: the last `compress_to`, else the initial fluid's density.
fn end_density(cfg: &RunConfig) -> Option<f64> {
    cfg.stage
        .iter()
        .rev()
        .find_map(|s| s.compress_to)
        .or(match cfg.initial {
            InitialConfig::RandomFluid { density, .. }
            | InitialConfig::SeededFluid { density, .. } => Some(density),
            _ => None,
        })
}

/// The base run's well: `narrow`, `wide`, or its shape written out.
fn base_well(cfg: &RunConfig) -> String {
    let p = &cfg.pair;
    [Well::Narrow, Well::Wide]
        .into_iter()
        .find(|w| p.potential == PotentialKind::Mie && w.shape() == (p.m, p.r_cut) && p.n == 50)
        .map_or_else(
            || format!("{}-{}-{}-rc{}", p.potential.name(), p.n, p.m, p.r_cut),
            |w| w.name().to_owned(),
        )
}

/// The run of one state point.
fn apply(
    base: &RunConfig,
    depth: Option<f64>,
    density: Option<f64>,
    seed: Option<u64>,
    well: Option<Well>,
) -> Result<RunConfig, SweepError> {
    let mut cfg = base.clone();
    if let Some(d) = depth {
        if !(d.is_finite() && d > 0.0) {
            return Err(value_error(
                "depth",
                d,
                "a well depth eps/kT must be finite and > 0 (eps/kT = 0 is the purely repulsive \
                 form, which LAMMPS and HOOMD-blue cannot run)",
            ));
        }
        cfg.kt = cfg.pair.epsilon / d;
    }
    if let Some(w) = well {
        if cfg.pair.potential != PotentialKind::Mie {
            return Err(value_error(
                "well",
                w.name(),
                "wells apply to the Mie potential only",
            ));
        }
        let (m, r_cut) = w.shape();
        cfg.pair.m = m;
        cfg.pair.r_cut = r_cut;
    }
    if let Some(s) = seed {
        cfg.seed = s;
    }
    if let Some(rho) = density {
        if !(rho.is_finite() && rho > 0.0) {
            return Err(value_error("density", rho, "must be finite and > 0"));
        }
        let end = end_density(base).ok_or_else(|| {
            value_error(
                "density",
                rho,
                "the base run's density is fixed by its lattice or GSD file; give it a \
                 compression stage",
            )
        })?;
        let delta = rho - end;
        match &mut cfg.initial {
            InitialConfig::RandomFluid { density, .. }
            | InitialConfig::SeededFluid { density, .. } => *density += delta,
            _ => {}
        }
        for stage in &mut cfg.stage {
            if let Some(c) = &mut stage.compress_to {
                *c += delta;
            }
        }
    }
    Ok(cfg)
}

fn axis<T: Copy>(values: &[T]) -> Vec<Option<T>> {
    if values.is_empty() {
        vec![None]
    } else {
        values.iter().copied().map(Some).collect()
    }
}

/// Every job of the grid over `base`, each checked against the recipe bounds.
///
/// # Errors
/// [`SweepError`] naming the grid value or job that fails.
pub fn jobs(base: &RunConfig, grid: &Grid) -> Result<Vec<Job>, SweepError> {
    let mut out = Vec::new();
    for depth in axis(&grid.depths) {
        for density in axis(&grid.densities) {
            for seed in axis(&grid.seeds) {
                for well in axis(&grid.wells) {
                    let cfg = apply(base, depth, density, seed, well)?;
                    out.push(job(cfg, depth, density, well)?);
                }
            }
        }
    }
    Ok(out)
}

fn job(
    cfg: RunConfig,
    depth: Option<f64>,
    density: Option<f64>,
    well: Option<Well>,
) -> Result<Job, SweepError> {
    let mut sp = Map::new();
    sp.insert(
        "depth".into(),
        json!(depth.unwrap_or(cfg.pair.epsilon / cfg.kt)),
    );
    if let Some(rho) = density.or_else(|| end_density(&cfg)) {
        sp.insert("density".into(), json!(rho));
    }
    sp.insert("seed".into(), json!(cfg.seed));
    sp.insert(
        "well".into(),
        json!(well.map_or_else(|| base_well(&cfg), |w| w.name().to_owned())),
    );
    let statepoint = Value::Object(sp);
    if let Some(p) = crate::simulate::check_run_config(&cfg).first() {
        return Err(SweepError::Bound {
            statepoint: statepoint.to_string(),
            field: p.field.clone(),
            message: p.message.clone(),
        });
    }
    let id =
        job_id(&statepoint).ok_or_else(|| SweepError::Toml("a non-finite state point".into()))?;
    Ok(Job {
        id,
        statepoint,
        config: cfg,
    })
}

impl Job {
    /// The job's folder relative to the project folder (`workspace/<id>`).
    #[must_use]
    pub fn folder(&self) -> String {
        format!("{WORKSPACE}/{}", self.id)
    }

    /// The state point as signac writes it (the text its id is the MD5 of).
    #[must_use]
    pub fn statepoint_text(&self) -> String {
        super::signac::python_json(&self.statepoint).unwrap_or_default()
    }

    /// `(path relative to the project folder, bytes)` of every file of the job: the state
    /// point, `run.toml` and the inputs of `engines` (`lammps/…`, `hoomd/…`).
    ///
    /// # Errors
    /// [`SweepError::Export`] when an engine cannot run the job, [`SweepError::Toml`] when
    /// the run description has no TOML form.
    pub fn files(&self, engines: &[Engine]) -> Result<Vec<(String, Vec<u8>)>, SweepError> {
        let folder = self.folder();
        let mut files = vec![(
            format!("{folder}/{STATEPOINT}"),
            self.statepoint_text().into_bytes(),
        )];
        let run =
            run_files(&folder, &self.config, None, engines, &mut |_, _| {}).map_err(|source| {
                match source {
                    ExportError::Toml(e) => SweepError::Toml(e),
                    source => SweepError::Export {
                        statepoint: self.statepoint.to_string(),
                        source,
                    },
                }
            })?;
        files.extend(run);
        Ok(files)
    }
}

/// The logs a job may hold, in the order [`final_row`] prefers them: ours (`bnsl run run.toml`
/// in the job folder), LAMMPS', HOOMD-blue's.
pub const LOGS: [&str; 3] = ["log.csv", "lammps/log.lammps", "hoomd/log.txt"];

/// The last row of a log as `(column, value)` pairs: our CSV log (header line, comma
/// separated), a LAMMPS log (the last thermo block: the line starting with `Step`, then rows
/// until `Loop time`) or a HOOMD-blue `Table` (header line, space separated). `None` when the
/// text holds no data row.
#[must_use]
pub fn final_row(name: &str, text: &str) -> Option<Vec<(String, f64)>> {
    let lines: Vec<&str> = text.lines().collect();
    let (header, rows): (&str, Vec<&str>) = if name.ends_with("log.lammps") {
        let start = lines
            .iter()
            .rposition(|l| l.split_whitespace().next() == Some("Step"))?;
        let rows = lines[start + 1..]
            .iter()
            .take_while(|l| !l.starts_with("Loop time"))
            .copied()
            .collect();
        (lines[start], rows)
    } else {
        let (first, rest) = lines.split_first()?;
        (*first, rest.to_vec())
    };
    let split = |l: &str| -> Vec<String> {
        if name.ends_with(".csv") {
            l.split(',').map(|s| s.trim().to_owned()).collect()
        } else {
            l.split_whitespace().map(str::to_owned).collect()
        }
    };
    let columns = split(header);
    let last = rows.iter().rev().find_map(|row| {
        let values: Option<Vec<f64>> = split(row).iter().map(|v| v.parse().ok()).collect();
        values.filter(|v| v.len() == columns.len())
    })?;
    Some(columns.into_iter().zip(last).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_rows_of_the_three_logs() {
        let csv = "step,temperature\n0,1.0\n100,0.5\n";
        assert_eq!(
            final_row("log.csv", csv),
            Some(vec![("step".into(), 100.0), ("temperature".into(), 0.5)])
        );
        let lammps = "LAMMPS\n   Step          Temp\n         0   1\n       100   0.25\n\
                      Loop time of 1 on 1 procs\n";
        assert_eq!(
            final_row("lammps/log.lammps", lammps),
            Some(vec![("Step".into(), 100.0), ("Temp".into(), 0.25)])
        );
        let hoomd =
            " Simulation.timestep  md.compute.ThermodynamicQuantities.kinetic_temperature\n\
                     100 0.5\n200 0.75\n";
        assert_eq!(
            final_row("hoomd/log.txt", hoomd).map(|r| r[1].1),
            Some(0.75)
        );
        assert_eq!(final_row("log.csv", "step\n"), None);
    }
}
