#!/usr/bin/env bash
# Browser timing of the issue #4 analysis workload beside the native number.
#
# Native: `bnsl bench analysis` (one thread, best of 7). Browser: tests/wasm_analysis_bench.rs
# built in release mode for wasm32 and run by wasm-bindgen-test-runner in headless Chromium
# (webdriver.json), best of 5 by performance.now(). Both time the same frame
# (analysis::workload::benchmark_frame(27000, seed 1)): the 20 nearest neighbours and q8 of
# every large particle plus the AlB2 classification with its guard. Prints both results.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"

echo "== native (bnsl bench analysis, 1 thread)"
cargo build --release --quiet
"$target/release/bnsl" bench analysis --threads 1

echo "== browser (headless Chromium, wasm32 release)"
cargo test --release --target wasm32-unknown-unknown --test wasm_analysis_bench -- --nocapture 2>&1 |
  grep -E "BENCH|test result|panicked|error" || true
