//! The free energy of a crystal by Frenkel–Ladd thermodynamic integration with the centre of
//! mass fixed (SCIENCE.md §3.1).
//!
//! 1. **Reference run** of the crystal alone (Langevin, centre of mass fixed): ⟨U⟩/N, P and
//!    the mean squared displacement ⟨Δr²⟩_t of each type about its lattice site.
//! 2. **Springs** k_t = s·3kT/⟨Δr²⟩_t with stiffness s (3 by default: for these steep cores the
//!    equipartition value s = 1 leaves the Einstein end noisy; three times stiffer cut the
//!    switching noise about six-fold in a LAMMPS check).
//! 3. **Equilibrium integration over λ** along H(λ) = (1−λ)·U + λ·U_E: at each Gauss–Legendre
//!    node the run is equilibrated, then ⟨U − U_E⟩_λ/N is averaged, and
//!    βW/N = β·Σ_i w_i ⟨U − U_E⟩_{λ_i}/N. Equilibrium points rather than forward/backward
//!    switching: the integrand of this linear path is smooth, each point's average and error
//!    are checkable on their own, and a stopped campaign resumes at the next point.
//! 4. βF/N = βF_E/N + βW/N ([`super::einstein`]), once per independent repeat (its own noise
//!    seed); the value reported is the repeats' mean, the error their standard error.
//!
//! Units: σ, ε, unit masses, Λ = 1; per particle; the translation convention of
//! [`TranslationCount::LatticePoints`].

use serde::{Deserialize, Serialize};

use super::einstein::{einstein_reference, spring_constant, TranslationCount};
use super::error::{positive, ThermoError};
use super::quadrature::GaussLegendre;
use super::statistics::{block_mean_error, mean_error};
use crate::md::{ExtraTerms, Integrator, Mix, SimOptions, Simulation, Springs, State};
use crate::model::{Frame, Geometry, PairTable};

/// How much work a free energy gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    /// A quick look (the page's recompute): 8 λ points, 2 repeats, short runs.
    Fast,
    /// βF/N to about ±0.005 kT at N ≈ 500: 12 points, 3 repeats.
    Standard,
    /// The paper's care (use N ≥ 2,000): 16 points, 4 repeats, long runs.
    Paper,
}

impl Quality {
    /// The level named `name` (`fast`, `standard`, `paper`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "fast" => Some(Self::Fast),
            "standard" => Some(Self::Standard),
            "paper" => Some(Self::Paper),
            _ => None,
        }
    }

    /// The schedule of this level.
    #[must_use]
    pub fn schedule(self) -> Schedule {
        let (points, repeats, equilibrate, production) = match self {
            Self::Fast => (8, 2, 1_000, 3_000),
            Self::Standard => (12, 3, 2_000, 10_000),
            Self::Paper => (16, 4, 5_000, 40_000),
        };
        Schedule {
            points,
            repeats,
            equilibrate,
            production,
            reference_steps: 2 * (equilibrate + production),
            sample_every: 10,
            stiffness: 3.0,
            dt: 0.002,
            gamma: 1.0,
        }
    }
}

/// The runs of one free energy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Schedule {
    /// Gauss–Legendre points in λ.
    pub points: usize,
    /// Independent repeats (different noise seeds).
    pub repeats: usize,
    /// Steps to equilibrate at each λ.
    pub equilibrate: u64,
    /// Steps averaged at each λ.
    pub production: u64,
    /// Steps of the reference run (half equilibration, half averaging).
    pub reference_steps: u64,
    /// Steps between samples.
    pub sample_every: u64,
    /// Spring stiffness s in k = s·3kT/⟨Δr²⟩.
    pub stiffness: f64,
    /// Time step (τ).
    pub dt: f64,
    /// Langevin friction γ (1/τ).
    pub gamma: f64,
}

impl Schedule {
    /// Steps in all (reference run and every λ point of every repeat).
    #[must_use]
    pub fn total_steps(&self) -> u64 {
        self.reference_steps
            + self.repeats as u64 * self.points as u64 * (self.equilibrate + self.production)
    }
}

