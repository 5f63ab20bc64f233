//! Proof tests of the dynamics (issue #3 "Proof"): NVE energy conservation, Langevin and MTK
//! temperatures and Maxwellian velocities, MTK's conserved quantity, droplets, compression,
//! faults. Run with `cargo test --release --test engine_dynamics`.

use bnsl::md::init::{maxwell_boltzmann, random_fluid};
use bnsl::md::{Integrator, MdError, NoseHooverChain, SimOptions, Simulation, State};
use bnsl::model::{Geometry, PairRule, PairTable};

const KT: f64 = 0.4;

fn narrow(diameters: &[f64]) -> PairTable {
    PairTable::additive(diameters, PairRule::narrow_well(1.0)).expect("valid table")
}

fn options() -> SimOptions {
    SimOptions {
        dt: 0.001,
        skin: 0.3,
        kt: KT,
        wall_epsilon: 1.0,
    }
}

/// The 300-particle 1:2 fluid at ρσ³ = 2.0 of the LAMMPS fixtures (compressed there).
fn dense_fluid() -> State {
    #[derive(serde::Deserialize)]
    struct F {
        #[serde(rename = "box")]
        box_: [f64; 3],
        typeid: Vec<u32>,
        positions: Vec<[f64; 3]>,
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lammps/fluid_rho2.0_m25_shift.json"
    ))
    .expect("fixture");
    let f: F = serde_json::from_str(&text).expect("parse");
    let n = f.positions.len();
    let mut s = State {
        geometry: Geometry::Periodic(f.box_),
        types: vec!["L".into(), "S".into()],
        type_diameters: vec![1.0, 0.55],
        pos: f.positions,
        vel: vec![[0.0; 3]; n],
        force: vec![[0.0; 3]; n],
        typeid: f.typeid,
        image: vec![[0; 3]; n],
        step: 0,
    };
    s.wrap();
    maxwell_boltzmann(&mut s, KT, 5);
    s
}

/// Least-squares slope of y against x.
fn slope(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    sxy / sxx
}

/// Kolmogorov–Smirnov distance of samples from the standard normal distribution.
fn ks_normal(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len() as f64;
    let mut d: f64 = 0.0;
    for (i, &x) in samples.iter().enumerate() {
        let cdf = 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
        d = d
            .max((cdf - i as f64 / n).abs())
            .max((cdf - (i + 1) as f64 / n).abs());
    }
    d
}

/// NVE, Δt = 0.001, 1:2 fluid at ρσ³ = 2.0, ε = 2.5 kT, narrow well with shift, 100 τ.
/// Drift = slope of a least-squares line through E(t) (sampled every 0.1 τ) times 100 τ,
/// relative to |E|; the fluctuations of the velocity-Verlet shadow energy around it are bounded
/// separately.
#[test]
fn nve_conserves_energy_over_100_tau() {
    let state = dense_fluid();
    let mut sim =
        Simulation::new(state, narrow(&[1.0, 0.55]), Integrator::Nve, options()).expect("set up");
    let e0 = sim.observables().conserved;
    let (mut t, mut e) = (Vec::new(), Vec::new());
    for k in 0..1000 {
        sim.run(100).expect("run");
        t.push(0.1 * f64::from(k + 1));
        e.push(sim.observables().conserved);
    }
    let drift = (slope(&t, &e) * 100.0 / e0).abs();
    let spread = e.iter().map(|x| ((x - e0) / e0).abs()).fold(0.0, f64::max);
    assert!(drift < 1e-4, "relative energy drift over 100 tau {drift:e}");
    assert!(spread < 1e-3, "relative energy fluctuation {spread:e}");
    assert!(sim.list_builds() > 10);
}

fn check_thermostat(integrator: Integrator, name: &str) {
    let state = dense_fluid();
    let mut sim =
        Simulation::new(state, narrow(&[1.0, 0.55]), integrator, options()).expect("set up");
    sim.run(5000).expect("equilibrate");
    let mut sum_t = 0.0;
    let mut count = 0.0;
    let mut vel = Vec::new();
    let mut conserved = Vec::new();
    let mut times = Vec::new();
    for k in 0..5000 {
        sim.run(10).expect("run");
        let o = sim.observables();
        sum_t += o.temperature;
        count += 1.0;
        conserved.push(o.conserved);
        times.push(o.time);
        if k % 500 == 0 {
            vel.extend(
                sim.state()
                    .vel
                    .iter()
                    .flat_map(|v| v.iter().map(|x| x / KT.sqrt())),
            );
        }
    }
    let mean_t = sum_t / count;
    assert!(
        (mean_t - KT).abs() / KT < 0.01,
        "{name}: mean kinetic temperature {mean_t} vs {KT}"
    );
    let n = vel.len() as f64;
    let d = ks_normal(&mut vel);
    assert!(
        d < 1.63 / n.sqrt(),
        "{name}: KS distance {d} from Maxwellian (n = {n})"
    );
    if let Integrator::Mtk(_) = sim.integrator() {
        let c0 = conserved[0];
        let worst = conserved
            .iter()
            .map(|c| ((c - c0) / c0).abs())
            .fold(0.0, f64::max);
        assert!(
            worst < 1e-3,
            "{name}: conserved quantity wanders by {worst:e}"
        );
        let drift = (slope(&times, &conserved) * 50.0 / c0).abs();
        assert!(
            drift < 1e-4,
            "{name}: conserved quantity drifts by {drift:e}"
        );
    }
}

