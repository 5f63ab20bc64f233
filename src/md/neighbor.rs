//! Cell list + Verlet neighbour list with a skin (half list, j > i) and automatic rebuilds.
//!
//! The list of pair (ti, tj) holds every j > i closer than r_cut,ij + skin. It stays valid
//! while no pair can have moved from outside r_cut,ij + skin to inside r_cut,ij: with d_max the
//! largest displacement since the build (measured against the build-time positions scaled
//! with the box) and s ≤ 1 the smallest box scale factor since the build, the test is
//! 2·d_max + (1 − s)·r_list,max > skin. Building bins particles into cells of side ≥ the largest
//! list range (counting sort), so the cost is linear in N. Periodic boxes with fewer than three
//! cells along an edge fall back to an all-pairs build (small systems only).

use super::error::MdError;
use super::state::State;
use crate::model::{Geometry, PairTable};

/// A half Verlet list in CSR form (see [`super::state`] for the layout).
#[derive(Clone, Debug)]
pub struct NeighborList {
    skin: f64,
    ntypes: usize,
    rlist2: Vec<f64>,
    max_range: f64,
    /// Start offsets: the partners of `i` are `list[start[i] as usize .. start[i + 1] as usize]`.
    pub start: Vec<u32>,
    /// Partner indices (all > their `i`).
    pub list: Vec<u32>,
    ref_pos: Vec<[f64; 3]>,
    ref_box: [f64; 3],
    cell_of: Vec<u32>,
    cell_start: Vec<u32>,
    cell_atoms: Vec<u32>,
    builds: u64,
}

impl NeighborList {
    /// An empty list for the pair table's cut-offs plus `skin`.
    ///
    /// # Errors
    /// [`MdError::Parameter`] for a negative or non-finite skin.
    pub fn new(table: &PairTable, skin: f64) -> Result<Self, MdError> {
        if !skin.is_finite() || skin < 0.0 {
            return Err(MdError::Parameter {
                what: "skin".into(),
                value: skin,
                rule: "must be finite and >= 0",
            });
        }
        let rlist2: Vec<f64> = table
            .pairs()
            .iter()
            .map(|p| (p.cutoff() + skin) * (p.cutoff() + skin))
            .collect();
        Ok(Self {
            skin,
            ntypes: table.ntypes(),
            rlist2,
            max_range: table.max_cutoff() + skin,
            start: Vec::new(),
            list: Vec::new(),
            ref_pos: Vec::new(),
            ref_box: [1.0; 3],
            cell_of: Vec::new(),
            cell_start: Vec::new(),
            cell_atoms: Vec::new(),
            builds: 0,
        })
    }

    /// How many times the list was built.
    #[must_use]
    pub fn builds(&self) -> u64 {
        self.builds
    }

    /// Largest list range r_cut + skin.
    #[must_use]
    pub fn max_range(&self) -> f64 {
        self.max_range
    }

    /// Whether the list may have become invalid (or was never built for this state).
    #[must_use]
    pub fn needs_rebuild(&self, state: &State) -> bool {
        if self.ref_pos.len() != state.len() {
            return true;
        }
        let (scale, l) = match state.geometry {
            Geometry::Periodic(l) => (
                [
                    l[0] / self.ref_box[0],
                    l[1] / self.ref_box[1],
                    l[2] / self.ref_box[2],
                ],
                l,
            ),
            Geometry::Open { .. } => ([1.0; 3], [f64::INFINITY; 3]),
        };
        let s_min = scale[0].min(scale[1]).min(scale[2]).min(1.0);
        let budget = self.skin - (1.0 - s_min) * self.max_range;
        if budget <= 0.0 {
            return true;
        }
        let limit2 = 0.25 * budget * budget;
        let periodic = matches!(state.geometry, Geometry::Periodic(_));
        let half = l.map(|x| 0.5 * x);
        for (p, r) in state.pos.iter().zip(&self.ref_pos) {
            let mut d2 = 0.0;
            for k in 0..3 {
                // both points lie in [-L/2, L/2): one image shift is enough
                let mut d = p[k] - r[k] * scale[k];
                if periodic {
                    if d > half[k] {
                        d -= l[k];
                    } else if d < -half[k] {
                        d += l[k];
                    }
                }
                d2 += d * d;
            }
            if d2 > limit2 {
                return true;
            }
        }
        false
    }

    /// Builds the list for `state`.
    ///
    /// # Errors
    /// [`MdError::BoxTooSmall`] when a periodic box is shorter than twice the list range.
    pub fn build(&mut self, state: &State) -> Result<(), MdError> {
        let n = state.len();
        self.start.clear();
        self.list.clear();
        self.start.reserve(n + 1);
        let (lo, cell_side, ncell, periodic, l) = match state.geometry {
            Geometry::Periodic(l) => {
                let lmin = l[0].min(l[1]).min(l[2]);
                if lmin < 2.0 * self.max_range {
                    return Err(MdError::BoxTooSmall {
                        length: lmin,
                        range: self.max_range,
                    });
                }
                let nc = l.map(|x| ((x / self.max_range).floor() as usize).max(1));
                (
                    l.map(|x| -0.5 * x),
                    [
                        l[0] / nc[0] as f64,
                        l[1] / nc[1] as f64,
                        l[2] / nc[2] as f64,
                    ],
                    nc,
                    true,
                    l,
                )
            }
            Geometry::Open { .. } => {
                let mut lo = [f64::INFINITY; 3];
                let mut hi = [f64::NEG_INFINITY; 3];
                for p in &state.pos {
                    for k in 0..3 {
                        lo[k] = lo[k].min(p[k]);
                        hi[k] = hi[k].max(p[k]);
                    }
                }
                if n == 0 {
                    lo = [0.0; 3];
                    hi = [0.0; 3];
                }
                let mut nc = [1usize; 3];
                let mut side = [1.0; 3];
                for k in 0..3 {
                    let extent = (hi[k] - lo[k]).max(self.max_range);
                    nc[k] = ((extent / self.max_range).floor() as usize).clamp(1, 1024);
                    side[k] = extent / nc[k] as f64 * (1.0 + 1e-12);
                }
                (lo, side, nc, false, [f64::INFINITY; 3])
            }
        };
        let brute = periodic && ncell.iter().any(|&c| c < 3);
        if brute {
            self.build_all_pairs(state, l);
        } else {
            self.bin(state, lo, cell_side, ncell);
            self.build_cells(state, ncell, periodic, l);
        }
        self.ref_pos.clear();
        self.ref_pos.extend_from_slice(&state.pos);
        self.ref_box = match state.geometry {
            Geometry::Periodic(l) => l,
            Geometry::Open { .. } => [1.0; 3],
        };
        self.builds += 1;
        Ok(())
    }