/// The crystal whose free energy is wanted.
#[derive(Clone, Debug)]
pub struct Crystal<'a> {
    /// The perfect lattice in a periodic box (its positions are the spring sites).
    pub lattice: &'a Frame,
    /// The pair interactions.
    pub table: &'a PairTable,
    /// Temperature kT (ε).
    pub kt: f64,
    /// Lattice points in the box (N for fcc, N_L for AlB₂).
    pub lattice_points: usize,
    /// Seed of the Langevin noise (repeat r uses seed + 1 + r; the reference run seed).
    pub seed: u64,
}

/// One λ point: ⟨U − U_E⟩/N per repeat, with its block error.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LambdaPoint {
    /// λ.
    pub lambda: f64,
    /// Gauss–Legendre weight.
    pub weight: f64,
    /// ⟨U − U_E⟩_λ/N of each repeat (ε).
    pub mean: Vec<f64>,
    /// Block-average standard error of each repeat's mean (ε).
    pub error: Vec<f64>,
}

/// The crystal's free energy and everything needed to judge it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrystalFreeEnergy {
    /// Particles N.
    pub n: usize,
    /// Number density N/V (σ⁻³).
    pub density: f64,
    /// kT (ε).
    pub kt: f64,
    /// βF/N, the mean over repeats.
    pub beta_f_per_particle: f64,
    /// Its standard error over the repeats.
    pub beta_f_error: f64,
    /// βF/N of each repeat.
    pub beta_f_repeats: Vec<f64>,
    /// βF_E/N of the Einstein crystal with the centre of mass fixed.
    pub beta_f_einstein: f64,
    /// βW/N, the mean over repeats.
    pub beta_work_per_particle: f64,
    /// ⟨U⟩/N of the crystal (ε), from the reference run.
    pub u_per_particle: f64,
    /// Its block error.
    pub u_error: f64,
    /// Pressure P (ε/σ³), from the reference run.
    pub pressure: f64,
    /// Its block error.
    pub pressure_error: f64,
    /// ⟨Δr²⟩ about the sites of each type (σ²).
    pub msd: Vec<f64>,
    /// Spring constant of each type (ε/σ²).
    pub spring_constants: Vec<f64>,
    /// The λ points.
    pub lambda: Vec<LambdaPoint>,
    /// The schedule that ran.
    pub schedule: Schedule,
    /// The conventions of the numbers, in words.
    pub conventions: Vec<&'static str>,
}

/// Where a computation is, for progress bars: steps done of all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Steps done.
    pub done: u64,
    /// Steps in all.
    pub total: u64,
}

/// A Langevin (BAOAB) simulation of `state` under `table` with `(kT, γ, dt, seed)`: the
/// thermostat every free-energy run samples with (SCIENCE.md §1 "Dynamics").
pub(super) fn langevin_simulation(
    state: State,
    table: PairTable,
    (kt, gamma, dt, seed): (f64, f64, f64, u64),
) -> Result<Simulation, ThermoError> {
    let integrator = Integrator::Langevin { kt, gamma, seed };
    let options = SimOptions {
        dt,
        kt,
        ..SimOptions::default()
    };
    Ok(Simulation::new(state, table, integrator, options)?)
}

/// A simulation of `state` under Langevin at `kt` with the centre of mass fixed and `extra`.
fn langevin(
    crystal: &Crystal,
    schedule: &Schedule,
    seed: u64,
    extra: ExtraTerms,
) -> Result<Simulation, ThermoError> {
    let state = State::from_frame(crystal.lattice)?;
    let thermostat = (crystal.kt, schedule.gamma, schedule.dt, seed);
    let sim = langevin_simulation(state, crystal.table.clone(), thermostat)?;
    Ok(sim.with_terms(ExtraTerms {
        fixed_com: true,
        ..extra
    })?)
}

/// Unwrapped displacement of every particle from where it started.
fn displacements(sim: &Simulation, start: &State) -> Vec<[f64; 3]> {
    let state = sim.state();
    let l = match state.geometry {
        Geometry::Periodic(l) => l,
        Geometry::Open { .. } => [0.0; 3],
    };
    state
        .pos
        .iter()
        .zip(&state.image)
        .zip(start.pos.iter().zip(&start.image))
        .map(|((p, im), (p0, im0))| {
            std::array::from_fn(|d| p[d] - p0[d] + f64::from(im[d] - im0[d]) * l[d])
        })
        .collect()
}

