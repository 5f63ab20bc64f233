#!/usr/bin/env bash
# Browser timing of the Phase diagram tab's recompute (issue #14) beside the native number.
#
# Browser: the release page (dist/, build it first with `trunk build --release`) in headless
# Chromium; the tab's form computes one AlB₂ crystal point in the Web Worker and the time from
# "Compute" to the result is printed (tests/e2e/bench-free-energy.mjs). Native: the same inputs
# through `bnsl free-energy` (the number is the same bit for bit; the wall time is printed).
#
# Usage: scripts/bench-free-energy-browser.sh [fast|standard] [CELLS]
#   fast (default): the tab's default point, narrow well, ε/kT 2.5, ρσ³ 2.8, 192 particles.
#   standard 4,3,7: issue #13's bar, a 504-particle crystal at standard quality.
# Or:    scripts/bench-free-energy-browser.sh coexistence [DEPTH] [WELL]
#   the tab's coexistence recompute at one depth (default 2, narrow), fast quality, seed 1
#   (tests/e2e/bench-coexistence.mjs), beside the same `bnsl phase-diagram` natively.
# ρσ³ 2.8 (a = 1.074 σ): the AlB₂ crystal holds (at 2.2 it melts in the reference run).
set -euo pipefail
cd "$(dirname "$0")/.."
quality="${1:-fast}"
cells="${2:-}"
bin="${BNSL_BIN:-${CARGO_TARGET_DIR:-target}/ci/bnsl}"
[ -x "$bin" ] || bin="${CARGO_TARGET_DIR:-target}/release/bnsl"

if [ "$quality" = coexistence ]; then
  echo "== browser (headless Chromium, release page in dist/): coexistence"
  out="$(DEPTH="${2:-2}" WELL="${3:-narrow}" node tests/e2e/bench-coexistence.mjs)"
  echo "$out"
  command="$(echo "$out" | sed -n 's/^command: //p')"
  if [ -x "$bin" ] && [ -n "$command" ]; then
    echo "== native ($bin, one thread)"
    dir="$(mktemp -d)"
    start="$(date +%s.%N)"
    args="$(echo "${command#bnsl }" | sed "s|--out DIR|--out $dir/run|")"
    # shellcheck disable=SC2086
    "$bin" $args 2>/dev/null
    echo "native wall: $(echo "$(date +%s.%N) - $start" | bc) s"
    cat "$dir/run/coexistence.csv"
    rm -rf "$dir"
  fi
  exit 0
fi

echo "== browser (headless Chromium, release page in dist/)"
out="$(QUALITY="$quality" CELLS="$cells" node tests/e2e/bench-free-energy.mjs)"
echo "$out"
command="$(echo "$out" | sed -n 's/^command: //p')"

if [ -x "$bin" ] && [ -n "$command" ]; then
  echo "== native ($bin, one thread)"
  start="$(date +%s.%N)"
  # shellcheck disable=SC2086
  "$bin" ${command#bnsl } 2>/dev/null >/tmp/bench-free-energy-native.json
  echo "native wall: $(echo "$(date +%s.%N) - $start" | bc) s"
  grep -m1 '"beta_f_per_particle"' /tmp/bench-free-energy-native.json
fi
