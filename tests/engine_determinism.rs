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

#[cfg(not(target_arch = "wasm32"))]
/// Fingerprint of the benchmark workload at 12,288 particles (three force blocks) after a few
/// steps on a pool of `threads` threads.
fn workload_fingerprint(threads: usize) -> u64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| {
        let mut sim = bnsl::md::workload::benchmark_simulation(12_288, 7).expect("workload");
        sim.run(4).expect("run");
        bnsl::md::fingerprint(&sim.state().pos)
    })
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn fingerprint_does_not_depend_on_the_thread_count() {
    assert_eq!(bnsl::md::forces::blocks(12_288), 3);
    let one = workload_fingerprint(1);
    assert_eq!(workload_fingerprint(2), one, "2 threads");
    assert_eq!(workload_fingerprint(3), one, "3 threads");
}
