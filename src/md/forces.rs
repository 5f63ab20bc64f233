//! Pair forces, potential energy and virial on the CPU in f64 over the half neighbour list
//! (Newton's third law), plus the droplet wall (SCIENCE.md §1).
//!
//! The summation order is fixed (particles in index order, partners in list order; energy and
//! virial in blocks of [`BLOCK`] particles), so the result is bit-identical on every platform
//! and on any number of threads: the list's parts ([`super::parts::Part`]) run in parallel
//! and each keeps every particle's serial chain of terms ([`parallel`]). The kernel is monomorphised for the pair
//! potential's type ([`crate::model::potential`]): the paper's two wells are `Mie<50, 25>` and
//! `Mie<50, 6>`, whose integer powers unroll; Lennard-Jones, WCA and any Mie n–m have their own
//! instances. No `pow`, no allocation.

use std::ops::Range;
use std::sync::Arc;

use super::neighbor::NeighborList;
use super::parts::Part;
use super::passes::kick_and_check;
use super::state::State;
use super::threads::{split_mut, Threads};
use crate::model::potential::{CutPair, PairPotential, TableVisitor};
use crate::model::{Geometry, MinimumImage, PairTable, WcaWall};

/// Sums over all terms of one force evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ForceSums {
    /// Potential energy of the pairs (and the wall, springs; mixed by λ when a mix is on).
    pub energy: f64,
    /// Pair virial W = Σ_pairs r_ij · f_ij (the wall's and the springs' are not included;
    /// scaled by the pair term's weight in a mix).
    pub virial: f64,
    /// U_b − U_a of a λ-mix ([`super::terms::Mix`]); `None` without a mix.
    pub mix_delta: Option<f64>,
}

/// The pair term as the engine runs it: the kernel table of one potential type, writing its
/// forces into `state.force`.
pub trait PairForces: std::fmt::Debug + Send + Sync {
    /// Sets `state.force` to the pair forces (what it held is overwritten) and returns the
    /// pair energy and virial.
    fn set(&self, state: &mut State, nlist: &NeighborList) -> ForceSums;

    /// [`PairForces::set`], then a step's closing half kick v += h·f on every particle, each
    /// part's as soon as its forces are complete (no term may follow the pairs); also returns
    /// whether every position and velocity is finite afterwards.
    fn set_and_kick(&self, state: &mut State, nlist: &NeighborList, h: f64) -> (ForceSums, bool);
}

/// The kernel's pair table for potential type `P`, row-major `ntypes × ntypes`.
#[derive(Clone, Debug)]
pub struct PairKernel<P> {
    ntypes: usize,
    table: Vec<CutPair<P>>,
}

impl<P: PairPotential> PairForces for PairKernel<P> {
    fn set(&self, state: &mut State, nlist: &NeighborList) -> ForceSums {
        let periodic = matches!(state.geometry, Geometry::Periodic(_));
        match (nlist.parts().len() > 1, periodic) {
            (false, true) => serial::<true, P>(state, nlist, &self.table, self.ntypes),
            (false, false) => serial::<false, P>(state, nlist, &self.table, self.ntypes),
            (true, true) => parallel::<true, P>(state, nlist, &self.table, self.ntypes, None).0,
            (true, false) => parallel::<false, P>(state, nlist, &self.table, self.ntypes, None).0,
        }
    }

    fn set_and_kick(&self, state: &mut State, nlist: &NeighborList, h: f64) -> (ForceSums, bool) {
        let periodic = matches!(state.geometry, Geometry::Periodic(_));
        let kick = Some(h);
        match (nlist.parts().len() > 1, periodic) {
            (true, true) => parallel::<true, P>(state, nlist, &self.table, self.ntypes, kick),
            (true, false) => parallel::<false, P>(state, nlist, &self.table, self.ntypes, kick),
            _ => {
                let sums = self.set(state, nlist);
                let finite = kick_and_check(&state.pos, &mut state.vel, &state.force, h);
                (sums, finite)
            }
        }
    }
}

