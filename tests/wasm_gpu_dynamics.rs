//! The WebGPU MD step in the browser (headless Chromium, SwiftShader) against the CPU engine:
//! a Langevin run tracks the CPU engine's run of the same state and noise keys step for step
//! (same Philox words, same forces: only single-precision rounding differs), and NVE conserves
//! energy. Kept short: SwiftShader takes ~15 ms per step for 300 particles, and
//! tests/gpu_dynamics.rs runs the long proofs (10 τ NVE, Langevin temperature) natively.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod gpu_support;
#[allow(dead_code)] // `all()` reads the directory natively; here the file is embedded
mod lammps_fixture;

use bnsl::gpu::{GpuMd, GpuSystem, Integrator};
use bnsl::md::{
    init::maxwell_boltzmann, Integrator as CpuIntegrator, SimOptions, Simulation, State,
};
use bnsl::model::PairTable;
use gpu_support::{context, energy_drift, max_abs_diff};
use lammps_fixture::{engine_input, Fixture};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// 300 particles of the ρσ³ = 2.0 narrow-well fluid fixture with Maxwell velocities at kT = 0.4.
fn moving_fluid() -> (State, PairTable) {
    let f: Fixture =
        serde_json::from_str(include_str!("fixtures/lammps/fluid_rho2.0_m25_shift.json")).unwrap();
    let (mut state, table) = engine_input(&f);
    maxwell_boltzmann(&mut state, 0.4, 11);
    (state, table)
}

#[wasm_bindgen_test]
async fn langevin_on_webgpu_tracks_the_cpu_engine_step_for_step() {
    let (state, table) = moving_fluid();
    let (kt, gamma, seed, dt, steps) = (0.4, 5.0, 99, 0.001, 100);
    let system = GpuSystem::from_state(&state, &table, 1.0).unwrap();
    let mut g = GpuMd::with_context(
        context().await,
        &system,
        Integrator::Langevin {
            dt,
            kt,
            gamma,
            seed,
        },
    )
    .await
    .unwrap();
    let mut cpu_state = state.clone();
    cpu_state.pos = g.positions().await.unwrap();
    let mut sim = Simulation::new(
        cpu_state,
        table,
        CpuIntegrator::Langevin { kt, gamma, seed },
        SimOptions {
            dt,
            skin: 0.3,
            kt,
            wall_epsilon: 1.0,
        },
    )
    .unwrap();
    g.run(steps, 0).await.unwrap();
    sim.run(steps).unwrap();
    // Same noise words (Philox keyed by seed, step, particle), same forces: the trajectories
    // differ only by single-precision rounding, amplified by the fluid's chaos.
    let gpu_pos = g.positions().await.unwrap();
    let mut cpu = sim.state().clone();
    cpu.image = vec![[0; 3]; cpu.len()];
    let l = match cpu.geometry {
        bnsl::model::Geometry::Periodic(l) => l,
        bnsl::model::Geometry::Open { .. } => unreachable!(),
    };
    let dev = gpu_pos
        .iter()
        .zip(&cpu.pos)
        .flat_map(|(a, b)| (0..3).map(move |k| (a[k], b[k], l[k])))
        .map(|(a, b, l)| {
            let d = a - b;
            (d - l * (d / l).round()).abs()
        })
        .fold(0.0f64, f64::max);
    let vdev = max_abs_diff(&g.velocities().await.unwrap(), &sim.state().vel);
    web_sys::console::log_1(
        &format!(
            "Langevin {steps} steps: max |x_gpu - x_cpu| {dev:.2e}, max |v_gpu - v_cpu| {vdev:.2e}"
        )
        .into(),
    );
    assert!(dev < 1e-4, "positions drifted apart by {dev}");
    assert!(vdev < 1e-2, "velocities drifted apart by {vdev}");
}

#[wasm_bindgen_test]
async fn nve_on_webgpu_conserves_energy() {
    let (state, table) = moving_fluid();
    let system = GpuSystem::from_state(&state, &table, 1.0).unwrap();
    let mut g = GpuMd::with_context(context().await, &system, Integrator::Nve { dt: 0.001 })
        .await
        .unwrap();
    let start = g.observe().await.unwrap();
    // 0.3 τ: SwiftShader takes ~15 ms per step here; tests/gpu_dynamics.rs runs 10 τ natively.
    let log = g.run(300, 15).await.unwrap();
    let (e0, drift) = energy_drift(&start, &log);
    web_sys::console::log_1(
        &format!(
            "NVE N={} 0.3 tau: E0 {e0:.5}, max |E - E0| = {drift:.2e} relative",
            g.len()
        )
        .into(),
    );
    assert_eq!(log.len(), 20);
    assert!(drift < 1e-3, "energy drift {drift:.3e}");
    // Energy really flowed between K and U (the run is not frozen).
    let k_last = log.last().unwrap().kinetic_energy;
    assert!((k_last - start.kinetic_energy).abs() > 1e-3 * start.kinetic_energy.abs());
}
