#!/usr/bin/env bash
# The 27,000-particle MD workload of `bnsl bench md` (AlB2 lattice at rho sigma^3 = 2.0,
# eps/kT = 2.5, Mie 50-25, r_cut = 1.5 sigma_ij shifted, dt = 0.001, Langevin) on the GPU of
# this machine through wgpu (Vulkan natively; WebGPU in headless Chromium with --browser), and
# on the CPU engine of the same machine, printing steps/s of each and the GPU/CPU ratio.
# On a machine without a GPU wgpu finds lavapipe (Mesa's CPU Vulkan) and Chromium SwiftShader:
# the script then runs as a smoke check of the mechanics, and its numbers are not a GPU's.
# docs/gpu.md compares with HOOMD-blue's published speed.
#
# Usage: scripts/bench-gpu.sh [CPU_STEPS] [GPU_STEPS] [--browser]
#   CPU_STEPS, GPU_STEPS: timed steps (default 200 and 2000); N=... changes the size (27000).
#   BNSL=path/to/bnsl uses that binary instead of building target/release/bnsl.
#   --browser also runs the page's GPU path in headless Chromium (the ignored test
#   bench_md_27000_in_the_browser of tests/wasm_gpu.rs, as scripts/bench-browser.sh does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"

CPU_STEPS=200
GPU_STEPS=2000
BROWSER=0
positional=()
for arg in "$@"; do
  case "$arg" in
    --browser) BROWSER=1 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) positional+=("$arg") ;;
  esac
done
if [ "${#positional[@]}" -ge 1 ]; then CPU_STEPS="${positional[0]}"; fi
if [ "${#positional[@]}" -ge 2 ]; then GPU_STEPS="${positional[1]}"; fi
N="${N:-27000}"

if [ -z "${BNSL:-}" ]; then
  cargo build --release --quiet --bin bnsl
  BNSL="${CARGO_TARGET_DIR:-$ROOT/target}/release/bnsl"
fi

field() { node -e 'const o = JSON.parse(process.argv[1]); console.log(o[process.argv[2]] ?? "")' "$1" "$2"; }

cpu="$("$BNSL" bench md --n "$N" --steps "$CPU_STEPS" --device cpu)"
echo "native cpu: $cpu"
gpu="$("$BNSL" bench md --n "$N" --steps "$GPU_STEPS" --device gpu 2>/dev/null)"
echo "native gpu: $gpu"
if [ "$(field "$gpu" device)" != "gpu" ]; then
  echo "error: the GPU benchmark did not run on a GPU adapter" >&2
  exit 1
fi
adapter="$(field "$gpu" adapter)"
cpu_rate="$(field "$cpu" steps_per_second)"
gpu_rate="$(field "$gpu" steps_per_second)"

browser_rate=""
if [ "$BROWSER" -eq 1 ]; then
  out="$(mktemp)"
  trap 'rm -f "$out"' EXIT
  CARGO_PROFILE_RELEASE_LTO=off WASM_BINDGEN_TEST_TIMEOUT=900 cargo test --release --target "$WASM_TARGET" \
    --test wasm_gpu -- --include-ignored --nocapture bench_md_27000_in_the_browser >"$out" 2>&1 || {
    cat "$out"
    exit 1
  }
  browser="$(sed -n 's/.*BENCH \({.*"device":"gpu".*}\).*/\1/p' "$out" | head -1)"
  echo "browser gpu: $browser"
  browser_rate="$(field "$browser" steps_per_second)"
fi

node -e '
const [n, adapter, cpu, gpu, browser] = process.argv.slice(1);
const f = (x) => Number(x).toFixed(2);
const soft = /llvmpipe|lavapipe|swiftshader/i.test(adapter);
console.log(`${n} particles, adapter ${adapter}${soft ? " (a CPU emulating a GPU: smoke check only)" : ""}`);
console.log(`steps/s: cpu ${f(cpu)}, gpu ${f(gpu)}${browser ? `, browser gpu ${f(browser)}` : ""}`);
const r = (x) => Number(x).toPrecision(3);
console.log(`gpu / cpu = ${r(gpu / cpu)}${browser ? `, browser gpu / cpu = ${r(browser / cpu)}` : ""}`);
' "$N" "$adapter" "$cpu_rate" "$gpu_rate" "$browser_rate"
