//! Pair forces, potential energy and virial on the CPU in f64 over the half neighbour list
//! (Newton's third law), plus the droplet wall (SCIENCE.md §1).
//!
//! The summation order is fixed (particles in index order, partners in list order), so the
//! result is bit-identical on every platform and for every thread count: the particles are cut
//! into [`blocks`] (their number chosen from N alone, their bounds from the list so that they
//! hold equal numbers of pairs); block 0 adds into `state.force`, every other block into
//! its own buffer, run in parallel ([`super::parallel`]), and the buffers are then added in
//! block order (energy and virial likewise). Below [`BLOCK`]·2 particles there is one block,
//! the serial sum. The kernel is monomorphised for the pair
//! potential's type ([`crate::model::potential`]): the paper's two wells are `Mie<50, 25>` and
//! `Mie<50, 6>`, whose integer powers unroll; Lennard-Jones, WCA and any Mie n–m have their own
//! instances. No `pow`, no allocation.

use std::sync::Arc;

use super::neighbor::NeighborList;
use super::state::State;
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

/// The pair term as the engine runs it: the kernel table of one potential type, adding its
/// forces to `state.force`.
pub trait PairForces: std::fmt::Debug + Send + Sync {
    /// Adds the pair forces to `state.force` and returns the pair energy and virial;
    /// `buffers` holds the blocks' forces between calls.
    fn add(&self, state: &mut State, nlist: &NeighborList, buffers: &mut BlockBuffers)
        -> ForceSums;
}

/// Particles per force block (at least; [`blocks`]).
pub const BLOCK: usize = 4096;
/// Most blocks of one evaluation (bounds the buffers' memory to about 4·N forces).
const MAX_BLOCKS: usize = 8;

/// The number of force blocks for `n` particles: ⌊n / [`BLOCK`]⌋ clamped to 1..=8. It depends
/// on N only, never on the thread count, so the sums' order, and so every bit of the result, is
/// the same on any number of threads.
#[must_use]
pub fn blocks(n: usize) -> usize {
    (n / BLOCK).clamp(1, MAX_BLOCKS)
}

/// First particle of block `b` of `nblocks`: where the half list's prefix sum `start` passes
/// b/nblocks of its pairs, so that blocks hold equal work (a later particle has fewer later
/// partners). It depends on the list only, not on the thread count.
fn block_start(b: usize, nblocks: usize, start: &[u32]) -> usize {
    let n = start.len() - 1;
    if b == 0 {
        return 0;
    }
    if b == nblocks {
        return n;
    }
    let target = (u64::from(start[n]) * b as u64 / nblocks as u64) as u32;
    start[..n].partition_point(|&s| s < target).clamp(1, n)
}

/// The per-block force buffers of blocks 1.. (block b holds the forces on particles
/// `start_b..n`, as partners are always later particles), kept between evaluations.
#[derive(Clone, Debug, Default)]
pub struct BlockBuffers {
    forces: Vec<Vec<[f64; 3]>>,
}

/// One block's work: its particles, where its forces go and its sums.
struct BlockTask<'a> {
    first: usize,
    end: usize,
    out: &'a mut [[f64; 3]],
    energy: f64,
    virial: f64,
}

/// The kernel's pair table for potential type `P`, row-major `ntypes × ntypes`.
#[derive(Clone, Debug)]
pub struct PairKernel<P> {
    ntypes: usize,
    table: Vec<CutPair<P>>,
}

