//! The device-agnostic driver (`gpu::MdDriver`, issue #7): one run recipe (a `RunConfig`)
//! driven on the GPU and on the CPU gives statistically indistinguishable observables and the
//! same compressed box; a GPU device lost mid-run falls back to the CPU engine from the last
//! good state, with a notice, and continues exactly as the CPU engine would from that state.

#![cfg(not(target_arch = "wasm32"))]

mod gpu_support;

use bnsl::gpu::{Device, MdDriver};
use bnsl::md::config::RunConfig;
use bnsl::md::{Observables, Simulation};
use bnsl::model::Geometry;
use gpu_support::{assert_same_mean, block, max_abs_diff};

/// 1:2 binary narrow-well fluid, 300 particles, Langevin at kT = 0.4 (ε/kT = 2.5).
const RECIPE: &str = r#"
seed = 7
dt = 0.001
kt = 0.4
[[species]]
name = "L"
diameter = 1.0
count = 100
[[species]]
name = "S"
diameter = 0.55
count = 200
[pair]
epsilon = 1.0
n = 50
m = 25
r_cut = 1.5
[geometry]
kind = "periodic"
[initial]
kind = "random_fluid"
density = 0.8
[integrator]
kind = "langevin"
gamma = 5.0
[[stage]]
steps = 1000
compress_to = 1.5
[[stage]]
steps = 3000
[output]
trajectory = "unused.gsd"
log = "unused.csv"
log_every = 10
frame_every = 1000
"#;

/// The recipe's set-up, equilibrated for 3 τ on the CPU engine (fast; the GPU runs below
/// all start from this same state).
fn recipe() -> Simulation {
    static EQUILIBRATED: std::sync::OnceLock<Simulation> = std::sync::OnceLock::new();
    EQUILIBRATED
        .get_or_init(|| {
            let mut sim = RunConfig::from_toml(RECIPE)
                .expect("recipe")
                .build(None)
                .expect("build");
            sim.compress_to(1.5, 1000).expect("compress");
            sim.run(3000).expect("equilibrate");
            sim
        })
        .clone()
}

fn driver(device: Device) -> MdDriver {
    let mut d = block(MdDriver::new(recipe(), device));
    let notices = d.take_notices();
    assert_eq!(
        d.device(),
        device,
        "wanted {device:?}; notices: {notices:?} (the GPU tests need Mesa lavapipe)"
    );
    d
}

/// Compression stage (1.5 -> 1.6), then 1000 logged steps; returns the log and the final box.
fn run_recipe(d: &mut MdDriver) -> (Vec<Observables>, [f64; 3]) {
    d.compress_to(1.6, 200).expect("compress");
    block(d.advance(200)).expect("compression stage");
    let log = block(d.advance_logged(1000, 10)).expect("production stage");
    let state = block(d.state()).expect("state");
    let Geometry::Periodic(l) = state.geometry else {
        panic!("periodic recipe")
    };
    (log, l)
}

#[test]
fn gpu_and_cpu_runs_of_one_recipe_agree() {
    let mut gpu = driver(Device::Gpu);
    let mut cpu = driver(Device::Cpu);
    let (glog, gbox) = run_recipe(&mut gpu);
    let (clog, cbox) = run_recipe(&mut cpu);
    assert_eq!(glog.len(), 100);
    assert_eq!(clog.len(), 100);
    assert_eq!(gpu.step(), 4200);
    assert_eq!(glog.last().map(|o| o.step), Some(4200));
    // The compression reaches the same box on both devices.
    for k in 0..3 {
        assert!(
            (gbox[k] - cbox[k]).abs() < 1e-9 * cbox[k],
            "box {gbox:?} vs {cbox:?}"
        );
    }
    let rho = 300.0 / (cbox[0] * cbox[1] * cbox[2]);
    assert!((rho - 1.6).abs() < 1e-9, "final density {rho}");
    for (what, f) in [
        (
            "U/N",
            (|o: &Observables| o.potential_energy / 300.0) as fn(&Observables) -> f64,
        ),
        ("T", |o: &Observables| o.temperature),
        ("P", |o: &Observables| o.pressure),
        ("density", |o: &Observables| o.density),
    ] {
        let values = |log: &[Observables]| log.iter().map(f).collect::<Vec<_>>();
        assert_same_mean(what, &values(&glog), &values(&clog));
    }
}

#[test]
fn lost_device_falls_back_to_the_cpu_from_the_last_good_state() {
    let mut d = driver(Device::Gpu);
    d.compress_to(1.6, 400).expect("compress");
    block(d.advance(150)).expect("GPU steps");
    // The last good state: read back at step 3150 (also what the driver restarts from).
    let good = block(d.state()).expect("state");
    assert_eq!((good.step, d.checkpoint_step()), (3150, 3150));
    block(d.advance(50)).expect("more GPU steps");
    d.lose_gpu_device();
    block(d.advance(300)).expect("the call completes on the CPU");
    assert_eq!(d.device(), Device::Cpu);
    assert_eq!(d.step(), 3500);
    let notices = d.take_notices();
    eprintln!("{notices:?}");
    assert!(
        notices
            .iter()
            .any(|n| n.contains("continuing on the CPU from step 3150")),
        "{notices:?}"
    );
    // The fall-back is exactly the CPU engine continued from the last good state, with the
    // rest of the compression.
    let template = recipe();
    let mut reference = Simulation::new(
        good,
        template.table().clone(),
        template.integrator().clone(),
        template.options(),
    )
    .expect("reference");
    reference
        .compress_to(1.6, 250)
        .expect("rest of the compression");
    reference.run(350).expect("reference run");
    let got = block(d.state()).expect("final state");
    assert_eq!(got.pos, reference.state().pos);
    assert_eq!(got.vel, reference.state().vel);
    assert_eq!(got.geometry, reference.state().geometry);
    let o = block(d.observables()).expect("observables");
    assert!((o.density - 1.6).abs() < 1e-9, "density {}", o.density);
}

#[test]
fn switching_engines_mid_run_keeps_the_state() {
    let mut d = driver(Device::Cpu);
    block(d.advance(100)).expect("CPU steps");
    let before = block(d.state()).expect("state");
    block(d.switch_to(Device::Gpu)).expect("to the GPU");
    assert_eq!(d.device(), Device::Gpu, "{:?}", d.take_notices());
    assert!(d.adapter().is_some());
    let on_gpu = block(d.state()).expect("state on the GPU");
    assert_eq!(on_gpu.step, 3100);
    let worst = max_abs_diff(&on_gpu.pos, &before.pos);
    assert!(worst < 1e-8, "positions moved by {worst} in the switch");
    block(d.advance(100)).expect("GPU steps");
    block(d.switch_to(Device::Cpu)).expect("back to the CPU");
    assert_eq!((d.device(), d.step()), (Device::Cpu, 3200));
    let o = block(d.observables()).expect("observables");
    assert!(
        o.temperature > 0.2 && o.temperature < 0.6,
        "T = {}",
        o.temperature
    );
}
