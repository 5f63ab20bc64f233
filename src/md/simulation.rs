//! One simulation: a state, its model, neighbour list, integrator and optional compression,
//! advanced step by step. Checks input (non-finite values, overlaps closer than 0.5 σ_ij,
//! particles outside the droplet) and stops a step that produced non-finite numbers, keeping
//! the last good state (SCIENCE.md §1 "Dynamics"; integrators in [`super::integrator`]).
//!
//! Every step (NVE, Langevin, Langevin with the fixed centre of mass, MTK) runs as the
//! per-particle passes of [`super::passes`] on the engine's threads
//! ([`Simulation::set_threads`]; one thread runs them as one range), its global sums serially in
//! index order between them; the list and the pair loop run on the threads too. A step
//! allocates only a few small task lists (one entry per thread) and on list growth.

use super::center_of_mass::{mean, remove_mean};
use super::compression::Compression;
use super::error::MdError;
use super::forces::{pair_forces, ForceSums};
use super::integrator::Integrator;
use super::neighbor::NeighborList;
use super::observables::Observables;
use super::passes::{self, Before, FirstHalf};
use super::state::State;
use super::terms::{ExtraTerms, ForceField};
use super::threads::{self, Threads};
use crate::model::barker_henderson::{bh_diameter, packing_fraction};
use crate::model::{Geometry, PairTable, WcaWall};

/// Numerical settings of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimOptions {
    /// Time step Δt (τ).
    pub dt: f64,
    /// Neighbour-list skin (σ).
    pub skin: f64,
    /// Temperature kT at which Barker–Henderson diameters are taken (the model's kT).
    pub kt: f64,
    /// Energy scale of the droplet wall (ignored for periodic boxes).
    pub wall_epsilon: f64,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            dt: 0.001,
            skin: 0.3,
            kt: 1.0,
            wall_epsilon: 1.0,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Backup {
    pos: Vec<[f64; 3]>,
    vel: Vec<[f64; 3]>,
    image: Vec<[i32; 3]>,
    xi: Vec<f64>,
    v_xi: Vec<f64>,
    geometry: Option<Geometry>,
    step: u64,
}

/// A running simulation.
#[derive(Clone, Debug)]
pub struct Simulation {
    state: State,
    table: PairTable,
    field: ForceField,
    nlist: NeighborList,
    integrator: Integrator,
    options: SimOptions,
    compression: Option<Compression>,
    sums: ForceSums,
    bh: Vec<f64>,
    backup: Backup,
    threads: Threads,
}

