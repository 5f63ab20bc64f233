//! The seeded initial state (SCIENCE.md §4, "Seeded growth, measured here"), in three steps:
//! 1. the fluid: a GSD frame, or made here — inserted at random at a low density, compressed to
//!    the growth density and equilibrated *without* a seed (Langevin γ = 1 at the run's kT, so
//!    that the squeeze's heat is gone before the seed is in);
//! 2. its pressure, averaged over the second half of the equilibration, and the seed's lattice
//!    matched to it ([`super::seed_lattice::match_pressure`]) unless a is given;
//! 3. a ball of whole formula units of the catalogue crystal cut in at the box centre
//!    ([`super::seed::insert_seed`]). The fluid particles that overlap the seed and are more than
//!    it brings would lower the density (a thin shell around the seed): the fluid is first
//!    compressed by that fraction (over a quarter of the equilibration, at least 100 steps,
//!    then as long again at the new density) and the seed cut in again, twice, so that the
//!    density after the insertion is close to the fluid's (2.2 → 2.197 at 1,500 particles).
//!
//! What was chosen and measured is returned as a [`SeedReport`] for the run's summary.

use serde::Serialize;

use super::error::MdError;
use super::init::{maxwell_boltzmann, random_fluid};
use super::integrator::Integrator;
use super::seed::{formula_ball, insert_seed, Insertion};
use super::seed_lattice::{
    expected_trials, match_pressure, trial_particles, LatticeMatch, LatticeSearch, TrialModel,
};
use super::seed_pace::{Pace, Preparation, PreparationStage};
use super::simulation::{SimOptions, Simulation};
use super::state::State;
use crate::lattice::{Diameters, Structure, UnitCell};
use crate::model::{Frame, Geometry, PairTable};

/// Density at which a made fluid is inserted before it is compressed (σ⁻³).
pub const INSERTION_DENSITY: f64 = 0.5;

/// Where the fluid comes from and how the seed is cut.
#[derive(Clone, Debug, PartialEq)]
pub struct SeededPlan {
    /// The catalogue crystal of the seed.
    pub structure: Structure,
    /// Radius of the ball cut from it (σ).
    pub seed_radius: f64,
    /// A fluid frame (types L, S, periodic) to start from; `None`: make it.
    pub fluid: Option<Frame>,
    /// Growth density of a made fluid (σ⁻³); ignored for a given fluid.
    pub density: f64,
    /// Steps compressing a made fluid to `density`.
    pub compress: u64,
    /// Steps equilibrating the fluid before the seed goes in (its pressure is averaged over
    /// the second half).
    pub equilibrate: u64,
    /// Lattice constant of the seed; `None`: matched to the fluid's pressure.
    pub a: Option<f64>,
    /// c/a of the seed (hexagonal crystals); `None`: the catalogue's default, matched too
    /// when a is matched.
    pub c_over_a: Option<f64>,
    /// Fluid particles closer than this many σ_ij to a seed particle are removed.
    pub clearance: f64,
}

/// The model the fluid and the trial crystals run with.
#[derive(Clone, Debug)]
pub struct SeededModel {
    /// Type names (two: L, S).
    pub names: Vec<String>,
    /// Diameters of L and S.
    pub diameters: Diameters,
    /// Particles of L and S in a made fluid.
    pub counts: [usize; 2],
    /// The pair table of the two types.
    pub table: PairTable,
    /// kT.
    pub kt: f64,
    /// Time step.
    pub dt: f64,
    /// Neighbour-list skin.
    pub skin: f64,
    /// The run's seed.
    pub seed: u64,
}

/// What the seeded start chose and measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeedReport {
    /// The seed's crystal ("alb2").
    pub structure: String,
    /// The seed's lattice constant a (σ).
    pub a: f64,
    /// Its c/a.
    pub c_over_a: f64,
    /// The fluid's mean pressure before the insertion (ε/σ³).
    pub fluid_pressure: f64,
    /// The fluid's mean temperature over the same samples.
    pub fluid_temperature: f64,
    /// The lattice search, when a was matched rather than given.
    pub lattice: Option<LatticeMatch>,
    /// The density the fluid was compressed to before the insertion, so that after it the
    /// density is the fluid's again (`None` when the seed replaced no more than it brought).
    pub densified_to: Option<f64>,
    /// The insertion's counts and densities (`density_before`: the fluid's growth density).
    pub insertion: Insertion,
    /// Link length of the seed's cluster (σ): 1.2 × b_LL of the seed's lattice.
    pub link: f64,
}

impl SeedReport {
    /// Indices of the seed's L in the state after the insertion (the first particles).
    #[must_use]
    pub fn seed_large(&self) -> Vec<usize> {
        (0..self.insertion.seed_large).collect()
    }
}

fn langevin(model: &SeededModel, state: State, seed: u64) -> Result<Simulation, MdError> {
    Simulation::new(
        state,
        model.table.clone(),
        Integrator::Langevin {
            kt: model.kt,
            gamma: 1.0,
            seed,
        },
        SimOptions {
            dt: model.dt,
            skin: model.skin,
            kt: model.kt,
            wall_epsilon: 1.0,
        },
    )
}

