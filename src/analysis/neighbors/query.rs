//! k-nearest and ball neighbour queries on a cell list, in a periodic box or open space.
//!
//! Both queries exclude the centre itself (freud's `exclude_ii=True`) and sort each row by
//! distance, breaking ties at equal distance by the smaller particle index. Distances are
//! computed in `f64` from positions wrapped into the box; in a periodic box each particle
//! appears at most once per row, at its minimum image.

use super::grid::CellGrid;
use super::list::NeighborList;
use crate::analysis::error::{AnalysisError, Result};
use crate::md::threads::{in_pool, map_ranges};
use crate::model::{Frame, Geometry, MinimumImage};

/// Which particles a query uses: the centres (rows of the result) and the candidates their
/// neighbours are drawn from, each given as a set of type ids (`None` = every type).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeFilter {
    /// Types of the centres; `None` = all particles.
    pub centres: Option<Vec<u32>>,
    /// Types of the candidate neighbours; `None` = all particles.
    pub neighbors: Option<Vec<u32>>,
}

impl TypeFilter {
    /// Every particle is a centre and a candidate.
    #[must_use]
    pub fn all() -> Self {
        Self::default()
    }

    /// Centres and candidates both restricted to these types (freud on the sub-system).
    #[must_use]
    pub fn only(types: &[u32]) -> Self {
        Self {
            centres: Some(types.to_vec()),
            neighbors: Some(types.to_vec()),
        }
    }
}

/// A set of points in a space, ready for neighbour queries (freud's `NeighborQuery`).
#[derive(Clone, Debug)]
pub struct NeighborQuery {
    geometry: Geometry,
    image: MinimumImage,
    positions: Vec<[f64; 3]>,
    typeid: Vec<u32>,
}

impl NeighborQuery {
    /// Points with type ids in a space. Positions of a periodic box are wrapped into it.
    ///
    /// # Errors
    /// [`AnalysisError::BadBox`] for a zero, negative or non-finite box edge, non-finite
    /// positions, or `typeid` of a different length than `positions`.
    pub fn new(geometry: Geometry, positions: &[[f64; 3]], typeid: &[u32]) -> Result<Self> {
        for (axis, &value) in geometry.box_lengths().iter().flatten().enumerate() {
            if !(value.is_finite() && value > 0.0) {
                return Err(AnalysisError::BadBox { axis, value });
            }
        }
        if typeid.len() != positions.len() {
            return Err(AnalysisError::LengthMismatch {
                what: "typeid",
                got: typeid.len(),
                expected: positions.len(),
            });
        }
        let mut wrapped = Vec::with_capacity(positions.len());
        for (index, &p) in positions.iter().enumerate() {
            if !p.iter().all(|x| x.is_finite()) {
                return Err(AnalysisError::NonFinitePosition { index, value: p });
            }
            wrapped.push(geometry.wrap(p));
        }
        Ok(Self {
            geometry,
            image: geometry.minimum_image(),
            positions: wrapped,
            typeid: typeid.to_vec(),
        })
    }

    /// The points of a frame.
    ///
    /// # Errors
    /// As [`NeighborQuery::new`], and [`AnalysisError::BadBox`] for an invalid box.
    pub fn from_frame(frame: &Frame) -> Result<Self> {
        Self::new(frame.geometry, &frame.positions, &frame.typeid)
    }

    /// The space of the points.
    #[must_use]
    pub fn geometry(&self) -> Geometry {
        self.geometry
    }

    /// Positions (wrapped into the box).
    #[must_use]
    pub fn positions(&self) -> &[[f64; 3]] {
        &self.positions
    }

    /// Type ids.
    #[must_use]
    pub fn typeid(&self) -> &[u32] {
        &self.typeid
    }

    /// Number of points.
    #[must_use]
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether there are no points.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Indices of the particles whose type is in `types` (all when `None`), increasing.
    #[must_use]
    pub fn select(&self, types: Option<&[u32]>) -> Vec<u32> {
        (0..self.positions.len() as u32)
            .filter(|&i| types.is_none_or(|t| t.contains(&self.typeid[i as usize])))
            .collect()
    }

