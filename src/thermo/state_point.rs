//! Simulated state points of a phase-diagram campaign (SCIENCE.md §3.2): NVT Langevin runs of
//! the fluid at fixed composition or of a crystal at (ρ, ε/kT), giving βP and U/N with
//! block-averaged standard errors, the large particles' diffusion coefficient D_L (fluid, from
//! the MSD; Fig. S19) and honest flags when a run is not what it was meant to be.
//!
//! - **Model** ([`Model`]): the paper's 1:2 mixture (σ_S = 0.55, σ_LS = 0.775; SCIENCE.md §1)
//!   with the narrow (Mie 50–25 cut 1.5σ_ij) or wide (50–6 cut 3σ_ij) well, shifted; ε = 1, so
//!   the depth ε/kT is set by kT = 1/depth. Depth 0 is the purely repulsive ε·C·(σ/r)^n at
//!   kT = ε (§1). The pseudo-hard spheres of §3.3 (Mie 50–49 cut at r_min, shifted, kT 1.5).
//! - **Fluid start**: random insertion at packing fraction at most [`INSERTION_PACKING`], then a
//!   linear compression to the target density under the thermostat, then equilibration. It
//!   cannot hang: insertion gives up after a bounded number of trials (an error), every run has
//!   a fixed number of steps.
//! - **Pressure**: βP = ρ + βW/(3V) with W = Σ r_ij·f_ij (the ideal part exact, the kinetic
//!   energy's noise left out; the Langevin run samples the canonical ensemble).
//! - **Flags** ([`Flag`]): the fluid crystallised (L crystalline fraction by the paper's
//!   classifier above [`CRYSTALLISED_FRACTION`]); the fluid phase-separated (S(k_min) at the
//!   box's smallest wave vectors above [`SEPARATED_STRUCTURE_FACTOR`]: a homogeneous fluid has
//!   S(k→0) = ρkTκ_T ≲ 1, a droplet or slab in the box gives S ∝ N); the crystal melted (its L
//!   moved on average more than [`MELTED_DISPLACEMENT`] from where they started: a crystal's
//!   particles rattle about their sites, a fluid's wander off — the classifiers' thresholds are
//!   too strict for a hot crystal near melting, whose fraction is reported but not used);
//!   βP drifted between the production's halves by more than [`DRIFT_LIMIT`] standard errors.
//!
//! Deterministic from the seed: insertion, velocities and the Langevin noise all derive from it.

use serde::{Deserialize, Serialize};

use super::crystal_point::built_with_constant;
use super::diagram::{Estimate, Well};
use super::error::{positive, ThermoError};
use super::frenkel_ladd::{langevin_simulation, Progress, Quality};
use super::statistics::{block_mean_error, mean_error};
use crate::analysis::classify::{crystalline_fraction, Classifier};
use crate::analysis::msd::{diffusion_coefficient, msd_window};
use crate::lattice::{Diameters, Structure};
use crate::md::init::{maxwell_boltzmann, random_fluid};
use crate::md::{Simulation, State};
use crate::model::{Frame, Geometry, PairRule, PairTable};

/// Packing fraction (π/6)·ρ·Σ x_i d_i³ at which the fluid is inserted before compression.
pub const INSERTION_PACKING: f64 = 0.2;
/// L crystalline fraction above which a fluid counts as crystallised.
pub const CRYSTALLISED_FRACTION: f64 = 0.3;
/// Mean squared displacement of L (σ²) from the start of the production beyond which a
/// crystal counts as melted (0.5σ root mean square; a crystal stays below ~0.02).
pub const MELTED_DISPLACEMENT: f64 = 0.25;
/// S(k_min) above which a fluid counts as phase-separated.
pub const SEPARATED_STRUCTURE_FACTOR: f64 = 5.0;
/// Standard errors between the production's halves beyond which βP counts as drifting.
pub const DRIFT_LIMIT: f64 = 4.0;
/// Minimum distance of random insertion in units of σ_ij.
const INSERTION_DISTANCE: f64 = 1.0;
/// Groups of L particles whose separate D_L give its standard error.
const DIFFUSION_GROUPS: usize = 4;

