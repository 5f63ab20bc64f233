//! The Phase diagram tab's recompute (issue #14): the free energy of the 1:2 AlB₂ crystal at a
//! chosen well, depth ε/kT and density ρσ³, by Frenkel–Ladd with the centre of mass fixed
//! ([`crate::thermo::FrenkelLadd`], SCIENCE.md §3.1), one chunk of sampling intervals per
//! [`Job::advance`] so that the worker sees pause and stop between chunks.
//!
//! The crystal is built as `bnsl free-energy --lattice alb2` builds it
//! ([`crate::thermo::crystal_point`]) and the runs are the same code, so the number equals
//! the command line's for the same inputs bit for bit on the CPU path;
//! [`FreeEnergySpec::command`] writes that command. The fluid's side of the point is not
//! computed here yet (it needs the fluid equation-of-state campaign of issue #13).

use serde::{Deserialize, Serialize};

use super::{Emit, Job, JobError, JobFuture, JobOutput, Step};
use crate::lattice::Structure;
use crate::model::{PairRule, PairTable};
use crate::simulate::chunk_steps;
use crate::thermo::crystal_point::{built_crystal, cells_for_edge};
use crate::thermo::diagram::Well;
use crate::thermo::{Crystal, CrystalFreeEnergy, FrenkelLadd, Quality};

/// Well depths ε/kT a recompute accepts.
pub const DEPTH_RANGE: (f64, f64) = (0.2, 5.0);
/// Total densities ρσ³ a recompute accepts (the AlB₂ crystal of Fig. 3c,d and around it).
pub const DENSITY_RANGE: (f64, f64) = (1.6, 3.2);
/// Most particles a recompute may have.
pub const MAX_PARTICLES: usize = 2_000;
/// Largest seed (exact in a JavaScript number, so a link's seed survives the page).
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// Neighbour-list skin the engine adds to the cut-off (σ), for the smallest box.
const SKIN: f64 = 0.3;
/// Lindemann ratio √⟨Δr²⟩/a above which the crystal counts as melted in its reference run
/// (a solid near melting sits at about 0.1): its number is then not a crystal's free energy.
pub const MELTED_LINDEMANN: f64 = 0.15;

/// One crystal state point to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeEnergySpec {
    /// Narrow (Mie 50–25 cut at 1.5σ_ij) or wide (50–6 cut at 3σ_ij), shifted.
    pub well: Well,
    /// ε/kT (ε = 1, kT = 1/depth).
    pub depth: f64,
    /// Total ρσ³ of the AlB₂ crystal (c/a = 1).
    pub density: f64,
    /// Orthorhombic AlB₂ cells along x, y, z; the fewest that fit the cut-off when `None`.
    #[serde(default)]
    pub cells: Option<[usize; 3]>,
    /// Seed of the Langevin noise.
    pub seed: u64,
    /// `fast` or `standard`.
    pub quality: String,
}

/// Why a state point cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    /// A number outside its range.
    #[error("{what} = {value} is outside {low} to {high}")]
    Range {
        /// Which value.
        what: &'static str,
        /// The value given.
        value: f64,
        /// Lowest allowed.
        low: f64,
        /// Highest allowed.
        high: f64,
    },
    /// A quality the page does not offer.
    #[error("quality {0:?} is not one of fast, standard")]
    Quality(String),
    /// Cells that give no box or too many particles.
    #[error("cells {cells:?} give {particles} particles; each count must be at least 1 and the total at most {MAX_PARTICLES}")]
    Cells {
        /// The cells given.
        cells: [usize; 3],
        /// The particles they give (saturating).
        particles: usize,
    },
    /// Cells that make the box too narrow for the cut-off.
    #[error("cells {cells:?} make the box narrower than {edge:.2} σ, twice the neighbour range")]
    Narrow {
        /// The cells given.
        cells: [usize; 3],
        /// The smallest edge allowed.
        edge: f64,
    },
}

