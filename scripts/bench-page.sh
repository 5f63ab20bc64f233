#!/usr/bin/env bash
# Page benchmark: builds the release page (trunk) and prints the gzipped size of everything it
# loads and its time to first render in headless Chromium on loopback (median of RUNS=5 cold
# loads). Targets: under 1.5 MB gzipped, first render under 1 s. Not a test: it never fails on
# a missed target, it reports it. Pass --no-build to measure the dist/ that is there.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh" >/dev/null
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"
if [ "${1:-}" != "--no-build" ]; then
  trunk build --release >/dev/null 2>&1 || trunk build --release
fi
node tests/e2e/bench-page.mjs
