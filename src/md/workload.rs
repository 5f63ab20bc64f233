//! The fixed benchmark workload of issue #3: a 1:2 AlB₂ crystal (a = c, both species at
//! σ_L = 1, σ_S = 0.55) at ρσ³ = 2.0, ε = 1 at kT = 0.4 (ε/kT = 2.5), Mie 50–25 with
//! r_cut = 1.5 σ_ij and shift, skin 0.3, Δt = 0.001, BAOAB Langevin (γ = 1), on one thread
//! unless told otherwise ([`Simulation::set_threads`]).
//! The same function serves `bnsl bench md`, the LAMMPS comparison script and the page.

use super::error::MdError;
use super::init::{lattice, maxwell_boltzmann};
use super::integrator::Integrator;
use super::simulation::{SimOptions, Simulation};
use super::state::State;
use crate::lattice::{Diameters, UnitCell};
use crate::model::{PairRule, PairTable};

/// Number density of the workload.
pub const DENSITY: f64 = 2.0;
/// kT of the workload (ε = 1).
pub const KT: f64 = 0.4;

/// The unit-cell counts (orthohexagonal AlB₂ cells of 6 particles) whose product is
/// `n / 6` (rounded) and whose box is the most nearly cubic.
#[must_use]
pub fn cell_counts(n: usize) -> [usize; 3] {
    let cells = (n as f64 / 6.0).round().max(1.0) as usize;
    let edges = [1.0, 3f64.sqrt(), 1.0];
    let mut best = [cells, 1, 1];
    let mut best_score = f64::INFINITY;
    for nx in 1..=cells {
        if !cells.is_multiple_of(nx) {
            continue;
        }
        for ny in 1..=cells / nx {
            if !(cells / nx).is_multiple_of(ny) {
                continue;
            }
            let nz = cells / nx / ny;
            let l = [
                nx as f64 * edges[0],
                ny as f64 * edges[1],
                nz as f64 * edges[2],
            ];
            let score = l.iter().copied().fold(0.0, f64::max)
                / l.iter().copied().fold(f64::INFINITY, f64::min);
            if score < best_score {
                best_score = score;
                best = [nx, ny, nz];
            }
        }
    }
    best
}

/// Builds the workload with about `n` particles (exactly `n` when `n/6` factors well).
///
/// # Errors
/// [`MdError`] if the set-up fails (it does not for n ≥ 600).
pub fn benchmark_simulation(n: usize, seed: u64) -> Result<Simulation, MdError> {
    // orthohexagonal cell volume √3 a³ holds 6 particles
    let a = libm::cbrt(6.0 / DENSITY / 3f64.sqrt());
    let mut state = lattice(&UnitCell::alb2(a, 1.0), cell_counts(n), Diameters::PAPER)?;
    maxwell_boltzmann(&mut state, KT, seed);
    narrow_well_langevin(state, seed)
}

/// The fixed determinism run: 200 particles (1:2) inserted at ρσ³ = 0.5 in a periodic box
/// (seed 2024), Maxwell–Boltzmann velocities at kT = 0.4, narrow well, 200 BAOAB Langevin
/// steps; returns the fingerprint of the final positions. Native and wasm tests assert the
/// same committed constant.
///
/// # Errors
/// [`MdError`] if a step fails (it does not).
pub fn determinism_fingerprint() -> Result<u64, MdError> {
    determinism_fingerprint_on(1)
}

/// [`determinism_fingerprint`] on `threads` threads (the same number on any).
///
/// # Errors
/// [`MdError`] if a step fails (it does not) or the threads cannot start.
pub fn determinism_fingerprint_on(threads: usize) -> Result<u64, MdError> {
    use crate::model::Geometry;
    let seed = 2024;
    let l = libm::cbrt(200.0 / 0.5);
    let mut state = super::init::random_fluid(
        &["L".to_string(), "S".to_string()],
        &[1.0, 0.55],
        &[67, 133],
        Geometry::Periodic([l; 3]),
        seed,
        0.9,
        None,
    )?;
    maxwell_boltzmann(&mut state, KT, seed);
    let mut sim = narrow_well_langevin(state, seed)?;
    sim.set_threads(threads)?;
    sim.run(200)?;
    Ok(super::fingerprint::fingerprint(&sim.state().pos))
}

/// The workloads' dynamics: narrow well (n = 50, m = 25, ε = 1, r_cut = 1.5 σ_ij, shifted),
/// BAOAB Langevin at kT = 0.4 with γ = 1, dt = 0.001, skin 0.3.
fn narrow_well_langevin(state: State, seed: u64) -> Result<Simulation, MdError> {
    let table = PairTable::additive(&state.type_diameters, PairRule::narrow_well(1.0))?;
    Simulation::new(
        state,
        table,
        Integrator::Langevin {
            kt: KT,
            gamma: 1.0,
            seed,
        },
        SimOptions {
            dt: 0.001,
            skin: 0.3,
            kt: KT,
            wall_epsilon: 1.0,
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn paper_size_factors_exactly() {
        let c = super::cell_counts(27_000);
        assert_eq!(6 * c[0] * c[1] * c[2], 27_000);
    }
}
