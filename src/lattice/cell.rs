//! Unit cells: a crystal of the catalogue ([`super::catalogue`]) with its lattice constants,
//! and the NaZn₁₃ basis (SCIENCE.md §5).
//!
//! - **AlB₂** (hexagonal, P6/mmm): L at (0,0,0), S at (⅓,⅔,½) and (⅔,⅓,½) in the hexagonal
//!   cell with edges a, a, c. For periodic boxes the equivalent orthohexagonal cell
//!   (a, √3·a, c; 2 L + 4 S) is used.
//! - **NaZn₁₃** (cubic, Fm-3c): 8 L on a simple-cubic subcell of side a/2 at ({¼,¾},{¼,¾},{¼,¾});
//!   an S-centred icosahedron of 13 S at each ({0,½},{0,½},{0,½}), the icosahedra of
//!   neighbouring subcells rotated by 90° (the c-glide), 8 L + 104 S per cell.
//!   The icosahedra are regular, with centre–vertex distance b_SS = b_LL·0.25664/0.61365
//!   (b_LL = a/2), the bond ratios SCIENCE.md §5 uses.
//! - **fcc**: 4 L per cubic cell.

use super::catalogue::{Crystal, Structure};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Species of a basis site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Species {
    /// A large particle (type id 0).
    Large,
    /// A small particle (type id 1).
    Small,
}

impl Species {
    /// The type id used in frames: 0 for L, 1 for S.
    #[must_use]
    pub fn typeid(self) -> u32 {
        match self {
            Species::Large => 0,
            Species::Small => 1,
        }
    }
}

/// A site of a basis: species and fractional coordinates in the cell it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// L or S.
    pub species: Species,
    /// Fractional coordinates along the cell's three edges.
    pub frac: [f64; 3],
}

/// Ratio of the NaZn₁₃ icosahedron's centre–vertex distance to b_LL = a/2 (SCIENCE.md §5).
pub const NAZN13_SS_OVER_LL: f64 = 0.25664 / 0.61365;

/// A unit cell: a crystal of the catalogue and its lattice constants (any length unit; σ in
/// simulations, nm in fits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitCell {
    /// Which crystal.
    pub crystal: Arc<Crystal>,
    /// Lattice constant a.
    pub a: f64,
    /// c/a for hexagonal crystals (1 for cubic ones).
    pub c_over_a: f64,
}

impl UnitCell {
    /// A cell of `crystal` with lattice constant `a` and axial ratio `c_over_a` (set to 1
    /// for cubic crystals).
    #[must_use]
    pub fn of(crystal: Arc<Crystal>, a: f64, c_over_a: f64) -> Self {
        let c_over_a = if crystal.has_axial_ratio() {
            c_over_a
        } else {
            1.0
        };
        Self {
            crystal,
            a,
            c_over_a,
        }
    }

    /// A cell of a built-in crystal.
    #[must_use]
    pub fn new(structure: Structure, a: f64, c_over_a: f64) -> Self {
        Self::of(structure.crystal(), a, c_over_a)
    }

    /// An AlB₂ cell with lattice constant `a` and axial ratio `c_over_a`.
    #[must_use]
    pub fn alb2(a: f64, c_over_a: f64) -> Self {
        Self::new(Structure::Alb2, a, c_over_a)
    }

    /// A NaZn₁₃ cell with cubic lattice constant `a` (b_LL = a/2).
    #[must_use]
    pub fn nazn13(a: f64) -> Self {
        Self::new(Structure::Nazn13, a, 1.0)
    }

    /// An fcc cell with cubic lattice constant `a` (nearest-neighbour distance a/√2).
    #[must_use]
    pub fn fcc(a: f64) -> Self {
        Self::new(Structure::Fcc, a, 1.0)
    }

    /// The crystal's short name ("alb2").
    #[must_use]
    pub fn name(&self) -> &str {
        &self.crystal.name
    }

    /// The lattice constant c (= a for the cubic crystals).
    #[must_use]
    pub fn c(&self) -> f64 {
        self.a * self.c_over_a
    }

    /// Edges of the orthorhombic cell used to tile periodic boxes: (a, √3·a, c) for
    /// hexagonal crystals (the orthohexagonal cell, two hexagonal cells), (a, a, a) for the
    /// cubic ones.
    #[must_use]
    pub fn orthorhombic_edges(&self) -> [f64; 3] {
        if self.crystal.has_axial_ratio() {
            [self.a, 3f64.sqrt() * self.a, self.c()]
        } else {
            [self.a; 3]
        }
    }

    /// The basis in the crystallographic cell, in fractional coordinates: what structure
    /// factors are computed from.
    #[must_use]
    pub fn crystallographic_basis(&self) -> &[Site] {
        &self.crystal.basis
    }

    /// The basis of the orthorhombic cell of [`Self::orthorhombic_edges`], in fractional
    /// coordinates of that cell.
    #[must_use]
    pub fn orthorhombic_basis(&self) -> Vec<Site> {
        self.crystal.orthorhombic_basis()
    }

    /// Volume of the crystallographic cell: (√3/2)·a²·c hexagonal, a³ cubic.
    #[must_use]
    pub fn crystallographic_volume(&self) -> f64 {
        self.crystal.volume(self.a, self.c_over_a)
    }
}

