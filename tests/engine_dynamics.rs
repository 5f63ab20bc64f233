//! Proof tests of the dynamics (issue #3 "Proof"): NVE energy conservation, Langevin and MTK
//! temperatures and Maxwellian velocities, MTK's conserved quantity, droplets, compression,
//! faults; the force terms of issue #12: an Einstein crystal (springs, Langevin) with and
//! without the centre of mass fixed, and the λ-mix's U_b − U_a against the terms evaluated
//! separately. Run with `cargo test --release --test engine_dynamics`.

use bnsl::lattice::{crystal, Diameters, UnitCell};
use bnsl::md::init::{maxwell_boltzmann, random_fluid};
use bnsl::md::{
    compute_forces, ExtraTerms, Integrator, MdError, Mix, NeighborList, NoseHooverChain,
    SimOptions, Simulation, Springs, State,
};
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

/// On one thread and on two (where the pair loop's parts give the closing kick and check it).
#[test]
fn blown_up_step_stops_and_keeps_last_good_state() {
    let mut kept = Vec::new();
    for threads in [1, 2] {
        let state = dense_fluid();
        let mut o = options();
        o.dt = 0.5;
        let mut sim =
            Simulation::new(state, narrow(&[1.0, 0.55]), Integrator::Nve, o).expect("set up");
        sim.set_threads(threads).expect("threads");
        let err = sim.run(1000).expect_err("a huge step must blow up");
        let step = sim.state().step;
        match err {
            MdError::Blowup { kept_step, .. } => assert_eq!(kept_step, step),
            MdError::BoxTooSmall { .. } => {}
            ref other => panic!("unexpected error {other:?}"),
        }
        assert!(sim
            .state()
            .pos
            .iter()
            .chain(&sim.state().vel)
            .all(|v| v.iter().all(|x| x.is_finite())));
        assert!(err.to_string().contains("step"), "{err}");
        kept.push((step, err.to_string()));
    }
    assert_eq!(
        kept[0], kept[1],
        "the same step and message on 1 and 2 threads"
    );
}

/// Mean and standard error (from 20 blocks) of a time series.
fn mean_and_error(x: &[f64]) -> (f64, f64) {
    let blocks = 20;
    let size = x.len() / blocks;
    let means: Vec<f64> = (0..blocks)
        .map(|b| x[b * size..(b + 1) * size].iter().sum::<f64>() / size as f64)
        .collect();
    let mean = means.iter().sum::<f64>() / blocks as f64;
    let var = means.iter().map(|m| (m - mean) * (m - mean)).sum::<f64>() / (blocks - 1) as f64;
    (mean, (var / blocks as f64).sqrt())
}

/// Centre of mass of the unwrapped positions.
fn center_of_mass(s: &State) -> [f64; 3] {
    let Geometry::Periodic(l) = s.geometry else {
        panic!("periodic")
    };
    let mut c = [0.0; 3];
    for (p, img) in s.pos.iter().zip(&s.image) {
        for k in 0..3 {
            c[k] += (p[k] + f64::from(img[k]) * l[k]) / s.len() as f64;
        }
    }
    c
}

/// Einstein crystal: 8 particles (L and S) on a simple cubic lattice of spacing 1.9, springs
/// k_L = 30, k_S = 60 to their sites, no pair interaction (ε = 0), BAOAB Langevin at kT = 1,
/// γ = 10, Δt = 0.005 (ω·Δt ≤ 0.04), 200 τ after 10 τ of equilibration. Equipartition gives
/// ⟨U_E⟩ = (3/2)·N·kT = 12 free and (3/2)·(N−1)·kT = 10.5 with the centre of mass fixed; the
/// standard error (about 0.1) keeps the two 1.5 apart, so the wrong count fails. The kinetic
/// temperature counts 3N and 3N − 3 degrees of freedom.
#[test]
fn einstein_crystal_has_equipartition_with_and_without_fixed_center_of_mass() {
    let n = 8;
    let (kt, a) = (1.0, 1.9);
    let mut state = State {
        geometry: Geometry::Periodic([2.0 * a; 3]),
        types: vec!["L".into(), "S".into()],
        type_diameters: vec![1.0, 0.55],
        pos: (0..n)
            .map(|i| {
                [(i & 1) as f64, ((i >> 1) & 1) as f64, (i >> 2) as f64].map(|x| (x - 0.5) * a)
            })
            .collect(),
        vel: vec![[0.0; 3]; n],
        force: vec![[0.0; 3]; n],
        typeid: (0..n as u32).map(|i| i % 2).collect(),
        image: vec![[0; 3]; n],
        step: 0,
    };
    state.wrap();
    let table = PairTable::additive(&[1.0, 0.55], PairRule::narrow_well(0.0)).expect("table");
    for fixed_com in [false, true] {
        let terms = ExtraTerms {
            springs: Some(Springs::at_positions(&state, vec![30.0, 60.0])),
            mix: None,
            fixed_com,
        };
        let integrator = Integrator::Langevin {
            kt,
            gamma: 10.0,
            seed: 7,
        };
        let options = SimOptions {
            dt: 0.005,
            kt,
            ..options()
        };
        let mut sim = Simulation::new(state.clone(), table.clone(), integrator, options)
            .expect("set up")
            .with_terms(terms)
            .expect("terms");
        let com0 = center_of_mass(sim.state());
        sim.run(2000).expect("equilibrate");
        let (mut u, mut t) = (Vec::new(), Vec::new());
        for _ in 0..4000 {
            sim.run(10).expect("run");
            u.push(sim.sums().energy);
            t.push(sim.observables().temperature);
        }
        let dof = if fixed_com { n - 1 } else { n } as f64;
        let (mean, err) = mean_and_error(&u);
        let want = 1.5 * dof * kt;
        eprintln!(
            "fixed centre of mass {fixed_com}: <U_E> = {mean:.3} ± {err:.3}, expected {want}"
        );
        assert!(err < 0.25, "too noisy to tell N from N − 1: {err}");
        assert!(
            (mean - want).abs() < 4.0 * err,
            "<U_E> = {mean} ± {err}, expected {want}"
        );
        let (temperature, t_err) = mean_and_error(&t);
        assert!(
            (temperature - kt).abs() < 4.0 * t_err.max(0.005),
            "kinetic temperature {temperature} ± {t_err} with {} degrees of freedom",
            sim.dof()
        );
        let drift = center_of_mass(sim.state())
            .iter()
            .zip(com0)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        if fixed_com {
            assert!(drift < 1e-9, "centre of mass moved by {drift}");
            assert_eq!(sim.dof(), 3.0 * n as f64 - 3.0);
        } else {
            assert!(
                drift > 1e-3,
                "a free Langevin crystal's centre of mass diffuses"
            );
        }
    }
}

