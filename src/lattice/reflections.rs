//! Bragg reflections of any crystal of the catalogue (SCIENCE.md §5): Miller indices,
//! positions q_hkl, d-spacings, multiplicities and structure factors computed from the basis.
//!
//! - Hexagonal lattices (a₁·a₂ at 120°): q_hkl = 2π·sqrt(4(h² + hk + k²)/(3a²) + l²/c²)
//!   (SCIENCE.md §5, with the paper's typos corrected).
//! - Cubic lattices: q_hkl = (2π/a)·sqrt(h² + k² + l²).
//!
//! Reflections are grouped into families of symmetry-equivalent indices (Laue class 6/mmm for
//! hexagonal, m-3m for cubic crystals); the multiplicity is the number of members. The
//! structure factor F(hkl) = Σ_sites f_s(q)·exp(2πi(hx + ky + lz)) uses sphere form-factor
//! amplitudes f_s(q) = V_s·3[sin(qr) − qr·cos(qr)]/(qr)³ of the core diameters (equal
//! scattering contrast for both species), so systematically absent and weak reflections
//! follow from the basis rather than from tables. |F|² is computed at the family's
//! representative (equal for all members by Laue symmetry; a test checks this).

use super::{Lattice, Species, UnitCell};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Core diameters of the two species (the length unit of the cell).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoreDiameters {
    /// Diameter of the large cores, σ_L.
    pub large: f64,
    /// Diameter of the small cores, σ_S.
    pub small: f64,
}

impl CoreDiameters {
    /// Cores scaled to a cell when the real ones are unknown: σ_L = 0.73·b_LL and
    /// σ_S = 0.43·σ_L (the paper's Fe₃O₄/PbS AlB₂ lattice: 10.4 and 4.5 nm cores at
    /// a ≈ 14.3 nm).
    #[must_use]
    pub fn typical_for(cell: &UnitCell) -> Self {
        let b_ll = cell.crystal.bond_lengths(cell.a, cell.c_over_a)[0];
        let large = 0.73 * b_ll;
        Self {
            large,
            small: 0.43 * large,
        }
    }

    fn of(&self, species: Species) -> f64 {
        match species {
            Species::Large => self.large,
            Species::Small => self.small,
        }
    }
}

/// One family of symmetry-equivalent reflections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reflection {
    /// Representative Miller indices (h ≥ k ≥ 0, l ≥ 0 hexagonal; h ≥ k ≥ l ≥ 0 cubic).
    pub hkl: [i32; 3],
    /// Position |q_hkl| (inverse length unit of the cell).
    pub q: f64,
    /// Lattice-plane spacing d = 2π/q.
    pub d: f64,
    /// Number of equivalent reflections in the family.
    pub multiplicity: u32,
    /// |F|² with sphere form factors of the cores (length unit⁶), at the representative.
    pub f2: f64,
    /// Whether the reflection is systematically absent: |F|² below 10⁻⁸ of the largest
    /// possible value (Σ|f_s|)².
    pub absent: bool,
}

impl Reflection {
    /// Powder intensity of the family, m·|F|²/q² (the ring spread over a sphere of radius q).
    #[must_use]
    pub fn powder_intensity(&self) -> f64 {
        f64::from(self.multiplicity) * self.f2 / (self.q * self.q)
    }

    /// The indices as text, "101" or "2,-1,10" when an index has two digits or a sign.
    #[must_use]
    pub fn label(&self) -> String {
        hkl_label(self.hkl)
    }
}

/// Miller indices as text: "101", or comma-separated when any index is negative or > 9.
#[must_use]
pub fn hkl_label(hkl: [i32; 3]) -> String {
    if hkl.iter().all(|&v| (0..10).contains(&v)) {
        format!("{}{}{}", hkl[0], hkl[1], hkl[2])
    } else {
        format!("{},{},{}", hkl[0], hkl[1], hkl[2])
    }
}

