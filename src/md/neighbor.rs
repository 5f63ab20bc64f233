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

use std::ops::Range;

use super::cells::CellList;
use super::error::MdError;
use super::parts::{self, Part};
use super::state::State;
use super::threads::{ranges, Threads};
use crate::model::{MinimumImage, PairTable};

/// The rebuild test of a list: whether a particle moved farther than half the skin budget
/// from its position at the build, scaled with the box ([`NeighborList::displacements`]).
#[derive(Clone, Copy, Debug)]
pub struct Displacements<'a> {
    ref_pos: &'a [[f64; 3]],
    scale: [f64; 3],
    limit2: f64,
    image: MinimumImage,
}

impl Displacements<'_> {
    /// Whether one of `pos`, the positions of particles `first..`, is too far from its own.
    #[must_use]
    pub fn too_far(&self, first: usize, pos: &[[f64; 3]]) -> bool {
        pos.iter().zip(&self.ref_pos[first..]).any(|(p, r)| {
            // both points lie in [-L/2, L/2): one image shift is enough
            let rescaled = [0, 1, 2].map(|k| r[k] * self.scale[k]);
            self.image.distance2(*p, rescaled) > self.limit2
        })
    }
}

/// One thread's piece of a parallel build: the lists of a range of particles.
#[derive(Clone, Debug, Default)]
struct Piece {
    start: Vec<u32>,
    list: Vec<u32>,
}

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
    threads: Threads,
    parts: Vec<Part>,
    pieces: Vec<Piece>,
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
            threads: Threads::default(),
            parts: Vec::new(),
            pieces: Vec::new(),
        })
    }

    /// Builds and checks the list on `threads` from now on, and cuts the current list into
    /// parts for them. The list is the same on any number of threads.
    pub fn set_threads(&mut self, threads: Threads) {
        self.threads = threads;
        self.make_parts();
    }

    /// The threads that build the list and run the pair loop.
    #[must_use]
    pub fn threads(&self) -> &Threads {
        &self.threads
    }

    /// The pair loop's parts, one per thread (none on one thread).
    #[must_use]
    pub fn parts(&self) -> &[Part] {
        &self.parts
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
        let Some(test) = self.displacements(state) else {
            return true;
        };
        if self.threads.is_serial() {
            return test.too_far(0, &state.pos);
        }
        let mut tasks: Vec<_> = ranges(state.len(), self.threads.count())
            .into_iter()
            .map(|r| (r, false))
            .collect();
        self.threads.each_mut(&mut tasks, |(r, out)| {
            *out = test.too_far(r.start, &state.pos[r.clone()]);
        });
        tasks.iter().any(|t| t.1)
    }

    /// The displacement test of [`NeighborList::needs_rebuild`] for `state`'s box and number
    /// of particles, to run on any ranges of its positions; `None` when the list must be
    /// rebuilt whatever they are (never built for this state, or the box shrank by more than
    /// the skin).
    #[must_use]
    pub fn displacements(&self, state: &State) -> Option<Displacements<'_>> {
        if self.ref_pos.len() != state.len() {
            return None;
        }
        let scale = match state.geometry.box_lengths() {
            Some(l) => [0, 1, 2].map(|k| l[k] / self.ref_box[k]),
            None => [1.0; 3],
        };
        let s_min = scale[0].min(scale[1]).min(scale[2]).min(1.0);
        let budget = self.skin - (1.0 - s_min) * self.max_range;
        if budget <= 0.0 {
            return None;
        }
        Some(Displacements {
            ref_pos: &self.ref_pos,
            scale,
            limit2: 0.25 * budget * budget,
            image: state.geometry.minimum_image(),
        })
    }

    /// Builds the list for `state`.
    ///
    /// # Errors
    /// [`MdError::BoxTooSmall`] when a periodic box is shorter than twice the list range.
    pub fn build(&mut self, state: &State) -> Result<(), MdError> {
        let ranges = parts::build_ranges(&self.start, state.len(), self.threads.count());
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
            if self.threads.is_serial() {
                let (cells, rlist2) = (&self.cells, &self.rlist2[..]);
                let (start, list) = (&mut self.start, &mut self.list);
                cell_lists(
                    cells,
                    rlist2,
                    self.ntypes,
                    state,
                    &image,
                    0..state.len(),
                    start,
                    list,
                );
            } else {
                self.build_cells_parallel(state, &image, ranges);
            }
            self.start.push(self.list.len() as u32);
        }
        self.make_parts();
        self.ref_pos.clear();
        self.ref_pos.extend_from_slice(&state.pos);
        self.ref_box = box_lengths.unwrap_or([1.0; 3]);
        self.builds += 1;
        Ok(())
    }

    /// The lists of ranges of particles built in parallel, then joined in order.
    fn build_cells_parallel(
        &mut self,
        state: &State,
        image: &MinimumImage,
        ranges: Vec<Range<usize>>,
    ) {
        self.pieces.resize_with(ranges.len(), Piece::default);
        let (cells, rlist2, nt) = (&self.cells, &self.rlist2[..], self.ntypes);
        let mut tasks: Vec<_> = ranges.into_iter().zip(self.pieces.iter_mut()).collect();
        self.threads.each_mut(&mut tasks, |(r, piece)| {
            piece.start.clear();
            piece.list.clear();
            let (start, list) = (&mut piece.start, &mut piece.list);
            cell_lists(cells, rlist2, nt, state, image, r.clone(), start, list);
        });
        for piece in &self.pieces {
            let base = self.list.len() as u32;
            self.start.extend(piece.start.iter().map(|s| base + s));
            self.list.extend_from_slice(&piece.list);
        }
    }

    /// Cuts the list into the pair loop's parts ([`parts::cut`]).
    fn make_parts(&mut self) {
        parts::cut(&mut self.parts, &self.start, &self.list, &self.threads);
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

/// Appends the lists of the particles `range` (partners j > i closer than the pair's list
/// range, ascending) to `list`, with their start offsets to `start`.
#[allow(clippy::too_many_arguments)]
fn cell_lists(
    cells: &CellList,
    rlist2: &[f64],
    nt: usize,
    state: &State,
    image: &MinimumImage,
    range: Range<usize>,
    start: &mut Vec<u32>,
    list: &mut Vec<u32>,
) {
    let mut buckets = Vec::with_capacity(27);
    for i in range {
        start.push(list.len() as u32);
        let xi = state.pos[i];
        let ti = state.typeid[i] as usize * nt;
        cells.neighbor_buckets(i, &mut buckets);
        for &b in &buckets {
            // buckets hold their particles in ascending index order: walk down and stop
            // at the first j <= i
            for &j in cells.members(b).iter().rev() {
                if (j as usize) <= i {
                    break;
                }
                let r2 = image.distance2(xi, state.pos[j as usize]);
                if r2 < rlist2[ti + state.typeid[j as usize] as usize] {
                    list.push(j);
                }
            }
        }
        let s = *start.last().unwrap_or(&0) as usize;
        list[s..].sort_unstable();
    }
}
