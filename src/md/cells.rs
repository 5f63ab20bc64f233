//! The cell list under the Verlet list: particles binned by a counting sort into cells of side
//! at least the list range, so that every pair closer than the range lies in the same or in
//! adjacent cells (Allen & Tildesley, *Computer Simulation of Liquids*, §5.3.2).
//!
//! Memory and time stay linear in N whatever the positions: cells are integer coordinates
//! (`floor(x / side)`, saturating), and when the cells spanned by the particles outnumber them
//! (one particle far from the rest, a nearly empty huge box) the cells are hashed into
//! 2·N buckets (power of two) instead of laid out densely. A bucket may then hold particles of
//! several cells; the distance test that follows filters them, and each bucket is visited once
//! per particle, so the list is the same. An outlier costs one cell, not a cube of them.

/// Cells along one axis of a periodic box are at most this many (a box edge beyond
/// `2^40` list ranges gets wider cells).
const MAX_PERIODIC_CELLS: f64 = 1_099_511_627_776.0;
/// Dense layout while cells ≤ this factor times the particles (plus a constant).
const DENSE_CELLS_PER_PARTICLE: u64 = 4;
const DENSE_CELLS_MIN: u64 = 1024;

/// How the particles' cells are laid out.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Layout {
    /// One bucket per cell of the block `origin .. origin + dims`.
    Dense { origin: [i64; 3], dims: [i64; 3] },
    /// Cells hashed into `mask + 1` buckets.
    Hashed { mask: u64 },
}

/// Particles binned into cells; see the module documentation.
#[derive(Clone, Debug, Default)]
pub(super) struct CellList {
    /// Periodic box: cells along each axis (coordinates wrap); `None` in open space.
    periods: Option<[i64; 3]>,
    /// Lower corner of cell (0, 0, 0) and the cell side along each axis.
    lo: [f64; 3],
    side: [f64; 3],
    layout: Option<Layout>,
    /// Cell coordinates of each particle.
    coords: Vec<[i64; 3]>,
    /// `start[b]..start[b + 1]` index `atoms` for the members of bucket `b`.
    start: Vec<u32>,
    /// Particle indices, bucket by bucket, increasing within a bucket.
    atoms: Vec<u32>,
    bucket_of: Vec<u32>,
}

impl CellList {
    /// Cells along each axis of a periodic box `l` for cells of side at least `range`.
    #[must_use]
    pub fn periodic_cells(l: [f64; 3], range: f64) -> [i64; 3] {
        l.map(|x| libm::floor(x / range).clamp(1.0, MAX_PERIODIC_CELLS) as i64)
    }

    /// Bins `pos` into cells of side ≥ `range` (> 0): the periodic box `l` divided into
    /// `periodic_cells(l, range)` cells, or in open space (`l == None`) the lattice of cubes of
    /// side `range` from the origin.
    pub fn build(&mut self, pos: &[[f64; 3]], l: Option<[f64; 3]>, range: f64) {
        self.coords.clear();
        match l {
            Some(l) => {
                let nc = Self::periodic_cells(l, range);
                self.periods = Some(nc);
                self.lo = l.map(|x| -0.5 * x);
                self.side = [0, 1, 2].map(|k| l[k] / nc[k] as f64);
                for p in pos {
                    let c = [0, 1, 2].map(|k| {
                        let x = libm::floor((p[k] - self.lo[k]) / self.side[k]);
                        if x < 0.0 {
                            0
                        } else {
                            (x as i64).min(nc[k] - 1)
                        }
                    });
                    self.coords.push(c);
                }
            }
            None => {
                self.periods = None;
                self.lo = [0.0; 3];
                self.side = [range; 3];
                self.coords
                    .extend(pos.iter().map(|p| p.map(|x| libm::floor(x / range) as i64)));
            }
        }
        let mut cmin = [i64::MAX; 3];
        let mut cmax = [i64::MIN; 3];
        for c in &self.coords {
            for k in 0..3 {
                cmin[k] = cmin[k].min(c[k]);
                cmax[k] = cmax[k].max(c[k]);
            }
        }
        let n = pos.len() as u64;
        let cells = (0..3).try_fold(1u64, |acc, k| {
            let span = u64::try_from(cmax[k].checked_sub(cmin[k])?.checked_add(1)?).ok()?;
            acc.checked_mul(span)
        });
        let layout = match cells {
            _ if n == 0 => Layout::Dense {
                origin: [0; 3],
                dims: [1; 3],
            },
            Some(c) if c <= DENSE_CELLS_PER_PARTICLE * n + DENSE_CELLS_MIN => Layout::Dense {
                origin: cmin,
                dims: [0, 1, 2].map(|k| cmax[k] - cmin[k] + 1),
            },
            _ => Layout::Hashed {
                mask: (2 * n).next_power_of_two() - 1,
            },
        };
        self.layout = Some(layout);
        let buckets = self.buckets();
        self.start.clear();
        self.start.resize(buckets + 1, 0);
        self.bucket_of.clear();
        for i in 0..self.coords.len() {
            let b = self.bucket(self.coords[i]);
            self.bucket_of.push(b as u32);
            self.start[b + 1] += 1;
        }
        for b in 0..buckets {
            self.start[b + 1] += self.start[b];
        }
        self.atoms.clear();
        self.atoms.resize(pos.len(), 0);
        let mut fill: Vec<u32> = self.start[..buckets].to_vec();
        for (i, &b) in self.bucket_of.iter().enumerate() {
            self.atoms[fill[b as usize] as usize] = i as u32;
            fill[b as usize] += 1;
        }
    }

