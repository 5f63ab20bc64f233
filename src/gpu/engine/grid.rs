//! The GPU cell grid of a block of steps: cells of side at least the largest cut-off along
//! each axis of the fixed-point box, and slots per cell from the density (twice the mean
//! occupancy plus 16, so that an overflow, which the shader flags, is rare).

use super::fixed_box::FixedBox;

/// Cells along an axis of a periodic box are at most this many.
const MAX_PERIODIC_CELLS: u32 = 1024;
/// Cells along an axis of the open-space hashed grid are at most this many.
const MAX_OPEN_CELLS: u32 = 256;

/// Cell grid of a block of steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Grid {
    /// Cells along each axis.
    pub cells: [u32; 3],
    /// Cells per box length: `cells` (periodic) or `2 cells` (open space, hashed grid).
    pub mul: [u32; 3],
    /// Slots per cell.
    pub cap: u32,
}

impl Grid {
    /// No grid yet (the engine sizes one before its first step).
    pub const NONE: Self = Self {
        cells: [0; 3],
        mul: [0; 3],
        cap: 0,
    };

    /// The grid of `n` particles in box `b` (the smallest of a block) with largest cut-off
    /// `rc`, at least `min_capacity` slots per cell.
    pub fn choose(b: &FixedBox, n: u32, rc: f64, min_capacity: u32) -> Self {
        let mut cells = [0u32; 3];
        let mut mul = [0u32; 3];
        for a in 0..3 {
            if b.open {
                // Hashed grid of period L/2 >= the occupied region's extent.
                let c = (libm::floor(0.5 * b.lengths[a] / rc) as u32).clamp(2, MAX_OPEN_CELLS);
                cells[a] = c;
                mul[a] = 2 * c;
            } else {
                let c = (libm::floor(b.lengths[a] / rc) as u32).clamp(2, MAX_PERIODIC_CELLS);
                cells[a] = c;
                mul[a] = c;
            }
        }
        let cell_volume: f64 = (0..3).map(|a| b.lengths[a] / f64::from(mul[a])).product();
        let occupied = if b.open {
            let r = if b.wall_radius > 0.0 {
                b.wall_radius
            } else {
                0.5 * b.open_limit
            };
            4.0 / 3.0 * std::f64::consts::PI * r * r * r
        } else {
            b.lengths.iter().product::<f64>()
        };
        let density = f64::from(n) / occupied;
        let cap = ((2.0 * density * cell_volume).ceil() as u32 + 16).max(min_capacity);
        Self { cells, mul, cap }
    }

    /// Number of cells.
    pub fn ncells(&self) -> u32 {
        self.cells[0] * self.cells[1] * self.cells[2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn periodic(l: f64) -> FixedBox {
        FixedBox {
            lengths: [l; 3],
            open: false,
            wall_radius: 0.0,
            wall_eps: 0.0,
            open_limit: 0.0,
        }
    }

    #[test]
    fn cells_are_at_least_a_cut_off_wide_and_bounded() {
        // 1000 particles in a box of 10: cells of 10/4 >= 2.5, twice 15.6 mean plus 16 slots.
        let g = Grid::choose(&periodic(10.0), 1000, 2.5, 0);
        assert_eq!(g.cells, [4; 3]);
        assert_eq!(g.mul, g.cells);
        assert_eq!(g.cap, 32 + 16);
        assert_eq!(g.ncells(), 64);
        assert_eq!(Grid::choose(&periodic(1e9), 10, 1.0, 0).cells, [1024; 3]);
        assert_eq!(Grid::choose(&periodic(10.0), 1000, 2.5, 500).cap, 500);
        let droplet = FixedBox {
            lengths: [40.0; 3],
            open: true,
            wall_radius: 8.0,
            wall_eps: 1.0,
            open_limit: 10.0,
        };
        let g = Grid::choose(&droplet, 100, 2.5, 0);
        assert_eq!(g.cells, [8; 3]);
        assert_eq!(g.mul, [16; 3]);
    }
}
