//! A perfect crystal at a chosen total density, as `bnsl free-energy --lattice` and the Phase
//! diagram tab's recompute both build it (SCIENCE.md §3.1), so that the two give the same
//! number bit for bit: the orthorhombic cell of the structure scaled so that its basis fills
//! ρσ³, repeated `cells` times, the paper's diameters (L = 1, S = 0.55), types that no particle
//! has dropped, and the lattice points counted (N for fcc, N_L for AlB₂, N_L/2 for NaZn₁₃).

use crate::lattice::{crystal, Diameters, Structure, UnitCell};
use crate::model::Frame;

/// A built crystal and what the free energy needs to know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct BuiltCrystal {
    /// The perfect lattice in its periodic box (positions are the spring sites).
    pub frame: Frame,
    /// Diameter of each type present, in type order (σ_ij = (d_i + d_j)/2).
    pub diameters: Vec<f64>,
    /// Lattice points in the box.
    pub lattice_points: usize,
    /// The lattice constant a (σ).
    pub a: f64,
}

/// The lattice constant a at which `structure`'s cell holds total density `rho`
/// (ρ = basis / cell volume, and the volume scales as a³).
#[must_use]
pub fn lattice_constant(structure: Structure, c_over_a: f64, rho: f64) -> f64 {
    let one = UnitCell::new(structure, 1.0, c_over_a);
    let cell_volume: f64 = one.orthorhombic_edges().iter().product();
    (one.orthorhombic_basis().len() as f64 / (rho * cell_volume)).cbrt()
}

/// `structure` (fcc, AlB₂ or NaZn₁₃) at total density `rho`, `cells` orthorhombic cells.
/// The caller checks the ranges (cells ≥ 1, ρ > 0).
#[must_use]
pub fn built_crystal(
    structure: Structure,
    cells: [usize; 3],
    rho: f64,
    c_over_a: f64,
) -> BuiltCrystal {
    built_with_constant(
        structure,
        cells,
        lattice_constant(structure, c_over_a, rho),
        c_over_a,
    )
}

/// `structure` with lattice constant `a`, `cells` orthorhombic cells, the paper's diameters and
/// only the types some particle has.
#[must_use]
pub fn built_with_constant(
    structure: Structure,
    cells: [usize; 3],
    a: f64,
    c_over_a: f64,
) -> BuiltCrystal {
    let mut frame = crystal(
        &UnitCell::new(structure, a, c_over_a),
        cells,
        Diameters::PAPER,
    );
    let diameters = drop_unused_types(&mut frame);
    let large = frame.typeid.iter().filter(|&&t| t == 0).count();
    // NaZn₁₃'s lattice is face-centred: 4 lattice points per 8 L of the cubic cell.
    let lattice_points = if structure == Structure::Nazn13 {
        large / 2
    } else {
        large
    };
    BuiltCrystal {
        frame,
        diameters,
        lattice_points,
        a,
    }
}

/// The fewest cells along each axis whose box edges exceed `edge` (σ): a periodic box must be
/// more than twice the neighbour range across.
#[must_use]
pub fn cells_for_edge(structure: Structure, c_over_a: f64, rho: f64, edge: f64) -> [usize; 3] {
    let a = lattice_constant(structure, c_over_a, rho);
    let edges = UnitCell::new(structure, a, c_over_a).orthorhombic_edges();
    edges.map(|e| ((edge / e).floor() as usize + 1).max(1))
}

/// Drops the types no particle has (a built fcc names S but has none), renumbers the rest and
/// returns the diameter of each remaining type (its first particle's); empty for no particles.
pub fn drop_unused_types(frame: &mut Frame) -> Vec<f64> {
    let mut diameters = Vec::new();
    let mut names = Vec::new();
    let mut map = vec![u32::MAX; frame.types.len()];
    for (t, (slot, name)) in map.iter_mut().zip(&frame.types).enumerate() {
        if let Some(i) = frame.typeid.iter().position(|&id| id as usize == t) {
            *slot = names.len() as u32;
            names.push(name.clone());
            diameters.push(frame.diameters[i]);
        }
    }
    for id in &mut frame.typeid {
        *id = map[*id as usize];
    }
    frame.types = names;
    diameters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Geometry;

    #[test]
    fn the_built_crystal_has_the_density_and_the_lattice_points() {
        let alb2 = built_crystal(Structure::Alb2, [4, 2, 4], 2.2, 1.0);
        assert_eq!(alb2.frame.len(), 192);
        assert_eq!(alb2.lattice_points, 64);
        assert_eq!(alb2.diameters, vec![1.0, 0.55]);
        let Geometry::Periodic(l) = alb2.frame.geometry else {
            panic!("a crystal is periodic");
        };
        let rho = 192.0 / (l[0] * l[1] * l[2]);
        assert!((rho - 2.2).abs() < 1e-12, "{rho}");
        let fcc = built_crystal(Structure::Fcc, [2, 2, 2], 1.3, 1.0);
        assert_eq!(fcc.diameters, vec![1.0]);
        assert_eq!(fcc.frame.types.len(), 1);
        assert_eq!(fcc.lattice_points, 32);
    }

    #[test]
    fn the_fewest_cells_give_a_box_wider_than_asked() {
        let cells = cells_for_edge(Structure::Alb2, 1.0, 2.2, 3.6);
        let edges = UnitCell::new(
            Structure::Alb2,
            lattice_constant(Structure::Alb2, 1.0, 2.2),
            1.0,
        )
        .orthorhombic_edges();
        for d in 0..3 {
            assert!(cells[d] as f64 * edges[d] > 3.6);
            assert!((cells[d] - 1) as f64 * edges[d] <= 3.6);
        }
    }
}
