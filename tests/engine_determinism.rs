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
/// and 3 threads: Langevin, NVE and MTK in a periodic crystal under compression, Langevin with
/// the centre of mass fixed (the Frenkel–Ladd runs' integrator) with and without compression,
/// and Langevin in a droplet (the open-space kernel and the wall).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn runs_are_bit_identical_on_1_2_and_3_threads() {
    use bnsl::md::{ExtraTerms, Integrator, NoseHooverChain, SimOptions, Simulation, State};
    use bnsl::model::{PairRule, PairTable};

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
    fn run(
        state: &State,
        integrator: &Integrator,
        threads: usize,
        how: (bool, bool),
    ) -> Simulation {
        let (compress, fixed_com) = how;
        let table =
            PairTable::additive(&state.type_diameters, PairRule::narrow_well(1.0)).expect("table");
        let options = SimOptions {
            kt: 0.4,
            ..SimOptions::default()
        };
        let mut sim = Simulation::new(state.clone(), table, integrator.clone(), options)
            .expect("set-up")
            .with_terms(ExtraTerms {
                fixed_com,
                ..ExtraTerms::default()
            })
            .expect("terms");
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
    let droplet = droplet();
    let langevin = Integrator::Langevin {
        kt: 0.4,
        gamma: 1.0,
        seed: 5,
    };
    let cases = [
        (&crystal, langevin.clone(), (true, false)),
        (&crystal, Integrator::Nve, (false, false)),
        (
            &crystal,
            Integrator::Mtk(NoseHooverChain::new(0.4, 0.5, 3)),
            (true, false),
        ),
        (&crystal, langevin.clone(), (true, true)),
        (&crystal, langevin.clone(), (false, true)),
        (&droplet, langevin, (false, false)),
    ];
    for (state, integrator, how) in cases {
        let one = bits(&run(state, &integrator, 1, how));
        for threads in [2, 3] {
            let many = bits(&run(state, &integrator, threads, how));
            assert!(
                one == many,
                "{integrator:?} on {threads} threads differs from one thread"
            );
        }
    }
}

/// 600 particles (200 L, 400 S) at ρσ³ 0.6 in a droplet, velocities at kT 0.4.
#[cfg(not(target_arch = "wasm32"))]
fn droplet() -> bnsl::md::State {
    use bnsl::md::init;
    let r = libm::cbrt(3.0 * 600.0 / (4.0 * std::f64::consts::PI * 0.6));
    let mut droplet = init::random_fluid(
        &["L".to_string(), "S".to_string()],
        &[1.0, 0.55],
        &[200, 400],
        bnsl::model::Geometry::Open { radius: Some(r) },
        11,
        0.9,
        None,
    )
    .expect("droplet");
    init::maxwell_boltzmann(&mut droplet, 0.4, 11);
    droplet
}

/// A droplet squeezed far too fast stops at the same step, naming the same particle outside
/// the wall, on 1, 2 and 3 threads (the wall's check and its forces run on the threads).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_droplet_squeezed_too_fast_stops_the_same_on_1_2_and_3_threads() {
    use bnsl::md::{Integrator, SimOptions, Simulation};
    use bnsl::model::{PairRule, PairTable};
    let state = droplet();
    let table =
        PairTable::additive(&state.type_diameters, PairRule::narrow_well(1.0)).expect("table");
    let errors: Vec<String> = [1, 2, 3]
        .into_iter()
        .map(|threads| {
            let integrator = Integrator::Langevin {
                kt: 0.4,
                gamma: 1.0,
                seed: 5,
            };
            let options = SimOptions {
                kt: 0.4,
                ..SimOptions::default()
            };
            let mut sim =
                Simulation::new(state.clone(), table.clone(), integrator, options).expect("set-up");
            sim.set_threads(threads).expect("threads");
            sim.compress_to(3.0, 20).expect("compression");
            sim.run(100).expect_err("squeezed too fast").to_string()
        })
        .collect();
    assert!(
        errors[0].contains("outside the droplet wall"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0], errors[1]);
    assert_eq!(errors[0], errors[2]);
}

/// The analysis of a frame (neighbour lists, q_l with averaging and w_l, the AlB₂
/// classification, local density, g(r), Debye S(q)) gives the same bits on 1, 2 and 3 threads:
/// run inside a pool's `install`, the per-particle work is split into fixed ranges and
/// collected in order (docs/analysis.md "Threads").
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn frame_analysis_is_bit_identical_on_1_2_and_3_threads() {
    use bnsl::analysis::{
        structure_factor, Classifier, LocalDensity, NeighborQuery, Rdf, Steinhardt, TypeFilter,
    };
    use bnsl::md::Threads;

    fn bits(values: &[f64]) -> Vec<u64> {
        values.iter().map(|x| x.to_bits()).collect()
    }
    let frame = bnsl::analysis::workload::benchmark_frame(3000, 5);
    let analyse = |threads: usize| {
        Threads::new(threads).expect("threads").install(|| {
            let query = NeighborQuery::from_frame(&frame).expect("query");
            let list = query.nearest(12, &TypeFilter::all()).expect("nearest");
            let order = Steinhardt {
                l: 6,
                average: true,
                wl: true,
                wl_normalize: true,
            }
            .compute(&list)
            .expect("q6");
            let classes = Classifier::alb2().classify(&frame).expect("classify");
            let within = query.within(1.4, &TypeFilter::all()).expect("within");
            let density = LocalDensity {
                r_max: 1.4,
                diameter: 1.0,
            }
            .compute_list(&within)
            .expect("density");
            let rdf = Rdf {
                bins: 50,
                r_max: 3.0,
                r_min: 0.0,
            }
            .compute(&query, None, None, None)
            .expect("rdf");
            let q: Vec<f64> = (1..40).map(|k| 0.25 * f64::from(k)).collect();
            let s = structure_factor::debye(&query, &q, 0.01, Some(&[1.0, 0.55])).expect("S(q)");
            let mut numbers = vec![bits(&list.distances), bits(&within.distances)];
            numbers.push(list.neighbors.iter().map(|&j| u64::from(j)).collect());
            numbers.push(bits(&order.ql));
            numbers.extend(order.ql_average.as_deref().map(bits));
            numbers.extend(order.wl.as_deref().map(bits));
            numbers.push(classes.crystalline.iter().map(|&c| u64::from(c)).collect());
            numbers.extend(classes.values.iter().map(|v| bits(v)));
            numbers.extend([bits(&density.density), bits(&rdf.g), bits(&s.s)]);
            numbers
        })
    };
    let one = analyse(1);
    assert!(
        one[0].len() > 30_000 && one[1].len() > 30_000,
        "a real workload"
    );
    for threads in [2, 3] {
        assert!(analyse(threads) == one, "{threads} threads differ from one");
    }
}
