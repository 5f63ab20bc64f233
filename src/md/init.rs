//! Initial states (issue #3 "Initial states"): a random non-overlapping fluid (periodic box or
//! droplet), an ideal lattice, a fluid around an embedded crystal seed, and Maxwell–Boltzmann
//! velocities. Randomness from `rand_chacha` with a seed; Gaussian numbers by Box–Muller with
//! `libm`, so that the same seed gives the same state on every platform.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::error::MdError;
use super::state::State;
use crate::lattice::{cluster, crystal, Diameters, UnitCell};
use crate::model::{Frame, Geometry};

/// Random insertion: a trial position is accepted when it is at least `min_factor`·σ_ij
/// (σ_ij = (d_i + d_j)/2) from every particle placed so far. Particles are placed type by
/// type (`counts[t]` of type `t` with diameter `diameters[t]`), each type's particles in
/// random positions; `existing` particles (a seed) are kept and avoided.
///
/// # Errors
/// [`MdError::Init`] when a particle cannot be placed in 10,000 trials (density too high).
#[allow(clippy::too_many_arguments)]
pub fn random_fluid(
    types: &[String],
    diameters: &[f64],
    counts: &[usize],
    geometry: Geometry,
    seed: u64,
    min_factor: f64,
    existing: Option<&Frame>,
) -> Result<State, MdError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dmax = diameters.iter().copied().fold(0.0, f64::max);
    let cell = (dmax * min_factor).max(1e-3);
    let (lo, extent, periodic, radius) = match geometry {
        Geometry::Periodic(l) => (l.map(|x| -0.5 * x), l, true, f64::INFINITY),
        Geometry::Open { radius: Some(r) } => ([-r; 3], [2.0 * r; 3], false, r),
        Geometry::Open { radius: None } => {
            return Err(MdError::Init(
                "a random fluid needs a periodic box or a droplet radius".into(),
            ))
        }
    };
    let nc = extent.map(|e| ((e / cell).floor() as usize).clamp(1, 512));
    let side = [0, 1, 2].map(|k| extent[k] / nc[k] as f64);
    let mut grid: Vec<Vec<u32>> = vec![Vec::new(); nc[0] * nc[1] * nc[2]];
    let cell_of = |p: &[f64; 3]| -> [usize; 3] {
        [0, 1, 2].map(|k| (((p[k] - lo[k]) / side[k]).floor().max(0.0) as usize).min(nc[k] - 1))
    };
    let mut pos: Vec<[f64; 3]> = Vec::new();
    let mut typeid: Vec<u32> = Vec::new();
    if let Some(seed_frame) = existing {
        for (p, &t) in seed_frame.positions.iter().zip(&seed_frame.typeid) {
            let c = cell_of(p);
            grid[(c[2] * nc[1] + c[1]) * nc[0] + c[0]].push(pos.len() as u32);
            pos.push(*p);
            typeid.push(t);
        }
    }
    for (t, &count) in counts.iter().enumerate() {
        let d = diameters[t];
        for _ in 0..count {
            let mut placed = false;
            for _ in 0..10_000 {
                let p = [0, 1, 2].map(|k| lo[k] + extent[k] * rng.gen::<f64>());
                if !periodic {
                    let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
                    if r > radius - 0.5 * d * super::super::model::wall::WCA_CUT {
                        continue;
                    }
                }
                if fits(
                    &p,
                    d,
                    &pos,
                    &typeid,
                    diameters,
                    &grid,
                    nc,
                    cell_of(&p),
                    &geometry,
                    min_factor,
                ) {
                    let c = cell_of(&p);
                    grid[(c[2] * nc[1] + c[1]) * nc[0] + c[0]].push(pos.len() as u32);
                    pos.push(p);
                    typeid.push(t as u32);
                    placed = true;
                    break;
                }
            }
            if !placed {
                return Err(MdError::Init(format!(
                    "could not place particle {} (type {}) without overlap: density too high for random insertion",
                    pos.len(),
                    types[t]
                )));
            }
        }
    }
    let n = pos.len();
    let mut state = State {
        geometry,
        types: types.to_vec(),
        type_diameters: diameters.to_vec(),
        pos,
        vel: vec![[0.0; 3]; n],
        force: vec![[0.0; 3]; n],
        typeid,
        image: vec![[0; 3]; n],
        step: 0,
    };
    state.wrap();
    Ok(state)
}

/// Renumbers the particles by cells whose side is twice the largest diameter, along z, then
/// y, then x (in a cell they keep their order), so that neighbours get near numbers.
/// Positions, velocities, images and types move together; nothing else changes.
pub fn order_by_cells(state: &mut State) {
    let side = 2.0 * state.type_diameters.iter().copied().fold(0.0, f64::max);
    if state.is_empty() || !(side.is_finite() && side > 0.0) {
        return;
    }
    let low = [0, 1, 2].map(|k| state.pos.iter().map(|p| p[k]).fold(f64::INFINITY, f64::min));
    let cell = |p: &[f64; 3]| [2, 1, 0].map(|k| ((p[k] - low[k]) / side).floor() as i64);
    let mut order: Vec<usize> = (0..state.len()).collect();
    order.sort_by_cached_key(|&i| cell(&state.pos[i]));
    state.pos = order.iter().map(|&i| state.pos[i]).collect();
    state.vel = order.iter().map(|&i| state.vel[i]).collect();
    state.image = order.iter().map(|&i| state.image[i]).collect();
    state.typeid = order.iter().map(|&i| state.typeid[i]).collect();
}