/// The interactions and temperature of one state point (ε = 1 throughout).
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Diameter of each type (types named L, S in this order).
    pub diameters: Vec<f64>,
    /// The pair rule (σ_ij = (d_i + d_j)/2).
    pub rule: PairRule,
    /// kT (ε).
    pub kt: f64,
}

impl Model {
    /// The paper's mixture (σ_L = 1, σ_S = 0.55) with `well` at depth ε/kT = `depth`; depth 0
    /// is the purely repulsive potential at kT = ε (SCIENCE.md §1).
    ///
    /// # Errors
    /// [`ThermoError::OutOfRange`] for a negative or non-finite depth.
    pub fn paper(well: Well, depth: f64) -> Result<Self, ThermoError> {
        if !(depth.is_finite() && depth >= 0.0) {
            return Err(ThermoError::OutOfRange {
                name: "well depth ε/kT",
                value: depth,
                allowed: "finite and at least 0",
            });
        }
        let mut rule = match well {
            Well::Narrow => PairRule::narrow_well(1.0),
            Well::Wide => PairRule::wide_well(1.0),
        };
        let kt = if depth == 0.0 {
            rule.attractive = false;
            1.0
        } else {
            1.0 / depth
        };
        Ok(Self {
            diameters: vec![Diameters::PAPER.large, Diameters::PAPER.small],
            rule,
            kt,
        })
    }

    /// The pseudo-hard spheres of SCIENCE.md §3.3: one species, Mie 50–49 cut at
    /// r_min = (50/49)σ and shifted up by ε (the WCA form), kT = 1.5ε.
    #[must_use]
    pub fn pseudo_hard_spheres() -> Self {
        Self {
            diameters: vec![1.0],
            rule: PairRule {
                n: 50,
                m: 49,
                r_cut: 50.0 / 49.0,
                ..PairRule::narrow_well(1.0)
            },
            kt: 1.5,
        }
    }

    /// ε/kT (0 for a purely repulsive rule).
    #[must_use]
    pub fn depth(&self) -> f64 {
        if self.rule.attractive {
            self.rule.epsilon / self.kt
        } else {
            0.0
        }
    }

    /// The pair table of the types.
    ///
    /// # Errors
    /// [`ThermoError::Model`] for invalid diameters or rule.
    pub fn table(&self) -> Result<PairTable, ThermoError> {
        Ok(PairTable::additive(&self.diameters, self.rule)?)
    }

    /// Type names: L, then S.
    fn types(&self) -> Vec<String> {
        ["L", "S"]
            .iter()
            .take(self.diameters.len())
            .map(|s| (*s).to_owned())
            .collect()
    }

    /// The classifier that tells order in this model: fcc for one species, the paper's AlB₂
    /// rule for the binary.
    fn classifier(&self) -> Classifier {
        if self.diameters.len() == 1 {
            Classifier::fcc()
        } else {
            Classifier::alb2()
        }
    }
}

/// The steps of one state point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sampling {
    /// Steps of the fluid's compression from the insertion density (crystals skip it).
    pub compress: u64,
    /// Steps to equilibrate at the target density.
    pub equilibrate: u64,
    /// Steps averaged.
    pub production: u64,
    /// Steps between samples of βP and U.
    pub sample_every: u64,
    /// Steps between snapshots for the MSD and S(k_min).
    pub snapshot_every: u64,
    /// Blocks of the block-average errors.
    pub blocks: usize,
    /// Time step (τ).
    pub dt: f64,
    /// Langevin friction γ (1/τ).
    pub gamma: f64,
}