impl FreeEnergySpec {
    /// The pair rule of the well (ε = 1).
    #[must_use]
    pub fn rule(&self) -> PairRule {
        match self.well {
            Well::Narrow => PairRule::narrow_well(1.0),
            Well::Wide => PairRule::wide_well(1.0),
        }
    }

    /// kT = 1/depth.
    #[must_use]
    pub fn kt(&self) -> f64 {
        1.0 / self.depth
    }

    /// The box must be more than twice the neighbour range (σ_LL·r_cut + skin) across.
    fn min_edge(&self) -> f64 {
        2.0 * (self.rule().r_cut + SKIN)
    }

    /// The cells used: as given, or the fewest that fit the cut-off.
    #[must_use]
    pub fn cells_used(&self) -> [usize; 3] {
        self.cells
            .unwrap_or_else(|| cells_for_edge(Structure::Alb2, 1.0, self.density, self.min_edge()))
    }

    /// Checks every value; the quality when all are in range.
    ///
    /// # Errors
    /// [`SpecError`] naming the first bad value and its range.
    pub fn check(&self) -> Result<Quality, SpecError> {
        let range = |what, value: f64, (low, high): (f64, f64)| {
            if value.is_finite() && value >= low && value <= high {
                Ok(())
            } else {
                Err(SpecError::Range {
                    what,
                    value,
                    low,
                    high,
                })
            }
        };
        range("ε/kT", self.depth, DEPTH_RANGE)?;
        range("ρσ³", self.density, DENSITY_RANGE)?;
        range("seed", self.seed as f64, (0.0, MAX_SEED as f64))?;
        let quality = match self.quality.as_str() {
            "fast" => Quality::Fast,
            "standard" => Quality::Standard,
            other => return Err(SpecError::Quality(other.chars().take(40).collect())),
        };
        let cells = self.cells_used();
        let particles = cells.iter().fold(6usize, |a, &c| a.saturating_mul(c));
        if cells.contains(&0) || particles > MAX_PARTICLES {
            return Err(SpecError::Cells { cells, particles });
        }
        let a = crate::thermo::crystal_point::lattice_constant(Structure::Alb2, 1.0, self.density);
        let edges = crate::lattice::UnitCell::new(Structure::Alb2, a, 1.0).orthorhombic_edges();
        let edge = self.min_edge();
        if (0..3).any(|d| cells[d] as f64 * edges[d] <= edge) {
            return Err(SpecError::Narrow { cells, edge });
        }
        Ok(quality)
    }

    /// The `bnsl free-energy` command that computes the same number.
    #[must_use]
    pub fn command(&self) -> String {
        let rule = self.rule();
        let [x, y, z] = self.cells_used();
        format!(
            "bnsl free-energy --lattice alb2 --cells {x},{y},{z} --density {} --kt {} --m {} --rcut {} --shift --seed {} --quality {}",
            self.density,
            self.kt(),
            rule.m,
            rule.r_cut,
            self.seed,
            self.quality
        )
    }
}

/// The computed point as the page keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FreeEnergyPoint {
    /// What was computed.
    pub spec: FreeEnergySpec,
    /// Particles N.
    pub n: usize,
    /// βF/N (Λ = 1, centre of mass fixed, −(1/N)·ln(V/N_L)), the mean over repeats.
    pub beta_f_per_particle: f64,
    /// Its standard error over the repeats.
    pub beta_f_error: f64,
    /// βF_E/N of the Einstein reference.
    pub beta_f_einstein: f64,
    /// βW/N, the switching work.
    pub beta_work_per_particle: f64,
    /// Pressure P (ε/σ³) and its error, from the reference run.
    pub pressure: [f64; 2],
    /// U/N (ε) and its error.
    pub u_per_particle: [f64; 2],
    /// Spring constant of L and of S (ε/σ²).
    pub spring_constants: Vec<f64>,
    /// The command line that computes the same number.
    pub command: String,
    /// ⟨Δr²⟩ about the sites of L and of S in the reference run (σ²).
    #[serde(default)]
    pub msd: Vec<f64>,
    /// √(largest ⟨Δr²⟩)/a: above [`MELTED_LINDEMANN`] the crystal melted.
    #[serde(default)]
    pub lindemann: f64,
}