struct Kernel;

impl TableVisitor for Kernel {
    type Output = Arc<dyn PairForces>;
    fn visit<P: PairPotential>(self, ntypes: usize, table: Vec<CutPair<P>>) -> Self::Output {
        Arc::new(PairKernel { ntypes, table })
    }
}

/// The pair term for `table`, monomorphised for its potential (built once per run).
#[must_use]
pub fn pair_forces(table: &PairTable) -> Arc<dyn PairForces> {
    table.visit_kernel(Kernel)
}

/// Computes `state.force` and the energy/virial sums of the pairs and the wall.
///
/// `wall` applies only to `Geometry::Open` (a particle outside it gets an infinite energy,
/// which the caller reports). Builds the kernel table on each call; a run keeps one
/// ([`pair_forces`], [`super::terms::ForceField`]).
pub fn compute_forces(
    state: &mut State,
    nlist: &NeighborList,
    table: &PairTable,
    wall: Option<&WcaWall>,
) -> ForceSums {
    let mut sums = pair_forces(table).set(state, nlist);
    if let (Some(w), Geometry::Open { .. }) = (wall, state.geometry) {
        sums.energy += wall_forces(state, w, nlist.threads());
    }
    sums
}

/// Partners handled per compaction pass.
const CHUNK: usize = 64;

/// Particles per energy block: the pair energy and virial are summed block by block (each
/// block's pairs in order, from zero), then the blocks in order, on any number of threads.
pub const BLOCK: usize = 256;

/// What every pair loop reads.
struct Inputs<'a, P> {
    pos: &'a [[f64; 3]],
    typeid: &'a [u32],
    nlist: &'a NeighborList,
    coeffs: &'a [CutPair<P>],
    ntypes: usize,
    image: MinimumImage,
}

impl<P> Clone for Inputs<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Inputs<'_, P> {}

/// The serial sum: every particle in index order, one energy block after the other.
fn serial<const PERIODIC: bool, P: PairPotential>(
    state: &mut State,
    nlist: &NeighborList,
    coeffs: &[CutPair<P>],
    ntypes: usize,
) -> ForceSums {
    let input = Inputs {
        pos: &state.pos,
        typeid: &state.typeid,
        nlist,
        coeffs,
        ntypes,
        image: state.geometry.minimum_image(),
    };
    let n = state.pos.len();
    state.force.fill([0.0; 3]);
    let (mut energy, mut virial) = (0.0, 0.0);
    let mut buf = Compacted::new();
    for first in (0..n).step_by(BLOCK) {
        let [e, w] = particles::<PERIODIC, P>(
            &input,
            first..(first + BLOCK).min(n),
            0,
            &mut state.force,
            &mut buf,
            [0.0; 2],
        );
        energy += e;
        virial += w;
    }
    ForceSums {
        energy,
        virial,
        mix_delta: None,
    }
}

