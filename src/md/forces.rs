//! Pair forces, potential energy and virial on the CPU in f64 over the half neighbour list
//! (Newton's third law), plus the droplet wall (SCIENCE.md §1).
//!
//! The summation order is fixed (particles in index order, partners in list order), so the
//! result is bit-identical on every platform. The kernel is monomorphised for the pair
//! potential's type ([`crate::model::potential`]): the paper's two wells are `Mie<50, 25>` and
//! `Mie<50, 6>`, whose integer powers unroll; Lennard-Jones, WCA and any Mie n–m have their own
//! instances. No `pow`, no allocation.

use std::sync::Arc;

use super::neighbor::NeighborList;
use super::state::State;
use crate::model::potential::{CutPair, PairPotential, TableVisitor};
use crate::model::{Geometry, PairTable, WcaWall};

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
    /// Adds the pair forces to `state.force` and returns the pair energy and virial.
    fn add(&self, state: &mut State, nlist: &NeighborList) -> ForceSums;
}

/// The kernel's pair table for potential type `P`, row-major `ntypes × ntypes`.
#[derive(Clone, Debug)]
pub struct PairKernel<P> {
    ntypes: usize,
    table: Vec<CutPair<P>>,
}

impl<P: PairPotential> PairForces for PairKernel<P> {
    fn add(&self, state: &mut State, nlist: &NeighborList) -> ForceSums {
        if matches!(state.geometry, Geometry::Periodic(_)) {
            pair_kernel::<true, P>(state, nlist, &self.table, self.ntypes)
        } else {
            pair_kernel::<false, P>(state, nlist, &self.table, self.ntypes)
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
    let mut sums = pair_forces(table).add(state, nlist);
    if let (Some(w), Geometry::Open { .. }) = (wall, state.geometry) {
        sums.energy += wall_forces(state, w);
    }
    sums
}

/// Partners handled per compaction pass.
const CHUNK: usize = 64;

#[inline(always)]
fn pair_kernel<const PERIODIC: bool, P: PairPotential>(
    state: &mut State,
    nlist: &NeighborList,
    coeffs: &[CutPair<P>],
    ntypes: usize,
) -> ForceSums {
    let image = state.geometry.minimum_image();
    let pos = &state.pos;
    let typeid = &state.typeid;
    let force = &mut state.force;
    let mut energy = 0.0;
    let mut virial = 0.0;
    // Partners inside the cut-off are first compacted without branches (the test r² < r_c²
    // is unpredictable: about 40 % of list pairs lie in the skin), then evaluated.
    let mut buf_j = [0u32; CHUNK];
    let mut buf_d = [[0.0f64; 3]; CHUNK];
    let mut buf_r2 = [0.0f64; CHUNK];
    let mut buf_t = [0u32; CHUNK];
    for i in 0..pos.len() {
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
                let fj = &mut force[buf_j[q] as usize];
                fj[0] -= f[0];
                fj[1] -= f[1];
                fj[2] -= f[2];
            }
        }
        let f = &mut force[i];
        f[0] += fi[0];
        f[1] += fi[1];
        f[2] += fi[2];
    }
    ForceSums {
        energy,
        virial,
        mix_delta: None,
    }
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
