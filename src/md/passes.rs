//! The per-particle passes of a BAOAB Langevin or NVE step on the engine's threads
//! ([`super::threads`]; one thread runs them as one range): each range of particles does,
//! particle by particle, the step's arithmetic in the order of SCIENCE.md §1 "Dynamics", so the
//! result does not depend on the number of ranges. With the centre of mass fixed, the mean
//! velocity after the O part is a sum over all particles in index order (serial, between two
//! passes: [`first_half`] stops after the O part, [`center_and_drift`] goes on).

use std::ops::Range;

use super::neighbor::Displacements;
use super::philox::langevin_noise;
use super::state::{wrap_into, State};
use super::threads::{ranges, split_mut, Threads};

/// What the pass before the force evaluation does to each particle.
#[derive(Clone, Copy, Debug)]
pub(super) struct FirstHalf {
    /// Time step.
    pub dt: f64,
    /// BAOAB's O part (c₁, c₂√kT, seed); `None`: velocity Verlet (NVE).
    pub langevin: Option<(f64, f64, u64)>,
    /// Wrap into the periodic box of these edges afterwards (no compression this step).
    pub wrap: Option<[f64; 3]>,
    /// The centre of mass is fixed: the pass stops after the O part (the mean velocity is
    /// taken off next, [`center_and_drift`]).
    pub center: bool,
    /// MTK: the chain's factor for the velocities before the kick.
    pub scale: Option<f64>,
}

/// Where the pass writes the particles' new positions, velocities and images; it then swaps
/// them with the state's, so that these keep the state before the step.
pub(super) struct Before<'a> {
    /// Positions.
    pub pos: &'a mut Vec<[f64; 3]>,
    /// Velocities.
    pub vel: &'a mut Vec<[f64; 3]>,
    /// Image counters.
    pub image: &'a mut Vec<[i32; 3]>,
}

/// One range's slices: the state before the step (`old_*`, forces) and after the pass.
struct Slab<'a> {
    first: usize,
    old_pos: &'a [[f64; 3]],
    old_vel: &'a [[f64; 3]],
    old_image: &'a [[i32; 3]],
    force: &'a [[f64; 3]],
    pos: &'a mut [[f64; 3]],
    vel: &'a mut [[f64; 3]],
    image: &'a mut [[i32; 3]],
    moved: bool,
}

/// Each particle's half kick, drift (Langevin: half drift, O update, half drift) and wrap for
/// the step `state.step`, written into `before`, which then trades places with the state.
/// With `displacements`, also returns whether a particle moved far enough from the list's
/// build to need a rebuild (tested on the new positions; `false` without). With
/// `how.center`, only up to the O update.
pub(super) fn first_half(
    threads: &Threads,
    state: &mut State,
    before: Before<'_>,
    how: FirstHalf,
    displacements: Option<&Displacements<'_>>,
) -> bool {
    let n = state.len();
    before.pos.resize(n, [0.0; 3]);
    before.vel.resize(n, [0.0; 3]);
    before.image.resize(n, [0; 3]);
    let parts = ranges(n, threads.count());
    let mut slabs: Vec<Slab<'_>> = split_mut(before.pos, &parts)
        .into_iter()
        .zip(split_mut(before.vel, &parts))
        .zip(split_mut(before.image, &parts))
        .zip(&parts)
        .map(|(((pos, vel), image), r)| Slab {
            first: r.start,
            old_pos: &state.pos[r.clone()],
            old_vel: &state.vel[r.clone()],
            old_image: &state.image[r.clone()],
            force: &state.force[r.clone()],
            pos,
            vel,
            image,
            moved: false,
        })
        .collect();
    let step = state.step;
    threads.each_mut(&mut slabs, |s| {
        first_half_range(s, how, step, displacements)
    });
    let moved = slabs.iter().any(|s| s.moved);
    std::mem::swap(&mut state.pos, before.pos);
    std::mem::swap(&mut state.vel, before.vel);
    std::mem::swap(&mut state.image, before.image);
    moved
}

