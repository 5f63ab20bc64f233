//! The seed's lattice matched to the fluid's pressure (SCIENCE.md §4, "Seeded growth, measured
//! here"): a seed whose crystal is squeezed or stretched relative to the fluid around it melts
//! or is crushed at once, so its lattice constant a (and c/a where the lattice has one) is
//! chosen so that the crystal, at the run's kT and pair potential, has the fluid's pressure and
//! no stress anisotropy.
//!
//! Each trial is a short Langevin run of a small periodic crystal of the catalogue structure
//! (box edges at least twice the interaction range); the pressure tensor's diagonal
//! P_kk = (Σ_i v_ik² + Σ_{i<j} r_ij,k² F_ij/r_ij)/V (unit masses) is averaged over its second
//! part. The search ([`match_pressure`]) finds roots one variable at a time, robust against
//! the steep (n = 50) cores and the trials' noise: ln a for P = P_target, then ln c/a at that
//! volume for P_zz = (P_xx + P_yy)/2, then ln a again; cubic crystals search ln a alone. The
//! first trial has every bond of the crystal at its pair's potential minimum.

use serde::Serialize;

use super::error::MdError;
use super::integrator::Integrator;
use super::neighbor::NeighborList;
use super::seed_pace::{Pace, PreparationStage};
use super::simulation::{SimOptions, Simulation};
use super::state::State;
use crate::lattice::{crystal, Diameters, UnitCell};
use crate::model::{Geometry, PairTable};

/// How the lattice is searched.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatticeSearch {
    /// Steps of each trial before the pressure is averaged.
    pub equilibrate: u64,
    /// Steps over which it is averaged.
    pub sample: u64,
    /// Steps between two samples.
    pub sample_every: u64,
}

impl Default for LatticeSearch {
    fn default() -> Self {
        Self {
            equilibrate: 500,
            sample: 1_500,
            sample_every: 10,
        }
    }
}

/// The run a trial crystal is simulated with.
#[derive(Clone, Debug)]
pub struct TrialModel {
    /// The pair table of the two types L (0) and S (1).
    pub table: PairTable,
    /// Diameters of L and S.
    pub diameters: Diameters,
    /// kT of the run.
    pub kt: f64,
    /// Time step.
    pub dt: f64,
    /// Neighbour-list skin.
    pub skin: f64,
    /// Seed of the Langevin noise and velocities.
    pub seed: u64,
}

/// One trial crystal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LatticeTrial {
    /// Lattice constant a (σ).
    pub a: f64,
    /// c/a.
    pub c_over_a: f64,
    /// Mean pressure (ε/σ³).
    pub pressure: f64,
    /// Mean P_zz − (P_xx + P_yy)/2.
    pub anisotropy: f64,
}

/// The lattice found and the trials on the way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatticeMatch {
    /// The pressure matched (ε/σ³).
    pub target: f64,
    /// A trial at the lattice found.
    pub best: LatticeTrial,
    /// Every trial in order.
    pub trials: Vec<LatticeTrial>,
}

/// The pressure tensor's diagonal of a periodic state (unit masses), over the pairs within
/// the table's cut-offs (a neighbour list without skin).
///
/// # Errors
/// [`MdError::Init`] for a state that is not periodic; a pair of types not in the table; a box
/// too small for the cut-offs.
pub fn pressure_diagonal(state: &State, table: &PairTable) -> Result<[f64; 3], MdError> {
    let Geometry::Periodic(l) = state.geometry else {
        return Err(MdError::Init(
            "the pressure tensor needs a periodic box".into(),
        ));
    };
    let image = state.geometry.minimum_image();
    let mut pairs = NeighborList::new(table, 0.0)?;
    pairs.build(state)?;
    let mut p = [0.0; 3];
    for v in &state.vel {
        for k in 0..3 {
            p[k] += v[k] * v[k];
        }
    }
    for i in 0..state.len() {
        let partners = &pairs.list[pairs.start[i] as usize..pairs.start[i + 1] as usize];
        for &j in partners {
            let j = j as usize;
            let spec = table.get(state.typeid[i] as usize, state.typeid[j] as usize)?;
            let d = image.delta(state.pos[j], state.pos[i]);
            let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            let (_, f_over_r) = spec.energy_force(r2);
            for k in 0..3 {
                p[k] += d[k] * d[k] * f_over_r;
            }
        }
    }
    let volume = l[0] * l[1] * l[2];
    Ok(p.map(|x| x / volume))
}