/// The free energy of `crystal` with `schedule`; `progress` is told the steps done and may
/// return `false` to stop.
///
/// # Errors
/// [`ThermoError`] for a frame that is not a periodic lattice, a simulation that fails (an
/// unstable time step, overlapping sites), or a stop.
pub fn crystal_free_energy(
    crystal: &Crystal,
    schedule: &Schedule,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<CrystalFreeEnergy, ThermoError> {
    let mut run = FrenkelLadd::new(crystal, schedule)?;
    loop {
        if let Some(result) = run.advance()? {
            return Ok(result);
        }
        if !progress(run.progress()) {
            return Err(ThermoError::Stopped);
        }
    }
}

/// Where a [`FrenkelLadd`] run is: the segment it is in and the steps left in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Segment {
    /// The reference run's first half (not sampled).
    ReferenceEquilibrate,
    /// The reference run's second half: ⟨U⟩, P and the displacements about the sites.
    ReferenceAverage,
    /// Equilibration at λ point `point` of repeat `repeat`.
    Equilibrate { repeat: usize, point: usize },
    /// ⟨U − U_E⟩/N at λ point `point` of repeat `repeat`.
    Average { repeat: usize, point: usize },
}

/// What the reference run gave.
#[derive(Clone, Debug)]
struct Reference {
    u: (f64, f64),
    p: (f64, f64),
    msd: Vec<f64>,
    springs: Vec<f64>,
    beta_f_einstein: f64,
}

/// [`crystal_free_energy`] as a resumable computation, one sampling interval
/// ([`Schedule::sample_every`] steps) per [`FrenkelLadd::advance`], so that a caller (the
/// page's worker) can pause, stop and report between intervals. The runs, their order and
/// their chunks are exactly those of [`crystal_free_energy`], which is this loop run to the
/// end: the same inputs give the same numbers bit for bit.
#[derive(Clone, Debug)]
pub struct FrenkelLadd {
    lattice: Frame,
    table: PairTable,
    kt: f64,
    lattice_points: usize,
    seed: u64,
    schedule: Schedule,
    n: usize,
    volume: f64,
    done: u64,
    total: u64,
    sim: Simulation,
    /// The state the first run starts from (its positions are the spring sites).
    start: State,
    segment: Segment,
    left: u64,
    u: Vec<f64>,
    p: Vec<f64>,
    msd_sum: Vec<f64>,
    msd_count: Vec<usize>,
    reference: Option<Reference>,
    lambda: Vec<LambdaPoint>,
    series: Vec<f64>,
    beta_f_repeats: Vec<f64>,
    works: Vec<f64>,
}

impl FrenkelLadd {
    /// Checks the inputs and sets up the reference run.
    ///
    /// # Errors
    /// [`ThermoError`] for a frame that is not a periodic lattice, too few particles or
    /// lattice points, a schedule without repeats or samples, or a simulation that cannot
    /// start.
    pub fn new(crystal: &Crystal, schedule: &Schedule) -> Result<Self, ThermoError> {
        positive("kT", crystal.kt)?;
        let Geometry::Periodic(l) = crystal.lattice.geometry else {
            return Err(ThermoError::Lattice("it is not in a periodic box"));
        };
        let n = crystal.lattice.len();
        if n < 2 || crystal.lattice_points == 0 || crystal.lattice_points > n {
            return Err(ThermoError::Lattice(
                "it needs at least 2 particles and between 1 and N lattice points",
            ));
        }
        if schedule.repeats == 0 || schedule.production < schedule.sample_every {
            return Err(ThermoError::OutOfRange {
                name: "repeats or production steps",
                value: schedule.repeats as f64,
                allowed: "at least one repeat and one sample per λ point",
            });
        }
        let rule = GaussLegendre::new(schedule.points, 0.0, 1.0)?;
        let lambda = rule
            .nodes
            .iter()
            .zip(&rule.weights)
            .map(|(&lambda, &weight)| LambdaPoint {
                lambda,
                weight,
                mean: Vec::new(),
                error: Vec::new(),
            })
            .collect();
        let sim = langevin(crystal, schedule, crystal.seed, ExtraTerms::default())?;
        let start = sim.state().clone();
        let ntypes = start.types.len();
        let mut run = FrenkelLadd {
            lattice: crystal.lattice.clone(),
            table: crystal.table.clone(),
            kt: crystal.kt,
            lattice_points: crystal.lattice_points,
            seed: crystal.seed,
            schedule: *schedule,
            n,
            volume: l[0] * l[1] * l[2],
            done: 0,
            total: schedule.total_steps(),
            sim,
            start,
            segment: Segment::ReferenceEquilibrate,
            left: schedule.reference_steps / 2,
            u: Vec::new(),
            p: Vec::new(),
            msd_sum: vec![0.0; ntypes],
            msd_count: vec![0; ntypes],
            reference: None,
            lambda,
            series: Vec::new(),
            beta_f_repeats: Vec::with_capacity(schedule.repeats),
            works: Vec::with_capacity(schedule.repeats),
        };
        run.settle()?;
        Ok(run)
    }