/// The same sums on the list's parts ([`super::parts::Part`]), one task each: a part zeroes
/// its particles' forces, subtracts the forces of its particles' earlier partners outside it (in index order), then
/// runs the serial loop over its own particles, adding to a later partner only inside the part.
/// So every particle's force is the serial chain of the same terms in the same order, and the
/// energy blocks are the serial ones: the result is bit-identical to [`serial`]. With `kick`
/// each part then gives its particles the closing half kick ([`kick_and_check`]); the flag
/// says whether every position and velocity is finite (`true` without).
fn parallel<const PERIODIC: bool, P: PairPotential>(
    state: &mut State,
    nlist: &NeighborList,
    coeffs: &[CutPair<P>],
    ntypes: usize,
    kick: Option<f64>,
) -> (ForceSums, bool) {
    let input = Inputs {
        pos: &state.pos,
        typeid: &state.typeid,
        nlist,
        coeffs,
        ntypes,
        image: state.geometry.minimum_image(),
    };
    let parts = nlist.parts();
    let ranges: Vec<_> = parts.iter().map(|p| p.range.clone()).collect();
    let block_ranges: Vec<_> = ranges
        .iter()
        .map(|r| r.start / BLOCK..r.end.div_ceil(BLOCK))
        .collect();
    let mut sums = vec![(0.0, 0.0); state.pos.len().div_ceil(BLOCK)];
    let mut ok = vec![true; parts.len()];
    let mut tasks: Vec<_> = parts
        .iter()
        .zip(split_mut(&mut state.force, &ranges))
        .zip(split_mut(&mut sums, &block_ranges))
        .zip(split_mut(&mut state.vel, &ranges))
        .zip(ok.iter_mut())
        .collect();
    let pos = &state.pos;
    nlist
        .threads()
        .each_mut(&mut tasks, |((((part, force), sums), vel), ok)| {
            force.fill([0.0; 3]);
            let mut buf = Compacted::new();
            cross::<PERIODIC, P>(&input, part, force, &mut buf);
            let r = &part.range;
            for (k, s) in sums.iter_mut().enumerate() {
                let first = r.start + k * BLOCK;
                *s = own_range::<PERIODIC, P>(
                    &input,
                    part,
                    first..(first + BLOCK).min(r.end),
                    force,
                    &mut buf,
                );
            }
            if let Some(h) = kick {
                **ok = kick_and_check(&pos[r.clone()], vel, force, h);
            }
        });
    let (mut energy, mut virial) = (0.0, 0.0);
    for (e, w) in sums {
        energy += e;
        virial += w;
    }
    let sums = ForceSums {
        energy,
        virial,
        mix_delta: None,
    };
    (sums, ok.iter().all(|&k| k))
}

/// Subtracts from each particle j of `part` the forces of its earlier partners i outside the
/// part (`part.cross`, ascending), each computed exactly as the pair loop of i computes it and
/// compacted like it ([`partner_terms`]).
fn cross<const PERIODIC: bool, P: PairPotential>(
    input: &Inputs<'_, P>,
    part: &Part,
    force: &mut [[f64; 3]],
    buf: &mut Compacted,
) {
    let (pos, typeid) = (input.pos, input.typeid);
    let mut from = 0;
    for &(j, to) in &part.crossing {
        let (j, to) = (j as usize, to as usize);
        let xj = pos[j];
        let tj = typeid[j] as usize;
        let fj = &mut force[j - part.range.start];
        for chunk in part.cross[from..to].chunks(CHUNK) {
            let mut k = 0;
            for &i in chunk {
                let xi = pos[i as usize];
                let mut d = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
                if PERIODIC {
                    d = input.image.apply(d);
                }
                let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                let c = typeid[i as usize] as usize * input.ntypes + tj;
                buf.d[k] = d;
                buf.r2[k] = r2;
                buf.t[k] = c as u32;
                k += usize::from(r2 < input.coeffs[c].rcut2);
            }
            for q in 0..k {
                let d = buf.d[q];
                let (_, f_over_r) = input.coeffs[buf.t[q] as usize].pair.energy_force(buf.r2[q]);
                fj[0] -= f_over_r * d[0];
                fj[1] -= f_over_r * d[1];
                fj[2] -= f_over_r * d[2];
            }
        }
        from = to;
    }
}

