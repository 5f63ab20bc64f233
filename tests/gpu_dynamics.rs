//! Dynamics on the GPU (SCIENCE.md §1 "Dynamics"), the proofs of issue #7:
//! NVE energy conservation, the Langevin thermostat, the droplet wall, and a GPU run that is
//! statistically indistinguishable from the CPU engine's run of the same set-up.
//! Set-up: 1:2 binary Mie fluid, σ_L = 1, σ_S = 0.55, n = 50, m = 25, r_cut = 1.5 σ_ij,
//! shifted, ε = 1, kT = 0.4, ρσ³ = 2.0.

#![cfg(not(target_arch = "wasm32"))]

mod gpu_support;

use bnsl::gpu::{GpuSystem, Integrator, Observables};
use bnsl::md::{Integrator as CpuIntegrator, SimOptions, Simulation, State};
use bnsl::model::Geometry;
use gpu_support::*;

const KT: f64 = 0.4;

/// A 1:2 L/S fluid at ρσ³ = 2.0 and kT = 0.4: an AlB₂ lattice melted at kT = 3, then cooled
/// to kT = 0.4 with Langevin dynamics, both on the CPU engine (70× faster than lavapipe at
/// this size; the GPU runs of the tests start from the result).
fn fluid(nx: usize, ny: usize, nz: usize, seed: u64) -> GpuSystem {
    let mut system = alb2(
        nx,
        ny,
        nz,
        2.0,
        0.0,
        seed,
        binary_table(1.0, 50, 25, 1.5, true),
    );
    let mut state = cpu_state(&system);
    for (dt, kt, steps, s) in [(0.002, 3.0, 500, seed), (0.001, KT, 1000, seed + 1)] {
        let mut sim = Simulation::new(
            state,
            system.pairs.clone(),
            CpuIntegrator::Langevin {
                kt,
                gamma: 5.0,
                seed: s,
            },
            SimOptions {
                dt,
                kt,
                ..SimOptions::default()
            },
        )
        .expect("CPU simulation");
        sim.run(steps).expect("melt and cool");
        state = sim.state().clone();
    }
    system.positions = state.pos;
    system.velocities = state.vel;
    system
}

/// The CPU engine's state of a periodic GPU system (at step 0).
fn cpu_state(system: &GpuSystem) -> State {
    let Geometry::Periodic(l) = system.geometry else {
        unreachable!("periodic systems only")
    };
    let n = system.len();
    State {
        geometry: Geometry::Periodic(l),
        types: vec!["L".into(), "S".into()],
        type_diameters: system.type_diameter.clone(),
        pos: system.positions.clone(),
        vel: if system.velocities.is_empty() {
            vec![[0.0; 3]; n]
        } else {
            system.velocities.clone()
        },
        force: vec![[0.0; 3]; n],
        typeid: system.typeid.clone(),
        image: vec![[0; 3]; n],
        step: 0,
    }
}

/// Langevin at dt = 0.001, kT = 0.4, γ = 5 with noise `seed`.
fn langevin(seed: u64) -> Integrator {
    Integrator::Langevin {
        dt: 0.001,
        kt: KT,
        gamma: 5.0,
        seed,
    }
}

#[test]
fn nve_conserves_energy_over_ten_tau() {
    let system = fluid(4, 3, 4, 21);
    let n = system.len();
    let mut g = gpu(&system, Integrator::Nve { dt: 0.001 });
    let start = block(g.observe()).expect("observe");
    let log: Vec<Observables> = block(g.run(10_000, 100)).expect("NVE run");
    let (e0, drift) = energy_drift(&start, &log);
    let t = mean_sem(
        &log.iter()
            .map(|o| o.temperature(3.0 * n as f64 - 3.0))
            .collect::<Vec<_>>(),
    )
    .0;
    eprintln!(
        "GPU NVE N={n}: E0 {e0:.5} (K {:.4}), max |E - E0| = {drift:.2e} relative over 10 tau, <T> {t:.4}, {} dispatches",
        start.kinetic_energy,
        g.dispatches()
    );
    assert!(drift < 1e-3, "energy drift {drift:.3e} relative");
    assert!(t > 0.2, "the run should stay hot, T = {t}");
}