    /// Number of buckets.
    fn buckets(&self) -> usize {
        match self.layout {
            Some(Layout::Dense { dims, .. }) => (dims[0] * dims[1] * dims[2]) as usize,
            Some(Layout::Hashed { mask }) => mask as usize + 1,
            None => 0,
        }
    }

    /// Whether cells are hashed (then a bucket may hold several cells).
    #[must_use]
    pub fn is_hashed(&self) -> bool {
        matches!(self.layout, Some(Layout::Hashed { .. }))
    }

    /// The bucket of a cell inside the occupied block (dense) or any cell (hashed).
    #[inline]
    fn bucket(&self, c: [i64; 3]) -> usize {
        match self.layout {
            Some(Layout::Dense { origin, dims }) => {
                let r = [0, 1, 2].map(|k| c[k] - origin[k]);
                ((r[2] * dims[1] + r[1]) * dims[0] + r[0]) as usize
            }
            Some(Layout::Hashed { mask }) => {
                let h = (c[0] as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    ^ (c[1] as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
                    ^ (c[2] as u64).wrapping_mul(0x1656_67B1_9E37_79F9);
                ((h ^ (h >> 29)) & mask) as usize
            }
            None => 0,
        }
    }

    /// The buckets of the 27 cells around particle `i`'s (its own included) into `out`, each
    /// bucket once; cells outside the occupied block of a dense open layout are left out.
    pub fn neighbor_buckets(&self, i: usize, out: &mut Vec<usize>) {
        out.clear();
        let c = self.coords[i];
        for dz in -1i64..=1 {
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    if let Some(nb) = self.offset(c, [dx, dy, dz]) {
                        out.push(self.bucket(nb));
                    }
                }
            }
        }
        if self.is_hashed() {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// Cell `c + off`, wrapped in a periodic box; `None` where no particle can be.
    #[inline]
    fn offset(&self, c: [i64; 3], off: [i64; 3]) -> Option<[i64; 3]> {
        let mut out = [0i64; 3];
        for k in 0..3 {
            let v = c[k].checked_add(off[k])?;
            out[k] = match self.periods {
                Some(p) => v.rem_euclid(p[k]),
                None => v,
            };
        }
        if let Some(Layout::Dense { origin, dims }) = self.layout {
            if (0..3).any(|k| out[k] < origin[k] || out[k] >= origin[k] + dims[k]) {
                return None;
            }
        }
        Some(out)
    }

    /// Members of bucket `b`, in increasing index order.
    #[inline]
    pub fn members(&self, b: usize) -> &[u32] {
        &self.atoms[self.start[b] as usize..self.start[b + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(cells: &CellList, pos: &[[f64; 3]], range: f64) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut buckets = Vec::new();
        for i in 0..pos.len() {
            cells.neighbor_buckets(i, &mut buckets);
            for &b in &buckets {
                for &j in cells.members(b) {
                    let d: f64 = (0..3)
                        .map(|k| (pos[i][k] - pos[j as usize][k]).powi(2))
                        .sum();
                    if (j as usize) > i && d < range * range {
                        out.push((i as u32, j));
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn brute(pos: &[[f64; 3]], range: f64) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for i in 0..pos.len() {
            for j in i + 1..pos.len() {
                let d: f64 = (0..3).map(|k| (pos[i][k] - pos[j][k]).powi(2)).sum();
                if d < range * range {
                    out.push((i as u32, j as u32));
                }
            }
        }
        out
    }

    #[test]
    fn outliers_are_hashed_and_lose_no_pair() {
        let mut pos: Vec<[f64; 3]> = (0..200)
            .map(|i| {
                let f = f64::from(i);
                [
                    libm::sin(f) * 3.0,
                    libm::cos(1.7 * f) * 3.0,
                    (f % 7.0) - 3.0,
                ]
            })
            .collect();
        let mut cells = CellList::default();
        cells.build(&pos, None, 1.5);
        assert!(!cells.is_hashed());
        assert_eq!(pairs(&cells, &pos, 1.5), brute(&pos, 1.5));
        // Far outliers, two of them within range of each other, one at the largest f32.
        pos.push([1e5, 0.0, 0.0]);
        pos.push([1e5 + 1.0, 0.5, 0.0]);
        pos.push([-1e12, 1e12, 3.0e38]);
        cells.build(&pos, None, 1.5);
        assert!(cells.is_hashed());
        assert!(cells.buckets() <= 2 * pos.len().next_power_of_two());
        let found = pairs(&cells, &pos, 1.5);
        assert_eq!(found, brute(&pos, 1.5));
        assert!(found.contains(&(200, 201)));
    }

    #[test]
    fn a_huge_periodic_box_stays_small() {
        let pos = [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [4e11, 0.0, 0.0]];
        let mut cells = CellList::default();
        cells.build(&pos, Some([1e12; 3]), 3.0);
        assert!(cells.is_hashed() && cells.buckets() <= 8);
        assert_eq!(pairs(&cells, &pos, 3.0), vec![(0, 1)]);
    }
}