    /// The `k` nearest neighbours (self excluded) of every centre selected by `filter`.
    ///
    /// # Errors
    /// [`AnalysisError::TooFewCandidates`] when a centre has fewer than `k` candidates.
    pub fn nearest(&self, k: usize, filter: &TypeFilter) -> Result<NeighborList> {
        let centres = self.select(filter.centres.as_deref());
        let candidates = self.select(filter.neighbors.as_deref());
        self.nearest_of(k, &centres, &candidates)
    }

    /// The `k` nearest neighbours among `candidates` (particle indices; self excluded) of
    /// each of `centres`.
    ///
    /// # Errors
    /// [`AnalysisError::IndexOutOfRange`] for a bad index,
    /// [`AnalysisError::TooFewCandidates`] when a centre has fewer than `k` candidates.
    pub fn nearest_of(
        &self,
        k: usize,
        centres: &[u32],
        candidates: &[u32],
    ) -> Result<NeighborList> {
        self.check_indices(centres)?;
        self.check_indices(candidates)?;
        let density = candidates.len() as f64 / self.volume_estimate(centres, candidates);
        // Radius holding k + 1 candidates on average; cells half as wide.
        let r_k = (3.0 * (k as f64 + 1.0) / (4.0 * std::f64::consts::PI * density)).cbrt();
        let grid = self.grid(centres, candidates, CELL_PER_RK * r_k);
        let offsets = sorted_offsets(&grid);
        let rows = map_ranges(centres.len(), per_task(centres), |r| {
            let centres = &centres[r];
            let mut list = NeighborList {
                centres: Vec::with_capacity(centres.len()),
                offsets: Vec::with_capacity(centres.len() + 1),
                neighbors: Vec::with_capacity(centres.len() * k),
                distances: Vec::with_capacity(centres.len() * k),
                vectors: Vec::with_capacity(centres.len() * k),
            };
            list.offsets.push(0);
            let mut scratch = Scratch::new(grid.num_cells());
            for &i in centres {
                if !self.nearest_row_sorted(&grid, &offsets, i, k, &mut scratch) {
                    self.nearest_row(&grid, i, k, &mut scratch)?;
                }
                self.push_row(&mut list, i, &scratch.found);
            }
            Ok(list)
        });
        NeighborList::concat(rows)
    }

    /// All neighbours closer than `r_max` (strictly; self excluded) of every centre selected
    /// by `filter`.
    ///
    /// # Errors
    /// [`AnalysisError::BadParameter`] when `r_max` is not positive, or in a periodic box not
    /// below half the smallest edge (the minimum image would be ambiguous).
    pub fn within(&self, r_max: f64, filter: &TypeFilter) -> Result<NeighborList> {
        let centres = self.select(filter.centres.as_deref());
        let candidates = self.select(filter.neighbors.as_deref());
        self.within_of(r_max, &centres, &candidates)
    }

    /// All neighbours among `candidates` closer than `r_max` of each of `centres`.
    ///
    /// # Errors
    /// As [`NeighborQuery::within`], and [`AnalysisError::IndexOutOfRange`] for a bad index.
    pub fn within_of(
        &self,
        r_max: f64,
        centres: &[u32],
        candidates: &[u32],
    ) -> Result<NeighborList> {
        if !(r_max.is_finite() && r_max > 0.0) {
            return Err(AnalysisError::BadParameter {
                name: "r_max",
                value: r_max,
                why: "must be positive and finite",
            });
        }
        if let Some(l) = self.geometry.box_lengths() {
            let half = 0.5 * l[0].min(l[1]).min(l[2]);
            if r_max >= half {
                return Err(AnalysisError::BadParameter {
                    name: "r_max",
                    value: r_max,
                    why: "must be below half the smallest periodic box edge",
                });
            }
        }
        self.check_indices(centres)?;
        self.check_indices(candidates)?;
        let grid = self.grid(centres, candidates, r_max);
        let r2 = r_max * r_max;
        let rows = map_ranges(centres.len(), per_task(centres), |r| {
            let centres = &centres[r];
            let mut list = NeighborList::default();
            list.offsets.push(0);
            let mut scratch = Scratch::new(grid.num_cells());
            for &i in centres {
                let p = self.positions[i as usize];
                let c = grid.cell_of(p);
                scratch.begin();
                let mut s = 0;
                loop {
                    let swept = self.visit_ring(&grid, p, i, c, s, &mut scratch, r2);
                    if swept || grid.covers_all(c, s) || grid.ring_bound(p, c, s) >= r_max {
                        break;
                    }
                    s += 1;
                }
                scratch.found.clear();
                scratch.found.append(&mut scratch.candidates);
                scratch.found.sort_unstable_by(bond_order);
                self.push_row(&mut list, i, &scratch.found);
            }
            Ok(list)
        });
        NeighborList::concat(rows)
    }