/// [`first_half`] on one range, in sub-blocks that stay in the L1 cache (the noise loop
/// vectorises).
fn first_half_range(
    s: &mut Slab<'_>,
    how: FirstHalf,
    step: u64,
    displacements: Option<&Displacements<'_>>,
) {
    let kick = 0.5 * how.dt;
    let drift = match how.langevin {
        Some(_) => 0.5 * how.dt,
        None => how.dt,
    };
    let blocks = sub_blocks(s.pos.len());
    for b in blocks {
        let (pos, vel, image) = (
            &mut s.pos[b.clone()],
            &mut s.vel[b.clone()],
            &mut s.image[b.clone()],
        );
        let old = s.old_vel[b.clone()].iter().zip(&s.force[b.clone()]);
        if let Some(c) = how.scale {
            for (v, (v0, f)) in vel.iter_mut().zip(old) {
                v[0] = v0[0] * c + kick * f[0];
                v[1] = v0[1] * c + kick * f[1];
                v[2] = v0[2] * c + kick * f[2];
            }
        } else {
            for (v, (v0, f)) in vel.iter_mut().zip(old) {
                v[0] = v0[0] + kick * f[0];
                v[1] = v0[1] + kick * f[1];
                v[2] = v0[2] + kick * f[2];
            }
        }
        for ((p, p0), v) in pos.iter_mut().zip(&s.old_pos[b.clone()]).zip(&*vel) {
            p[0] = p0[0] + drift * v[0];
            p[1] = p0[1] + drift * v[1];
            p[2] = p0[2] + drift * v[2];
        }
        if let Some((c1, c2, seed)) = how.langevin {
            let first = s.first + b.start;
            for (k, v) in vel.iter_mut().enumerate() {
                let xi = langevin_noise(seed, step, (first + k) as u32);
                v[0] = c1 * v[0] + c2 * xi[0];
                v[1] = c1 * v[1] + c2 * xi[1];
                v[2] = c1 * v[2] + c2 * xi[2];
            }
            if !how.center {
                add_drift(pos, vel, drift);
            }
        }
        image.copy_from_slice(&s.old_image[b.clone()]);
        if !how.center {
            let test = if s.moved { None } else { displacements };
            s.moved |= wrap_and_test(s.first + b.start, pos, image, how.wrap, test);
        }
    }
}

/// p += h·v for each particle.
fn add_drift(pos: &mut [[f64; 3]], vel: &[[f64; 3]], h: f64) {
    for (p, v) in pos.iter_mut().zip(vel) {
        p[0] += h * v[0];
        p[1] += h * v[1];
        p[2] += h * v[2];
    }
}

/// Wraps the particles `first..` (`pos`, `image`) into the box of edges `wrap` (when given)
/// and returns whether one moved too far from the list's build (`false` without a test).
fn wrap_and_test(
    first: usize,
    pos: &mut [[f64; 3]],
    image: &mut [[i32; 3]],
    wrap: Option<[f64; 3]>,
    displacements: Option<&Displacements<'_>>,
) -> bool {
    if let Some(l) = wrap {
        wrap_into(l, pos, image);
    }
    displacements.is_some_and(|test| test.too_far(first, pos))
}

/// A compression step in a periodic box, after the box took its new edges: each particle's
/// position scaled by `scale` (new edge over old, per axis), then wrapped into the new box.
pub(super) fn rescale_and_wrap(threads: &Threads, state: &mut State, scale: [f64; 3]) {
    let Some(l) = state.geometry.box_lengths() else {
        return;
    };
    let parts = ranges(state.len(), threads.count());
    let mut slabs: Vec<_> = split_mut(&mut state.pos, &parts)
        .into_iter()
        .zip(split_mut(&mut state.image, &parts))
        .collect();
    threads.each_mut(&mut slabs, |(pos, image)| {
        for p in pos.iter_mut() {
            for k in 0..3 {
                p[k] *= scale[k];
            }
        }
        wrap_into(l, pos, image);
    });
}

/// One range's slices for [`center_and_drift`].
struct CenterSlab<'a> {
    first: usize,
    pos: &'a mut [[f64; 3]],
    vel: &'a mut [[f64; 3]],
    image: &'a mut [[i32; 3]],
    moved: bool,
}