impl<P: PairPotential> PairForces for PairKernel<P> {
    fn add(
        &self,
        state: &mut State,
        nlist: &NeighborList,
        buffers: &mut BlockBuffers,
    ) -> ForceSums {
        if matches!(state.geometry, Geometry::Periodic(_)) {
            blocked::<true, P>(state, nlist, &self.table, self.ntypes, buffers)
        } else {
            blocked::<false, P>(state, nlist, &self.table, self.ntypes, buffers)
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
    for f in &mut state.force {
        *f = [0.0; 3];
    }
    let mut sums = pair_forces(table).add(state, nlist, &mut BlockBuffers::default());
    if let (Some(w), Geometry::Open { .. }) = (wall, state.geometry) {
        sums.energy += wall_forces(state, w);
    }
    sums
}

/// Partners handled per compaction pass.
const CHUNK: usize = 64;

/// Particles per chunk when adding the blocks' buffers.
const REDUCE_CHUNK: usize = 1024;

/// The pair sums over the fixed blocks of `state` (see the module's documentation).
fn blocked<const PERIODIC: bool, P: PairPotential>(
    state: &mut State,
    nlist: &NeighborList,
    coeffs: &[CutPair<P>],
    ntypes: usize,
    buffers: &mut BlockBuffers,
) -> ForceSums {
    let image = state.geometry.minimum_image();
    let n = state.pos.len();
    let nblocks = blocks(n);
    let (pos, typeid, force) = (&state.pos, &state.typeid, &mut state.force);
    if nblocks == 1 {
        let (energy, virial) =
            pair_kernel::<PERIODIC, P>(0..n, 0, pos, typeid, nlist, coeffs, ntypes, image, force);
        return ForceSums {
            energy,
            virial,
            mix_delta: None,
        };
    }
    let start = &nlist.start;
    buffers.forces.resize_with(nblocks - 1, Vec::new);
    let mut tasks = Vec::with_capacity(nblocks);
    tasks.push(BlockTask {
        first: 0,
        end: block_start(1, nblocks, start),
        out: force.as_mut_slice(),
        energy: 0.0,
        virial: 0.0,
    });
    for (b, buf) in (1..nblocks).zip(buffers.forces.iter_mut()) {
        let first = block_start(b, nblocks, start);
        buf.resize(n - first, [0.0; 3]);
        tasks.push(BlockTask {
            first,
            end: block_start(b + 1, nblocks, start),
            out: buf.as_mut_slice(),
            energy: 0.0,
            virial: 0.0,
        });
    }
    super::parallel::each_mut(&mut tasks, |b, task| {
        let offset = if b == 0 { 0 } else { task.first };
        if b > 0 {
            task.out.fill([0.0; 3]);
        }
        (task.energy, task.virial) = pair_kernel::<PERIODIC, P>(
            task.first..task.end,
            offset,
            pos,
            typeid,
            nlist,
            coeffs,
            ntypes,
            image,
            task.out,
        );
    });
    let (mut energy, mut virial) = (0.0, 0.0);
    for task in &tasks {
        energy += task.energy;
        virial += task.virial;
    }
    drop(tasks);
    let bufs = &buffers.forces;
    super::parallel::chunks_mut(force, REDUCE_CHUNK, |offset, chunk| {
        for (k, f) in chunk.iter_mut().enumerate() {
            let p = offset + k;
            for buf in bufs {
                let Some(g) = (p + buf.len()).checked_sub(n).map(|q| buf[q]) else {
                    continue;
                };
                f[0] += g[0];
                f[1] += g[1];
                f[2] += g[2];
            }
        }
    });
    ForceSums {
        energy,
        virial,
        mix_delta: None,
    }
}

/// Pair forces of the particles `range` with their later partners, added into `out`
/// (`out[k]` is particle `offset + k`); returns (energy, virial).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn pair_kernel<const PERIODIC: bool, P: PairPotential>(
    range: std::ops::Range<usize>,
    offset: usize,
    pos: &[[f64; 3]],
    typeid: &[u32],
    nlist: &NeighborList,
    coeffs: &[CutPair<P>],
    ntypes: usize,
    image: MinimumImage,
    force: &mut [[f64; 3]],
) -> (f64, f64) {
    let mut energy = 0.0;
    let mut virial = 0.0;
    // Partners inside the cut-off are first compacted without branches (the test r² < r_c²
    // is unpredictable: about 40 % of list pairs lie in the skin), then evaluated.
    let mut buf_j = [0u32; CHUNK];
    let mut buf_d = [[0.0f64; 3]; CHUNK];
    let mut buf_r2 = [0.0f64; CHUNK];
    let mut buf_t = [0u32; CHUNK];
    for i in range {
        let xi = pos[i];
        let row = &coeffs[typeid[i] as usize * ntypes..(typeid[i] as usize + 1) * ntypes];
        let mut fi = [0.0; 3];
        let partners = &nlist.list[nlist.start[i] as usize..nlist.start[i + 1] as usize];
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
                buf_j[k] = j;
                buf_d[k] = d;
                buf_r2[k] = r2;
                buf_t[k] = tj;
                k += usize::from(r2 < row[tj as usize].rcut2);
            }
            for q in 0..k {
                let r2 = buf_r2[q];
                let d = buf_d[q];
                let (u, f_over_r) = row[buf_t[q] as usize].pair.energy_force(r2);
                energy += u;
                virial += f_over_r * r2;
                let f = [f_over_r * d[0], f_over_r * d[1], f_over_r * d[2]];
                fi[0] += f[0];
                fi[1] += f[1];
                fi[2] += f[2];
                let fj = &mut force[buf_j[q] as usize - offset];
                fj[0] -= f[0];
                fj[1] -= f[1];
                fj[2] -= f[2];
            }
        }
        let f = &mut force[i - offset];
        f[0] += fi[0];
        f[1] += fi[1];
        f[2] += fi[2];
    }
    (energy, virial)
}