#[test]
fn langevin_holds_the_temperature() {
    let system = fluid(4, 3, 4, 31);
    let n = system.len();
    let mut g = gpu(&system, langevin(5));
    let log = block(g.run(8000, 20)).expect("Langevin run");
    let temps: Vec<f64> = log.iter().map(|o| o.temperature(3.0 * n as f64)).collect();
    let (t, sem) = mean_sem(&temps);
    eprintln!("GPU Langevin N={n}: <T> = {t:.4} ± {sem:.4} (target {KT})");
    assert!((t - KT).abs() < 0.02 * KT, "temperature {t} vs {KT}");
}

#[test]
fn droplet_keeps_every_particle_inside() {
    let radius = 4.0;
    let lattice = alb2(6, 4, 6, 1.6, 0.0, 9, binary_table(1.0, 50, 25, 1.5, true));
    let keep: Vec<usize> = (0..lattice.len())
        .filter(|&i| {
            let x = lattice.positions[i];
            (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).sqrt() < radius - 0.6
        })
        .collect();
    let droplet = GpuSystem {
        geometry: Geometry::Open {
            radius: Some(radius),
        },
        wall_epsilon: 1.0,
        positions: keep.iter().map(|&i| lattice.positions[i]).collect(),
        velocities: Vec::new(),
        typeid: keep.iter().map(|&i| lattice.typeid[i]).collect(),
        ..lattice
    };
    let n = droplet.len();
    let mut g = gpu(
        &droplet,
        Integrator::Langevin {
            dt: 0.001,
            kt: 1.5,
            gamma: 1.0,
            seed: 3,
        },
    );
    for _ in 0..4 {
        block(g.run(500, 0)).expect("droplet run");
        let pos = block(g.positions()).expect("positions");
        let (worst, i) = pos
            .iter()
            .enumerate()
            .map(|(i, x)| ((x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).sqrt(), i))
            .fold((0.0, 0), |a, b| if b.0 > a.0 { b } else { a });
        eprintln!("droplet N={n} R={radius}: outermost particle {i} at r = {worst:.4}");
        assert!(
            worst < radius,
            "particle {i} at r = {worst} is outside R = {radius}"
        );
    }
}

#[test]
fn gpu_and_cpu_runs_agree_statistically() {
    let system = fluid(4, 3, 4, 41);
    let n = system.len();
    let (steps, every) = (1000u64, 5u64);
    // GPU
    let mut g = gpu(&system, langevin(77));
    let log = block(g.run(steps, every)).expect("GPU run");
    let gpu_u: Vec<f64> = log.iter().map(|o| o.potential_energy / n as f64).collect();
    let gpu_t: Vec<f64> = log.iter().map(|o| o.temperature(3.0 * n as f64)).collect();
    // CPU engine, same state, same integrator and noise keys
    let state = cpu_state(&system);
    let options = SimOptions {
        dt: 0.001,
        kt: KT,
        ..SimOptions::default()
    };
    let integrator = CpuIntegrator::Langevin {
        kt: KT,
        gamma: 5.0,
        seed: 77,
    };
    let mut sim =
        Simulation::new(state, system.pairs.clone(), integrator, options).expect("CPU simulation");
    let (mut cpu_u, mut cpu_t) = (Vec::new(), Vec::new());
    for _ in 0..steps / every {
        sim.run(every).expect("CPU run");
        let o = sim.observables();
        cpu_u.push(o.potential_energy / n as f64);
        cpu_t.push(o.temperature);
    }
    assert_same_mean("U/N", &gpu_u, &cpu_u);
    assert_same_mean("T", &gpu_t, &cpu_t);
}