impl FreeEnergyPoint {
    fn of(spec: &FreeEnergySpec, r: &CrystalFreeEnergy) -> Self {
        Self {
            spec: spec.clone(),
            n: r.n,
            beta_f_per_particle: r.beta_f_per_particle,
            beta_f_error: r.beta_f_error,
            beta_f_einstein: r.beta_f_einstein,
            beta_work_per_particle: r.beta_work_per_particle,
            pressure: [r.pressure, r.pressure_error],
            u_per_particle: [r.u_per_particle, r.u_error],
            spring_constants: r.spring_constants.clone(),
            command: spec.command(),
            msd: r.msd.clone(),
            lindemann: r.msd.iter().copied().fold(0.0, f64::max).sqrt()
                / crate::thermo::crystal_point::lattice_constant(
                    Structure::Alb2,
                    1.0,
                    spec.density,
                ),
        }
    }

    /// Whether the crystal melted in its reference run (the Lindemann ratio above
    /// [`MELTED_LINDEMANN`]).
    #[must_use]
    pub fn melted(&self) -> bool {
        self.lindemann > MELTED_LINDEMANN
    }

    /// βP σ³ = P/kT and its error.
    #[must_use]
    pub fn beta_pressure(&self) -> [f64; 2] {
        let beta = self.spec.depth;
        [beta * self.pressure[0], beta * self.pressure[1]]
    }
}

/// What the job says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FreeEnergyOutput {
    /// The run is set up: particles and steps in all.
    Started {
        /// Particles N.
        n: usize,
        /// Steps in all.
        total_steps: u64,
    },
    /// The result.
    Point(Box<FreeEnergyPoint>),
}

/// The recompute job.
pub struct FreeEnergyJob {
    spec: FreeEnergySpec,
    run: FrenkelLadd,
    /// Steps per chunk (about 20,000 particle-steps).
    chunk: u64,
    started: bool,
}

impl FreeEnergyJob {
    /// Checks the spec, builds the crystal and sets up the reference run.
    ///
    /// # Errors
    /// [`JobError::FreeEnergySpec`] for a bad value, [`JobError::FreeEnergy`] when the
    /// crystal cannot be simulated.
    pub fn new(spec: FreeEnergySpec) -> Result<Self, JobError> {
        let quality = spec.check()?;
        let built = built_crystal(Structure::Alb2, spec.cells_used(), spec.density, 1.0);
        let table = PairTable::additive(&built.diameters, spec.rule())
            .map_err(|e| JobError::FreeEnergy(e.into()))?;
        let run = FrenkelLadd::new(
            &Crystal {
                lattice: &built.frame,
                table: &table,
                kt: spec.kt(),
                lattice_points: built.lattice_points,
                seed: spec.seed,
            },
            &quality.schedule(),
        )
        .map_err(JobError::FreeEnergy)?;
        let chunk = chunk_steps(built.frame.len(), spec.rule().r_cut);
        Ok(Self {
            spec,
            run,
            chunk,
            started: false,
        })
    }

