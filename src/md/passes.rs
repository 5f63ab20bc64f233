//! The per-particle passes of a step on several threads ([`super::threads`]): each range of
//! particles does, particle by particle, the serial step's arithmetic in the serial order, so
//! the result is bit-identical to the serial loops of [`super::simulation`] (which one thread
//! runs unchanged).

use std::ops::Range;

use super::philox::langevin_noise;
use super::state::State;
use super::threads::{ranges, split_mut, Threads};
use crate::model::wrap_edge;

/// What the pass before the force evaluation does to each particle.
#[derive(Clone, Copy, Debug)]
pub(super) struct FirstHalf {
    /// Time step.
    pub dt: f64,
    /// BAOAB's O part (c₁, c₂√kT, seed); `None`: velocity Verlet (NVE).
    pub langevin: Option<(f64, f64, u64)>,
    /// Wrap into the periodic box of these edges afterwards (no compression this step).
    pub wrap: Option<[f64; 3]>,
}

/// Copies of positions, velocities and images taken before a step.
pub(super) struct Saved<'a> {
    /// Positions.
    pub pos: &'a mut [[f64; 3]],
    /// Velocities.
    pub vel: &'a mut [[f64; 3]],
    /// Image counters.
    pub image: &'a mut [[i32; 3]],
}

/// One range's slices.
struct Slab<'a> {
    first: usize,
    pos: &'a mut [[f64; 3]],
    vel: &'a mut [[f64; 3]],
    image: &'a mut [[i32; 3]],
    force: &'a [[f64; 3]],
    saved: Option<Saved<'a>>,
    ok: bool,
}

fn slabs<'a>(
    state: &'a mut State,
    saved: Option<Saved<'a>>,
    ranges: &[Range<usize>],
) -> Vec<Slab<'a>> {
    let force = &state.force;
    let mut saved_pieces: Vec<Option<Saved<'a>>> = match saved {
        Some(s) => split_mut(s.pos, ranges)
            .into_iter()
            .zip(split_mut(s.vel, ranges))
            .zip(split_mut(s.image, ranges))
            .map(|((pos, vel), image)| Some(Saved { pos, vel, image }))
            .collect(),
        None => ranges.iter().map(|_| None).collect(),
    };
    split_mut(&mut state.pos, ranges)
        .into_iter()
        .zip(split_mut(&mut state.vel, ranges))
        .zip(split_mut(&mut state.image, ranges))
        .zip(ranges)
        .zip(saved_pieces.iter_mut())
        .map(|((((pos, vel), image), r), saved)| Slab {
            first: r.start,
            pos,
            vel,
            image,
            force: &force[r.clone()],
            saved: saved.take(),
            ok: true,
        })
        .collect()
}

/// Saves each particle into `saved`, then its half kick, drift (Langevin: half drift, O
/// update, half drift; SCIENCE.md §1 "Dynamics") and wrap, for the step `state.step`.
pub(super) fn first_half(threads: &Threads, state: &mut State, saved: Saved<'_>, how: FirstHalf) {
    let step = state.step;
    let parts = ranges(state.len(), threads.count());
    let mut slabs = slabs(state, Some(saved), &parts);
    let kick = 0.5 * how.dt;
    let drift = match how.langevin {
        Some(_) => 0.5 * how.dt,
        None => how.dt,
    };
    threads.each_mut(&mut slabs, |s| {
        if let Some(saved) = &mut s.saved {
            saved.pos.copy_from_slice(s.pos);
            saved.vel.copy_from_slice(s.vel);
            saved.image.copy_from_slice(s.image);
        }
        // The serial loops, on sub-blocks that stay in the L1 cache (the noise loop vectorises).
        for (b, ((pos, vel), force)) in s
            .pos
            .chunks_mut(SUB_BLOCK)
            .zip(s.vel.chunks_mut(SUB_BLOCK))
            .zip(s.force.chunks(SUB_BLOCK))
            .enumerate()
        {
            for (v, f) in vel.iter_mut().zip(force) {
                v[0] += kick * f[0];
                v[1] += kick * f[1];
                v[2] += kick * f[2];
            }
            drift_by(pos, vel, drift);
            if let Some((c1, c2, seed)) = how.langevin {
                let first = s.first + b * SUB_BLOCK;
                for (k, v) in vel.iter_mut().enumerate() {
                    let xi = langevin_noise(seed, step, (first + k) as u32);
                    v[0] = c1 * v[0] + c2 * xi[0];
                    v[1] = c1 * v[1] + c2 * xi[1];
                    v[2] = c1 * v[2] + c2 * xi[2];
                }
                drift_by(pos, vel, drift);
            }
        }
        if let Some(l) = how.wrap {
            for (p, img) in s.pos.iter_mut().zip(s.image.iter_mut()) {
                for d in 0..3 {
                    let (x, shift) = wrap_edge(p[d], l[d]);
                    p[d] = x;
                    img[d] += shift;
                }
            }
        }
    });
}

/// Particles per sub-block of [`first_half`].
const SUB_BLOCK: usize = 512;

/// p += h·v.
fn drift_by(pos: &mut [[f64; 3]], vel: &[[f64; 3]], h: f64) {
    for (p, v) in pos.iter_mut().zip(vel) {
        p[0] += h * v[0];
        p[1] += h * v[1];
        p[2] += h * v[2];
    }
}

/// The closing half kick v += h·f; returns whether every position and velocity is finite.
pub(super) fn kick_and_check(threads: &Threads, state: &mut State, h: f64) -> bool {
    let parts = ranges(state.len(), threads.count());
    let mut slabs = slabs(state, None, &parts);
    threads.each_mut(&mut slabs, |s| {
        for (v, f) in s.vel.iter_mut().zip(s.force) {
            v[0] += h * f[0];
            v[1] += h * f[1];
            v[2] += h * f[2];
        }
        s.ok = s
            .pos
            .iter()
            .chain(s.vel.iter())
            .all(|x| x.iter().all(|c| c.is_finite()));
    });
    slabs.iter().all(|s| s.ok)
}
