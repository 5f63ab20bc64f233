//! Ideal crystals as configurations: a block of unit cells filling a periodic box, or a
//! spherical cluster cut from the crystal (a seed for growth experiments).

use super::cell::{Species, UnitCell};
use crate::model::{Frame, Geometry};

/// Diameters given to the two species of a built crystal (σ_L and σ_S).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Diameters {
    /// Diameter of the large particles.
    pub large: f64,
    /// Diameter of the small particles.
    pub small: f64,
}

impl Diameters {
    /// The paper's model: σ_L = 1, σ_S = 0.55 (SCIENCE.md §1).
    pub const PAPER: Diameters = Diameters {
        large: 1.0,
        small: 0.55,
    };

    fn of(self, species: Species) -> f64 {
        match species {
            Species::Large => self.large,
            Species::Small => self.small,
        }
    }
}

/// Fills a periodic box with `cells[0] × cells[1] × cells[2]` orthorhombic cells of `cell`.
///
/// The box is centred on the origin (HOOMD-blue's convention, coordinates in [−L/2, L/2)),
/// the types are `["L", "S"]` (type ids 0 and 1) and particles are ordered cell by cell.
#[must_use]
pub fn crystal(cell: &UnitCell, cells: [usize; 3], diameters: Diameters) -> Frame {
    let edges = cell.orthorhombic_edges();
    let lengths = [0, 1, 2].map(|k| edges[k] * cells[k] as f64);
    let basis = cell.orthorhombic_basis();
    let n = basis.len() * cells.iter().product::<usize>();
    let mut frame = empty_frame(Geometry::Periodic(lengths), n);
    for i in 0..cells[0] {
        for j in 0..cells[1] {
            for k in 0..cells[2] {
                let origin = [i, j, k];
                for s in &basis {
                    let r = [0, 1, 2].map(|d| {
                        let x = (origin[d] as f64 + s.frac[d]) * edges[d] - lengths[d] / 2.0;
                        // Keep coordinates in [−L/2, L/2) against rounding.
                        if x >= lengths[d] / 2.0 {
                            x - lengths[d]
                        } else {
                            x
                        }
                    });
                    push(&mut frame, s.species, r, diameters);
                }
            }
        }
    }
    frame
}

/// A spherical cluster of the crystal, of the given radius around the origin, in open space.
///
/// The cluster is cut from a crystal whose lattice point sits at the origin's nearest cell
/// corner; a site belongs to it when its distance from the origin is at most `radius`.
#[must_use]
pub fn cluster(cell: &UnitCell, radius: f64, diameters: Diameters) -> Frame {
    let edges = cell.orthorhombic_edges();
    let basis = cell.orthorhombic_basis();
    let reach = [0, 1, 2].map(|d| (radius / edges[d]).ceil() as i64 + 1);
    let mut frame = empty_frame(Geometry::Open { radius: None }, 0);
    for i in -reach[0]..=reach[0] {
        for j in -reach[1]..=reach[1] {
            for k in -reach[2]..=reach[2] {
                let origin = [i, j, k];
                for s in &basis {
                    let r = [0, 1, 2].map(|d| (origin[d] as f64 + s.frac[d]) * edges[d]);
                    if r.iter().map(|x| x * x).sum::<f64>() <= radius * radius {
                        push(&mut frame, s.species, r, diameters);
                    }
                }
            }
        }
    }
    frame
}

fn empty_frame(geometry: Geometry, capacity: usize) -> Frame {
    Frame {
        step: 0,
        geometry,
        types: vec!["L".to_owned(), "S".to_owned()],
        positions: Vec::with_capacity(capacity),
        typeid: Vec::with_capacity(capacity),
        diameters: Vec::with_capacity(capacity),
        velocities: None,
        images: None,
    }
}

fn push(frame: &mut Frame, species: Species, r: [f64; 3], diameters: Diameters) {
    frame.positions.push(r);
    frame.typeid.push(species.typeid());
    frame.diameters.push(diameters.of(species));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crystal_fills_the_box() {
        let cell = UnitCell::alb2(1.1, 1.0);
        let frame = crystal(&cell, [3, 2, 4], Diameters::PAPER);
        assert_eq!(frame.len(), 6 * 24);
        let l = frame.box_lengths().expect("periodic");
        assert!((l[1] - 2.0 * 3f64.sqrt() * 1.1).abs() < 1e-12);
        for p in &frame.positions {
            for d in 0..3 {
                assert!(p[d] >= -l[d] / 2.0 && p[d] < l[d] / 2.0, "{p:?}");
            }
        }
        let large = frame.typeid.iter().filter(|&&t| t == 0).count();
        assert_eq!(large * 3, frame.len());
    }

    #[test]
    fn nazn13_number_density() {
        let frame = crystal(&UnitCell::nazn13(2.5), [2, 2, 2], Diameters::PAPER);
        assert_eq!(frame.len(), 8 * 112);
        let small = frame.typeid.iter().filter(|&&t| t == 1).count();
        assert_eq!(small, 8 * 104);
    }

    #[test]
    fn cluster_is_a_ball() {
        let frame = cluster(&UnitCell::fcc(1.5), 3.0, Diameters::PAPER);
        assert!(frame.len() > 4 * 4 * 3); // at least the volume's worth of fcc sites
        assert!(frame
            .positions
            .iter()
            .all(|p| p.iter().map(|x| x * x).sum::<f64>() <= 9.0 + 1e-12));
        // Number of sites ≈ density × ball volume (4 sites per a³).
        let expected = 4.0 / 1.5f64.powi(3) * 4.0 / 3.0 * std::f64::consts::PI * 27.0;
        assert!(
            (frame.len() as f64 / expected - 1.0).abs() < 0.15,
            "{}",
            frame.len()
        );
    }
}
