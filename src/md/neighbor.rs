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
use super::forces::BLOCK;
use super::state::State;
use super::threads::{ranges, Threads};
use crate::model::{MinimumImage, PairTable};

/// One thread's share of the pair loop ([`super::forces`]): a range of particles i and, for
/// its particles j with earlier partners outside the range (i < `range.start` whose half list
/// holds j), those partners, whose forces on j the part computes itself.
#[derive(Clone, Debug, Default)]
pub struct Part {
    /// The particles, starting at a multiple of [`BLOCK`], ending at one or at N.
    pub range: Range<usize>,
    /// The particles j with outside partners, ascending, each with the end of its partners in
    /// `cross` (they start where the previous one's end).
    pub crossing: Vec<(u32, u32)>,
    /// Outside partners, particle by particle, each particle's ascending.
    pub cross: Vec<u32>,
    /// The particles i of the part with later partners beyond it, ascending, each with how
    /// many of its partners lie inside the part (a half list is ascending: those come first).
    pub tails: Vec<(u32, u32)>,
}

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

    /// The pair loop's parts, one per thread (empty on one thread).
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
                self.build_cells_parallel(state, &image);
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
    fn build_cells_parallel(&mut self, state: &State, image: &MinimumImage) {
        let ranges = ranges(state.len(), self.threads.count());
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

    /// Cuts the list into one part per thread (none on one thread), each with about the same
    /// work: its own pairs plus ¾ of its outside partners (the weight that made the two parts'
    /// instruction counts equal in callgrind at 27,000 particles: 1 left the first part 4 %
    /// heavier, ½ the second). A first cut where the half list's prefix sum passes k/threads of
    /// its pairs gives each part's outside partners c_t; the final cut puts boundary k where
    /// the prefix passes k·(pairs + ¾Σc)/threads − ¾Σ_{t<k} c_t, rounded to [`BLOCK`]
    /// particles. Then each part collects its outside partners (in parallel).
    fn make_parts(&mut self) {
        self.parts.clear();
        let n = self.start.len().saturating_sub(1);
        let threads = self.threads.count();
        if threads <= 1 || n <= BLOCK {
            return;
        }
        let total = u64::from(self.start[n]);
        let first: Vec<u64> = (1..threads)
            .map(|k| total * k as u64 / threads as u64)
            .collect();
        let first = self.cut(&first);
        let mut outside: Vec<_> = first.windows(2).map(|w| (w[0]..w[1], 0u64)).collect();
        let (start, list) = (&self.start[..], &self.list[..]);
        self.threads.each_mut(&mut outside, |(r, count)| {
            *count = (0..r.start)
                .map(|i| {
                    let partners = &list[start[i] as usize..start[i + 1] as usize];
                    let lo = partners.partition_point(|&j| (j as usize) < r.start);
                    let hi = partners.partition_point(|&j| (j as usize) < r.end);
                    (hi - lo) as u64
                })
                .sum();
        });
        let weight = |c: u64| c * 3 / 4;
        let work =
            (total + outside.iter().map(|o| weight(o.1)).sum::<u64>()) / outside.len() as u64;
        let mut before = 0;
        let targets: Vec<u64> = (1..outside.len())
            .map(|k| {
                before += weight(outside[k - 1].1);
                (work * k as u64).saturating_sub(before)
            })
            .collect();
        let bounds = self.cut(&targets);
        if bounds.len() < 3 {
            return;
        }
        self.parts = bounds
            .windows(2)
            .map(|w| Part {
                range: w[0]..w[1],
                ..Part::default()
            })
            .collect();
        self.threads.each_mut(&mut self.parts, |part| {
            let r = part.range.clone();
            let mut count = vec![0u32; r.len() + 1];
            let mut found = Vec::new();
            for i in 0..r.start {
                let partners = &list[start[i] as usize..start[i + 1] as usize];
                let lo = partners.partition_point(|&j| (j as usize) < r.start);
                let hi = partners.partition_point(|&j| (j as usize) < r.end);
                for &j in &partners[lo..hi] {
                    count[j as usize - r.start + 1] += 1;
                    found.push((j, i as u32));
                }
            }
            for k in 0..r.len() {
                count[k + 1] += count[k];
            }
            part.cross = vec![0; found.len()];
            let mut fill = count[..r.len()].to_vec();
            // `found` is in ascending i: a stable scatter keeps it per j
            for (j, i) in found {
                let slot = &mut fill[j as usize - r.start];
                part.cross[*slot as usize] = i;
                *slot += 1;
            }
            part.crossing = count
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w[1] > w[0])
                .map(|(k, w)| ((r.start + k) as u32, w[1]))
                .collect();
            part.tails = r
                .clone()
                .filter_map(|i| {
                    let partners = &list[start[i] as usize..start[i + 1] as usize];
                    let beyond = partners.last().is_some_and(|&j| j as usize >= r.end);
                    beyond.then(|| {
                        let inside = partners.partition_point(|&j| (j as usize) < r.end);
                        (i as u32, inside as u32)
                    })
                })
                .collect();
        });
    }

    /// Part boundaries `0, b_1, …, n`: b_k is where the half list's prefix sum passes
    /// `targets[k - 1]` pairs, rounded to [`BLOCK`] particles; empty parts are dropped.
    fn cut(&self, targets: &[u64]) -> Vec<usize> {
        let n = self.start.len() - 1;
        let mut bounds = vec![0];
        for &target in targets {
            let i = self.start[..n].partition_point(|&s| u64::from(s) < target);
            let i = ((i + BLOCK / 2) / BLOCK * BLOCK).min(n);
            if i > *bounds.last().unwrap_or(&0) && i < n {
                bounds.push(i);
            }
        }
        bounds.push(n);
        bounds
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