/// Vertices of a regular icosahedron with centre–vertex distance `r`, in the orientation
/// (0, ±y, ±z) and its cyclic permutations (y/z = golden ratio); `swap` gives the orientation
/// rotated by 90° about a cube axis, (0, ±z, ±y).
fn icosahedron(r: f64, swap: bool) -> Vec<[f64; 3]> {
    let golden = (1.0 + 5f64.sqrt()) / 2.0;
    let norm = (1.0 + golden * golden).sqrt();
    let (mut y, mut z) = (r * golden / norm, r / norm);
    if swap {
        std::mem::swap(&mut y, &mut z);
    }
    let mut out = Vec::with_capacity(12);
    for s1 in [1.0, -1.0] {
        for s2 in [1.0, -1.0] {
            let v = [0.0, s1 * y, s2 * z];
            out.push(v);
            out.push([v[2], v[0], v[1]]);
            out.push([v[1], v[2], v[0]]);
        }
    }
    out
}

pub(super) fn nazn13_basis() -> Vec<Site> {
    let mut sites = Vec::with_capacity(112);
    for i in 0..8u8 {
        let f = |b: u8| if i >> b & 1 == 1 { 0.75 } else { 0.25 };
        sites.push(Site {
            species: Species::Large,
            frac: [f(0), f(1), f(2)],
        });
    }
    // Centre–vertex distance in units of a: b_SS = (a/2)·0.25664/0.61365.
    let radius = 0.5 * NAZN13_SS_OVER_LL;
    for i in 0..8u8 {
        let bits = [i & 1, i >> 1 & 1, i >> 2 & 1];
        let centre = bits.map(|b| 0.5 * f64::from(b));
        // Face-centring translations keep the orientation; the others rotate it by 90°.
        let swap = (bits[0] + bits[1] + bits[2]) % 2 == 1;
        sites.push(Site {
            species: Species::Small,
            frac: centre,
        });
        for v in icosahedron(radius, swap) {
            let frac = [0, 1, 2].map(|k| (centre[k] + v[k]).rem_euclid(1.0));
            sites.push(Site {
                species: Species::Small,
                frac,
            });
        }
    }
    sites
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(sites: &[Site]) -> (usize, usize) {
        let l = sites.iter().filter(|s| s.species == Species::Large).count();
        (l, sites.len() - l)
    }

    fn min_distance(cell: &UnitCell, a: Species, b: Species) -> f64 {
        let edges = cell.orthorhombic_edges();
        let basis = cell.orthorhombic_basis();
        let mut best = f64::INFINITY;
        for p in basis.iter().filter(|s| s.species == a) {
            for q in basis.iter().filter(|s| s.species == b) {
                let d2: f64 = (0..3)
                    .map(|k| {
                        let mut d = p.frac[k] - q.frac[k];
                        d -= d.round();
                        (d * edges[k]).powi(2)
                    })
                    .sum();
                if d2 > 1e-12 {
                    best = best.min(d2.sqrt());
                }
            }
        }
        best
    }

    #[test]
    fn stoichiometry() {
        assert_eq!(
            counts(&UnitCell::alb2(1.0, 1.0).orthorhombic_basis()),
            (2, 4)
        );
        assert_eq!(
            counts(UnitCell::alb2(1.0, 1.0).crystallographic_basis()),
            (1, 2)
        );
        assert_eq!(
            counts(&UnitCell::nazn13(1.0).orthorhombic_basis()),
            (8, 104)
        );
        assert_eq!(counts(&UnitCell::fcc(1.0).orthorhombic_basis()), (4, 0));
    }

    #[test]
    fn alb2_bonds_match_science_md() {
        // SCIENCE.md §5: b_LL = a, b_SS = a/√3, b_LS = sqrt(a²/3 + c²/4).
        let cell = UnitCell::alb2(1.0, 0.99);
        let ll = min_distance(&cell, Species::Large, Species::Large);
        let ss = min_distance(&cell, Species::Small, Species::Small);
        let ls = min_distance(&cell, Species::Large, Species::Small);
        assert!((ll - 1.0).abs() < 1e-12, "{ll}");
        assert!((ss - 1.0 / 3f64.sqrt()).abs() < 1e-12, "{ss}");
        assert!(
            (ls - (1.0 / 3.0 + 0.99f64.powi(2) / 4.0).sqrt()).abs() < 1e-12,
            "{ls}"
        );
        assert!((ls - 0.22883 / 0.30090).abs() < 1e-4, "{ls}");
    }

    #[test]
    fn nazn13_bonds_match_science_md() {
        let cell = UnitCell::nazn13(2.0);
        let ll = min_distance(&cell, Species::Large, Species::Large);
        let ss = min_distance(&cell, Species::Small, Species::Small);
        let ls = min_distance(&cell, Species::Large, Species::Small);
        assert!((ll - 1.0).abs() < 1e-12, "{ll}");
        assert!((ss - NAZN13_SS_OVER_LL).abs() < 1e-12, "{ss}");
        // Regular icosahedra give b_LS/b_LL = 0.5910, within 2 % of atomic NaZn13's 0.5809.
        assert!((ls / (0.35647 / 0.61365) - 1.0).abs() < 0.02, "{ls}");
    }
}
