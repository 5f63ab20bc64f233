//! Cell list + Verlet neighbour list with a skin (half list, j > i) and automatic rebuilds.
//!
//! The list of pair (ti, tj) holds every j > i closer than r_cut,ij + skin. It stays valid
//! while no pair can have moved from outside r_cut,ij + skin to inside r_cut,ij: with d_max the
//! largest displacement since the build (measured against the build-time positions scaled
//! with the box) and s ≤ 1 the smallest box scale factor since the build, the test is
//! 2·d_max + (1 − s)·r_list,max > skin. Building bins particles into cells of side ≥ the largest
//! list range ([`CellList`]: counting sort, hashed when the particles are spread far apart), so
//! the cost and the memory are linear in N. Periodic boxes with fewer than three cells along an
//! edge fall back to an all-pairs build (small systems only).

use super::cells::CellList;
use super::error::MdError;
use super::state::State;
use crate::model::{MinimumImage, PairTable};

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
    cells: CellList,
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
            cells: CellList::default(),
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
        let scale = match state.geometry.box_lengths() {
            Some(l) => [0, 1, 2].map(|k| l[k] / self.ref_box[k]),
            None => [1.0; 3],
        };
        let s_min = scale[0].min(scale[1]).min(scale[2]).min(1.0);
        let budget = self.skin - (1.0 - s_min) * self.max_range;
        if budget <= 0.0 {
            return true;
        }
        let limit2 = 0.25 * budget * budget;
        let image = state.geometry.minimum_image();
        for (p, r) in state.pos.iter().zip(&self.ref_pos) {
            // both points lie in [-L/2, L/2): one image shift is enough
            let rescaled = [0, 1, 2].map(|k| r[k] * scale[k]);
            if image.distance2(*p, rescaled) > limit2 {
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
        self.start.clear();
        self.list.clear();
        self.start.reserve(state.len() + 1);
        let box_lengths = state.geometry.box_lengths();
        if let Some(l) = box_lengths {
            let lmin = l[0].min(l[1]).min(l[2]);
            if lmin < 2.0 * self.max_range {
                return Err(MdError::BoxTooSmall {
                    length: lmin,
                    range: self.max_range,
                });
            }
        }
        let image = state.geometry.minimum_image();
        let few_cells = box_lengths.is_some_and(|l| {
            CellList::periodic_cells(l, self.max_range)
                .iter()
                .any(|&c| c < 3)
        });
        if self.max_range <= 0.0 || state.is_empty() {
            // No pair interacts (no types, or no particles).
            self.start.resize(state.len() + 1, 0);
        } else if few_cells {
            self.build_all_pairs(state, &image);
        } else {
            self.cells.build(&state.pos, box_lengths, self.max_range);
            self.build_cells(state, &image);
        }
        self.ref_pos.clear();
        self.ref_pos.extend_from_slice(&state.pos);
        self.ref_box = box_lengths.unwrap_or([1.0; 3]);
        self.builds += 1;
        Ok(())
    }

    fn build_cells(&mut self, state: &State, image: &MinimumImage) {
        let nt = self.ntypes;
        let mut buckets = Vec::with_capacity(27);
        for i in 0..state.len() {
            self.start.push(self.list.len() as u32);
            let xi = state.pos[i];
            let ti = state.typeid[i] as usize * nt;
            self.cells.neighbor_buckets(i, &mut buckets);
            for &b in &buckets {
                // buckets hold their particles in ascending index order: walk down and stop
                // at the first j <= i
                for &j in self.cells.members(b).iter().rev() {
                    if (j as usize) <= i {
                        break;
                    }
                    let r2 = image.distance2(xi, state.pos[j as usize]);
                    if r2 < self.rlist2[ti + state.typeid[j as usize] as usize] {
                        self.list.push(j);
                    }
                }
            }
            let s = *self.start.last().unwrap_or(&0) as usize;
            self.list[s..].sort_unstable();
        }
        self.start.push(self.list.len() as u32);
    }

    fn build_all_pairs(&mut self, state: &State, image: &MinimumImage) {
        let nt = self.ntypes;
        for i in 0..state.len() {
            self.start.push(self.list.len() as u32);
            let ti = state.typeid[i] as usize * nt;
            for j in i + 1..state.len() {
                let r2 = image.distance2(state.pos[i], state.pos[j]);
                if r2 < self.rlist2[ti + state.typeid[j] as usize] {
                    self.list.push(j as u32);
                }
            }
        }
        self.start.push(self.list.len() as u32);
    }
}