/// The rest of a Langevin step's first half with the centre of mass fixed, after
/// [`first_half`] with `how.center`: each particle's velocity less `mean` (the mean velocity
/// after the O part), the second half drift and the wrap; returns whether a particle moved
/// too far from the list's build (as [`first_half`]).
pub(super) fn center_and_drift(
    threads: &Threads,
    state: &mut State,
    mean: [f64; 3],
    how: FirstHalf,
    displacements: Option<&Displacements<'_>>,
) -> bool {
    let parts = ranges(state.len(), threads.count());
    let mut slabs: Vec<CenterSlab<'_>> = split_mut(&mut state.pos, &parts)
        .into_iter()
        .zip(split_mut(&mut state.vel, &parts))
        .zip(split_mut(&mut state.image, &parts))
        .zip(&parts)
        .map(|(((pos, vel), image), r)| CenterSlab {
            first: r.start,
            pos,
            vel,
            image,
            moved: false,
        })
        .collect();
    threads.each_mut(&mut slabs, |s| {
        for v in s.vel.iter_mut() {
            v[0] -= mean[0];
            v[1] -= mean[1];
            v[2] -= mean[2];
        }
        add_drift(s.pos, s.vel, 0.5 * how.dt);
        s.moved = wrap_and_test(s.first, s.pos, s.image, how.wrap, displacements);
    });
    slabs.iter().any(|s| s.moved)
}

/// Particles per sub-block of [`first_half`].
const SUB_BLOCK: usize = 512;

/// `0..n` in sub-blocks of [`SUB_BLOCK`].
fn sub_blocks(n: usize) -> impl Iterator<Item = Range<usize>> {
    (0..n)
        .step_by(SUB_BLOCK)
        .map(move |a| a..(a + SUB_BLOCK).min(n))
}

/// One range's slices for the closing kick.
struct KickSlab<'a> {
    pos: &'a [[f64; 3]],
    vel: &'a mut [[f64; 3]],
    force: &'a [[f64; 3]],
    ok: bool,
}

/// The closing half kick v += h·f; with `check`, returns whether every position and velocity
/// is finite (`true` without: MTK checks after its closing factor, [`scale_and_check`]).
pub(super) fn closing_kick(threads: &Threads, state: &mut State, h: f64, check: bool) -> bool {
    closing_pass(threads, state, |v, f| half_kick(v, f, h), check)
}

/// The closing half kick v += h·f of `vel` with `force`, then whether every `pos` and every
/// new velocity is finite: what the pair loop does to its particles when it closes the step
/// ([`super::forces::PairForces::set_and_kick`]).
pub(super) fn kick_and_check(
    pos: &[[f64; 3]],
    vel: &mut [[f64; 3]],
    force: &[[f64; 3]],
    h: f64,
) -> bool {
    for (v, f) in vel.iter_mut().zip(force) {
        half_kick(v, f, h);
    }
    all_finite(pos, vel)
}

/// v += h·f.
#[inline(always)]
fn half_kick(v: &mut [f64; 3], f: &[f64; 3], h: f64) {
    v[0] += h * f[0];
    v[1] += h * f[1];
    v[2] += h * f[2];
}

/// Whether every component of `pos` and `vel` is finite.
fn all_finite(pos: &[[f64; 3]], vel: &[[f64; 3]]) -> bool {
    pos.iter()
        .chain(vel)
        .all(|x| x.iter().all(|c| c.is_finite()))
}

/// The MTK chain's closing factor v *= c; returns whether every position and velocity is
/// finite.
pub(super) fn scale_and_check(threads: &Threads, state: &mut State, c: f64) -> bool {
    let scale = |v: &mut [f64; 3], _: &[f64; 3]| {
        v[0] *= c;
        v[1] *= c;
        v[2] *= c;
    };
    closing_pass(threads, state, scale, true)
}

/// `update` on each particle's velocity (with its force), then, with `check`, the finiteness
/// check.
fn closing_pass(
    threads: &Threads,
    state: &mut State,
    update: impl Fn(&mut [f64; 3], &[f64; 3]) + Sync + Send,
    check: bool,
) -> bool {
    let parts = ranges(state.len(), threads.count());
    let (pos, force) = (&state.pos, &state.force);
    let mut slabs: Vec<KickSlab<'_>> = split_mut(&mut state.vel, &parts)
        .into_iter()
        .zip(&parts)
        .map(|(vel, r)| KickSlab {
            pos: &pos[r.clone()],
            vel,
            force: &force[r.clone()],
            ok: true,
        })
        .collect();
    threads.each_mut(&mut slabs, |s| {
        for (v, f) in s.vel.iter_mut().zip(s.force) {
            update(v, f);
        }
        s.ok = !check || all_finite(s.pos, s.vel);
    });
    slabs.iter().all(|s| s.ok)
}
