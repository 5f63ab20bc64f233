//! A cell list: candidate particles binned into a regular grid of cells, stored cell by cell
//! so that a cell's members are contiguous in memory.

use crate::model::Geometry;

/// Candidates binned into cells of (at least) a requested width.
#[derive(Clone, Debug)]
pub(crate) struct CellGrid {
    /// Number of cells along each axis.
    pub dims: [usize; 3],
    /// Width of a cell along each axis.
    pub width: [f64; 3],
    /// Lower corner of cell (0, 0, 0).
    pub origin: [f64; 3],
    /// Whether the grid wraps around (periodic box).
    pub periodic: bool,
    /// `starts[c]..starts[c + 1]` are the members of cell `c`.
    pub starts: Vec<u32>,
    /// Particle indices of the members, cell by cell, increasing index within a cell.
    pub members: Vec<u32>,
    /// Positions of the members, in the same order.
    pub member_positions: Vec<[f64; 3]>,
}

/// Largest number of cells per candidate the grid may use (bounds memory in sparse systems).
const MAX_CELLS_PER_CANDIDATE: usize = 8;

impl CellGrid {
    /// Bins `candidates` (indices into `positions`, already wrapped) into cells of width at
    /// least `target_width`. In open space the grid spans `lo..hi` (the bulk of the points
    /// that will be queried); points outside go to the nearest edge cell.
    pub fn build(
        geometry: &Geometry,
        positions: &[[f64; 3]],
        candidates: &[u32],
        target_width: f64,
        bounds: ([f64; 3], [f64; 3]),
    ) -> Self {
        let (origin, extent, periodic) = match *geometry {
            Geometry::Periodic(l) => ([-0.5 * l[0], -0.5 * l[1], -0.5 * l[2]], l, true),
            Geometry::Open { .. } => {
                let (lo, hi) = bounds;
                (
                    [lo[0], lo[1], lo[2]],
                    [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]],
                    false,
                )
            }
        };
        let max_cells = (candidates.len().max(1) * MAX_CELLS_PER_CANDIDATE).max(27) as f64;
        let mut w = target_width.max(1e-9);
        let mut dims;
        loop {
            dims = [0, 1, 2].map(|d| {
                let n = (extent[d] / w).floor();
                if n.is_finite() && n >= 1.0 {
                    n as usize
                } else {
                    1
                }
            });
            if (dims[0] * dims[1] * dims[2]) as f64 <= max_cells {
                break;
            }
            w *= 1.25;
        }
        let width = [0, 1, 2].map(|d| {
            if periodic {
                extent[d] / dims[d] as f64
            } else {
                // Open grids cover [lo, lo + dims·w] ⊇ [lo, hi]; keep at least w.
                (extent[d] / dims[d] as f64).max(w)
            }
        });
        let mut grid = CellGrid {
            dims,
            width,
            origin,
            periodic,
            starts: Vec::new(),
            members: Vec::with_capacity(candidates.len()),
            member_positions: Vec::with_capacity(candidates.len()),
        };
        let ncells = dims[0] * dims[1] * dims[2];
        let cell_of: Vec<usize> = candidates
            .iter()
            .map(|&j| grid.linear(grid.cell_of(positions[j as usize])))
            .collect();
        let mut counts = vec![0u32; ncells + 1];
        for &c in &cell_of {
            counts[c + 1] += 1;
        }
        for c in 0..ncells {
            counts[c + 1] += counts[c];
        }
        let mut fill = counts.clone();
        let mut members = vec![0u32; candidates.len()];
        for (&j, &c) in candidates.iter().zip(&cell_of) {
            members[fill[c] as usize] = j;
            fill[c] += 1;
        }
        // Counting sort keeps candidate order within a cell; make it increasing index.
        for c in 0..ncells {
            members[counts[c] as usize..counts[c + 1] as usize].sort_unstable();
        }
        grid.member_positions = members.iter().map(|&j| positions[j as usize]).collect();
        grid.members = members;
        grid.starts = counts;
        grid
    }

    /// Cell coordinates of a position (clamped into the grid).
    #[inline]
    pub fn cell_of(&self, p: [f64; 3]) -> [usize; 3] {
        [0, 1, 2].map(|d| {
            let c = ((p[d] - self.origin[d]) / self.width[d]).floor();
            if c.is_nan() || c < 0.0 {
                0
            } else {
                (c as usize).min(self.dims[d] - 1)
            }
        })
    }

    /// Whether `p` lies inside the cells (always in a periodic grid). Open grids span the
    /// bulk of the points; a point outside is binned into an edge cell that does not hold it.
    #[inline]
    pub fn contains(&self, p: [f64; 3]) -> bool {
        self.periodic
            || (0..3).all(|d| {
                p[d] >= self.origin[d]
                    && p[d] <= self.origin[d] + self.dims[d] as f64 * self.width[d]
            })
    }

    /// Linear index of cell coordinates.
    #[inline]
    pub fn linear(&self, c: [usize; 3]) -> usize {
        (c[0] * self.dims[1] + c[1]) * self.dims[2] + c[2]
    }

    /// Number of cells.
    pub fn num_cells(&self) -> usize {
        self.dims[0] * self.dims[1] * self.dims[2]
    }

    /// The cell at integer offset `off` from cell `c`, wrapped in a periodic grid; `None`
    /// outside an open grid.
    #[inline]
    pub fn neighbor_cell(&self, c: [usize; 3], off: [i64; 3]) -> Option<usize> {
        let mut out = [0usize; 3];
        for d in 0..3 {
            let n = self.dims[d] as i64;
            let x = c[d] as i64 + off[d];
            out[d] = if self.periodic {
                x.rem_euclid(n) as usize
            } else if (0..n).contains(&x) {
                x as usize
            } else {
                return None;
            };
        }
        Some(self.linear(out))
    }

    /// Distance from `p` (in cell `c`) to the outside of the block of cells within Chebyshev
    /// distance `s` of `c`: no unvisited particle can be closer than this.
    #[inline]
    pub fn ring_bound(&self, p: [f64; 3], c: [usize; 3], s: usize) -> f64 {
        let mut bound = f64::INFINITY;
        for d in 0..3 {
            let lo = self.origin[d] + (c[d] as f64 - s as f64) * self.width[d];
            let hi = self.origin[d] + (c[d] as f64 + s as f64 + 1.0) * self.width[d];
            bound = bound.min(p[d] - lo).min(hi - p[d]);
        }
        bound.max(0.0)
    }

    /// Whether the block of cells within Chebyshev distance `s` of `c` covers the whole grid.
    #[inline]
    pub fn covers_all(&self, c: [usize; 3], s: usize) -> bool {
        (0..3).all(|d| {
            if self.periodic {
                2 * s + 1 >= self.dims[d]
            } else {
                c[d] <= s && c[d] + s + 1 >= self.dims[d]
            }
        })
    }
}