/// The cells of the trial crystal of `cell`: box edges at least twice the interaction range
/// (cut-off and skin) and at least two cells.
fn trial_cells(cell: &UnitCell, model: &TrialModel) -> [usize; 3] {
    let range = model.table.max_cutoff() + model.skin;
    let edges = cell.orthorhombic_edges();
    edges.map(|e| ((2.0 * range + 0.2) / e).ceil().max(2.0) as usize)
}

/// Particles of one trial crystal of `cell` (for the preparation's work estimate).
#[must_use]
pub fn trial_particles(cell: &UnitCell, model: &TrialModel) -> usize {
    cell.orthorhombic_basis().len() * trial_cells(cell, model).iter().product::<usize>()
}

/// Trials a search is expected to run (for the work estimate): per root one trial, two to
/// bracket it and three of regula falsi, plus the last trial; three roots for a crystal with
/// c/a, one without.
#[must_use]
pub fn expected_trials(cell: &UnitCell) -> usize {
    if cell.crystal.has_axial_ratio() {
        3 * 6 + 1
    } else {
        6 + 1
    }
}

/// Runs one trial crystal at `a`, `c_over_a` and returns its mean pressure and anisotropy;
/// its steps go through `pace` (the preparation's slices).
///
/// # Errors
/// [`MdError`] when the crystal cannot be built or its run stops.
pub async fn trial(
    cell: &UnitCell,
    model: &TrialModel,
    search: &LatticeSearch,
    pace: &mut Pace<'_>,
) -> Result<LatticeTrial, MdError> {
    let cells = trial_cells(cell, model);
    let mut state = State::from_frame(&crystal(cell, cells, model.diameters))?;
    super::init::maxwell_boltzmann(&mut state, model.kt, model.seed);
    let mut sim = Simulation::new(
        state,
        model.table.clone(),
        Integrator::Langevin {
            kt: model.kt,
            gamma: 1.0,
            seed: model.seed,
        },
        SimOptions {
            dt: model.dt,
            skin: model.skin,
            kt: model.kt,
            wall_epsilon: 1.0,
        },
    )?;
    pace.run(&mut sim, search.equilibrate).await?;
    let every = search.sample_every.max(1);
    let samples = (search.sample / every).max(1);
    let mut sum = [0.0; 3];
    for _ in 0..samples {
        pace.run(&mut sim, every).await?;
        let p = pressure_diagonal(sim.state(), &model.table)?;
        for k in 0..3 {
            sum[k] += p[k];
        }
    }
    let mean = sum.map(|x| x / samples as f64);
    Ok(LatticeTrial {
        a: cell.a,
        c_over_a: cell.c_over_a,
        pressure: (mean[0] + mean[1] + mean[2]) / 3.0,
        anisotropy: mean[2] - 0.5 * (mean[0] + mean[1]),
    })
}

/// The first lattice tried: every bond b_ij of `cell`'s crystal at `c_over_a` at least the
/// pair's potential minimum r_min·σ_ij (r_min/σ = (n/m)^(1/(n−m)), SCIENCE.md §1).
fn contact_a(cell: &UnitCell, model: &TrialModel) -> Result<f64, MdError> {
    let unit = cell.crystal.bond_lengths(1.0, cell.c_over_a);
    let pairs = [(0, 0), (1, 1), (0, 1)];
    let mut a: f64 = 0.0;
    for (k, &(i, j)) in pairs.iter().enumerate() {
        if i >= model.table.ntypes() || j >= model.table.ntypes() || unit[k] <= 0.0 {
            continue;
        }
        let spec = model.table.get(i, j)?;
        let (n, m) = (f64::from(spec.n), f64::from(spec.m));
        let r_min = if spec.m > 0 && spec.n > spec.m {
            libm::pow(n / m, 1.0 / (n - m))
        } else {
            1.0
        };
        a = a.max(r_min * spec.sigma / unit[k]);
    }
    if a > 0.0 && a.is_finite() {
        Ok(a)
    } else {
        Err(MdError::Init(
            "the crystal's bonds give no lattice constant".into(),
        ))
    }
}