#[test]
fn langevin_holds_temperature_and_maxwellian_velocities() {
    check_thermostat(
        Integrator::Langevin {
            kt: KT,
            gamma: 1.0,
            seed: 42,
        },
        "Langevin",
    );
}

#[test]
fn mtk_holds_temperature_and_conserves_extended_energy() {
    check_thermostat(Integrator::Mtk(NoseHooverChain::new(KT, 0.1, 3)), "MTK");
}

#[test]
fn droplet_keeps_particles_inside_while_compressed() {
    let n = [70usize, 140];
    let r0 = libm::cbrt(3.0 * 210.0 / (4.0 * std::f64::consts::PI * 0.3));
    let mut state = random_fluid(
        &["L".into(), "S".into()],
        &[1.0, 0.55],
        &n,
        Geometry::Open { radius: Some(r0) },
        3,
        0.9,
        None,
    )
    .expect("fluid");
    maxwell_boltzmann(&mut state, KT, 3);
    let integ = Integrator::Langevin {
        kt: KT,
        gamma: 1.0,
        seed: 3,
    };
    let mut sim = Simulation::new(state, narrow(&[1.0, 0.55]), integ, options()).expect("set up");
    sim.compress_to(1.2, 10_000).expect("compress");
    for _ in 0..100 {
        sim.run(100).expect("run");
        let Geometry::Open { radius: Some(r) } = sim.state().geometry else {
            panic!("droplet lost its wall")
        };
        for p in &sim.state().pos {
            assert!((p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt() < r);
        }
    }
    let o = sim.observables();
    assert!(
        (o.density - 1.2).abs() / 1.2 < 1e-12,
        "droplet density {}",
        o.density
    );
    assert!(o.packing_fraction > 0.2 && o.packing_fraction < 0.7);
}

#[test]
fn periodic_compression_reaches_final_density_exactly() {
    let mut state = random_fluid(
        &["L".into(), "S".into()],
        &[1.0, 0.55],
        &[100, 200],
        Geometry::Periodic([10.0, 10.0, 10.0]),
        9,
        0.9,
        None,
    )
    .expect("fluid");
    maxwell_boltzmann(&mut state, KT, 9);
    let mut sim = Simulation::new(
        state,
        narrow(&[1.0, 0.55]),
        Integrator::Mtk(NoseHooverChain::new(KT, 0.1, 3)),
        options(),
    )
    .expect("set up");
    sim.compress_to(1.5, 4000).expect("compress");
    sim.run(2000).expect("half way");
    let mid = sim.observables().density;
    assert!(mid > 0.3 && mid < 1.5);
    sim.run(2500).expect("rest");
    let rho = sim.observables().density;
    assert!((rho - 1.5).abs() / 1.5 < 1e-14, "final density {rho}");
}

#[test]
fn overlapping_and_nan_input_are_refused_by_name() {
    let mut state = dense_fluid();
    state.pos[7] = state.pos[3];
    state.pos[7][0] += 0.01;
    let table = narrow(&[1.0, 0.55]);
    match Simulation::new(state.clone(), table.clone(), Integrator::Nve, options()) {
        Err(MdError::Overlap { i, j, .. }) => assert_eq!((i.min(j), i.max(j)), (3, 7)),
        other => panic!("expected an overlap error, got {other:?}"),
    }
    let mut state = dense_fluid();
    state.pos[11][1] = f64::NAN;
    match Simulation::new(state, table, Integrator::Nve, options()) {
        Err(MdError::NonFiniteInput { index, .. }) => assert_eq!(index, 11),
        other => panic!("expected a NaN error, got {other:?}"),
    }
}

#[test]
fn blown_up_step_stops_and_keeps_last_good_state() {
    let state = dense_fluid();
    let mut o = options();
    o.dt = 0.5;
    let mut sim = Simulation::new(state, narrow(&[1.0, 0.55]), Integrator::Nve, o).expect("set up");
    let err = sim.run(1000).expect_err("a huge step must blow up");
    let step = sim.state().step;
    match err {
        MdError::Blowup { kept_step, .. } => assert_eq!(kept_step, step),
        MdError::BoxTooSmall { .. } => {}
        other => panic!("unexpected error {other:?}"),
    }
    assert!(sim
        .state()
        .pos
        .iter()
        .chain(&sim.state().vel)
        .all(|v| v.iter().all(|x| x.is_finite())));
    assert!(err.to_string().contains("step"), "{err}");
}
