//! A crystal seed cut into an equilibrated fluid (SCIENCE.md §4, "Seeded growth, measured
//! here"): a ball of whole formula units cut from a catalogue crystal, centred in the periodic
//! box, replacing every fluid particle closer than a clearance (0.97 σ_ij) to a seed particle
//! and, where those are fewer than the seed brings, more fluid particles of that species nearest
//! the centre, so that the density stays that of the fluid (it falls by the overlapping ones
//! the seed does not replace, a thin shell around it: reported). The fluid keeps its velocities; the seed's particles get
//! Maxwell–Boltzmann velocities at kT. The seed's particles come first in the new state, so its
//! L are the indices `0..seed_large`.

use serde::Serialize;

use super::error::MdError;
use super::init::maxwell_boltzmann;
use super::state::State;
use crate::lattice::{cluster, Diameters, UnitCell};
use crate::model::{Frame, Geometry};

/// What an insertion did: the seed's counts and lattice, the fluid particles it replaced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Insertion {
    /// L in the seed (its particles `0..seed_large` of the new state).
    pub seed_large: usize,
    /// S in the seed (the particles `seed_large..seed_large + seed_small`).
    pub seed_small: usize,
    /// Fluid L removed (as many as the seed brings, plus the overlapping ones).
    pub removed_large: usize,
    /// Fluid S removed.
    pub removed_small: usize,
    /// Number density N/V of the fluid before the insertion (σ⁻³).
    pub density_before: f64,
    /// Number density after it.
    pub density_after: f64,
}

/// A ball of whole formula units of `cell`'s crystal around the origin (a lattice point): the L
/// sites within `radius`, their number made a multiple of the formula's L count (the farthest
/// dropped), and exactly as many S as the formula gives them, the S sites nearest the centre.
/// A crystal of one species is the plain ball. Types `["L", "S"]`, open space.
#[must_use]
pub fn formula_ball(cell: &UnitCell, radius: f64, diameters: Diameters) -> Frame {
    let (per_l, per_s) = cell.crystal.counts();
    let margin = cell.orthorhombic_edges().into_iter().fold(0.0, f64::max);
    let all = cluster(cell, radius + 2.0 * margin, diameters);
    let r2 = |p: &[f64; 3]| p[0] * p[0] + p[1] * p[1] + p[2] * p[2];
    let sorted = |t: u32| -> Vec<usize> {
        let mut v: Vec<usize> = (0..all.len()).filter(|&i| all.typeid[i] == t).collect();
        v.sort_by(|&i, &j| {
            r2(&all.positions[i])
                .total_cmp(&r2(&all.positions[j]))
                .then(i.cmp(&j))
        });
        v
    };
    let large = sorted(0);
    let mut take_l = large
        .iter()
        .take_while(|&&i| r2(&all.positions[i]) <= radius * radius)
        .count();
    let take_s = if per_l == 0 || per_s == 0 {
        if per_l == 0 {
            take_l = 0;
        }
        sorted(1)
            .iter()
            .take_while(|&&i| r2(&all.positions[i]) <= radius * radius)
            .count()
    } else {
        let g = gcd(per_l, per_s);
        take_l -= take_l % (per_l / g);
        take_l * per_s / per_l
    };
    let small = sorted(1);
    let pick: Vec<usize> = large[..take_l]
        .iter()
        .chain(&small[..take_s.min(small.len())])
        .copied()
        .collect();
    Frame {
        step: 0,
        geometry: Geometry::Open { radius: None },
        types: all.types.clone(),
        positions: pick.iter().map(|&i| all.positions[i]).collect(),
        typeid: pick.iter().map(|&i| all.typeid[i]).collect(),
        diameters: pick.iter().map(|&i| all.diameters[i]).collect(),
        velocities: None,
        images: None,
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a.max(1)
    } else {
        gcd(b, a % b)
    }
}

