//! GPU force kernel against the f64 reference pair sum (SCIENCE.md §1): fluids at ρσ³ 1–2.6,
//! crystals, both wells, shift on and off, per-pair exponents and well depths, a polydisperse
//! droplet. Needs a GPU adapter (lavapipe natively).

#![cfg(not(target_arch = "wasm32"))]

mod gpu_support;

use bnsl::gpu::{GpuSystem, Integrator};
use bnsl::model::{Geometry, PairTable};
use gpu_support::*;

const TOL: f64 = 1e-5;

fn check(name: &str, system: &GpuSystem) {
    let mut g = gpu(system, Integrator::Nve { dt: 0.001 });
    let (f, e, w) = compare(&mut g, system);
    eprintln!(
        "{name}: force {f:.2e} energy {e:.2e} virial {w:.2e} ({} particles, {})",
        system.len(),
        g.adapter()
    );
    assert!(f < TOL, "{name}: force error {f:.3e} of the force scale");
    assert!(e < TOL, "{name}: energy error {e:.3e}");
    assert!(w < TOL, "{name}: virial error {w:.3e}");
}

/// Melts a lattice on the GPU with hot Langevin dynamics and returns the fluid configuration.
fn melt(mut system: GpuSystem, kt: f64, steps: u64) -> GpuSystem {
    let mut g = gpu(
        &system,
        Integrator::Langevin {
            dt: 0.001,
            kt,
            gamma: 5.0,
            seed: 11,
        },
    );
    block(g.run(steps, 0)).expect("melt");
    system.positions = block(g.positions()).expect("positions");
    system.velocities = Vec::new();
    system
}

#[test]
fn alb2_crystal_narrow_well_shifted() {
    check(
        "AlB2 rho 2.0 m25 shift",
        &alb2(4, 3, 4, 2.0, 0.02, 1, binary_table(1.0, 50, 25, 1.5, true)),
    );
}

#[test]
fn alb2_crystal_dense_wide_well_unshifted() {
    check(
        "AlB2 rho 2.6 m6 rc3",
        &alb2(6, 4, 6, 2.6, 0.03, 2, binary_table(1.0, 50, 6, 3.0, false)),
    );
}

#[test]
fn fcc_crystal_both_wells() {
    let narrow = uniform(&[1.0], 1.0, 50, 25, 1.5, true);
    check("fcc rho 1.2 m25 shift", &fcc(4, 1.2, 0.05, 3, narrow));
    let wide = uniform(&[1.0], 1.0, 50, 6, 3.0, true);
    check("fcc rho 1.2 m6 shift", &fcc(6, 1.2, 0.05, 4, wide));
}

#[test]
fn fluids_from_one_to_two_point_six() {
    for (rho, m, rc, shift, seed) in [
        (1.0, 25, 1.5, false, 5),
        (2.0, 25, 1.5, true, 6),
        (2.6, 6, 3.0, true, 7),
    ] {
        let table = binary_table(1.0, 50, m, rc, shift);
        let lattice = alb2(6, 4, 6, rho, 0.0, seed, table);
        let fluid = melt(lattice, 3.0, 400);
        check(&format!("fluid rho {rho} m{m} shift {shift}"), &fluid);
    }
}

#[test]
fn per_pair_exponents_and_depths() {
    // Fig. S16 exponents (odd: the sqrt path) and Fig. S24 well depths.
    let table = PairTable::from_fn(2, |a, b| {
        let (m, eps) = match a + b {
            0 => (25, 2.5),
            1 => (37, 1.75),
            _ => (49, 1.0),
        };
        let sigma = 0.5 * ([SIGMA_L, SIGMA_S][a] + [SIGMA_L, SIGMA_S][b]);
        mie(eps, sigma, 50, m, 1.5, true)
    })
    .expect("table");
    check(
        "AlB2 rho 2.2 per-pair m",
        &alb2(4, 3, 4, 2.2, 0.05, 8, table),
    );
}

#[test]
fn polydisperse_droplet_with_wall() {
    // Four sub-types per species (polydispersity = more types), in a droplet of radius 5.
    let diameters = [1.04, 1.0, 0.96, 0.92, 0.6, 0.57, 0.55, 0.52];
    let table = uniform(&diameters, 1.0, 50, 25, 1.5, true);
    let lattice = alb2(6, 4, 6, 1.6, 0.0, 9, binary_table(1.0, 50, 25, 1.5, true));
    let radius = 4.5;
    let mut positions = Vec::new();
    let mut typeid = Vec::new();
    for (i, (x, t)) in lattice.positions.iter().zip(&lattice.typeid).enumerate() {
        let r = (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).sqrt();
        if r < radius - 0.05 {
            positions.push(*x);
            typeid.push(t * 4 + (i % 4) as u32);
        }
    }
    let droplet = GpuSystem {
        geometry: Geometry::Open {
            radius: Some(radius),
        },
        wall_epsilon: 1.0,
        velocities: Vec::new(),
        positions,
        typeid,
        type_diameter: diameters.to_vec(),
        type_mass: vec![1.0; 8],
        pairs: table,
    };
    let near_wall = droplet
        .positions
        .iter()
        .zip(&droplet.typeid)
        .filter(|(x, t)| {
            radius - (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).sqrt()
                < 0.56 * diameters[**t as usize]
        })
        .count();
    assert!(
        near_wall > 10,
        "the droplet test needs particles feeling the wall ({near_wall})"
    );
    check("polydisperse droplet", &droplet);
}