#[allow(clippy::too_many_arguments)]
fn fits(
    p: &[f64; 3],
    d: f64,
    pos: &[[f64; 3]],
    typeid: &[u32],
    diameters: &[f64],
    grid: &[Vec<u32>],
    nc: [usize; 3],
    c: [usize; 3],
    geometry: &Geometry,
    min_factor: f64,
) -> bool {
    let periodic = geometry.is_periodic();
    let image = geometry.minimum_image();
    let range = |k: usize| -> Vec<usize> {
        let n = nc[k] as i64;
        let mut v: Vec<usize> = (-1i64..=1)
            .filter_map(|o| {
                let x = c[k] as i64 + o;
                if periodic {
                    Some(x.rem_euclid(n) as usize)
                } else if x >= 0 && x < n {
                    Some(x as usize)
                } else {
                    None
                }
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (rx, ry, rz) = (range(0), range(1), range(2));
    for &z in &rz {
        for &y in &ry {
            for &x in &rx {
                for &j in &grid[(z * nc[1] + y) * nc[0] + x] {
                    // Seed particles may lie outside the box until the state is wrapped.
                    let r2 = image.distance2(*p, geometry.wrap(pos[j as usize]));
                    let s = min_factor * 0.5 * (d + diameters[typeid[j as usize] as usize]);
                    if r2 < s * s {
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// An ideal crystal of `cells` orthorhombic unit cells (from [`crate::lattice`]), types L, S.
///
/// # Errors
/// [`MdError`] when the lattice frame is inconsistent.
pub fn lattice(cell: &UnitCell, cells: [usize; 3], diameters: Diameters) -> Result<State, MdError> {
    State::from_frame(&crystal(cell, cells, diameters))
}

/// A fluid with an embedded crystal seed: a spherical cluster of `seed_radius` cut from `cell`,
/// at the centre, surrounded by a random fluid of `counts` (types L, S) in `geometry`.
///
/// # Errors
/// [`MdError::Init`] when the fluid cannot be inserted.
#[allow(clippy::too_many_arguments)]
pub fn seeded_fluid(
    cell: &UnitCell,
    seed_radius: f64,
    diameters: Diameters,
    counts: [usize; 2],
    geometry: Geometry,
    seed: u64,
    min_factor: f64,
) -> Result<State, MdError> {
    let crystal_seed = cluster(cell, seed_radius, diameters);
    let seed_counts = [0u32, 1].map(|t| crystal_seed.typeid.iter().filter(|&&x| x == t).count());
    let fluid_counts = [
        counts[0].saturating_sub(seed_counts[0]),
        counts[1].saturating_sub(seed_counts[1]),
    ];
    random_fluid(
        &["L".to_string(), "S".to_string()],
        &[diameters.large, diameters.small],
        &fluid_counts,
        geometry,
        seed,
        min_factor,
        Some(&crystal_seed),
    )
}

/// Gives every particle a Maxwell–Boltzmann velocity at `kt` (unit masses), removes the
/// centre-of-mass velocity and rescales to exactly `kt` over 3N − 3 degrees of freedom.
pub fn maxwell_boltzmann(state: &mut State, kt: f64, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_0F7E_10C1_7000);
    let n = state.len();
    let sd = kt.sqrt();
    let mut draw = || {
        let u1: f64 = 1.0 - rng.gen::<f64>();
        let u2: f64 = rng.gen::<f64>();
        (-2.0 * libm::log(u1)).sqrt() * libm::cos(2.0 * std::f64::consts::PI * u2)
    };
    for v in &mut state.vel {
        *v = [sd * draw(), sd * draw(), sd * draw()];
    }
    if n < 2 {
        return;
    }
    let mut com = [0.0; 3];
    for v in &state.vel {
        for k in 0..3 {
            com[k] += v[k];
        }
    }
    for v in &mut state.vel {
        for k in 0..3 {
            v[k] -= com[k] / n as f64;
        }
    }
    let t = 2.0 * state.kinetic_energy() / (3.0 * n as f64 - 3.0);
    if t > 0.0 {
        let s = (kt / t).sqrt();
        for v in &mut state.vel {
            for x in v.iter_mut() {
                *x *= s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_by_cells_renumbers_and_moves_nothing() {
        let names = ["L".to_string(), "S".to_string()];
        let geometry = Geometry::Periodic([8.0; 3]);
        let mut state =
            random_fluid(&names, &[1.0, 0.55], &[100, 200], geometry, 4, 0.9, None).expect("fluid");
        maxwell_boltzmann(&mut state, 0.4, 4);
        let particles = |s: &State| {
            let mut all: Vec<_> = (0..s.len())
                .map(|i| {
                    (
                        s.pos[i].map(f64::to_bits),
                        s.vel[i].map(f64::to_bits),
                        s.typeid[i],
                    )
                })
                .collect();
            all.sort_unstable();
            all
        };
        let before = particles(&state);
        order_by_cells(&mut state);
        assert_eq!(particles(&state), before, "the same particles");
        let low = state.pos.iter().map(|p| p[2]).fold(f64::INFINITY, f64::min);
        let layer: Vec<i64> = state
            .pos
            .iter()
            .map(|p| ((p[2] - low) / 2.0).floor() as i64)
            .collect();
        assert!(
            layer.windows(2).all(|w| w[0] <= w[1]),
            "numbered layer by layer along z"
        );
        assert!(
            state.typeid.windows(2).any(|w| w[0] > w[1]),
            "the types are mixed"
        );
    }
}
