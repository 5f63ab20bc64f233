//! The WebGPU MD path in the browser: the very WGSL that `tests/gpu_*.rs` run on lavapipe,
//! here through wgpu's WebGPU backend in headless Chromium (SwiftShader), under
//! `wasm-bindgen-test` (`cargo test --target wasm32-unknown-unknown --test wasm_gpu`).
//!
//! Proofs (issue #7): forces, potential energy and virial equal the CPU engine
//! (`md::compute_forces`, f64, itself equal to LAMMPS to 1e-9) within 1e-5 relative on every
//! LAMMPS fixture; a Langevin run tracks the CPU engine's run of the same state and noise keys
//! step for step (same Philox words); NVE conserves energy. The whole file runs in ~10 s
//! (wasm-bindgen-test-runner's default limit is 20 s per test binary).
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)] // `all()` reads the directory natively; here the files are embedded
mod lammps_fixture;

use bnsl::gpu::{GpuContext, GpuMd, GpuSystem, Integrator};
use bnsl::md::{
    compute_forces, init::maxwell_boltzmann, Integrator as CpuIntegrator, NeighborList, SimOptions,
    Simulation, State,
};
use bnsl::model::PairTable;
use lammps_fixture::{engine_input, Fixture};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const TOL: f64 = 1e-5;

macro_rules! fixtures {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("fixtures/lammps/", $name, ".json")))),*]
    };
}

/// Every committed LAMMPS fixture (tests/fixtures/lammps/), embedded in the test binary.
const FIXTURES: [(&str, &str); 16] = fixtures![
    "alb2_m25_noshift",
    "alb2_m25_shift",
    "alb2_m6_shift",
    "fluid_rho0.5_m25_noshift",
    "fluid_rho0.5_m25_shift",
    "fluid_rho1.0_m6_noshift",
    "fluid_rho1.0_m6_shift",
    "fluid_rho1.2_m25_noshift",
    "fluid_rho1.2_m25_shift",
    "fluid_rho2.0_m25_noshift",
    "fluid_rho2.0_m25_shift",
    "fluid_rho2.0_m6_noshift",
    "fluid_rho2.0_m6_shift",
    "fluid_rho2.0_variants_shift",
    "nazn13_m25_noshift",
    "nazn13_m25_shift",
];

fn fixture(name: &str) -> (State, PairTable) {
    let text = FIXTURES.iter().find(|f| f.0 == name).unwrap().1;
    let f: Fixture = serde_json::from_str(text).unwrap();
    engine_input(&f)
}

async fn context() -> GpuContext {
    match GpuContext::new().await {
        Ok(c) => c,
        Err(e) => panic!("no WebGPU device in the test browser (webdriver.json needs --enable-unsafe-webgpu): {e}"),
    }
}

fn max_abs_diff(a: &[[f64; 3]], b: &[[f64; 3]]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
}

#[wasm_bindgen_test]
async fn gpu_forces_energy_virial_equal_the_cpu_engine_on_every_fixture() {
    let ctx = context().await;
    web_sys::console::log_1(&format!("WebGPU adapter: {}", ctx.adapter).into());
    for (name, _) in FIXTURES {
        let (mut state, table) = fixture(name);
        let system = GpuSystem::from_state(&state, &table, 1.0).unwrap();
        let mut g = GpuMd::with_context(ctx.clone(), &system, Integrator::Nve { dt: 0.001 })
            .await
            .unwrap();
        // The GPU keeps positions in 32-bit fixed point: evaluate the engine on exactly those.
        state.pos = g.positions().await.unwrap();
        state.wrap();
        let mut nlist = NeighborList::new(&table, 0.0).unwrap();
        nlist.build(&state).unwrap();
        let sums = compute_forces(&mut state, &nlist, &table.coeffs(), None);
        let got = g.force_field().await.unwrap();
        let obs = g.observe().await.unwrap();
        let fmax = state
            .force
            .iter()
            .flatten()
            .fold(0.0f64, |a, b| a.max(b.abs()));
        let ferr = max_abs_diff(&got.forces, &state.force) / fmax;
        // Scales: the magnitude of the terms the single-precision sums add.
        let e_scale: f64 = got.energies.iter().map(|e| e.abs()).sum();
        let w_scale: f64 = got.virials.iter().flatten().map(|w| w.abs()).sum();
        let eerr = (obs.potential_energy - sums.energy).abs() / e_scale;
        let werr = (obs.virial - sums.virial).abs() / w_scale;
        web_sys::console::log_1(
            &format!(
                "{name}: N {} force {ferr:.2e} energy {eerr:.2e} virial {werr:.2e}",
                state.len()
            )
            .into(),
        );
        assert!(
            ferr < TOL,
            "{name}: force error {ferr:.3e} of the largest force"
        );
        assert!(
            eerr < TOL,
            "{name}: energy {} vs engine {}",
            obs.potential_energy,
            sums.energy
        );
        assert!(
            werr < TOL,
            "{name}: virial {} vs engine {}",
            obs.virial,
            sums.virial
        );
    }
}

/// 300 particles of the ρσ³ = 2.0 narrow-well fluid fixture with Maxwell velocities at kT = 0.4.
fn moving_fluid() -> (State, PairTable) {
    let (mut state, table) = fixture("fluid_rho2.0_m25_shift");
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
    let e0 = start.total_energy();
    let scale = e0.abs().max(start.kinetic_energy);
    let worst = log
        .iter()
        .map(|o| (o.total_energy() - e0).abs())
        .fold(0.0, f64::max);
    web_sys::console::log_1(
        &format!(
            "NVE N={} 0.3 tau: E0 {e0:.5}, max |E - E0| {worst:.3e} = {:.2e} relative",
            g.len(),
            worst / scale
        )
        .into(),
    );
    assert_eq!(log.len(), 20);
    assert!(worst / scale < 1e-3, "energy drift {:.3e}", worst / scale);
    // Energy really flowed between K and U (the run is not frozen).
    let k_last = log.last().unwrap().kinetic_energy;
    assert!((k_last - start.kinetic_energy).abs() > 1e-3 * start.kinetic_energy.abs());
}

/// The benchmark of `scripts/bench-browser.sh` (ignored in the test suite): the 27,000-particle
/// workload of `bnsl bench md` through `gpu::MdDriver`, on WebGPU and on the CPU (wasm, one
/// thread), timed with `performance.now()`; prints one `BENCH {json}` line per device.
#[wasm_bindgen_test]
#[ignore]
async fn bench_md_27000_in_the_browser() {
    use bnsl::gpu::{Device, MdDriver};
    let now = || web_sys::window().unwrap().performance().unwrap().now() / 1000.0;
    for (device, steps) in [(Device::Gpu, 20u64), (Device::Cpu, 100)] {
        let sim = bnsl::md::workload::benchmark_simulation(27_000, 1).unwrap();
        let mut d = MdDriver::new(sim, device).await;
        assert_eq!(d.device(), device, "{:?}", d.take_notices());
        d.set_checkpoint_every(u64::MAX);
        d.advance(5).await.unwrap();
        let t0 = now();
        d.advance(steps).await.unwrap();
        let o = d.observables().await.unwrap();
        let seconds = now() - t0;
        let line = serde_json::json!({
            "benchmark": "md",
            "where": "browser",
            "device": device.name(),
            "adapter": d.adapter(),
            "particles": d.len(),
            "steps": steps,
            "seconds": seconds,
            "steps_per_second": steps as f64 / seconds,
            "temperature": o.temperature,
        });
        web_sys::console::log_1(&format!("BENCH {line}").into());
    }
}