impl Simulation {
    /// Sets up a simulation: validates the state, builds the list and computes forces.
    ///
    /// # Errors
    /// [`MdError`] for a state whose types do not match the table, non-finite input,
    /// overlapping particles, particles outside the droplet, or bad options.
    pub fn new(
        state: State,
        table: PairTable,
        integrator: Integrator,
        options: SimOptions,
    ) -> Result<Self, MdError> {
        for (what, value) in [
            ("dt", options.dt),
            ("kT", options.kt),
            ("wall_epsilon", options.wall_epsilon),
        ] {
            if !value.is_finite() || value <= 0.0 {
                return Err(MdError::Parameter {
                    what: what.into(),
                    value,
                    rule: "must be finite and > 0",
                });
            }
        }
        match &integrator {
            Integrator::Nve => {}
            Integrator::Langevin { kt, gamma, .. } => {
                if !(kt.is_finite() && *kt > 0.0 && gamma.is_finite() && *gamma >= 0.0) {
                    return Err(MdError::Parameter {
                        what: "Langevin kT / gamma".into(),
                        value: *kt,
                        rule: "kT > 0, gamma >= 0",
                    });
                }
            }
            Integrator::Mtk(c) => {
                if !(c.kt.is_finite() && c.kt > 0.0 && c.tau.is_finite() && c.tau > 0.0) {
                    return Err(MdError::Parameter {
                        what: "MTK kT / tau".into(),
                        value: c.kt,
                        rule: "kT > 0, tau > 0",
                    });
                }
            }
        }
        let nt = table.ntypes();
        if state.types.len() != nt {
            return Err(MdError::Parameter {
                what: "number of types in the state".into(),
                value: state.types.len() as f64,
                rule: "must equal the pair table's",
            });
        }
        for (index, &t) in state.typeid.iter().enumerate() {
            if t as usize >= nt {
                return Err(MdError::TypeId {
                    index,
                    typeid: t,
                    ntypes: nt,
                });
            }
        }
        state.check_finite()?;
        let wall = match state.geometry {
            Geometry::Open { radius: Some(r) } => Some(WcaWall {
                radius: r,
                epsilon: options.wall_epsilon,
            }),
            _ => None,
        };
        if let Some(w) = wall {
            check_inside(&state, w.radius, &Threads::default())?;
        }
        let nlist = NeighborList::new(&table, options.skin)?;
        let bh = (0..nt)
            .map(|t| table.get(t, t).and_then(|p| bh_diameter(p, options.kt)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut sim = Self {
            field: ForceField::new(pair_forces(&table), wall, ExtraTerms::default()),
            state,
            table,
            nlist,
            integrator,
            options,
            compression: None,
            sums: ForceSums::default(),
            bh,
            backup: Backup::default(),
            threads: Threads::default(),
        };
        sim.state.wrap();
        sim.nlist.build(&sim.state)?;
        sim.check_overlaps()?;
        sim.sums = sim.field.evaluate(&mut sim.state, &sim.nlist);
        Ok(sim)
    }

    /// Adds springs, a λ-mix and/or the fixed centre of mass ([`super::terms`]) and
    /// recomputes the forces. Fixing the centre of mass takes the mean velocity off first.
    ///
    /// # Errors
    /// [`MdError`] when the terms do not fit the state (sites, spring constants, λ).
    pub fn with_terms(mut self, extra: ExtraTerms) -> Result<Self, MdError> {
        extra.check(&self.state)?;
        if extra.fixed_com {
            remove_mean(&mut self.state.vel);
        }
        self.field.extra = extra;
        self.sums = self.field.evaluate(&mut self.state, &self.nlist);
        Ok(self)
    }

    /// The springs, mix and centre-of-mass constraint of this run.
    #[must_use]
    pub fn terms(&self) -> &ExtraTerms {
        &self.field.extra
    }

    /// Sets λ of the mix and recomputes the forces (a switching schedule calls this between
    /// steps).
    ///
    /// # Errors
    /// [`MdError::Parameter`] for λ outside [0, 1] or a run without a mix.
    pub fn set_lambda(&mut self, lambda: f64) -> Result<(), MdError> {
        let mut extra = self.field.extra.clone();
        let Some(mix) = &mut extra.mix else {
            return Err(MdError::Parameter {
                what: "lambda of a run without a mix".into(),
                value: lambda,
                rule: "needs a mix",
            });
        };
        mix.lambda = lambda;
        extra.check(&self.state)?;
        self.field.extra = extra;
        self.sums = self.field.evaluate(&mut self.state, &self.nlist);
        Ok(())
    }

    fn check_overlaps(&self) -> Result<(), MdError> {
        let s = &self.state;
        let image = s.geometry.minimum_image();
        for i in 0..s.len() {
            let range = self.nlist.start[i] as usize..self.nlist.start[i + 1] as usize;
            for &j in &self.nlist.list[range] {
                let j = j as usize;
                let r2 = image.distance2(s.pos[i], s.pos[j]);
                let sigma = self
                    .table
                    .get(s.typeid[i] as usize, s.typeid[j] as usize)?
                    .sigma;
                if r2 < 0.25 * sigma * sigma {
                    return Err(MdError::Overlap {
                        i,
                        j,
                        distance: r2.sqrt(),
                        threshold: 0.5 * sigma,
                    });
                }
            }
        }
        Ok(())
    }

    /// Runs on `n` threads from now on (0 or 1: the serial engine; wasm32: always one). The
    /// results are bit-identical on any number (docs/engine.md "Threads").
    ///
    /// # Errors
    /// [`MdError::Init`] when the threads cannot be started.
    pub fn set_threads(&mut self, n: usize) -> Result<(), MdError> {
        self.threads = Threads::new(n)?;
        self.nlist.set_threads(self.threads.clone());
        Ok(())
    }

    /// How many threads run the engine.
    #[must_use]
    pub fn threads(&self) -> usize {
        self.threads.count()
    }

    /// The current state.
    #[must_use]
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The pair table.
    #[must_use]
    pub fn table(&self) -> &PairTable {
        &self.table
    }

    /// The integrator (with its thermostat state).
    #[must_use]
    pub fn integrator(&self) -> &Integrator {
        &self.integrator
    }

    /// The numerical settings (time step, skin, kT, wall energy).
    #[must_use]
    pub fn options(&self) -> SimOptions {
        self.options
    }

    /// The compression in progress, if any.
    #[must_use]
    pub fn compression(&self) -> Option<&Compression> {
        self.compression.as_ref()
    }

    /// Energy and virial of the last force evaluation.
    #[must_use]
    pub fn sums(&self) -> ForceSums {
        self.sums
    }

    /// How many times the neighbour list was built.
    #[must_use]
    pub fn list_builds(&self) -> u64 {
        self.nlist.builds()
    }

    /// Barker–Henderson diameter of each type at the run's kT.
    #[must_use]
    pub fn bh_diameters(&self) -> &[f64] {
        &self.bh
    }

    /// Degrees of freedom used for the temperature: 3N − 3 with the centre of mass fixed and
    /// for momentum-conserving dynamics in a periodic box (NVE, MTK), 3N otherwise.
    #[must_use]
    pub fn dof(&self) -> f64 {
        let n = 3.0 * self.state.len() as f64;
        if self.field.extra.fixed_com {
            return (n - 3.0).max(1.0);
        }
        match (&self.integrator, self.state.geometry) {
            (Integrator::Langevin { .. }, _) | (_, Geometry::Open { .. }) => n,
            _ => (n - 3.0).max(1.0),
        }
    }

    /// Starts shrinking the box (or droplet) from the current density to `final_density`
    /// over `steps` steps.
    ///
    /// # Errors
    /// [`MdError::Parameter`] for a non-positive density or an unbounded open geometry.
    pub fn compress_to(&mut self, final_density: f64, steps: u64) -> Result<(), MdError> {
        if !final_density.is_finite() || final_density <= 0.0 {
            return Err(MdError::Parameter {
                what: "final density".into(),
                value: final_density,
                rule: "must be finite and > 0",
            });
        }
        let volume = self.state.volume().ok_or(MdError::Parameter {
            what: "compression of an unbounded cluster".into(),
            value: 0.0,
            rule: "needs a periodic box or a droplet radius",
        })?;
        let rho0 = self.state.len() as f64 / volume;
        let start_lengths = match self.state.geometry {
            Geometry::Periodic(l) => l,
            Geometry::Open { radius } => [radius.unwrap_or(1.0); 3],
        };
        self.compression = Some(Compression {
            final_density,
            steps,
            start_step: self.state.step,
            start_lengths,
            ratio: libm::cbrt(rho0 / final_density),
        });
        Ok(())
    }

    /// The compression's box for the current step: a periodic box takes its new edges and the
    /// particles follow, scaled and wrapped ([`passes::rescale_and_wrap`]); a droplet's wall
    /// its new radius.
    fn apply_compression(&mut self) {
        let Some(c) = &self.compression else {
            return;
        };
        let lengths = c.lengths_at(self.state.step);
        match &mut self.state.geometry {
            Geometry::Periodic(l) => {
                let scale = [lengths[0] / l[0], lengths[1] / l[1], lengths[2] / l[2]];
                *l = lengths;
                passes::rescale_and_wrap(&self.threads, &mut self.state, scale);
            }
            Geometry::Open { radius } => {
                *radius = Some(lengths[0]);
                if let Some(w) = &mut self.field.wall {
                    w.radius = lengths[0];
                }
            }
        }
        if c.done(self.state.step) {
            self.compression = None;
        }
    }

    fn restore_backup(&mut self) -> Result<(), MdError> {
        let b = &self.backup;
        let s = &mut self.state;
        s.pos.copy_from_slice(&b.pos);
        s.vel.copy_from_slice(&b.vel);
        s.image.copy_from_slice(&b.image);
        if let Some(g) = b.geometry {
            s.geometry = g;
            if let (Some(w), Geometry::Open { radius: Some(r) }) = (&mut self.field.wall, g) {
                w.radius = r;
            }
        }
        s.step = b.step;
        if let Integrator::Mtk(c) = &mut self.integrator {
            c.xi.copy_from_slice(&b.xi);
            c.v_xi.copy_from_slice(&b.v_xi);
        }
        self.nlist.build(&self.state)?;
        self.sums = self.field.evaluate(&mut self.state, &self.nlist);
        Ok(())
    }

    /// The MTK chain's half step (SCIENCE.md §1): advances the chain by Δt/2 with the current
    /// kinetic energy (summed in index order) and returns the factor for the velocities;
    /// `None` for the other integrators.
    fn thermostat_scale(&mut self) -> Option<f64> {
        if !matches!(self.integrator, Integrator::Mtk(_)) {
            return None;
        }
        let dof = self.dof();
        let k2 = 2.0 * self.state.kinetic_energy();
        let half = 0.5 * self.options.dt;
        let Integrator::Mtk(chain) = &mut self.integrator else {
            return None;
        };
        Some(chain.half_step(k2, dof, half))
    }

    /// Advances one time step.
    ///
    /// # Errors
    /// [`MdError::Blowup`] or [`MdError::OutsideWall`] when the step produced non-finite numbers
    /// or pushed a particle through the wall; the state is then the one before the step.
    /// [`MdError::BoxTooSmall`] when compression made the box shorter than twice the range.
    pub fn step(&mut self) -> Result<(), MdError> {
        match self.integrator.clone_params() {
            Params::Nve => self.step_passes(None),
            Params::Langevin { kt, gamma, seed } => {
                let c1 = libm::exp(-gamma * self.options.dt);
                let c2 = (1.0 - c1 * c1).sqrt() * kt.sqrt();
                self.step_passes(Some((c1, c2, seed)))
            }
            Params::Mtk => self.step_passes(None),
        }
    }

    /// After the drift: the droplet wall's check and the neighbour list rebuilt when due
    /// (`rebuild` when the displacement test already ran, else tested here); on a particle
    /// outside the wall or a failed rebuild the step is undone.
    fn list_after_drift(&mut self, rebuild: Option<bool>) -> Result<(), MdError> {
        if let Some(w) = self.field.wall {
            if let Err(e) = check_inside(&self.state, w.radius, &self.threads) {
                self.restore_backup()?;
                return Err(e);
            }
        }
        if rebuild.unwrap_or_else(|| self.nlist.needs_rebuild(&self.state)) {
            if let Err(e) = self.nlist.build(&self.state) {
                self.restore_backup()?;
                return Err(e);
            }
        }
        Ok(())
    }

    /// [`Simulation::step`] of NVE or MTK (`langevin == None`; the integrator tells which) or
    /// BAOAB Langevin (c₁, c₂√kT, seed) by the per-particle passes of [`passes`] on the engine's threads. The first pass writes
    /// the new state into the backup's buffers and trades places with it, so the backup costs
    /// no copy; in a periodic box without compression it also runs the list's displacement test.
    /// With the centre of mass fixed, Langevin's O part takes the mean velocity off: the first
    /// pass stops after it, the mean is summed in index order, a second pass goes on. Where the
    /// pairs are the whole field and the integrator is not MTK, the pair loop's parts give the
    /// closing kick to their particles as soon as their forces are complete (one pass over the
    /// particles less, the same arithmetic).
    fn step_passes(&mut self, langevin: Option<(f64, f64, u64)>) -> Result<(), MdError> {
        let dt = self.options.dt;
        if let Integrator::Mtk(c) = &self.integrator {
            self.backup.xi.clone_from(&c.xi);
            self.backup.v_xi.clone_from(&c.v_xi);
        }
        let scale = self.thermostat_scale();
        let b = &mut self.backup;
        b.geometry = Some(self.state.geometry);
        b.step = self.state.step;
        let wrap = match self.state.geometry {
            Geometry::Periodic(l) if self.compression.is_none() => Some(l),
            _ => None,
        };
        let before = Before {
            pos: &mut b.pos,
            vel: &mut b.vel,
            image: &mut b.image,
        };
        let test = wrap.and_then(|_| self.nlist.displacements(&self.state));
        let center = langevin.is_some() && self.field.extra.fixed_com;
        let how = FirstHalf {
            dt,
            langevin,
            wrap,
            center,
            scale,
        };
        let mut moved =
            passes::first_half(&self.threads, &mut self.state, before, how, test.as_ref());
        if center {
            let mean = mean(&self.state.vel);
            moved =
                passes::center_and_drift(&self.threads, &mut self.state, mean, how, test.as_ref());
        }
        let rebuild = wrap.map(|_| test.is_none() || moved);
        self.state.step += 1;
        if wrap.is_none() {
            self.apply_compression();
        }
        self.list_after_drift(rebuild)?;
        let mtk = scale.is_some();
        let mut finite = if !mtk && self.field.pairs_only(self.state.geometry) {
            let (sums, finite) =
                self.field
                    .pairs
                    .set_and_kick(&mut self.state, &self.nlist, 0.5 * dt);
            self.sums = sums;
            finite
        } else {
            self.sums = self.field.evaluate(&mut self.state, &self.nlist);
            passes::closing_kick(&self.threads, &mut self.state, 0.5 * dt, !mtk)
        };
        if let Some(scale) = self.thermostat_scale() {
            finite = passes::scale_and_check(&self.threads, &mut self.state, scale);
        }
        if finite && (self.sums.energy + self.sums.virial).is_finite() {
            return Ok(());
        }
        self.blowup()
    }

    /// Names the first non-finite number of the step and restores the state before it.
    fn blowup(&mut self) -> Result<(), MdError> {
        let step = self.state.step;
        let bad = |a: &[[f64; 3]]| a.iter().position(|x| x.iter().any(|c| !c.is_finite()));
        let (what, index) = if let Some(i) = bad(&self.state.pos) {
            ("position", i)
        } else if let Some(i) = bad(&self.state.vel) {
            ("velocity", i)
        } else if let Some(i) = bad(&self.state.force) {
            ("force", i)
        } else {
            ("energy", 0)
        };
        self.restore_backup()?;
        Err(MdError::Blowup {
            step,
            what,
            index,
            kept_step: self.state.step,
        })
    }

    /// Runs `steps` steps.
    ///
    /// # Errors
    /// As [`Simulation::step`].
    pub fn run(&mut self, steps: u64) -> Result<(), MdError> {
        if !self.threads.is_serial() {
            let threads = self.threads.clone();
            return threads.install_awake(|| (0..steps).try_for_each(|_| self.step()));
        }
        for _ in 0..steps {
            self.step()?;
        }
        Ok(())
    }

    /// The observables of the current state.
    #[must_use]
    pub fn observables(&self) -> Observables {
        let n = self.state.len() as f64;
        let k = self.state.kinetic_energy();
        let u = self.sums.energy;
        let volume = self.state.volume().unwrap_or(f64::NAN);
        let pressure = match self.state.geometry {
            Geometry::Periodic(_) => (2.0 * k + self.sums.virial) / (3.0 * volume),
            Geometry::Open { .. } => f64::NAN,
        };
        let conserved = match &self.integrator {
            Integrator::Nve => k + u,
            Integrator::Langevin { .. } => f64::NAN,
            Integrator::Mtk(c) => k + u + c.energy(self.dof()),
        };
        Observables {
            step: self.state.step,
            time: self.state.step as f64 * self.options.dt,
            temperature: 2.0 * k / self.dof(),
            potential_energy: u,
            kinetic_energy: k,
            pressure,
            density: n / volume,
            packing_fraction: packing_fraction(&self.state.type_counts(), &self.bh, volume),
            conserved,
        }
    }
}

enum Params {
    Nve,
    Langevin { kt: f64, gamma: f64, seed: u64 },
    Mtk,
}

impl Integrator {
    fn clone_params(&self) -> Params {
        match self {
            Integrator::Nve => Params::Nve,
            Integrator::Langevin { kt, gamma, seed } => Params::Langevin {
                kt: *kt,
                gamma: *gamma,
                seed: *seed,
            },
            Integrator::Mtk(_) => Params::Mtk,
        }
    }
}

/// [`MdError::OutsideWall`] for the first particle (lowest index) on or beyond the droplet's
/// wall of `radius`, or with a position that is not a number; the ranges run on `threads`.
fn check_inside(state: &State, radius: f64, threads: &Threads) -> Result<(), MdError> {
    let outside = |p: &[f64; 3]| {
        let distance = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
        (distance.is_nan() || distance >= radius).then_some(distance)
    };
    let mut slabs: Vec<_> = threads::ranges(state.len(), threads.count())
        .into_iter()
        .map(|r| (r, None))
        .collect();
    // each range's first particle outside; the first range's with one is the first of all
    threads.each_mut(&mut slabs, |(r, first)| {
        *first = state.pos[r.clone()]
            .iter()
            .enumerate()
            .find_map(|(k, p)| outside(p).map(|d| (r.start + k, d)));
    });
    match slabs.into_iter().find_map(|(_, first)| first) {
        Some((index, distance)) => Err(MdError::OutsideWall {
            index,
            distance,
            radius,
            step: state.step,
        }),
        None => Ok(()),
    }
}
