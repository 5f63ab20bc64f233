//! The determinism fingerprint (issue #3): the fixed 200-particle, 200-step Langevin run of
//! `bnsl::md::workload::determinism_fingerprint` must hash to the committed constant natively;
//! tests/wasm_engine.rs asserts the same constant in the browser.

/// FNV-1a of the final positions of the fixed run.
pub const FINGERPRINT: u64 = 0xb6c2_0496_72a0_f9fa;

#[test]
fn fixed_langevin_run_has_the_committed_fingerprint() {
    let got = bnsl::md::workload::determinism_fingerprint().expect("run");
    assert_eq!(got, FINGERPRINT, "fingerprint {got:#018x}");
}

/// The fixed run's fingerprint on 2 and 3 threads is the committed one-thread constant
/// (docs/engine.md "Threads").
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn fingerprint_does_not_depend_on_the_thread_count() {
    for threads in [2, 3] {
        let got = bnsl::md::workload::determinism_fingerprint_on(threads).expect("run");
        assert_eq!(got, FINGERPRINT, "{threads} threads: {got:#018x}");
    }
}

/// Every bit of a run (positions, velocities, energy, virial, list builds) is the same on 1, 2
/// and 3 threads: Langevin, NVE and MTK in a periodic crystal under compression, and Langevin
/// in a droplet (the open-space kernel and the wall).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn runs_are_bit_identical_on_1_2_and_3_threads() {
    use bnsl::md::{init, Integrator, NoseHooverChain, SimOptions, Simulation, State};
    use bnsl::model::{Geometry, PairRule, PairTable};

    fn bits(sim: &Simulation) -> (Vec<u64>, u64, u64, u64) {
        let s = sim.state();
        let v = s.pos.iter().chain(&s.vel).flatten().map(|x| x.to_bits());
        let sums = sim.sums();
        (
            v.collect(),
            sums.energy.to_bits(),
            sums.virial.to_bits(),
            sim.list_builds(),
        )
    }
    fn run(state: &State, integrator: &Integrator, threads: usize, compress: bool) -> Simulation {
        let table =
            PairTable::additive(&state.type_diameters, PairRule::narrow_well(1.0)).expect("table");
        let options = SimOptions {
            kt: 0.4,
            ..SimOptions::default()
        };
        let mut sim =
            Simulation::new(state.clone(), table, integrator.clone(), options).expect("set-up");
        sim.set_threads(threads).expect("threads");
        assert_eq!(sim.threads(), threads);
        if compress {
            sim.compress_to(2.05, 60).expect("compression");
        }
        sim.run(120).expect("run");
        sim
    }

    let crystal = bnsl::md::workload::benchmark_simulation(3000, 7)
        .expect("workload")
        .state()
        .clone();
    let r = libm::cbrt(3.0 * 600.0 / (4.0 * std::f64::consts::PI * 0.6));
    let mut droplet = init::random_fluid(
        &["L".to_string(), "S".to_string()],
        &[1.0, 0.55],
        &[200, 400],
        Geometry::Open { radius: Some(r) },
        11,
        0.9,
        None,
    )
    .expect("droplet");
    init::maxwell_boltzmann(&mut droplet, 0.4, 11);
    let langevin = Integrator::Langevin {
        kt: 0.4,
        gamma: 1.0,
        seed: 5,
    };
    let cases = [
        (&crystal, langevin.clone(), true),
        (&crystal, Integrator::Nve, false),
        (
            &crystal,
            Integrator::Mtk(NoseHooverChain::new(0.4, 0.5, 3)),
            false,
        ),
        (&droplet, langevin, false),
    ];
    for (state, integrator, compress) in cases {
        let one = bits(&run(state, &integrator, 1, compress));
        for threads in [2, 3] {
            let many = bits(&run(state, &integrator, threads, compress));
            assert!(
                one == many,
                "{integrator:?} on {threads} threads differs from one thread"
            );
        }
    }
}