/// Builds the seeded state, paced in slices ([`super::seed_pace`]): `progress` hears the stage
/// and the work done and expected after every slice.
///
/// # Errors
/// [`MdError`] when the fluid cannot be made or run, the lattice search fails, or the seed
/// does not fit.
pub async fn seeded_start(
    plan: &SeededPlan,
    model: &SeededModel,
    progress: &mut dyn FnMut(Preparation),
) -> Result<(State, SeedReport), MdError> {
    // The fluid's own noise stream, apart from the growth run's.
    let fluid_seed = model.seed ^ 0xF1D0_5EED_0000_0001;
    let (state, compress) = match &plan.fluid {
        Some(frame) => {
            let mut state = State::from_frame(frame)?;
            if state.vel.iter().all(|v| *v == [0.0; 3]) {
                maxwell_boltzmann(&mut state, model.kt, fluid_seed);
            }
            (state, 0)
        }
        None => {
            let n = (model.counts[0] + model.counts[1]) as f64;
            let start = INSERTION_DENSITY.min(plan.density);
            let mut state = random_fluid(
                &model.names,
                &[model.diameters.large, model.diameters.small],
                &model.counts,
                Geometry::Periodic([libm::cbrt(n / start); 3]),
                model.seed,
                1.0,
                None,
            )?;
            maxwell_boltzmann(&mut state, model.kt, fluid_seed);
            (state, plan.compress)
        }
    };
    if state.types != model.names {
        return Err(MdError::Init(format!(
            "the fluid's types {:?} are not the species {:?}",
            state.types, model.names
        )));
    }
    if !state.geometry.is_periodic() {
        return Err(MdError::Init(
            "the fluid of a seeded start must be in a periodic box".into(),
        ));
    }
    let total = compress + plan.equilibrate;
    let n = state.len() as u64;
    let crystal = plan.structure.crystal();
    let start_ratio = plan
        .c_over_a
        .or(crystal.c_over_a.map(|r| r.default))
        .unwrap_or(1.0);
    let trial_model = TrialModel {
        table: model.table.clone(),
        diameters: model.diameters,
        kt: model.kt,
        dt: model.dt,
        skin: model.skin,
        seed: model.seed,
    };
    let search = LatticeSearch::default();
    let start_cell = UnitCell::new(plan.structure, 1.0, start_ratio);
    // The work expected (particle-steps): the fluid, the lattice search's trials, the two
    // densifications at most.
    let trials = if plan.a.is_some() {
        0
    } else {
        expected_trials(&start_cell) as u64
            * (search.equilibrate + search.sample)
            * trial_particles(&start_cell, &trial_model) as u64
    };
    let restore = (plan.equilibrate / 4).max(100);
    let expected = |fluid_done: u64| fluid_done + trials + 2 * 2 * restore * n;
    let mut pace = Pace::new(state.len(), expected(total * n), progress);
    pace.enter(if compress > 0 {
        PreparationStage::Compress
    } else {
        PreparationStage::Equilibrate
    });
    let mut sim = langevin(model, state, fluid_seed)?;
    if compress > 0 {
        sim.compress_to(plan.density, compress)?;
    }
    let chunk = 1_000;
    let mut done = 0;
    let mut pressure = (0.0, 0.0, 0usize);
    let sample_from = compress + plan.equilibrate / 2;
    while done < total {
        let k = if done < sample_from {
            chunk.min(sample_from - done)
        } else {
            10.min(total - done)
        };
        if done == compress && compress > 0 {
            pace.enter(PreparationStage::Equilibrate);
        }
        let k = if done < compress {
            k.min(compress - done)
        } else {
            k
        };
        pace.run(&mut sim, k).await?;
        done += k;
        if done > sample_from {
            let o = sim.observables();
            pressure = (
                pressure.0 + o.pressure,
                pressure.1 + o.temperature,
                pressure.2 + 1,
            );
        }
    }
    if pressure.2 == 0 {
        let o = sim.observables();
        pressure = (o.pressure, o.temperature, 1);
    }
    let fluid_pressure = pressure.0 / pressure.2 as f64;
    let fluid_temperature = pressure.1 / pressure.2 as f64;
    let (a, c_over_a, lattice) = match plan.a {
        Some(a) => (a, start_ratio, None),
        None => {
            let found = match_pressure(
                &start_cell,
                &trial_model,
                fluid_pressure,
                &search,
                &mut pace,
            )
            .await?;
            (found.best.a, found.best.c_over_a, Some(found))
        }
    };
    let cell = UnitCell::new(plan.structure, a, c_over_a);
    let ball = formula_ball(&cell, plan.seed_radius, model.diameters);
    let insert = |fluid: &State| {
        insert_seed(
            fluid,
            &ball,
            plan.clearance,
            model.kt,
            model.seed ^ 0x5EED_BA11,
        )
    };
    pace.expect(pace.done() + 2 * 2 * restore * n);
    pace.enter(PreparationStage::Insert);
    let fluid_n = sim.state().len();
    let (mut state, mut insertion) = insert(sim.state())?;
    // The overlapping shell the seed does not replace lowers the density: the fluid is
    // compressed by as much first, then the seed cut in again.
    // Twice: a denser fluid loses a little more to the overlap shell.
    let mut densified_to = None;
    let before = insertion.density_before;
    for _ in 0..2 {
        let lost = fluid_n.saturating_sub(state.len());
        if lost == 0 || lost >= fluid_n {
            break;
        }
        let denser = before * fluid_n as f64 / (fluid_n - lost) as f64;
        sim.compress_to(denser, restore)?;
        pace.run(&mut sim, restore).await?;
        pace.run(&mut sim, restore).await?;
        (state, insertion) = insert(sim.state())?;
        insertion.density_before = before;
        densified_to = Some(denser);
    }
    let link = 1.2 * crystal.bond_lengths(a, c_over_a)[0];
    Ok((
        state,
        SeedReport {
            structure: plan.structure.name().to_owned(),
            a,
            c_over_a: cell.c_over_a,
            fluid_pressure,
            fluid_temperature,
            lattice,
            densified_to,
            insertion,
            link,
        },
    ))
}