/// |q_hkl| of a cell (SCIENCE.md §5).
#[must_use]
pub fn q_hkl(cell: &UnitCell, hkl: [i32; 3]) -> f64 {
    let [h, k, l] = hkl.map(f64::from);
    match cell.crystal.lattice {
        Lattice::Hexagonal => {
            let c = cell.c();
            2.0 * PI
                * (4.0 * (h * h + h * k + k * k) / (3.0 * cell.a * cell.a) + l * l / (c * c)).sqrt()
        }
        Lattice::Cubic => 2.0 * PI / cell.a * (h * h + k * k + l * l).sqrt(),
    }
}

/// Form-factor amplitude of a homogeneous sphere of diameter `d` at `q`:
/// V·3[sin(x) − x·cos(x)]/x³ with x = q·d/2 (a series below x = 0.1).
#[must_use]
pub fn sphere_amplitude(q: f64, d: f64) -> f64 {
    let r = d / 2.0;
    let volume = 4.0 / 3.0 * PI * r * r * r;
    volume * three_j1_over_x(q * r)
}

/// 3·j₁(x)/x = 3[sin(x) − x·cos(x)]/x³, with its Taylor series for |x| < 0.1.
#[must_use]
pub fn three_j1_over_x(x: f64) -> f64 {
    if x.abs() < 0.1 {
        let x2 = x * x;
        1.0 + x2 * (-3.0 / 30.0 + x2 * (3.0 / 840.0 + x2 * (-3.0 / 45360.0)))
    } else {
        3.0 * (libm::sin(x) / x - libm::cos(x)) / (x * x)
    }
}

/// Structure factor F(hkl) = Σ_sites f_s(q)·exp(2πi h·x) as (real, imaginary).
#[must_use]
pub fn structure_factor(cell: &UnitCell, cores: &CoreDiameters, hkl: [i32; 3]) -> (f64, f64) {
    let q = q_hkl(cell, hkl);
    let f_l = sphere_amplitude(q, cores.large);
    let f_s = sphere_amplitude(q, cores.small);
    let [h, k, l] = hkl.map(f64::from);
    let (mut re, mut im) = (0.0, 0.0);
    for site in cell.crystallographic_basis() {
        let f = match site.species {
            Species::Large => f_l,
            Species::Small => f_s,
        };
        let phase = 2.0 * PI * (h * site.frac[0] + k * site.frac[1] + l * site.frac[2]);
        re += f * libm::cos(phase);
        im += f * libm::sin(phase);
    }
    (re, im)
}

/// The family key: canonical representative of the indices.
fn family(lattice: Lattice, hkl: [i32; 3]) -> [i32; 3] {
    match lattice {
        Lattice::Hexagonal => {
            let mut v = [hkl[0], hkl[1], -hkl[0] - hkl[1]];
            if v.iter().filter(|&&x| x < 0).count() >= 2 {
                v = v.map(|x| -x);
            }
            v.sort_unstable_by(|a, b| b.cmp(a));
            [v[0], v[1], hkl[2].abs()]
        }
        Lattice::Cubic => {
            let mut v = hkl.map(i32::abs);
            v.sort_unstable_by(|a, b| b.cmp(a));
            v
        }
    }
}