/// λ-mix of the narrow-well pairs (U_a) and springs (U_b) on a 192-particle AlB₂ crystal at
/// λ = 0.3, centre of mass fixed, Langevin at kT = 0.4: every evaluation's U_b − U_a equals the
/// springs' energy minus the pair energy computed separately on the same configuration, so
/// their averages agree; the forces are (1 − λ)·F_a + λ·F_b.
#[test]
fn lambda_mix_reports_the_difference_of_its_terms() {
    let frame = crystal(
        &UnitCell::alb2(1.2, 1.0),
        [4, 2, 4],
        Diameters {
            large: 1.0,
            small: 0.55,
        },
    );
    let state = State::from_frame(&frame).expect("state");
    let table =
        PairTable::additive(&state.type_diameters, PairRule::narrow_well(1.0)).expect("table");
    let springs = Springs::at_positions(&state, vec![200.0, 400.0]);
    let lambda = 0.3;
    let integrator = Integrator::Langevin {
        kt: KT,
        gamma: 1.0,
        seed: 3,
    };
    let mut sim = Simulation::new(state, table.clone(), integrator, options())
        .expect("set up")
        .with_terms(ExtraTerms {
            springs: Some(springs.clone()),
            mix: Some(Mix::frenkel_ladd(lambda)),
            fixed_com: true,
        })
        .expect("terms");
    assert_eq!(
        bnsl::gpu::cpu_only(&sim),
        ["springs to sites", "the λ-mix", "the fixed centre of mass"],
        "the GPU driver names every term it lacks"
    );
    let separately = |s: &State| {
        let mut copy = s.clone();
        let mut nlist = NeighborList::new(&table, 0.3).expect("list");
        nlist.build(&copy).expect("build");
        let pairs = compute_forces(&mut copy, &nlist, &table, None);
        let mut f_b = s.clone();
        for f in &mut f_b.force {
            *f = [0.0; 3];
        }
        let u_b = springs.add(&mut f_b);
        (pairs.energy, u_b, copy.force, f_b.force)
    };
    let (mut ours, mut theirs) = (0.0, 0.0);
    let samples = 50;
    for k in 0..samples {
        sim.run(40).expect("run");
        let delta = sim.sums().mix_delta.expect("a mix reports U_b − U_a");
        let (u_a, u_b, f_a, f_b) = separately(sim.state());
        assert!(
            (delta - (u_b - u_a)).abs() < 1e-9 * (u_a.abs() + u_b.abs()),
            "sample {k}: {delta} vs {} − {}",
            u_b,
            u_a
        );
        let h = (1.0 - lambda) * u_a + lambda * u_b;
        assert!((sim.sums().energy - h).abs() < 1e-9 * h.abs().max(1.0));
        if k == 0 {
            let mut mixed: Vec<[f64; 3]> = f_a
                .iter()
                .zip(&f_b)
                .map(|(a, b)| [0, 1, 2].map(|q| (1.0 - lambda) * a[q] + lambda * b[q]))
                .collect();
            bnsl::md::center_of_mass::remove_mean(&mut mixed);
            for (got, want) in sim.state().force.iter().zip(&mixed) {
                for q in 0..3 {
                    assert!((got[q] - want[q]).abs() < 1e-9 * (1.0 + want[q].abs()));
                }
            }
        }
        ours += delta / samples as f64;
        theirs += (u_b - u_a) / samples as f64;
    }
    assert!(
        (ours - theirs).abs() < 1e-9 * theirs.abs(),
        "{ours} vs {theirs}"
    );
    assert!(
        ours > 0.0,
        "the springs' energy is above the crystal's (negative) pair energy"
    );
}
