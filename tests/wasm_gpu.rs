//! The WebGPU MD path in the browser: the very WGSL that `tests/gpu_*.rs` run on lavapipe,
//! here through wgpu's WebGPU backend in headless Chromium (SwiftShader), under
//! `wasm-bindgen-test` (`cargo test --target wasm32-unknown-unknown --test wasm_gpu`).
//!
//! Proof (issue #7): forces, potential energy and virial equal the CPU engine
//! (`md::compute_forces`, f64, itself equal to LAMMPS to 1e-9) within 1e-5 relative on every
//! LAMMPS fixture. Dynamics in the browser: tests/wasm_gpu_dynamics.rs (a separate binary:
//! wasm-bindgen-test-runner allows 20 s per binary).
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod gpu_support;
#[allow(dead_code)] // `all()` reads the directory natively; here the files are embedded
mod lammps_fixture;

use bnsl::gpu::{GpuMd, GpuSystem, Integrator};
use bnsl::md::State;
use bnsl::model::PairTable;
use gpu_support::{context, EngineComparison};
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
const FIXTURES: [(&str, &str); 20] = fixtures![
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
    "lj_alb2_noshift",
    "lj_alb2_shift",
    "lj_fluid_rho1.0_noshift",
    "lj_fluid_rho1.0_shift",
    "nazn13_m25_noshift",
    "nazn13_m25_shift",
];

fn fixture(name: &str) -> (State, PairTable) {
    let text = FIXTURES.iter().find(|f| f.0 == name).unwrap().1;
    let f: Fixture = serde_json::from_str(text).unwrap();
    engine_input(&f)
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
        let c = EngineComparison::of(&mut g, &mut state, &table).await;
        web_sys::console::log_1(&c.line(name, state.len()).into());
        c.assert_within(name, TOL);
    }
}

/// The engine switch of the status bar: the choice persists in localStorage and decides the
/// device the Simulate tab hands to `gpu::MdDriver`.
#[wasm_bindgen_test]
async fn engine_choice_persists_and_decides_the_device() {
    use bnsl::app::{
        detect_engine, effective_engine, engine_choice, preferred_device, set_engine_choice,
        ComputeEngine, CHOICE_KEY,
    };
    use bnsl::gpu::Device;
    let detected = detect_engine().await;
    assert!(matches!(detected, ComputeEngine::WebGpu(_)), "{detected:?}");
    set_engine_choice(Device::Cpu);
    assert_eq!(engine_choice(), Device::Cpu);
    let window: wasm_bindgen::JsValue = web_sys::window().unwrap().into();
    let storage = js_sys::Reflect::get(&window, &"localStorage".into()).unwrap();
    let get: js_sys::Function = js_sys::Reflect::get(&storage, &"getItem".into())
        .unwrap()
        .into();
    let stored = get.call1(&storage, &CHOICE_KEY.into()).unwrap();
    assert_eq!(stored.as_string().as_deref(), Some("cpu"));
    assert_eq!(preferred_device(), Device::Cpu);
    assert!(effective_engine(&detected, Device::Cpu)
        .label()
        .starts_with("CPU (chosen in the status bar"));
    set_engine_choice(Device::Gpu);
    assert_eq!(preferred_device(), Device::Gpu);
    assert_eq!(effective_engine(&detected, Device::Gpu), detected);
    let none = ComputeEngine::Cpu("no WebGPU adapter".into());
    assert_eq!(effective_engine(&none, Device::Gpu), none);
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

/// A browser that takes the request for an adapter and never answers (a GPU process in
/// trouble): the driver gives the set-up its time limit, then runs on the CPU with a notice.
#[wasm_bindgen_test]
async fn a_gpu_set_up_that_never_answers_leaves_the_run_on_the_cpu() {
    use bnsl::gpu::{Device, MdDriver};
    let patch = js_sys::Function::new_no_args(
        "const p = GPU.prototype; const keep = p.requestAdapter; \
         p.requestAdapter = () => new Promise(() => {}); return keep;",
    );
    let original = patch.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let sim = bnsl::md::workload::benchmark_simulation(1500, 1).unwrap();
    let mut d = MdDriver::new_within(sim, Device::Gpu, 1500).await;
    let restore = js_sys::Function::new_with_args("keep", "GPU.prototype.requestAdapter = keep;");
    restore
        .call1(&wasm_bindgen::JsValue::NULL, &original)
        .unwrap();
    assert_eq!(d.device(), Device::Cpu);
    let notices = d.take_notices();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("did not answer within 1.5 s") && n.contains("on the CPU")),
        "{notices:?}"
    );
    d.advance(20).await.unwrap();
    assert!(d.observables().await.unwrap().temperature > 0.0);
}