    fn check_indices(&self, indices: &[u32]) -> Result<()> {
        for &i in indices {
            if i as usize >= self.positions.len() {
                return Err(AnalysisError::IndexOutOfRange {
                    index: i as usize,
                    len: self.positions.len(),
                });
            }
        }
        Ok(())
    }

    /// Volume used to estimate the candidates' number density.
    fn volume_estimate(&self, centres: &[u32], candidates: &[u32]) -> f64 {
        match self.geometry {
            Geometry::Periodic(l) => l[0] * l[1] * l[2],
            Geometry::Open { .. } => {
                let (lo, hi) = self.bounds(centres, candidates);
                let v: f64 = (0..3).map(|d| (hi[d] - lo[d]).max(1e-9)).product();
                v.max(1e-27)
            }
        }
    }

    /// The box an open-space grid spans: the bounding box of the points, cut down to the bulk
    /// where a few points lie far from the rest (issue #18). Per axis, the span of the middle
    /// 98 % of the points widened by half of itself on each side; points beyond are binned
    /// into the edge cells, so an outlier costs one cell, not a grid stretched to reach it.
    fn bounds(&self, centres: &[u32], candidates: &[u32]) -> ([f64; 3], [f64; 3]) {
        let mut lo = [f64::INFINITY; 3];
        let mut hi = [f64::NEG_INFINITY; 3];
        let mut coords: Vec<f64> = Vec::with_capacity(centres.len() + candidates.len());
        for d in 0..3 {
            coords.clear();
            coords.extend(
                centres
                    .iter()
                    .chain(candidates)
                    .map(|&i| self.positions[i as usize][d]),
            );
            let m = coords.len();
            if m == 0 {
                return ([0.0; 3], [0.0; 3]);
            }
            let (min, max) = coords
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            let tail = (m - 1) / BULK_TAIL;
            let q_lo = *coords.select_nth_unstable_by(tail, f64::total_cmp).1;
            let q_hi = *coords
                .select_nth_unstable_by(m - 1 - tail, f64::total_cmp)
                .1;
            let pad = 0.5 * (q_hi - q_lo);
            lo[d] = min.max(q_lo - pad);
            hi[d] = max.min(q_hi + pad);
        }
        (lo, hi)
    }

    fn grid(&self, centres: &[u32], candidates: &[u32], width: f64) -> CellGrid {
        // A periodic grid spans the box; only open space needs the points' bounds.
        let bounds = if self.geometry.is_periodic() {
            ([0.0; 3], [0.0; 3])
        } else {
            self.bounds(centres, candidates)
        };
        CellGrid::build(&self.geometry, &self.positions, candidates, width, bounds)
    }

