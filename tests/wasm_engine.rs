//! The determinism fingerprint in the browser: the same fixed run as tests/engine_determinism.rs
//! must give the same 64-bit hash of the final positions in wasm32 as natively, which proves
//! the trajectory bit-identical. Run with
//! `cargo test --target wasm32-unknown-unknown --test wasm_engine` (wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Must equal `FINGERPRINT` in tests/engine_determinism.rs.
const FINGERPRINT: u64 = 0xb6c2_0496_72a0_f9fa;

#[wasm_bindgen_test]
fn fixed_langevin_run_has_the_native_fingerprint() {
    let got = bnsl::md::workload::determinism_fingerprint().expect("run");
    assert_eq!(got, FINGERPRINT, "fingerprint {got:#018x}");
}
