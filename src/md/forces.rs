//! Pair forces, potential energy and virial on the CPU in f64 over the half neighbour list
//! (Newton's third law), plus the droplet wall (SCIENCE.md §1).
//!
//! The summation order is fixed (particles in index order, partners in list order), so the
//! result is bit-identical on every platform. The kernel is monomorphised for the paper's two
//! wells (50–25 and 50–6) so that the integer powers unroll; other exponents take the general
//! path. No `pow`, no allocation.

use super::neighbor::NeighborList;
use super::state::State;
use crate::model::{Geometry, PairCoeff, WcaWall};

/// Sums over all pairs (and the wall) from one force evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ForceSums {
    /// Potential energy of the pairs (and the wall).
    pub energy: f64,
    /// Pair virial W = Σ_pairs r_ij · f_ij (the wall's contribution is not included).
    pub virial: f64,
}

/// Computes `state.force` and the energy/virial sums.
///
/// `coeffs` is the row-major `ntypes × ntypes` pair table; `wall` applies only to
/// `Geometry::Open` (a particle outside it gets an infinite energy, which the caller reports).
pub fn compute_forces(
    state: &mut State,
    nlist: &NeighborList,
    coeffs: &[PairCoeff],
    wall: Option<&WcaWall>,
) -> ForceSums {
    for f in &mut state.force {
        *f = [0.0; 3];
    }
    let ntypes = state.types.len();
    let same = |n: u32, m: u32| coeffs.iter().all(|c| c.n == n && c.m == m);
    let periodic = matches!(state.geometry, Geometry::Periodic(_));
    let mut sums = match (periodic, same(50, 25), same(50, 6)) {
        (true, true, _) => pair_kernel::<true, 50, 25>(state, nlist, coeffs, ntypes),
        (true, _, true) => pair_kernel::<true, 50, 6>(state, nlist, coeffs, ntypes),
        (true, _, _) => pair_kernel::<true, 0, 0>(state, nlist, coeffs, ntypes),
        (false, true, _) => pair_kernel::<false, 50, 25>(state, nlist, coeffs, ntypes),
        (false, _, true) => pair_kernel::<false, 50, 6>(state, nlist, coeffs, ntypes),
        (false, _, _) => pair_kernel::<false, 0, 0>(state, nlist, coeffs, ntypes),
    };
    if let (Some(w), Geometry::Open { .. }) = (wall, state.geometry) {
        sums.energy += wall_forces(state, w);
    }
    sums
}

/// Partners handled per compaction pass.
const CHUNK: usize = 64;

#[inline(always)]
fn pair_kernel<const PERIODIC: bool, const N: u32, const M: u32>(
    state: &mut State,
    nlist: &NeighborList,
    coeffs: &[PairCoeff],
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
                let c = &row[buf_t[q] as usize];
                let r2 = buf_r2[q];
                let d = buf_d[q];
                let inv_r2 = 1.0 / r2;
                let (rn, rm) = if N == 0 {
                    crate::model::mie::mie_terms(inv_r2, c.n, c.m)
                } else {
                    crate::model::mie::mie_terms(inv_r2, N, M)
                };
                let f_over_r = (c.f_rep * rn - c.f_att * rm) * inv_r2;
                energy += c.rep * rn - c.att * rm - c.shift;
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
    ForceSums { energy, virial }
}

fn wall_forces(state: &mut State, wall: &WcaWall) -> f64 {
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
