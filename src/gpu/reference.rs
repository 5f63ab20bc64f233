//! A plain f64 reference of what the force kernel computes: every pair once (O(N²)), the
//! minimum image in a periodic box, the WCA droplet wall. For tests and cross-checks of the
//! GPU path on small systems (SCIENCE.md §1).

use super::GpuSystem;
use crate::model::{Geometry, WcaWall};

/// Forces, energies and virials of a configuration, in f64.
#[derive(Clone, Debug, PartialEq)]
pub struct ForceField {
    /// Force on each particle.
    pub forces: Vec<[f64; 3]>,
    /// Energy of each particle: half of each of its pair energies, plus its wall energy.
    pub energies: Vec<f64>,
    /// Diagonal of each particle's virial: half of each pair's r_a F_a.
    pub virials: Vec<[f64; 3]>,
}

impl ForceField {
    /// Total potential energy.
    #[must_use]
    pub fn potential_energy(&self) -> f64 {
        self.energies.iter().sum()
    }

    /// Virial W = Σ_pairs r·F (trace); the virial pressure is W / (3V).
    #[must_use]
    pub fn virial(&self) -> f64 {
        self.virials.iter().map(|w| w[0] + w[1] + w[2]).sum()
    }

    /// Largest force component magnitude.
    #[must_use]
    pub fn max_force(&self) -> f64 {
        self.forces
            .iter()
            .flatten()
            .fold(0.0, |a, b| a.max(b.abs()))
    }
}

/// Pair sum of `system` in f64; types out of range are skipped (validate first).
#[must_use]
pub fn pair_sum(system: &GpuSystem) -> ForceField {
    let n = system.len();
    let mut out = ForceField {
        forces: vec![[0.0; 3]; n],
        energies: vec![0.0; n],
        virials: vec![[0.0; 3]; n],
    };
    let geometry = system.geometry;
    let image = geometry.minimum_image();
    // The GPU path takes positions anywhere in the box: wrap them, then one image per pair.
    let wrapped: Vec<[f64; 3]> = system.positions.iter().map(|p| geometry.wrap(*p)).collect();
    for i in 0..n {
        for j in (i + 1)..n {
            let Ok(p) = system
                .pairs
                .get(system.typeid[i] as usize, system.typeid[j] as usize)
            else {
                continue;
            };
            let d = image.delta(wrapped[j], wrapped[i]);
            let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if r2 >= p.coeff().rcut2 {
                continue;
            }
            let (u, f_over_r) = p.coeff().energy_force(r2);
            for (a, &da) in d.iter().enumerate() {
                let f = f_over_r * da;
                out.forces[i][a] += f;
                out.forces[j][a] -= f;
                out.virials[i][a] += 0.5 * f * da;
                out.virials[j][a] += 0.5 * f * da;
            }
            out.energies[i] += 0.5 * u;
            out.energies[j] += 0.5 * u;
        }
    }
    if let Geometry::Open {
        radius: Some(radius),
    } = geometry
    {
        let wall_epsilon = system.wall_epsilon;
        for i in 0..n {
            let x = system.positions[i];
            let r = libm::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
            let sw = 0.5
                * system
                    .type_diameter
                    .get(system.typeid[i] as usize)
                    .copied()
                    .unwrap_or(1.0);
            let h = radius - r;
            if h > 0.0 && r > 0.0 {
                let wall = WcaWall {
                    radius,
                    epsilon: wall_epsilon,
                };
                let (e, f_in) = wall.energy_force(h, 2.0 * sw);
                out.energies[i] += e;
                for (force, &xa) in out.forces[i].iter_mut().zip(&x) {
                    *force -= f_in / r * xa;
                }
            }
        }
    }
    out
}