/// Adds the droplet wall's forces to `state.force` and returns its energy (infinite when a
/// particle is on or beyond the wall).
pub fn wall_forces(state: &mut State, wall: &WcaWall) -> f64 {
    let mut energy = 0.0;
    for ((p, f), &t) in state.pos.iter().zip(&mut state.force).zip(&state.typeid) {
        let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
        let h = wall.radius - r;
        if h <= 0.0 {
            energy = f64::INFINITY;
            continue;
        }
        let (e, fw) = wall.energy_force(h, state.type_diameters[t as usize]);
        if fw != 0.0 {
            energy += e;
            let s = fw / r;
            f[0] -= s * p[0];
            f[1] -= s * p[1];
            f[2] -= s * p[2];
        }
    }
    energy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::md::workload::benchmark_simulation;

    /// The blocked sums (three blocks) equal the serial one-block sum to rounding, on a crystal
    /// shaken so that forces are not zero.
    #[test]
    fn blocks_sum_to_the_serial_forces() {
        let sim = benchmark_simulation(12_288, 3).expect("workload");
        let mut state = sim.state().clone();
        for (i, p) in state.pos.iter_mut().enumerate() {
            for (q, x) in p.iter_mut().enumerate() {
                *x += 0.03 * (7.0 * i as f64 + q as f64).sin();
            }
        }
        state.wrap();
        let mut nlist = NeighborList::new(sim.table(), 0.3).expect("list");
        nlist.build(&state).expect("build");
        assert_eq!(blocks(state.len()), 3);
        let kernel = pair_forces(sim.table());
        state.force.iter_mut().for_each(|f| *f = [0.0; 3]);
        let sums = kernel.add(&mut state, &nlist, &mut BlockBuffers::default());
        let blocked_force = state.force.clone();
        let serial = sim.table().visit_kernel(Serial {
            state: &mut state,
            nlist: &nlist,
        });
        let fmax = blocked_force
            .iter()
            .flatten()
            .fold(0.0f64, |m, x| m.max(x.abs()));
        for (a, b) in blocked_force.iter().zip(&state.force) {
            for q in 0..3 {
                assert!((a[q] - b[q]).abs() <= 1e-12 * fmax, "{a:?} vs {b:?}");
            }
        }
        assert!((sums.energy - serial.0).abs() <= 1e-12 * serial.0.abs());
        assert!((sums.virial - serial.1).abs() <= 1e-12 * serial.1.abs());
    }

    /// Runs the one-block kernel over every particle.
    struct Serial<'a> {
        state: &'a mut State,
        nlist: &'a NeighborList,
    }

    impl TableVisitor for Serial<'_> {
        type Output = (f64, f64);
        fn visit<P: PairPotential>(self, ntypes: usize, table: Vec<CutPair<P>>) -> Self::Output {
            let image = self.state.geometry.minimum_image();
            let s = &mut *self.state;
            s.force.iter_mut().for_each(|f| *f = [0.0; 3]);
            pair_kernel::<true, P>(
                0..s.pos.len(),
                0,
                &s.pos,
                &s.typeid,
                self.nlist,
                &table,
                ntypes,
                image,
                &mut s.force,
            )
        }
    }
}