impl Sampling {
    /// The steps of a quality level: `fast` 4k + 4k + 10k, `standard` 10k + 10k + 40k,
    /// `paper` 20k + 20k + 100k (compress + equilibrate + production), dt = 0.002, γ = 1.
    #[must_use]
    pub fn of(quality: Quality) -> Self {
        let (compress, equilibrate, production) = match quality {
            Quality::Fast => (4_000, 4_000, 10_000),
            Quality::Standard => (10_000, 10_000, 40_000),
            Quality::Paper => (20_000, 20_000, 100_000),
        };
        Self {
            compress,
            equilibrate,
            production,
            sample_every: 10,
            snapshot_every: 100,
            blocks: 10,
            dt: 0.002,
            gamma: 1.0,
        }
    }

    /// Steps in all for a fluid point (a crystal point skips `compress`).
    #[must_use]
    pub fn total_steps(&self) -> u64 {
        self.compress + self.equilibrate + self.production
    }

    fn check(&self) -> Result<(), ThermoError> {
        positive("time step", self.dt)?;
        if !(self.gamma.is_finite() && self.gamma > 0.0) {
            return Err(ThermoError::OutOfRange {
                name: "Langevin friction",
                value: self.gamma,
                allowed: "finite and above 0",
            });
        }
        let samples = self.production / self.sample_every.max(1);
        if self.sample_every == 0
            || self.snapshot_every == 0
            || samples < 2 * self.blocks.max(2) as u64
            || self.production / self.snapshot_every < 8
        {
            return Err(ThermoError::OutOfRange {
                name: "production steps",
                value: self.production as f64,
                allowed: "at least two samples per block and eight snapshots",
            });
        }
        Ok(())
    }
}

/// Something a run did that it was not meant to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The fluid ordered (its L crystalline fraction passed [`CRYSTALLISED_FRACTION`]).
    Crystallised,
    /// The fluid separated into dense and dilute regions (S(k_min) passed
    /// [`SEPARATED_STRUCTURE_FACTOR`]).
    PhaseSeparated,
    /// The crystal's L left their sites (mean squared displacement over
    /// [`MELTED_DISPLACEMENT`]).
    Melted,
    /// βP drifted between the two halves of the production.
    Drifting,
}

/// One simulated state point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulatedPoint {
    /// "fluid" or the crystal's name.
    pub phase: String,
    /// Particles of each type (L, S).
    pub counts: Vec<usize>,
    /// Number density ρσ³ of the run.
    pub rho: f64,
    /// ε/kT.
    pub depth: f64,
    /// kT (ε).
    pub kt: f64,
    /// βPσ³.
    pub beta_pressure: Estimate,
    /// U/N (ε).
    pub u_per_particle: Estimate,
    /// D_L (σ²/τ) for a fluid, from the MSD of L; standard error over groups of L.
    pub diffusion_l: Option<Estimate>,
    /// L crystalline fraction at the end (the paper's AlB₂ rule, or fcc for one species).
    pub ordered_fraction: f64,
    /// S(k) at the box's smallest wave vectors 2π/L, averaged over axes and snapshots.
    pub structure_factor_kmin: f64,
    /// (second half − first half) of βP in standard errors of the difference.
    pub drift: f64,
    /// What went wrong, if anything.
    pub flags: Vec<Flag>,
    /// The seed.
    pub seed: u64,
    /// Steps run.
    pub steps: u64,
}

impl SimulatedPoint {
    /// Whether the point may stand for its phase: not crystallised (a fluid) or melted (a
    /// crystal). A phase-separated fluid stays: inside the vapour–liquid region the small
    /// system's NVT pressure is the loop that the Maxwell construction and the critical depth
    /// read; drift is reported but kept.
    #[must_use]
    pub fn usable(&self) -> bool {
        !self
            .flags
            .iter()
            .any(|f| matches!(f, Flag::Crystallised | Flag::Melted))
    }
}

/// (π/6)·ρ·Σ x_i d_i³.
fn packing(counts: &[usize], diameters: &[f64], rho: f64) -> f64 {
    let n: usize = counts.iter().sum();
    let sum: f64 = counts
        .iter()
        .zip(diameters)
        .map(|(&c, d)| c as f64 * d.powi(3))
        .sum();
    std::f64::consts::PI / 6.0 * rho * sum / n as f64
}

