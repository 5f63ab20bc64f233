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
