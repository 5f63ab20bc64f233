//! One-shot evaluation of the Mie potential on a frame (what `bnsl eval` prints): total
//! potential energy, energy per particle, virial pressure W/(3V) (no kinetic term) and the
//! force on every particle. σ_ij = (d_i + d_j)/2 from the particles' stored diameters: every
//! distinct (type, diameter) pair becomes its own sub-type, so polydisperse frames work.

use serde::Serialize;

use super::error::MdError;
use super::forces::compute_forces;
use super::neighbor::NeighborList;
use super::state::State;
use crate::model::{Frame, Geometry, PairRule, PairTable};

/// The result of [`evaluate`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// Total potential energy U.
    pub potential_energy: f64,
    /// U / N.
    pub energy_per_particle: f64,
    /// W / (3V), W = Σ r_ij·f_ij (periodic box or droplet of known radius; else `None`).
    pub virial_pressure: Option<f64>,
    /// Force on each particle, in frame order.
    pub forces: Vec<[f64; 3]>,
}

/// Evaluates `rule` on `frame`.
///
/// # Errors
/// [`MdError`] for non-finite input, a box too small for the cut-off or invalid parameters;
/// [`MdError::Coincident`] when a pair energy is not finite (two particles at one position).
pub fn evaluate(frame: &Frame, rule: PairRule) -> Result<Evaluation, MdError> {
    let (mut state, table) = evaluation_input(frame, rule)?;
    let n = state.len();
    let mut nlist = NeighborList::new(&table, 0.0)?;
    nlist.build(&state)?;
    let sums = compute_forces(&mut state, &nlist, &table, None);
    if let Some(i) = state
        .force
        .iter()
        .position(|f| f.iter().any(|x| !x.is_finite()))
        .or_else(|| (!sums.energy.is_finite()).then_some(0))
    {
        return Err(nearest_pair(&state, i));
    }
    Ok(Evaluation {
        potential_energy: sums.energy,
        energy_per_particle: if n > 0 { sums.energy / n as f64 } else { 0.0 },
        virial_pressure: state.volume().map(|v| sums.virial / (3.0 * v)),
        forces: state.force,
    })
}

/// [`MdError::Coincident`] for particle `i` and its nearest other particle (plain distance of
/// the wrapped positions: coincident particles are at distance 0 either way).
fn nearest_pair(state: &State, i: usize) -> MdError {
    let d2 = |j: usize| -> f64 {
        (0..3)
            .map(|k| (state.pos[i][k] - state.pos[j][k]).powi(2))
            .sum()
    };
    let (j, d2) = (0..state.len())
        .filter(|&j| j != i)
        .map(|j| (j, d2(j)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((i, 0.0));
    MdError::Coincident {
        i: i.min(j),
        j: i.max(j),
        distance: d2.sqrt(),
    }
}

/// The state (wrapped, at rest, one sub-type per distinct (type, diameter)) and pair table
/// that [`evaluate`] evaluates; the GPU path (`bnsl eval --device gpu`) takes the same.
///
/// # Errors
/// As [`evaluate`].
pub fn evaluation_input(frame: &Frame, rule: PairRule) -> Result<(State, PairTable), MdError> {
    let n = frame.len();
    if frame.typeid.len() != n || frame.diameters.len() != n {
        return Err(MdError::Length {
            what: "typeid/diameter",
            got: frame.typeid.len().min(frame.diameters.len()),
            expected: n,
        });
    }
    let mut keys: Vec<(u32, u64)> = frame
        .typeid
        .iter()
        .zip(&frame.diameters)
        .map(|(&t, d)| (t, d.to_bits()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let sub: Vec<u32> = frame
        .typeid
        .iter()
        .zip(&frame.diameters)
        .map(|(&t, d)| keys.binary_search(&(t, d.to_bits())).unwrap_or(0) as u32)
        .collect();
    let diameters: Vec<f64> = keys.iter().map(|k| f64::from_bits(k.1)).collect();
    let table = PairTable::additive(&diameters, rule)?;
    let geometry = match frame.geometry {
        Geometry::Periodic(l) => Geometry::Periodic(l),
        Geometry::Open { radius } => Geometry::Open { radius },
    };
    let mut state = State {
        geometry,
        types: keys
            .iter()
            .map(|k| format!("{}:{}", k.0, f64::from_bits(k.1)))
            .collect(),
        type_diameters: diameters,
        pos: frame.positions.clone(),
        vel: vec![[0.0; 3]; n],
        force: vec![[0.0; 3]; n],
        typeid: sub,
        image: vec![[0; 3]; n],
        step: frame.step,
    };
    state.check_finite()?;
    state.wrap();
    Ok((state, table))
}