/// Which decreasing function of x a root is sought of.
#[derive(Clone, Copy)]
enum Root {
    /// P(ln a = x, ln c/a fixed) − target.
    Pressure {
        /// ln c/a.
        ln_r: f64,
    },
    /// The anisotropy at ln c/a = x, the volume 3 ln a + ln c/a kept.
    Anisotropy {
        /// 3 ln a + ln c/a.
        volume: f64,
    },
}

/// The search's state: the cell, the model and every trial so far.
struct Search<'s> {
    cell: &'s UnitCell,
    model: &'s TrialModel,
    search: &'s LatticeSearch,
    target: f64,
    trials: Vec<LatticeTrial>,
}

impl Search<'_> {
    /// A trial at ln a, ln c/a (recorded).
    async fn run(
        &mut self,
        ln_a: f64,
        ln_r: f64,
        pace: &mut Pace<'_>,
    ) -> Result<LatticeTrial, MdError> {
        pace.enter(PreparationStage::Lattice {
            trial: self.trials.len() + 1,
        });
        let t = trial(
            &UnitCell::of(self.cell.crystal.clone(), libm::exp(ln_a), libm::exp(ln_r)),
            self.model,
            self.search,
            pace,
        )
        .await?;
        self.trials.push(t);
        Ok(t)
    }

    /// The function `root` at x.
    async fn value(&mut self, root: Root, x: f64, pace: &mut Pace<'_>) -> Result<f64, MdError> {
        Ok(match root {
            Root::Pressure { ln_r } => self.run(x, ln_r, pace).await?.pressure - self.target,
            Root::Anisotropy { volume } => self.run((volume - x) / 3.0, x, pace).await?.anisotropy,
        })
    }

    /// Root of the decreasing function `root` of x near `x0`: a bracket found in steps of
    /// `step` (at most 12), then three regula falsi steps (Illinois variant); the root of the
    /// last bracket's chord.
    async fn decreasing_root(
        &mut self,
        root: Root,
        x0: f64,
        step: f64,
        pace: &mut Pace<'_>,
    ) -> Result<f64, MdError> {
        let f0 = self.value(root, x0, pace).await?;
        let dir = if f0 > 0.0 { 1.0 } else { -1.0 };
        let (mut lo, mut flo, mut hi, mut fhi) = (x0, f0, x0, f0);
        let mut bracketed = false;
        for _ in 0..12 {
            let x = hi + dir * step;
            let fx = self.value(root, x, pace).await?;
            (lo, flo) = (hi, fhi);
            (hi, fhi) = (x, fx);
            if fx * f0 <= 0.0 {
                bracketed = true;
                break;
            }
        }
        if !bracketed {
            return Ok(hi);
        }
        let chord = |a: f64, fa: f64, b: f64, fb: f64| {
            if fa == fb {
                0.5 * (a + b)
            } else {
                a - fa * (b - a) / (fb - fa)
            }
        };
        let mut side = 0;
        for _ in 0..3 {
            let x = chord(lo, flo, hi, fhi);
            let fx = self.value(root, x, pace).await?;
            if fx * flo > 0.0 {
                (lo, flo) = (x, fx);
                if side == -1 {
                    fhi *= 0.5;
                }
                side = -1;
            } else {
                (hi, fhi) = (x, fx);
                if side == 1 {
                    flo *= 0.5;
                }
                side = 1;
            }
        }
        Ok(chord(lo, flo, hi, fhi))
    }
}