/// A Langevin simulation of `state` under `model`.
fn langevin(
    state: State,
    model: &Model,
    sampling: &Sampling,
    seed: u64,
) -> Result<Simulation, ThermoError> {
    let thermostat = (model.kt, sampling.gamma, sampling.dt, seed);
    langevin_simulation(state, model.table()?, thermostat)
}

/// Runs `steps` in chunks of at most `every`, calling `progress` after each.
fn run_chunks(
    sim: &mut Simulation,
    steps: u64,
    every: u64,
    progress: &mut dyn FnMut(u64) -> bool,
    mut after: impl FnMut(&Simulation, u64),
) -> Result<(), ThermoError> {
    let mut done = 0;
    while done < steps {
        let chunk = every.min(steps - done);
        sim.run(chunk)?;
        done += chunk;
        after(sim, done);
        if !progress(chunk) {
            return Err(ThermoError::Stopped);
        }
    }
    Ok(())
}

/// What the production of a run collects.
struct Production {
    beta_p: Vec<f64>,
    u: Vec<f64>,
    snapshots_l: Vec<Vec<[f64; 3]>>,
    structure_factor: Vec<f64>,
}

/// S(k) at k = 2π/L along each axis, averaged over the axes: (1/N)·|Σ_j exp(i k·r_j)|².
fn structure_factor_kmin(state: &State) -> f64 {
    let Geometry::Periodic(l) = state.geometry else {
        return f64::NAN;
    };
    let n = state.len() as f64;
    let mut sum = 0.0;
    for (axis, &length) in l.iter().enumerate() {
        let k = 2.0 * std::f64::consts::PI / length;
        let (mut c, mut s) = (0.0, 0.0);
        for p in &state.pos {
            c += libm::cos(k * p[axis]);
            s += libm::sin(k * p[axis]);
        }
        sum += (c * c + s * s) / n;
    }
    sum / 3.0
}

/// Unwrapped positions of the L particles (type 0).
fn unwrapped_large(state: &State) -> Vec<[f64; 3]> {
    let l = match state.geometry {
        Geometry::Periodic(l) => l,
        Geometry::Open { .. } => [0.0; 3],
    };
    state
        .pos
        .iter()
        .zip(&state.image)
        .zip(&state.typeid)
        .filter(|(_, &t)| t == 0)
        .map(|((p, im), _)| std::array::from_fn(|d| p[d] + f64::from(im[d]) * l[d]))
        .collect()
}