    fn bin(&mut self, state: &State, lo: [f64; 3], side: [f64; 3], nc: [usize; 3]) {
        let ncells = nc[0] * nc[1] * nc[2];
        self.cell_of.clear();
        self.cell_start.clear();
        self.cell_start.resize(ncells + 1, 0);
        for p in &state.pos {
            let mut c = [0usize; 3];
            for k in 0..3 {
                let x = ((p[k] - lo[k]) / side[k]).floor();
                c[k] = if x < 0.0 {
                    0
                } else {
                    (x as usize).min(nc[k] - 1)
                };
            }
            let cell = (c[2] * nc[1] + c[1]) * nc[0] + c[0];
            self.cell_of.push(cell as u32);
            self.cell_start[cell + 1] += 1;
        }
        for c in 0..ncells {
            self.cell_start[c + 1] += self.cell_start[c];
        }
        self.cell_atoms.clear();
        self.cell_atoms.resize(state.len(), 0);
        let mut fill: Vec<u32> = self.cell_start[..ncells].to_vec();
        for (i, &c) in self.cell_of.iter().enumerate() {
            self.cell_atoms[fill[c as usize] as usize] = i as u32;
            fill[c as usize] += 1;
        }
    }

    fn build_cells(&mut self, state: &State, nc: [usize; 3], periodic: bool, l: [f64; 3]) {
        let nt = self.ntypes;
        let half = l.map(|x| 0.5 * x);
        for i in 0..state.len() {
            self.start.push(self.list.len() as u32);
            let cell = self.cell_of[i] as usize;
            let c = [cell % nc[0], (cell / nc[0]) % nc[1], cell / (nc[0] * nc[1])];
            let xi = state.pos[i];
            let ti = state.typeid[i] as usize * nt;
            for dz in -1i64..=1 {
                for dy in -1i64..=1 {
                    for dx in -1i64..=1 {
                        let mut nb = [0usize; 3];
                        let mut inside = true;
                        for (k, d) in [dx, dy, dz].into_iter().enumerate() {
                            let v = c[k] as i64 + d;
                            let m = nc[k] as i64;
                            if periodic {
                                nb[k] = v.rem_euclid(m) as usize;
                            } else if v < 0 || v >= m {
                                inside = false;
                            } else {
                                nb[k] = v as usize;
                            }
                        }
                        if !inside {
                            continue;
                        }
                        let ncell = (nb[2] * nc[1] + nb[1]) * nc[0] + nb[0];
                        let range =
                            self.cell_start[ncell] as usize..self.cell_start[ncell + 1] as usize;
                        // cells hold their particles in ascending index order: walk
                        // down and stop at the first j <= i
                        for &j in self.cell_atoms[range].iter().rev() {
                            if (j as usize) <= i {
                                break;
                            }
                            let xj = state.pos[j as usize];
                            let r2 = distance2(xi, xj, periodic, l, half);
                            if r2 < self.rlist2[ti + state.typeid[j as usize] as usize] {
                                self.list.push(j);
                            }
                        }
                    }
                }
            }
            let s = *self.start.last().unwrap_or(&0) as usize;
            self.list[s..].sort_unstable();
        }
        self.start.push(self.list.len() as u32);
    }

    fn build_all_pairs(&mut self, state: &State, l: [f64; 3]) {
        let nt = self.ntypes;
        let half = l.map(|x| 0.5 * x);
        for i in 0..state.len() {
            self.start.push(self.list.len() as u32);
            let ti = state.typeid[i] as usize * nt;
            for j in i + 1..state.len() {
                let r2 = distance2(state.pos[i], state.pos[j], true, l, half);
                if r2 < self.rlist2[ti + state.typeid[j] as usize] {
                    self.list.push(j as u32);
                }
            }
        }
        self.start.push(self.list.len() as u32);
    }
}

/// Squared distance with the minimum-image convention (positions wrapped into the box).
#[inline(always)]
#[must_use]
pub fn distance2(a: [f64; 3], b: [f64; 3], periodic: bool, l: [f64; 3], half: [f64; 3]) -> f64 {
    let mut r2 = 0.0;
    for k in 0..3 {
        let mut d = a[k] - b[k];
        if periodic {
            if d > half[k] {
                d -= l[k];
            } else if d < -half[k] {
                d += l[k];
            }
        }
        r2 += d * d;
    }
    r2
}
