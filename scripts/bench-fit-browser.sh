#!/usr/bin/env bash
# SAXS fit benchmark, native and in headless Chromium (issue #17, "Speed"):
#   native   `bnsl bench fit`: the 1000-point AlB₂ pattern fitted in automatic mode over the whole
#            catalogue (12 crystals, pruned, mixtures only when peaks stay unexplained), the same
#            with the model forced, and the 500-frame series (release build, one thread).
#   browser  tests/e2e/saxs-bench.mjs on the release page (dist/): the page's 1000-point AlB₂
#            example fitted in automatic mode in the Web Worker (median of 7 runs, timed around
#            the wasm fit), and a 500-frame × 1000-point series from upload to the last frame.
# Targets: single automatic fit under 300 ms in Chromium, the series under 30 s. Not a test: it
# reports, it does not fail on a missed target. Pass --no-build to use the dist/ that is there.
#
# Usage: scripts/bench-fit-browser.sh [--no-build]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"
if [ "${1:-}" != "--no-build" ]; then
  cargo build --release --quiet --bin bnsl
  trunk build --release >/dev/null 2>&1 || trunk build --release
fi
BNSL="${CARGO_TARGET_DIR:-$ROOT/target}/release/bnsl"
if [ -x "$BNSL" ]; then
  echo "native:  $("$BNSL" bench fit)"
fi
echo "browser: $(node tests/e2e/saxs-bench.mjs)"