/// Equilibration then production with samples.
fn produce(
    sim: &mut Simulation,
    model: &Model,
    sampling: &Sampling,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<Production, ThermoError> {
    run_chunks(
        sim,
        sampling.equilibrate,
        sampling.snapshot_every,
        progress,
        |_, _| {},
    )?;
    let n = sim.state().len() as f64;
    let beta = 1.0 / model.kt;
    let mut out = Production {
        beta_p: Vec::new(),
        u: Vec::new(),
        snapshots_l: vec![unwrapped_large(sim.state())],
        structure_factor: Vec::new(),
    };
    let every = sampling.sample_every;
    let snapshot_every = sampling.snapshot_every;
    run_chunks(sim, sampling.production, every, progress, |s, done| {
        let volume = s.state().volume().unwrap_or(f64::NAN);
        let sums = s.sums();
        out.beta_p
            .push(n / volume + beta * sums.virial / (3.0 * volume));
        out.u.push(sums.energy / n);
        if done % snapshot_every < every {
            out.snapshots_l.push(unwrapped_large(s.state()));
            out.structure_factor.push(structure_factor_kmin(s.state()));
        }
    })?;
    Ok(out)
}

/// Mean squared displacement between the first and the last snapshot, about the mean
/// displacement (the Langevin crystal's centre of mass wanders as a whole: 6kT/(Nγ) σ² per τ).
fn displacement(snapshots: &[Vec<[f64; 3]>]) -> f64 {
    let (Some(first), Some(last)) = (snapshots.first(), snapshots.last()) else {
        return 0.0;
    };
    let moves: Vec<[f64; 3]> = first
        .iter()
        .zip(last)
        .map(|(a, b)| std::array::from_fn(|d| b[d] - a[d]))
        .collect();
    let mean = crate::md::center_of_mass::mean(&moves);
    let sum: f64 = moves
        .iter()
        .map(|m| (0..3).map(|d| (m[d] - mean[d]).powi(2)).sum::<f64>())
        .sum();
    sum / moves.len().max(1) as f64
}

/// D_L and its standard error over [`DIFFUSION_GROUPS`] groups of L, from MSD lags between
/// 20 % and 60 % of the production (past the ballistic regime for γ = 1, with many origins).
fn diffusion(snapshots: &[Vec<[f64; 3]>], every_time: f64) -> Option<Estimate> {
    let count = snapshots.first()?.len();
    if count < DIFFUSION_GROUPS || snapshots.len() < 8 {
        return None;
    }
    let time: Vec<f64> = (0..snapshots.len())
        .map(|k| k as f64 * every_time)
        .collect();
    let span = time[time.len() - 1];
    let values: Vec<f64> = (0..DIFFUSION_GROUPS)
        .filter_map(|g| {
            let group: Vec<Vec<[f64; 3]>> = snapshots
                .iter()
                .map(|s| {
                    s.iter()
                        .skip(g)
                        .step_by(DIFFUSION_GROUPS)
                        .copied()
                        .collect()
                })
                .collect();
            let msd = msd_window(&group).ok()?;
            diffusion_coefficient(&time, &msd, 0.2 * span, 0.6 * span).ok()
        })
        .collect();
    let (value, error) = mean_error(&values);
    (values.len() == DIFFUSION_GROUPS).then_some(Estimate { value, error })
}

/// Means, errors and flags of a production.
fn summarise(
    sim: &Simulation,
    model: &Model,
    sampling: &Sampling,
    production: &Production,
    phase: &str,
    seed: u64,
    steps: u64,
) -> Result<SimulatedPoint, ThermoError> {
    let state = sim.state();
    let (p, p_err) = block_mean_error(&production.beta_p, sampling.blocks);
    let (u, u_err) = block_mean_error(&production.u, sampling.blocks);
    let half = production.beta_p.len() / 2;
    let (first, first_err) = block_mean_error(&production.beta_p[..half], sampling.blocks / 2);
    let (second, second_err) = block_mean_error(&production.beta_p[half..], sampling.blocks / 2);
    let drift_error = first_err.hypot(second_err);
    let drift = if drift_error > 0.0 {
        (second - first) / drift_error
    } else {
        0.0
    };
    let frame: Frame = state.to_frame();
    let ordered_fraction = crystalline_fraction(&frame, &model.classifier())
        .map_err(|_| ThermoError::Lattice("the classifier cannot read the run's frame"))?;
    let structure_factor_kmin = mean_error(&production.structure_factor).0;
    let fluid = phase == "fluid";
    let mut flags = Vec::new();
    if fluid && ordered_fraction > CRYSTALLISED_FRACTION {
        flags.push(Flag::Crystallised);
    }
    if fluid && structure_factor_kmin > SEPARATED_STRUCTURE_FACTOR {
        flags.push(Flag::PhaseSeparated);
    }
    if !fluid && displacement(&production.snapshots_l) > MELTED_DISPLACEMENT {
        flags.push(Flag::Melted);
    }
    if drift.abs() > DRIFT_LIMIT {
        flags.push(Flag::Drifting);
    }
    let diffusion_l = if fluid {
        diffusion(
            &production.snapshots_l,
            sampling.snapshot_every as f64 * sampling.dt,
        )
    } else {
        None
    };
    Ok(SimulatedPoint {
        phase: phase.to_owned(),
        counts: state.type_counts(),
        rho: state.len() as f64 / state.volume().unwrap_or(f64::NAN),
        depth: model.depth(),
        kt: model.kt,
        beta_pressure: Estimate {
            value: p,
            error: p_err,
        },
        u_per_particle: Estimate {
            value: u,
            error: u_err,
        },
        diffusion_l,
        ordered_fraction,
        structure_factor_kmin,
        drift,
        flags,
        seed,
        steps,
    })
}

/// Counts the steps done for `progress`.
fn ticker(total: u64, progress: &mut dyn FnMut(Progress) -> bool) -> impl FnMut(u64) -> bool + '_ {
    let mut done = 0;
    move |steps| {
        done += steps;
        progress(Progress { done, total })
    }
}