    /// Fast path of the k-nearest search: visits cells in order of their least possible
    /// distance (`offsets`), skipping cells farther than the current k-th neighbour. Returns
    /// false (and leaves the search to [`Self::nearest_row`]) when the offsets do not reach
    /// far enough to be sure.
    fn nearest_row_sorted(
        &self,
        grid: &CellGrid,
        offsets: &[(f64, [i64; 3])],
        i: u32,
        k: usize,
        scratch: &mut Scratch,
    ) -> bool {
        let p = self.positions[i as usize];
        if !grid.contains(p) {
            // Cell bounds say nothing about the distance from a point outside the grid.
            return false;
        }
        let c = grid.cell_of(p);
        scratch.begin();
        let top = &mut scratch.found;
        top.clear();
        if k == 0 {
            return true;
        }
        let kth = |top: &Vec<(f64, u32, [f64; 3])>| {
            if top.len() == k {
                top[k - 1].0
            } else {
                f64::INFINITY
            }
        };
        for &(lb2, off) in offsets {
            if lb2 > kth(top) {
                break;
            }
            let Some(cell) = grid.neighbor_cell(c, off) else {
                continue;
            };
            if scratch.stamp[cell] == scratch.generation {
                continue;
            }
            // Exact distance from p to this (unwrapped) cell.
            let mut md2 = 0.0;
            for d in 0..3 {
                let lo = grid.origin[d] + (c[d] as f64 + off[d] as f64) * grid.width[d];
                let hi = lo + grid.width[d];
                let e = if p[d] < lo {
                    lo - p[d]
                } else if p[d] > hi {
                    p[d] - hi
                } else {
                    0.0
                };
                md2 += e * e;
            }
            if md2 > kth(top) {
                continue;
            }
            scratch.stamp[cell] = scratch.generation;
            for m in grid.starts[cell] as usize..grid.starts[cell + 1] as usize {
                let j = grid.members[m];
                if j == i {
                    continue;
                }
                let d = self.image.delta(p, grid.member_positions[m]);
                let d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if top.len() == k {
                    let last = &top[k - 1];
                    if d2 > last.0 || (d2 == last.0 && j > last.1) {
                        continue;
                    }
                }
                let item = (d2, j, d);
                let at = top.partition_point(|x| bond_order(x, &item) == std::cmp::Ordering::Less);
                if top.len() == k {
                    top.pop();
                }
                top.insert(at, item);
            }
        }
        let reach = offsets
            .iter()
            .map(|(_, o)| o[0].abs().max(o[1].abs()).max(o[2].abs()))
            .max()
            .unwrap_or(0) as usize;
        let bound = grid.ring_bound(p, c, reach);
        top.len() == k && (grid.covers_all(c, reach) || top[k - 1].0 < bound * bound)
    }

    /// Fills `scratch.found` with the k nearest candidates of centre `i`, sorted.
    fn nearest_row(&self, grid: &CellGrid, i: u32, k: usize, scratch: &mut Scratch) -> Result<()> {
        let p = self.positions[i as usize];
        let c = grid.cell_of(p);
        scratch.begin();
        let mut s = 0;
        loop {
            let swept = self.visit_ring(grid, p, i, c, s, scratch, f64::INFINITY);
            let all = swept || grid.covers_all(c, s);
            if scratch.candidates.len() >= k {
                if k == 0 {
                    break;
                }
                scratch.candidates.select_nth_unstable_by(k - 1, bond_order);
                let kth = scratch.candidates[k - 1].0;
                let bound = grid.ring_bound(p, c, s);
                if all || kth < bound * bound {
                    break;
                }
            } else if all {
                return Err(AnalysisError::TooFewCandidates {
                    index: i as usize,
                    k,
                    available: scratch.candidates.len(),
                });
            }
            s += 1;
        }
        scratch.candidates.truncate(k);
        scratch.candidates.sort_unstable_by(bond_order);
        scratch.found.clear();
        scratch.found.append(&mut scratch.candidates);
        Ok(())
    }