/// Pair forces of the particles `range` with their later partners, added into `force`
/// (`force[k]` is particle `offset + k`, every partner inside it); continues the block's
/// (energy, virial) `sums`. One compiled loop for one thread and for the parts.
#[inline(never)]
fn particles<const PERIODIC: bool, P: PairPotential>(
    input: &Inputs<'_, P>,
    range: Range<usize>,
    offset: usize,
    force: &mut [[f64; 3]],
    buf: &mut Compacted,
    mut sums: [f64; 2],
) -> [f64; 2] {
    let (start, list) = (&input.nlist.start[..], &input.nlist.list[..]);
    for i in range {
        let partners = &list[start[i] as usize..start[i + 1] as usize];
        let run = Running { fi: [0.0; 3], sums };
        let run = partner_terms::<PERIODIC, true, P>(
            input,
            Particle::of(input, i),
            partners,
            buf,
            force,
            offset,
            run,
        );
        let f = &mut force[i - offset];
        f[0] += run.fi[0];
        f[1] += run.fi[1];
        f[2] += run.fi[2];
        sums = run.sums;
    }
    sums
}

/// [`particles`] for the particles `range` of `part`, whose force slice is `force`: a particle
/// with partners beyond the part (`part.tails`) runs its terms with those last and without
/// updating them (their owners do it, [`cross`]), the others the plain loop.
fn own_range<const PERIODIC: bool, P: PairPotential>(
    input: &Inputs<'_, P>,
    part: &Part,
    range: Range<usize>,
    force: &mut [[f64; 3]],
    buf: &mut Compacted,
) -> (f64, f64) {
    let offset = part.range.start;
    let lo = part.tails.partition_point(|t| (t.0 as usize) < range.start);
    let hi = part.tails.partition_point(|t| (t.0 as usize) < range.end);
    let mut sums = [0.0; 2];
    let mut from = range.start;
    for &(i, inside) in &part.tails[lo..hi] {
        let i = i as usize;
        sums = particles::<PERIODIC, P>(input, from..i, offset, force, buf, sums);
        sums = tail::<PERIODIC, P>(input, i, inside as usize, offset, force, buf, sums);
        from = i + 1;
    }
    let sums = particles::<PERIODIC, P>(input, from..range.end, offset, force, buf, sums);
    (sums[0], sums[1])
}

/// Particle i of a part, whose first `inside` partners lie in the part.
#[inline(never)]
fn tail<const PERIODIC: bool, P: PairPotential>(
    input: &Inputs<'_, P>,
    i: usize,
    inside: usize,
    offset: usize,
    force: &mut [[f64; 3]],
    buf: &mut Compacted,
    sums: [f64; 2],
) -> [f64; 2] {
    let start = &input.nlist.start;
    let partners = &input.nlist.list[start[i] as usize..start[i + 1] as usize];
    let (inside, beyond) = partners.split_at(inside);
    let at = Particle::of(input, i);
    let run = Running { fi: [0.0; 3], sums };
    let run = partner_terms::<PERIODIC, true, P>(input, at, inside, buf, force, offset, run);
    let run = partner_terms::<PERIODIC, false, P>(input, at, beyond, buf, &mut [], 0, run);
    let f = &mut force[i - offset];
    f[0] += run.fi[0];
    f[1] += run.fi[1];
    f[2] += run.fi[2];
    run.sums
}

/// Scratch of [`partner_terms`]: the partners of a chunk inside their cut-off.
struct Compacted {
    j: [u32; CHUNK],
    d: [[f64; 3]; CHUNK],
    r2: [f64; CHUNK],
    t: [u32; CHUNK],
}

impl Compacted {
    fn new() -> Self {
        Self {
            j: [0; CHUNK],
            d: [[0.0; 3]; CHUNK],
            r2: [0.0; CHUNK],
            t: [0; CHUNK],
        }
    }
}

/// Particle i in the pair loop: its position and its row of the pair table.
struct Particle<'a, P> {
    xi: [f64; 3],
    row: &'a [CutPair<P>],
}

impl<'a, P> Particle<'a, P> {
    #[inline(always)]
    fn of(input: &Inputs<'a, P>, i: usize) -> Self {
        let t = input.typeid[i] as usize;
        Self {
            xi: input.pos[i],
            row: &input.coeffs[t * input.ntypes..][..input.ntypes],
        }
    }
}