/// The fluid of `counts` particles per type at number density `rho` under `model`: inserted
/// at random, compressed, equilibrated and sampled (see the module docs).
///
/// # Errors
/// [`ThermoError`] for a bad density, counts or sampling, an insertion that fails, an unstable
/// run, or a stop requested through `progress`.
pub fn simulate_fluid(
    model: &Model,
    counts: &[usize],
    rho: f64,
    sampling: &Sampling,
    seed: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<SimulatedPoint, ThermoError> {
    positive("density", rho)?;
    positive("kT", model.kt)?;
    sampling.check()?;
    let n: usize = counts.iter().sum();
    if counts.len() != model.diameters.len() || n < 8 || counts.first() == Some(&0) {
        return Err(ThermoError::OutOfRange {
            name: "particles",
            value: n as f64,
            allowed: "at least 8, some of type L, one count per type of the model",
        });
    }
    let eta = packing(counts, &model.diameters, rho);
    let rho_insert = rho * (INSERTION_PACKING / eta).min(1.0);
    let edge = (n as f64 / rho_insert).cbrt();
    let mut state = random_fluid(
        &model.types(),
        &model.diameters,
        counts,
        Geometry::Periodic([edge; 3]),
        seed,
        INSERTION_DISTANCE,
        None,
    )?;
    maxwell_boltzmann(&mut state, model.kt, seed);
    let mut sim = langevin(state, model, sampling, seed)?;
    let compress = if rho_insert < rho {
        sampling.compress
    } else {
        0
    };
    let total = compress + sampling.equilibrate + sampling.production;
    let mut tick = ticker(total, progress);
    if compress > 0 {
        sim.compress_to(rho, compress)?;
        run_chunks(
            &mut sim,
            compress,
            sampling.snapshot_every,
            &mut tick,
            |_, _| {},
        )?;
    }
    let production = produce(&mut sim, model, sampling, &mut tick)?;
    summarise(&sim, model, sampling, &production, "fluid", seed, total)
}

/// The perfect crystal `structure` at number density `rho` in `cells` orthorhombic cells, with
/// axial ratio `c_over_a` (ignored by cubic crystals); types L, S (only L when the crystal has
/// no S sites). The lattice constant comes from the whole box built at a = 1 (N/V scales as
/// a⁻³): the campaign's checkpoints were computed with it, so it stays, though
/// [`super::crystal_point::lattice_constant`] (one cell's basis and volume) can differ from it
/// in the last bit.
#[must_use]
pub fn lattice_at_density(
    structure: Structure,
    c_over_a: f64,
    rho: f64,
    cells: [usize; 3],
) -> Frame {
    let unit = built_with_constant(structure, cells, 1.0, c_over_a).frame;
    let volume = unit.geometry.volume().unwrap_or(f64::NAN);
    let a = (unit.len() as f64 / volume / rho).cbrt();
    built_with_constant(structure, cells, a, c_over_a).frame
}

/// The crystal `lattice` (a perfect lattice in a periodic box) under `model`, named `phase`:
/// equilibrated and sampled from its sites; flagged when it melts.
///
/// # Errors
/// [`ThermoError`] for a frame that does not fit the model, bad sampling, an unstable run or a
/// stop requested through `progress`.
pub fn simulate_crystal(
    model: &Model,
    lattice: &Frame,
    phase: &str,
    sampling: &Sampling,
    seed: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<SimulatedPoint, ThermoError> {
    positive("kT", model.kt)?;
    sampling.check()?;
    if !lattice.geometry.is_periodic() {
        return Err(ThermoError::Lattice("it is not in a periodic box"));
    }
    let mut state = State::from_frame(lattice)?;
    maxwell_boltzmann(&mut state, model.kt, seed);
    let mut sim = langevin(state, model, sampling, seed)?;
    let total = sampling.equilibrate + sampling.production;
    let mut tick = ticker(total, progress);
    let production = produce(&mut sim, model, sampling, &mut tick)?;
    summarise(&sim, model, sampling, &production, phase, seed, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> Sampling {
        Sampling {
            compress: 1_000,
            equilibrate: 1_000,
            production: 2_000,
            ..Sampling::of(Quality::Fast)
        }
    }

    #[test]
    fn a_dilute_fluid_is_nearly_ideal_and_deterministic() {
        let model = Model::paper(Well::Narrow, 1.0).unwrap();
        let point = simulate_fluid(&model, &[40, 80], 0.1, &quick(), 5, &mut |_| true).unwrap();
        assert!((point.rho - 0.1).abs() < 1e-12);
        // Z = 1 + B₂ρ + …; B₂ of these short-ranged pairs is below 1 σ³
        let z = point.beta_pressure.value / point.rho;
        assert!((z - 1.0).abs() < 0.15, "Z {z}");
        assert!(point.usable(), "{:?}", point.flags);
        let d = point.diffusion_l.unwrap();
        // free Langevin diffusion is kT/γ = 1; collisions slow it
        assert!(d.value > 0.3 && d.value < 1.2, "D_L {d:?}");
        let again = simulate_fluid(&model, &[40, 80], 0.1, &quick(), 5, &mut |_| true).unwrap();
        assert_eq!(again, point);
    }

    #[test]
    fn a_dense_fluid_is_compressed_and_a_crystal_holds() {
        let model = Model::paper(Well::Narrow, 2.0).unwrap();
        let fluid = simulate_fluid(&model, &[40, 80], 2.0, &quick(), 2, &mut |_| true).unwrap();
        assert!((fluid.rho - 2.0).abs() < 1e-9, "ρ {}", fluid.rho);
        assert!(fluid.beta_pressure.value > 2.0, "{:?}", fluid.beta_pressure);
        assert!(fluid.u_per_particle.value < -1.0);
        let lattice = lattice_at_density(Structure::Alb2, 1.035, 2.8, [4, 2, 4]);
        let solid = simulate_crystal(&model, &lattice, "AlB2", &quick(), 3, &mut |_| true).unwrap();
        assert!(
            solid.usable(),
            "{:?} {}",
            solid.flags,
            solid.ordered_fraction
        );
        assert!(solid.u_per_particle.value < fluid.u_per_particle.value);
        assert!(solid.diffusion_l.is_none());
    }

    #[test]
    fn bad_input_and_stops() {
        let model = Model::paper(Well::Narrow, 1.0).unwrap();
        assert!(Model::paper(Well::Wide, -1.0).is_err());
        assert!(simulate_fluid(&model, &[40, 80], -1.0, &quick(), 1, &mut |_| true).is_err());
        assert!(simulate_fluid(&model, &[40], 1.0, &quick(), 1, &mut |_| true).is_err());
        let stopped = simulate_fluid(&model, &[40, 80], 0.5, &quick(), 1, &mut |p| p.done < 500);
        assert!(matches!(stopped, Err(ThermoError::Stopped)));
        assert_eq!(Model::paper(Well::Narrow, 0.0).unwrap().depth(), 0.0);
    }
}
