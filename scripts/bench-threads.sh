#!/usr/bin/env bash
# Issue #16's threads proof on this machine: `bnsl bench md` (27,000 particles, the issue #3
# workload) and `bnsl bench analysis` (one 27,000-particle frame) on 1 and on 2 threads,
# alternately ROUNDS times, then the median speed-up of 2 threads over 1 for each (bar for MD:
# >= 1.8x). Also prints the load (uptime) before and after: on a loaded machine the ratios are
# pessimistic. The numbers of every run are the same on any number of threads (checked here).
#
# Usage: scripts/bench-threads.sh [STEPS] [ROUNDS] [BNSL]
#   STEPS  MD steps per run (default 1000), ROUNDS alternations (default 3),
#   BNSL   the binary (default: target/release/bnsl, built here).
set -euo pipefail
STEPS="${1:-1000}"
ROUNDS="${2:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ -n "${3:-}" ]; then
  BNSL="$3"
else
  cargo build --release --quiet --bin bnsl
  BNSL="${CARGO_TARGET_DIR:-$ROOT/target}/release/bnsl"
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "load before: $(uptime)"
for round in $(seq "$ROUNDS"); do
  for threads in 1 2; do
    "$BNSL" bench md --n 27000 --steps "$STEPS" --threads "$threads" | tee -a "$TMP/md.jsonl"
    "$BNSL" bench analysis --n 27000 --threads "$threads" | tee -a "$TMP/analysis.jsonl"
  done
done
echo "load after:  $(uptime)"

python3 - "$TMP/md.jsonl" "$TMP/analysis.jsonl" <<'PYEOF'
import json, statistics, sys

def runs(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]

md, analysis = runs(sys.argv[1]), runs(sys.argv[2])

def ratios(rows, speed):
    one = [speed(r) for r in rows if r["threads"] == 1]
    two = [speed(r) for r in rows if r["threads"] == 2]
    return [b / a for a, b in zip(one, two)]

for what, rows, keys in [
    ("md", md, ["potential_energy_per_particle", "temperature", "neighbor_list_builds"]),
    ("analysis", analysis, ["crystalline_fraction", "mean_q8"]),
]:
    values = {tuple(r[k] for k in keys) for r in rows}
    if len(values) != 1:
        sys.exit(f"{what}: the results differ between runs: {sorted(values)}")
md_ratios = ratios(md, lambda r: r["steps_per_second"])
an_ratios = ratios(analysis, lambda r: 1.0 / r["classification_wall_seconds"])
print("md steps/s on 1 thread:", [round(r["steps_per_second"], 1) for r in md if r["threads"] == 1])
print("md steps/s on 2 threads:", [round(r["steps_per_second"], 1) for r in md if r["threads"] == 2])
print("md speed-up 2/1 per round:", [round(x, 3) for x in md_ratios])
print("md speed-up 2/1 median: %.3f (bar 1.8)" % statistics.median(md_ratios))
print("analysis (classification) speed-up 2/1 per round:", [round(x, 3) for x in an_ratios])
print("analysis speed-up 2/1 median: %.3f" % statistics.median(an_ratios))
PYEOF