impl<P> Clone for Particle<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Particle<'_, P> {}

/// The running sums of the pair loop: particle i's force, and (energy, virial) of the block
/// (passed by value so that they stay in registers).
#[derive(Clone, Copy)]
struct Running {
    fi: [f64; 3],
    sums: [f64; 2],
}

/// The terms of particle i with `partners`, in order: each adds to `run` (i's force, energy,
/// virial) and with `UPDATE` subtracts from the partner's force (`force[j - offset]`).
/// Partners inside the cut-off are first compacted without branches (the test r² < r_c² is
/// unpredictable: about 40 % of list pairs lie in the skin), then evaluated.
#[inline(always)]
fn partner_terms<const PERIODIC: bool, const UPDATE: bool, P: PairPotential>(
    input: &Inputs<'_, P>,
    at: Particle<'_, P>,
    partners: &[u32],
    buf: &mut Compacted,
    force: &mut [[f64; 3]],
    offset: usize,
    mut run: Running,
) -> Running {
    let Particle { xi, row } = at;
    // locals, so that the box stays in registers while `buf` and `force` are written
    let Inputs {
        pos, typeid, image, ..
    } = *input;
    for chunk in partners.chunks(CHUNK) {
        let mut k = 0;
        for &j in chunk {
            let xj = pos[j as usize];
            let mut d = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
            if PERIODIC {
                d = image.apply(d);
            }
            let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            let tj = typeid[j as usize];
            buf.j[k] = j;
            buf.d[k] = d;
            buf.r2[k] = r2;
            buf.t[k] = tj;
            k += usize::from(r2 < row[tj as usize].rcut2);
        }
        for q in 0..k {
            let r2 = buf.r2[q];
            let d = buf.d[q];
            let (u, f_over_r) = row[buf.t[q] as usize].pair.energy_force(r2);
            run.sums[0] += u;
            run.sums[1] += f_over_r * r2;
            let f = [f_over_r * d[0], f_over_r * d[1], f_over_r * d[2]];
            run.fi[0] += f[0];
            run.fi[1] += f[1];
            run.fi[2] += f[2];
            if UPDATE {
                let fj = &mut force[buf.j[q] as usize - offset];
                fj[0] -= f[0];
                fj[1] -= f[1];
                fj[2] -= f[2];
            }
        }
    }
    run
}

/// Adds the droplet wall's forces to `state.force` and returns its energy (infinite when a
/// particle is on or beyond the wall). The particles run in ranges on `threads`; the energy is
/// then summed in index order, as one thread sums it.
pub fn wall_forces(state: &mut State, wall: &WcaWall, threads: &Threads) -> f64 {
    let ranges = super::threads::ranges(state.len(), threads.count());
    let (pos, typeid, diameters) = (&state.pos, &state.typeid, &state.type_diameters);
    let mut slabs: Vec<_> = split_mut(&mut state.force, &ranges)
        .into_iter()
        .zip(&ranges)
        .map(|(force, r)| (force, r.start, Vec::new()))
        .collect();
    threads.each_mut(&mut slabs, |(force, first, terms)| {
        for (k, f) in force.iter_mut().enumerate() {
            let p = pos[*first + k];
            let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
            let h = wall.radius - r;
            if h <= 0.0 {
                terms.push(None);
                continue;
            }
            let (e, fw) = wall.energy_force(h, diameters[typeid[*first + k] as usize]);
            if fw != 0.0 {
                terms.push(Some(e));
                let s = fw / r;
                f[0] -= s * p[0];
                f[1] -= s * p[1];
                f[2] -= s * p[2];
            }
        }
    });
    // a particle beyond the wall sets the sum to infinity, later terms add to it
    let mut energy = 0.0;
    for term in slabs.iter().flat_map(|s| &s.2) {
        match term {
            Some(e) => energy += e,
            None => energy = f64::INFINITY,
        }
    }
    energy
}