/// Finds the a (and c/a where the crystal has one; `cell.c_over_a` is where the search
/// starts) at which `cell`'s crystal has pressure `target` and no anisotropy: a at the
/// starting c/a (P falls as a grows), then c/a at that cell volume (the anisotropy falls as
/// c/a grows), then a again at the new c/a; each a root of the trials' means (regula falsi),
/// and one last trial at the lattice found. The trials' steps go through `pace`.
///
/// # Errors
/// [`MdError`] when a trial crystal cannot be run; [`MdError::Init`] for a target that is not
/// finite.
pub async fn match_pressure(
    cell: &UnitCell,
    model: &TrialModel,
    target: f64,
    search: &LatticeSearch,
    pace: &mut Pace<'_>,
) -> Result<LatticeMatch, MdError> {
    if !target.is_finite() {
        return Err(MdError::Init(format!(
            "the fluid's pressure {target} is not a number to match"
        )));
    }
    let mut s = Search {
        cell,
        model,
        search,
        target,
        trials: Vec::new(),
    };
    let mut ln_r = libm::log(cell.c_over_a);
    let mut ln_a = s
        .decreasing_root(
            Root::Pressure { ln_r },
            libm::log(contact_a(cell, model)?),
            0.01,
            pace,
        )
        .await?;
    if cell.crystal.has_axial_ratio() {
        // ln V = 3 ln a + ln(c/a) + const is kept while c/a moves.
        let volume = 3.0 * ln_a + ln_r;
        ln_r = s
            .decreasing_root(Root::Anisotropy { volume }, ln_r, 0.02, pace)
            .await?;
        ln_a = s
            .decreasing_root(Root::Pressure { ln_r }, (volume - ln_r) / 3.0, 0.005, pace)
            .await?;
    }
    let best = s.run(ln_a, ln_r, pace).await?;
    Ok(LatticeMatch {
        target,
        best,
        trials: s.trials,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::md::seed_pace::finish;
    use crate::model::{PairRule, PotentialKind};

    fn narrow() -> TrialModel {
        let rule = PairRule {
            potential: PotentialKind::Mie,
            epsilon: 1.0,
            n: 50,
            m: 25,
            r_cut: 1.5,
            shift: true,
            attractive: true,
        };
        TrialModel {
            table: PairTable::additive(&[1.0, 0.55], rule).expect("table"),
            diameters: Diameters::PAPER,
            kt: 0.4,
            dt: 0.002,
            skin: 0.3,
            seed: 11,
        }
    }

    #[test]
    fn the_tensor_trace_is_the_engine_pressure() {
        let model = narrow();
        let cell = UnitCell::alb2(1.04, 1.03);
        let mut state = State::from_frame(&crystal(&cell, [4, 2, 4], Diameters::PAPER)).expect("s");
        super::super::init::maxwell_boltzmann(&mut state, 0.4, 2);
        let mut sim = Simulation::new(
            state,
            model.table.clone(),
            Integrator::Nve,
            SimOptions::default(),
        )
        .expect("sim");
        sim.run(20).expect("run");
        let p = pressure_diagonal(sim.state(), &model.table).expect("tensor");
        let engine = sim.observables().pressure;
        assert!(((p[0] + p[1] + p[2]) / 3.0 - engine).abs() < 1e-9 * engine.abs().max(1.0));
    }

    #[test]
    fn a_denser_crystal_has_the_higher_pressure_and_the_match_lands_between() {
        let model = narrow();
        let search = LatticeSearch {
            equilibrate: 200,
            sample: 400,
            ..LatticeSearch::default()
        };
        let cell = |a| UnitCell::alb2(a, 1.035);
        let mut quiet = |_| {};
        let mut pace = Pace::new(1, 0, &mut quiet);
        let dense = finish(trial(&cell(1.03), &model, &search, &mut pace)).expect("dense");
        let loose = finish(trial(&cell(1.06), &model, &search, &mut pace)).expect("loose");
        assert!(dense.pressure > loose.pressure + 1.0, "{dense:?} {loose:?}");
        let target = 0.5 * (dense.pressure + loose.pressure);
        let found = finish(match_pressure(
            &cell(1.0),
            &model,
            target,
            &search,
            &mut pace,
        ))
        .expect("match");
        assert!(found.best.a > 1.025 && found.best.a < 1.065, "{found:?}");
        assert!((found.best.pressure - target).abs() < 0.25 * (dense.pressure - loose.pressure));
    }
}