/// Cuts `seed` (a [`formula_ball`] around the origin, types L = 0, S = 1) into the periodic
/// `fluid` at the box centre: removes every fluid particle closer than `clearance`·σ_ij to a
/// seed particle and, where those are fewer than the seed brings of a species, the fluid
/// particles of that species nearest the centre until they are as many; the
/// seed's particles come first, with Maxwell–Boltzmann velocities at `kt` (from `rng_seed`).
/// The step counter starts again at 0.
///
/// # Errors
/// [`MdError::Init`] when the fluid is not periodic, has no types "L" and "S", or has fewer
/// particles of a species than the seed brings, or the seed does not fit in the box.
pub fn insert_seed(
    fluid: &State,
    seed: &Frame,
    clearance: f64,
    kt: f64,
    rng_seed: u64,
) -> Result<(State, Insertion), MdError> {
    let Geometry::Periodic(lengths) = fluid.geometry else {
        return Err(MdError::Init(
            "a seed is cut into a fluid in a periodic box".into(),
        ));
    };
    let type_of = |name: &str| {
        fluid
            .types
            .iter()
            .position(|t| t == name)
            .map(|i| i as u32)
            .ok_or_else(|| {
                MdError::Init(format!(
                    "the fluid has no type \"{name}\" (its types: {:?})",
                    fluid.types
                ))
            })
    };
    let species = [type_of("L")?, type_of("S")?];
    let seed_counts = [0u32, 1].map(|t| seed.typeid.iter().filter(|&&x| x == t).count());
    let reach = seed
        .positions
        .iter()
        .map(|p| (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt())
        .fold(0.0, f64::max);
    let shortest = lengths.into_iter().fold(f64::INFINITY, f64::min);
    if 2.0 * reach + 1.0 >= shortest {
        return Err(MdError::Init(format!(
            "the seed (radius {reach:.2} σ) does not fit in the box (edge {shortest:.2} σ)"
        )));
    }
    let image = fluid.geometry.minimum_image();
    let seed_diameter = |t: u32| fluid.type_diameters[species[t.min(1) as usize] as usize];
    // Every fluid particle overlapping the seed goes; then, of each species, those nearest
    // the centre until as many are gone as the seed brings.
    let mut remove: Vec<bool> = (0..fluid.len())
        .map(|i| {
            let d = fluid.type_diameters[fluid.typeid[i] as usize];
            seed.positions.iter().zip(&seed.typeid).any(|(p, &t)| {
                let s = clearance * 0.5 * (d + seed_diameter(t));
                image.distance2(fluid.pos[i], *p) < s * s
            })
        })
        .collect();
    let mut removed = [0usize; 2];
    for (k, &t) in species.iter().enumerate() {
        let mut members: Vec<usize> = (0..fluid.len()).filter(|&i| fluid.typeid[i] == t).collect();
        if members.len() < seed_counts[k] {
            return Err(MdError::Init(format!(
                "the fluid has {} {} particles, fewer than the {} the seed brings",
                members.len(),
                fluid.types[t as usize],
                seed_counts[k]
            )));
        }
        let centre = |i: usize| image.distance2(fluid.pos[i], [0.0; 3]);
        members.sort_by(|&i, &j| centre(i).total_cmp(&centre(j)).then(i.cmp(&j)));
        let mut gone = members.iter().filter(|&&i| remove[i]).count();
        for &i in &members {
            if gone >= seed_counts[k] {
                break;
            }
            if !remove[i] {
                remove[i] = true;
                gone += 1;
            }
        }
        removed[k] = gone;
    }
    let mut out = State {
        geometry: fluid.geometry,
        types: fluid.types.clone(),
        type_diameters: fluid.type_diameters.clone(),
        pos: seed
            .positions
            .iter()
            .map(|&p| fluid.geometry.wrap(p))
            .collect(),
        vel: vec![[0.0; 3]; seed.len()],
        force: vec![[0.0; 3]; seed.len()],
        typeid: seed
            .typeid
            .iter()
            .map(|&t| species[t.min(1) as usize])
            .collect(),
        image: vec![[0; 3]; seed.len()],
        step: 0,
    };
    maxwell_boltzmann(&mut out, kt, rng_seed);
    for i in (0..fluid.len()).filter(|&i| !remove[i]) {
        out.pos.push(fluid.pos[i]);
        out.vel.push(fluid.vel[i]);
        out.force.push([0.0; 3]);
        out.typeid.push(fluid.typeid[i]);
        out.image.push([0; 3]);
    }
    let volume = lengths[0] * lengths[1] * lengths[2];
    let density_after = out.len() as f64 / volume;
    Ok((
        out,
        Insertion {
            seed_large: seed_counts[0],
            seed_small: seed_counts[1],
            removed_large: removed[0],
            removed_small: removed[1],
            density_before: fluid.len() as f64 / volume,
            density_after,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::Structure;
    use crate::md::init::random_fluid;

    #[test]
    fn a_ball_holds_whole_formula_units() {
        for (structure, a, ratio) in [(Structure::Alb2, 1.034, 2), (Structure::Nazn13, 2.74, 13)] {
            for radius in [2.5, 3.3, 4.0] {
                let ball = formula_ball(
                    &UnitCell::new(structure, a, 1.035),
                    radius,
                    Diameters::PAPER,
                );
                let l = ball.typeid.iter().filter(|&&t| t == 0).count();
                let s = ball.len() - l;
                assert!(l > 0, "{structure:?} {radius}");
                assert_eq!(s, ratio * l, "{structure:?} at radius {radius}");
            }
        }
        let fcc = formula_ball(&UnitCell::fcc(1.45), 3.0, Diameters::PAPER);
        assert!(fcc.typeid.iter().all(|&t| t == 0) && fcc.len() > 40);
    }

    #[test]
    fn insertion_keeps_counts_and_clears_overlaps() {
        let fluid = random_fluid(
            &["L".into(), "S".into()],
            &[1.0, 0.55],
            &[300, 600],
            Geometry::Periodic([10.0; 3]),
            3,
            1.0,
            None,
        )
        .expect("fluid");
        let seed = formula_ball(&UnitCell::alb2(1.05, 1.03), 2.6, Diameters::PAPER);
        let (state, ins) = insert_seed(&fluid, &seed, 0.97, 0.4, 5).expect("inserted");
        assert_eq!(ins.seed_small, 2 * ins.seed_large);
        assert!(ins.removed_large >= ins.seed_large && ins.removed_small >= ins.seed_small);
        let l = state.typeid.iter().filter(|&&t| t == 0).count();
        assert_eq!(l, 300 - ins.removed_large + ins.seed_large);
        assert_eq!(
            state.len(),
            900 - ins.removed_large - ins.removed_small + seed.len()
        );
        assert!(ins.density_after <= ins.density_before);
        let image = state.geometry.minimum_image();
        for i in 0..seed.len() {
            for j in seed.len()..state.len() {
                let s = 0.97
                    * 0.5
                    * (state.type_diameters[state.typeid[i] as usize]
                        + state.type_diameters[state.typeid[j] as usize]);
                assert!(image.distance2(state.pos[i], state.pos[j]) >= s * s);
            }
        }
        assert!(state.vel[..seed.len()].iter().any(|v| *v != [0.0; 3]));
    }
}