    /// Steps done and in all.
    #[must_use]
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.total,
        }
    }

    /// The schedule being run.
    #[must_use]
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    fn crystal(&self) -> Crystal<'_> {
        Crystal {
            lattice: &self.lattice,
            table: &self.table,
            kt: self.kt,
            lattice_points: self.lattice_points,
            seed: self.seed,
        }
    }

    /// Runs one sampling interval (fewer steps at a segment's end) and takes its sample;
    /// the result once the last λ point of the last repeat is done.
    ///
    /// # Errors
    /// [`ThermoError`] when the simulation fails (an unstable time step, overlapping sites).
    pub fn advance(&mut self) -> Result<Option<CrystalFreeEnergy>, ThermoError> {
        let chunk = self.schedule.sample_every.max(1).min(self.left);
        self.sim.run(chunk)?;
        self.left -= chunk;
        self.done += chunk;
        match self.segment {
            Segment::ReferenceEquilibrate | Segment::Equilibrate { .. } => {}
            Segment::ReferenceAverage => {
                let obs = self.sim.observables();
                self.u.push(obs.potential_energy / self.n as f64);
                self.p.push(obs.pressure);
                for (d, &t) in displacements(&self.sim, &self.start)
                    .iter()
                    .zip(&self.start.typeid)
                {
                    self.msd_sum[t as usize] += d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    self.msd_count[t as usize] += 1;
                }
            }
            Segment::Average { .. } => {
                // mix_delta = U_b − U_a = U_E − U
                let delta = self.sim.sums().mix_delta.unwrap_or(f64::NAN);
                self.series.push(-delta / self.n as f64);
            }
        }
        self.settle()
    }

    /// Moves past every segment that has no steps left; the result when none is left.
    fn settle(&mut self) -> Result<Option<CrystalFreeEnergy>, ThermoError> {
        while self.left == 0 {
            match self.segment {
                Segment::ReferenceEquilibrate => {
                    self.segment = Segment::ReferenceAverage;
                    self.left = self.schedule.reference_steps - self.schedule.reference_steps / 2;
                }
                Segment::ReferenceAverage => {
                    self.finish_reference()?;
                    self.start_repeat(0)?;
                }
                Segment::Equilibrate { repeat, point } => {
                    self.segment = Segment::Average { repeat, point };
                    self.left = self.schedule.production;
                    self.series.clear();
                }
                Segment::Average { repeat, point } => {
                    let (mean, error) = block_mean_error(&self.series, 10);
                    self.lambda[point].mean.push(mean);
                    self.lambda[point].error.push(error);
                    if point > 0 {
                        self.enter_point(repeat, point - 1)?;
                    } else {
                        let beta = 1.0 / self.kt;
                        let work: f64 = self.lambda.iter().map(|p| p.weight * p.mean[repeat]).sum();
                        let einstein = self
                            .reference
                            .as_ref()
                            .map_or(f64::NAN, |r| r.beta_f_einstein);
                        self.works.push(beta * work);
                        self.beta_f_repeats.push(einstein + beta * work);
                        if repeat + 1 < self.schedule.repeats {
                            self.start_repeat(repeat + 1)?;
                        } else {
                            return Ok(Some(self.result()));
                        }
                    }
                }
            }
        }
        Ok(None)
    }

    /// ⟨U⟩/N, P, ⟨Δr²⟩ per type, the springs and the Einstein reference.
    fn finish_reference(&mut self) -> Result<(), ThermoError> {
        let u = block_mean_error(&self.u, 10);
        let p = block_mean_error(&self.p, 10);
        let msd: Vec<f64> = self
            .msd_sum
            .iter()
            .zip(&self.msd_count)
            .map(|(s, &c)| if c == 0 { f64::NAN } else { s / c as f64 })
            .collect();
        let springs: Vec<f64> = msd
            .iter()
            .map(|&m| {
                if m.is_nan() {
                    Ok(1.0)
                } else {
                    spring_constant(self.kt, m, self.schedule.stiffness)
                }
            })
            .collect::<Result<_, _>>()?;
        let per_particle: Vec<f64> = self
            .start
            .typeid
            .iter()
            .map(|&t| springs[t as usize])
            .collect();
        let beta_f_einstein = einstein_reference(
            1.0 / self.kt,
            &per_particle,
            self.volume,
            self.lattice_points,
            TranslationCount::LatticePoints,
        )?;
        self.reference = Some(Reference {
            u,
            p,
            msd,
            springs,
            beta_f_einstein,
        });
        Ok(())
    }

    /// A new run with the springs on, from the Einstein end (the last λ point) inwards.
    fn start_repeat(&mut self, repeat: usize) -> Result<(), ThermoError> {
        let springs = self
            .reference
            .as_ref()
            .map(|r| r.springs.clone())
            .unwrap_or_default();
        let last = self.lambda.len() - 1;
        let extra = ExtraTerms {
            springs: Some(Springs {
                sites: self.start.pos.clone(),
                k: springs,
            }),
            mix: Some(Mix::frenkel_ladd(self.lambda[last].lambda)),
            fixed_com: true,
        };
        self.sim = langevin(
            &self.crystal(),
            &self.schedule,
            self.seed + 1 + repeat as u64,
            extra,
        )?;
        self.enter_point(repeat, last)
    }

    fn enter_point(&mut self, repeat: usize, point: usize) -> Result<(), ThermoError> {
        self.sim.set_lambda(self.lambda[point].lambda)?;
        self.segment = Segment::Equilibrate { repeat, point };
        self.left = self.schedule.equilibrate;
        Ok(())
    }

    fn result(&self) -> CrystalFreeEnergy {
        let reference = self.reference.clone().unwrap_or(Reference {
            u: (f64::NAN, f64::NAN),
            p: (f64::NAN, f64::NAN),
            msd: Vec::new(),
            springs: Vec::new(),
            beta_f_einstein: f64::NAN,
        });
        let (beta_f, beta_f_error) = mean_error(&self.beta_f_repeats);
        CrystalFreeEnergy {
            n: self.n,
            density: self.n as f64 / self.volume,
            kt: self.kt,
            beta_f_per_particle: beta_f,
            beta_f_error,
            beta_f_repeats: self.beta_f_repeats.clone(),
            beta_f_einstein: reference.beta_f_einstein,
            beta_work_per_particle: mean_error(&self.works).0,
            u_per_particle: reference.u.0,
            u_error: reference.u.1,
            pressure: reference.p.0,
            pressure_error: reference.p.1,
            msd: reference.msd,
            spring_constants: reference.springs,
            lambda: self.lambda.clone(),
            schedule: self.schedule,
            conventions: vec![
                "per particle",
                "thermal wavelength Λ = 1 (σ units), unit masses",
                "centre of mass fixed (Einstein crystal with fixed centre of mass as reference)",
                TranslationCount::LatticePoints.describe(),
                "W = ∫₀¹ ⟨U − U_E⟩_λ dλ along H(λ) = (1−λ)U + λU_E, Gauss–Legendre points",
                "error: standard error over independent repeats",
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::{crystal, Diameters, UnitCell};
    use crate::model::PairRule;

    /// 108 particles of narrow-well fcc at ρσ³ = 1.3, kT = 0.4 (ε/kT = 2.5).
    fn fcc108() -> (Frame, PairTable) {
        let a = (4.0f64 / 1.3).cbrt();
        let mut frame = crystal(&UnitCell::fcc(a), [3, 3, 3], Diameters::PAPER);
        frame.types.truncate(1);
        let table = PairTable::additive(&[1.0], PairRule::narrow_well(1.0)).unwrap();
        (frame, table)
    }

    /// The fcc108 crystal at kT = 0.4 with noise seed `seed`.
    fn at_kt04<'a>(frame: &'a Frame, table: &'a PairTable, seed: u64) -> Crystal<'a> {
        Crystal {
            lattice: frame,
            table,
            kt: 0.4,
            lattice_points: 108,
            seed,
        }
    }

    fn short(stiffness: f64) -> Schedule {
        Schedule {
            points: 6,
            repeats: 3,
            equilibrate: 300,
            production: 1_500,
            reference_steps: 3_000,
            stiffness,
            ..Quality::Fast.schedule()
        }
    }

    #[test]
    fn the_free_energy_does_not_depend_on_the_springs() {
        let (frame, table) = fcc108();
        let crystal = at_kt04(&frame, &table, 7);
        let soft = crystal_free_energy(&crystal, &short(2.0), &mut |_| true).unwrap();
        let stiff = crystal_free_energy(&crystal, &short(6.0), &mut |_| true).unwrap();
        // the references differ by (3/2)·(1 − 1/N)·ln 3 ≈ 1.6; the integrals make up for it
        assert!(stiff.beta_f_einstein - soft.beta_f_einstein > 1.5);
        let diff = (stiff.beta_f_per_particle - soft.beta_f_per_particle).abs();
        let error = stiff.beta_f_error.hypot(soft.beta_f_error);
        assert!(diff < 4.0 * error + 0.01, "{diff} ± {error}");
        // the crystal holds: particles stay near their sites, the energy near the lattice's −6ε
        assert!(soft.msd[0] < 0.01 && soft.u_per_particle < -5.0);
        assert_eq!(soft.lambda.len(), 6);
        assert!(soft.lambda.iter().all(|p| p.mean.len() == 3));
        // deterministic from the seed
        let again = crystal_free_energy(&crystal, &short(2.0), &mut |_| true).unwrap();
        assert_eq!(again, soft);
    }

    /// The same state point by LAMMPS `fix ti/spring` (tests/reference/lammps_ti_spring.py):
    /// equal within three combined standard errors.
    #[test]
    fn equals_lammps_ti_spring() {
        let fixture: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/thermo/lammps_ti_spring.json"
        ))
        .unwrap();
        let number = |key: &str| fixture[key].as_f64().unwrap();
        assert_eq!(fixture["n"].as_u64(), Some(108));
        assert!((number("density") - 1.3).abs() < 1e-12 && (number("kt") - 0.4).abs() < 1e-12);
        let (frame, table) = fcc108();
        let ours = crystal_free_energy(
            &at_kt04(&frame, &table, 3),
            &Schedule {
                points: 10,
                repeats: 3,
                equilibrate: 1_000,
                production: 4_000,
                ..short(3.0)
            },
            &mut |_| true,
        )
        .unwrap();
        let diff = ours.beta_f_per_particle - number("beta_f_per_particle");
        let error = ours.beta_f_error.hypot(number("beta_f_error"));
        assert!(diff.abs() < 3.0 * error, "ours − LAMMPS = {diff} ± {error}");
    }

    #[test]
    fn it_stops_on_request_and_refuses_open_space() {
        let (frame, table) = fcc108();
        let crystal = at_kt04(&frame, &table, 1);
        let stopped = crystal_free_energy(&crystal, &short(3.0), &mut |p| p.done < 1_000);
        assert!(matches!(stopped, Err(ThermoError::Stopped)));
        let mut open = frame.clone();
        open.geometry = Geometry::Open { radius: None };
        let refused = crystal_free_energy(
            &Crystal {
                lattice: &open,
                ..crystal
            },
            &short(3.0),
            &mut |_| true,
        );
        assert!(matches!(refused, Err(ThermoError::Lattice(_))));
    }
}