/// All reflection families with 0 < q ≤ `q_max`, sorted by q (then indices), absent ones
/// included and flagged.
#[must_use]
pub fn reflections(cell: &UnitCell, cores: &CoreDiameters, q_max: f64) -> Vec<Reflection> {
    let positive = |x: f64| x > 0.0 && x.is_finite();
    if !positive(q_max) || !positive(cell.a) || !positive(cell.c_over_a) {
        return Vec::new();
    }
    let n_ab = (q_max * cell.a / (2.0 * PI)).floor() as i32;
    let n_c = (q_max * cell.c() / (2.0 * PI)).floor() as i32;
    let n_c = if cell.crystal.has_axial_ratio() {
        n_c
    } else {
        n_ab
    };
    // Families keyed by canonical indices, in a sorted Vec for a deterministic order.
    let mut families: Vec<([i32; 3], u32, f64, f64)> = Vec::new();
    for h in -n_ab..=n_ab {
        for k in -n_ab..=n_ab {
            for l in -n_c..=n_c {
                if h == 0 && k == 0 && l == 0 {
                    continue;
                }
                let hkl = [h, k, l];
                let q = q_hkl(cell, hkl);
                if q > q_max * (1.0 + 1e-12) {
                    continue;
                }
                let key = family(cell.crystal.lattice, hkl);
                match families.binary_search_by(|f| f.0.cmp(&key)) {
                    Ok(i) => families[i].1 += 1,
                    Err(i) => {
                        // Equivalent indices share |F|² (Laue symmetry): computed once, at
                        // the representative.
                        let (re, im) = structure_factor(cell, cores, key);
                        families.insert(i, (key, 1, re * re + im * im, q));
                    }
                }
            }
        }
    }
    let basis = cell.crystallographic_basis();
    let mut out: Vec<Reflection> = families
        .into_iter()
        .map(|(hkl, m, f2_sum, q)| {
            let max_f: f64 = basis
                .iter()
                .map(|s| sphere_amplitude(q, cores.of(s.species)).abs())
                .sum();
            let f2 = f2_sum;
            Reflection {
                hkl,
                q,
                d: 2.0 * PI / q,
                multiplicity: m,
                f2,
                absent: f2 < 1e-8 * max_f * max_f,
            }
        })
        .collect();
    out.sort_by(|a, b| a.q.total_cmp(&b.q).then(b.hkl.cmp(&a.hkl)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(r: &[Reflection], hkl: [i32; 3]) -> &Reflection {
        r.iter().find(|x| x.hkl == hkl).expect("reflection present")
    }

    #[test]
    fn alb2_positions_and_multiplicities() {
        let cell = UnitCell::alb2(10.0, 1.0);
        let cores = CoreDiameters::typical_for(&cell);
        let r = reflections(&cell, &cores, 2.5);
        // 001: 2π/c; 100: 4π/(√3 a); 101: (2π/a)·sqrt(4/3 + 1).
        assert!((find(&r, [0, 0, 1]).q - 2.0 * PI / 10.0).abs() < 1e-12);
        assert!((find(&r, [1, 0, 0]).q - 4.0 * PI / (3f64.sqrt() * 10.0)).abs() < 1e-12);
        let q101 = find(&r, [1, 0, 1]).q;
        // SCIENCE.md §5: a = (2π/q_101)·sqrt(4/3 + 1/(c/a)²).
        assert!((2.0 * PI / q101 * (4.0 / 3.0 + 1.0f64).sqrt() - 10.0).abs() < 1e-12);
        assert_eq!(find(&r, [0, 0, 1]).multiplicity, 2);
        assert_eq!(find(&r, [1, 0, 0]).multiplicity, 6);
        assert_eq!(find(&r, [1, 0, 1]).multiplicity, 12);
        assert_eq!(find(&r, [1, 1, 0]).multiplicity, 6);
        assert_eq!(find(&r, [2, 1, 0]).multiplicity, 12);
        assert_eq!(find(&r, [2, 1, 1]).multiplicity, 24);
        assert!(r.windows(2).all(|w| w[0].q <= w[1].q));
    }

    #[test]
    fn alb2_structure_factor_from_the_basis() {
        // F(hkl) = f_L + f_S·2cos(2π(h + 2k)/3)·(-1)^l: 100 has f_L − f_S at l = 0,
        // 001 has f_L − 2 f_S, 110 has f_L + 2 f_S.
        let cell = UnitCell::alb2(10.0, 1.0);
        let cores = CoreDiameters {
            large: 7.0,
            small: 3.5,
        };
        let r = reflections(&cell, &cores, 1.5);
        for (hkl, sl, ss) in [
            ([0, 0, 1], 1.0, -2.0),
            ([1, 0, 0], 1.0, -1.0),
            ([1, 1, 0], 1.0, 2.0),
            ([1, 0, 1], 1.0, 1.0),
        ] {
            let x = find(&r, hkl);
            let f = sl * sphere_amplitude(x.q, 7.0) + ss * sphere_amplitude(x.q, 3.5);
            assert!(
                (x.f2 - f * f).abs() < 1e-9 * f * f + 1e-9,
                "{hkl:?}: {} vs {}",
                x.f2,
                f * f
            );
        }
    }

    #[test]
    fn nazn13_extinctions_follow_fm3c() {
        // F-centring: h, k, l all even or all odd. c-glide: 0kl present only for k, l even.
        let cell = UnitCell::nazn13(20.0);
        let cores = CoreDiameters::typical_for(&cell);
        let r = reflections(&cell, &cores, 2.2);
        for x in &r {
            let [h, k, l] = x.hkl;
            let odd = [h, k, l].iter().filter(|v| *v % 2 != 0).count();
            let mixed = odd == 1 || odd == 2;
            if mixed {
                assert!(
                    x.absent,
                    "{:?} should be absent (F-centring), f2 = {}",
                    x.hkl, x.f2
                );
            }
            if l == 0 && (h % 2 != 0 || k % 2 != 0) {
                assert!(x.absent, "{:?} should be absent (0kl: k, l even)", x.hkl);
            }
            let hhl = h == k || k == l;
            if hhl && x.hkl.iter().any(|v| v % 2 != 0) {
                assert!(x.absent, "{:?} should be absent (hhl: h, l even)", x.hkl);
            }
            if !mixed
                && !(l == 0 && (h % 2 != 0 || k % 2 != 0))
                && !(hhl && x.hkl.iter().any(|v| v % 2 != 0))
            {
                assert!(!x.absent, "{:?} is allowed in Fm-3c", x.hkl);
            }
        }
        assert!(!find(&r, [2, 0, 0]).absent);
        assert!(!find(&r, [2, 2, 0]).absent);
        assert_eq!(find(&r, [2, 0, 0]).multiplicity, 6);
        assert_eq!(find(&r, [5, 3, 1]).multiplicity, 48);
        assert!((find(&r, [2, 0, 0]).q - 4.0 * PI / 20.0).abs() < 1e-12);
    }

    #[test]
    fn family_members_share_the_structure_factor() {
        let f2 = |cell: &UnitCell, hkl: [i32; 3]| {
            let (re, im) = structure_factor(cell, &CoreDiameters::typical_for(cell), hkl);
            re * re + im * im
        };
        let cubic = UnitCell::nazn13(20.0);
        for base in [[5, 3, 1], [4, 2, 0], [6, 4, 2]] {
            let r = f2(&cubic, base);
            for perm in [
                [0, 1, 2],
                [1, 2, 0],
                [2, 0, 1],
                [1, 0, 2],
                [0, 2, 1],
                [2, 1, 0],
            ] {
                for signs in 0..8 {
                    let hkl =
                        [0, 1, 2].map(|i| base[perm[i]] * if signs >> i & 1 == 1 { -1 } else { 1 });
                    assert!((f2(&cubic, hkl) - r).abs() < 1e-9 * r.max(1.0), "{hkl:?}");
                }
            }
        }
        let hex = UnitCell::alb2(10.0, 1.0);
        let r = f2(&hex, [2, 1, 1]);
        for hkl in [[1, 2, 1], [-3, 1, 1], [3, -2, -1], [-1, -2, 1], [1, -3, -1]] {
            assert!((f2(&hex, hkl) - r).abs() < 1e-9 * r.max(1.0), "{hkl:?}");
        }
    }

    #[test]
    fn fcc_allows_only_unmixed_indices() {
        let cell = UnitCell::fcc(10.0);
        let cores = CoreDiameters::typical_for(&cell);
        let r = reflections(&cell, &cores, 3.0);
        assert!(!find(&r, [1, 1, 1]).absent);
        assert!(find(&r, [1, 0, 0]).absent);
        assert!(find(&r, [2, 1, 0]).absent);
        assert_eq!(find(&r, [1, 1, 1]).multiplicity, 8);
    }

    #[test]
    fn degenerate_input_gives_nothing() {
        let cores = CoreDiameters {
            large: 1.0,
            small: 0.5,
        };
        assert!(reflections(&UnitCell::alb2(0.0, 1.0), &cores, 1.0).is_empty());
        assert!(reflections(&UnitCell::alb2(1.0, 1.0), &cores, f64::NAN).is_empty());
    }
}