    /// Adds the members of the cells at Chebyshev distance exactly `s` from cell `c` that lie
    /// closer than `sqrt(r2)` to `p` (centre `i` itself excluded). Once the shell would list
    /// more cell offsets than the grid has cells, every cell not yet visited is visited
    /// instead, and the return value is true: nothing is left unvisited. A search is so
    /// bounded by the number of cells however far its rings must reach (issue #18).
    #[allow(clippy::too_many_arguments)]
    fn visit_ring(
        &self,
        grid: &CellGrid,
        p: [f64; 3],
        i: u32,
        c: [usize; 3],
        s: usize,
        scratch: &mut Scratch,
        r2: f64,
    ) -> bool {
        let side = 2 * s as u64 + 1;
        if side.saturating_mul(side).saturating_mul(side) > grid.num_cells() as u64 {
            for cell in 0..grid.num_cells() {
                self.visit_cell(grid, cell, p, i, scratch, r2);
            }
            return true;
        }
        let s = s as i64;
        for dx in -s..=s {
            for dy in -s..=s {
                let edge = dx.abs() == s || dy.abs() == s;
                let mut dz = -s;
                while dz <= s {
                    if let Some(cell) = grid.neighbor_cell(c, [dx, dy, dz]) {
                        self.visit_cell(grid, cell, p, i, scratch, r2);
                    }
                    // Inside the ring's faces only the two z-extremes belong to the shell.
                    dz += if edge || dz == s { 1 } else { 2 * s.max(1) };
                }
            }
        }
        false
    }

    /// Adds the members of `cell`, unless visited already, closer than `sqrt(r2)` to `p`.
    #[inline]
    fn visit_cell(
        &self,
        grid: &CellGrid,
        cell: usize,
        p: [f64; 3],
        i: u32,
        scratch: &mut Scratch,
        r2: f64,
    ) {
        if scratch.stamp[cell] == scratch.generation {
            return;
        }
        scratch.stamp[cell] = scratch.generation;
        for m in grid.starts[cell] as usize..grid.starts[cell + 1] as usize {
            let j = grid.members[m];
            if j == i {
                continue;
            }
            let d = self.image.delta(p, grid.member_positions[m]);
            let d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if d2 < r2 {
                scratch.candidates.push((d2, j, d));
            }
        }
    }

    fn push_row(&self, list: &mut NeighborList, i: u32, found: &[(f64, u32, [f64; 3])]) {
        list.centres.push(i as usize);
        for &(d2, j, v) in found {
            list.neighbors.push(j);
            list.distances.push(d2.sqrt());
            list.vectors.push(v);
        }
        list.offsets.push(list.neighbors.len());
    }
}

/// Centres per task of a parallel search ([`map_ranges`]; the rows do not depend on it).
const CENTRES_PER_TASK: usize = 1024;

/// Centres per task: [`CENTRES_PER_TASK`] on a pool's threads, all at once serially.
fn per_task(centres: &[u32]) -> usize {
    if in_pool() {
        CENTRES_PER_TASK
    } else {
        centres.len()
    }
}
/// The bulk of an open-space grid leaves out the `1/BULK_TAIL` of the points at either end of
/// each axis (see `NeighborQuery::bounds`).
const BULK_TAIL: usize = 100;
/// Cell width of the k-nearest grid, in units of the radius holding k + 1 candidates.
const CELL_PER_RK: f64 = 0.5;
/// Chebyshev reach (in cells) of the fast k-nearest search.
const REACH: i64 = 3;

/// Cell offsets within [`REACH`], sorted by the least squared distance between a point of
/// the centre cell and a point of the offset cell (ties in a fixed order).
fn sorted_offsets(grid: &CellGrid) -> Vec<(f64, [i64; 3])> {
    let mut out = Vec::new();
    for dx in -REACH..=REACH {
        for dy in -REACH..=REACH {
            for dz in -REACH..=REACH {
                let off = [dx, dy, dz];
                let lb2: f64 = (0..3)
                    .map(|d| {
                        let g = (off[d].abs() - 1).max(0) as f64 * grid.width[d];
                        g * g
                    })
                    .sum();
                out.push((lb2, off));
            }
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    out
}

/// Order of candidate bonds: by squared distance, then by particle index.
fn bond_order(a: &(f64, u32, [f64; 3]), b: &(f64, u32, [f64; 3])) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

/// Reusable per-query buffers.
struct Scratch {
    stamp: Vec<u32>,
    generation: u32,
    candidates: Vec<(f64, u32, [f64; 3])>,
    found: Vec<(f64, u32, [f64; 3])>,
}

impl Scratch {
    fn new(cells: usize) -> Self {
        Self {
            stamp: vec![0; cells],
            generation: 0,
            candidates: Vec::new(),
            found: Vec::new(),
        }
    }

    fn begin(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
        self.candidates.clear();
    }
}