    fn step(&mut self) -> Result<Step, JobError> {
        let mut emits = Vec::new();
        if !self.started {
            self.started = true;
            let p = self.run.progress();
            emits.push(Emit::output(JobOutput::FreeEnergy(
                FreeEnergyOutput::Started {
                    n: self.run_particles(),
                    total_steps: p.total,
                },
            )));
        }
        let target = self.run.progress().done + self.chunk;
        loop {
            if let Some(result) = self.run.advance().map_err(JobError::FreeEnergy)? {
                let p = self.run.progress();
                emits.push(Emit::progress(p.done, p.total, "done"));
                emits.push(Emit::output(JobOutput::FreeEnergy(
                    FreeEnergyOutput::Point(Box::new(FreeEnergyPoint::of(&self.spec, &result))),
                )));
                return Ok(Step::Done(emits));
            }
            if self.run.progress().done >= target {
                break;
            }
        }
        let p = self.run.progress();
        emits.push(Emit::progress(p.done, p.total, "Frenkel–Ladd"));
        Ok(Step::Continue(emits))
    }

    fn run_particles(&self) -> usize {
        let [x, y, z] = self.spec.cells_used();
        6 * x * y * z
    }
}

impl Job for FreeEnergyJob {
    fn advance(&mut self) -> JobFuture<'_> {
        Box::pin(std::future::ready(self.step()))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::jobs::{drive, JobEvent};

    fn spec() -> FreeEnergySpec {
        FreeEnergySpec {
            well: Well::Narrow,
            depth: 2.5,
            density: 2.2,
            cells: None,
            seed: 5,
            quality: "fast".into(),
        }
    }

    #[test]
    fn bad_values_are_named_with_their_range() {
        let bad = |f: fn(&mut FreeEnergySpec)| {
            let mut s = spec();
            f(&mut s);
            s.check().unwrap_err().to_string()
        };
        assert!(bad(|s| s.depth = f64::NAN).contains("ε/kT = NaN is outside 0.2 to 5"));
        assert!(bad(|s| s.density = 9.0).contains("ρσ³ = 9"));
        assert!(bad(|s| s.quality = "paper".into()).contains("fast, standard"));
        assert!(bad(|s| s.cells = Some([0, 2, 4])).contains("at least 1"));
        assert!(bad(|s| s.cells = Some([40, 40, 40])).contains("2000"));
        assert!(bad(|s| s.cells = Some([2, 2, 2])).contains("narrower"));
        assert_eq!(spec().cells_used(), [4, 2, 4]);
        let mut wide = spec();
        wide.well = Well::Wide;
        assert!(wide
            .cells_used()
            .iter()
            .zip([6, 4, 6])
            .all(|(a, b)| *a >= b));
        assert!(wide.check().is_ok());
    }

    #[test]
    fn the_job_reports_progress_and_the_command_lines_number() {
        let mut s = spec();
        s.cells = Some([4, 2, 4]);
        let mut job = FreeEnergyJob::new(s.clone()).unwrap();
        let emits = drive(&mut job).unwrap();
        let progress = emits
            .iter()
            .filter(|e| matches!(e.event, JobEvent::Progress(_)))
            .count();
        assert!(progress > 3);
        let Some(JobEvent::Output(JobOutput::FreeEnergy(FreeEnergyOutput::Point(point)))) =
            emits.last().map(|e| e.event.clone())
        else {
            panic!("the last event is the point");
        };
        assert_eq!(point.n, 192);
        assert_eq!(
            point.command,
            "bnsl free-energy --lattice alb2 --cells 4,2,4 --density 2.2 --kt 0.4 --m 25 --rcut 1.5 --shift --seed 5 --quality fast"
        );
        // `bnsl free-energy` with that command printed this number (before the stepper
        // existed, so it also pins the stepper to the one-call computation).
        assert_eq!(point.beta_f_per_particle, -4.52851050447149);
        assert!(point.beta_f_error > 0.0 && point.beta_f_error < 0.2);
        // At ρσ³ 2.2 (a = 1.165 σ, looser than the contacts at 1.03 σ) the small crystal melts
        // in its reference run, and the point says so.
        assert!(point.melted(), "Lindemann ratio {}", point.lindemann);
        let json =
            serde_json::to_string(&JobOutput::FreeEnergy(FreeEnergyOutput::Point(point))).unwrap();
        assert!(serde_json::from_str::<JobOutput>(&json).is_ok());
    }
}
