#!/usr/bin/env bash
# The 27,000-particle MD workload of `bnsl bench md` (issue #3: AlB2 lattice at rho sigma^3 =
# 2.0, eps/kT = 2.5, Mie 50-25, r_cut = 1.5 sigma_ij shifted, dt = 0.001, Langevin) on four
# paths, one after the other, printing one JSON line each and the ratios:
#   native CPU (the engine, one thread)      bnsl bench md --device cpu
#   native GPU (wgpu on Vulkan: lavapipe here) bnsl bench md --device gpu
#   browser GPU (the page's path: gpu::MdDriver on WebGPU; SwiftShader in headless Chromium)
#   browser CPU (gpu::MdDriver on the CPU engine compiled to wasm32, one thread)
# The browser runs are the ignored test `bench_md_27000_in_the_browser` of tests/wasm_gpu.rs,
# built in release mode and run by wasm-bindgen-test-runner in headless Chromium.
# Issue #3's bar: browser CPU >= 60 % of native CPU steps per second.
#
# Usage: scripts/bench-browser.sh [CPU_STEPS] [GPU_STEPS]   (native steps; browser: 100 and 20)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"
CPU_STEPS="${1:-100}"
GPU_STEPS="${2:-20}"
cargo build --release --quiet --bin bnsl
BNSL="${CARGO_TARGET_DIR:-$ROOT/target}/release/bnsl"

native_cpu="$("$BNSL" bench md --n 27000 --steps "$CPU_STEPS" --device cpu --threads 1)"
echo "native cpu:  $native_cpu"
native_gpu="$("$BNSL" bench md --n 27000 --steps "$GPU_STEPS" --device gpu 2>/dev/null)"
echo "native gpu:  $native_gpu"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
CARGO_PROFILE_RELEASE_LTO=off WASM_BINDGEN_TEST_TIMEOUT=900 cargo test --release --target "$WASM_TARGET" --test wasm_gpu \
  -- --include-ignored --nocapture bench_md_27000_in_the_browser >"$out" 2>&1 || {
  cat "$out"
  exit 1
}
browser_gpu="$(sed -n 's/.*BENCH \({.*"device":"gpu".*}\).*/\1/p' "$out" | head -1)"
browser_cpu="$(sed -n 's/.*BENCH \({.*"device":"cpu".*}\).*/\1/p' "$out" | head -1)"
echo "browser gpu: $browser_gpu"
echo "browser cpu: $browser_cpu"

rate() { node -e 'console.log(JSON.parse(process.argv[1]).steps_per_second)' "$1"; }
node -e '
const [nc, ng, bg, bc] = process.argv.slice(1).map(Number);
const f = (x) => x.toFixed(2);
console.log(`steps/s: native cpu ${f(nc)}, native gpu ${f(ng)}, browser gpu ${f(bg)}, browser cpu ${f(bc)}`);
console.log(`browser cpu / native cpu = ${(100 * bc / nc).toFixed(1)} % (issue #3 bar: >= 60 %)`);
console.log(`browser gpu / native gpu = ${(100 * bg / ng).toFixed(1)} %`);
' "$(rate "$native_cpu")" "$(rate "$native_gpu")" "$(rate "$browser_gpu")" "$(rate "$browser_cpu")"
