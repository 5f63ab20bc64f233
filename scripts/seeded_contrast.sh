#!/usr/bin/env bash
# The seeded-growth contrast of docs/reproduction.md ("Seeded growth"): narrow well, wide well
# and the purely repulsive control, each at the density where the paper's Fig. 3e,f
# compressions start at eps = 2.5 kT (2.2, 2.41, 2.6; SCIENCE.md section 1), several random
# seeds each, through `bnsl run` (initial.kind = "seeded"; the fluid compressed from 0.5 in
# 5,000 steps and equilibrated 5,000; seed radius 3 sigma below 2,500 particles, 3.5 below
# 4,000, else 4). One JSON summary per run in OUT;
# runs whose summary exists are skipped (resumable). Usage:
#   scripts/seeded_contrast.sh BNSL N HOLD_STEPS "SEEDS" OUT
set -euo pipefail
bnsl=${1:?path of the bnsl binary}
n=${2:?particles}
hold=${3:?steps held after the insertion}
seeds=${4:?random seeds, e.g. "1 2 3"}
out=${5:?output folder}
mkdir -p "$out"
large=$(( (n + 1) / 3 ))
small=$(( n - large ))
radius=3.5
if [ "$n" -lt 2500 ]; then radius=3.0; fi
if [ "$n" -ge 4000 ]; then radius=4.0; fi
for seed in $seeds; do
  for well in narrow repulsive wide; do
    name="$well-n$n-s$seed"
    [ -s "$out/$name.json" ] && continue
    case $well in
      narrow) kt=0.4; m=25; cut=1.5; attractive=true; density=2.2 ;;
      wide) kt=0.4; m=6; cut=3.0; attractive=true; density=2.41 ;;
      repulsive) kt=1.0; m=25; cut=1.5; attractive=false; density=2.6 ;;
    esac
    cat > "$out/$name.toml" <<TOML
seed = $seed
dt = 0.002
kt = $kt
[[species]]
name = "L"
diameter = 1.0
count = $large
[[species]]
name = "S"
diameter = 0.55
count = $small
[pair]
epsilon = 1.0
n = 50
m = $m
r_cut = $cut
attractive = $attractive
[geometry]
kind = "periodic"
[initial]
kind = "seeded"
structure = "alb2"
seed_radius = $radius
density = $density
compress = 5000
equilibrate = 5000
[integrator]
kind = "langevin"
gamma = 1.0
[[stage]]
steps = $hold
[output]
trajectory = "$out/$name.gsd"
log = "$out/$name.csv"
log_every = $(( hold / 10 ))
frame_every = $hold
TOML
    start=$(date +%s)
    "$bnsl" run "$out/$name.toml" > "$out/$name.part"
    echo "{\"wall_s\": $(( $(date +%s) - start ))}" > "$out/$name.wall"
    mv "$out/$name.part" "$out/$name.json"
    echo "$(date -u +%H:%M:%S) $name done"
  done
done
# The table of docs/reproduction.md: mean ± standard error over the seeds of each well.
python3 - "$out" "$n" <<'PY'
import glob, json, math, sys
out, n = sys.argv[1], sys.argv[2]
def me(v):
    m = sum(v) / len(v)
    e = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1) / len(v)) if len(v) > 1 else 0.0
    return m, e
print("| well | ρσ³ (after insertion) | seeds | a, c/a (matched) | βP fluid | seed L | cluster start → end (L) | L per τ | crystalline fraction | wall s per run |")
print("|---|---|---|---|---|---|---|---|---|---|")
for well in ("narrow", "wide", "repulsive"):
    runs = []
    for f in sorted(glob.glob(f"{out}/{well}-n{n}-s*.json")):
        d = json.load(open(f))
        w = json.load(open(f[:-5] + ".wall"))["wall_s"]
        runs.append((d, w))
    if not runs:
        continue
    kt = 1.0 if well == "repulsive" else 0.4
    col = lambda f: me([f(d) for d, _ in runs])
    rate = col(lambda d: d["growth"]["rate_per_tau"])
    c0 = col(lambda d: d["growth"]["seed_cluster_start"])
    c1 = col(lambda d: d["growth"]["seed_cluster_end"])
    f0 = col(lambda d: d["growth"]["rows"][0]["crystalline_fraction"])
    f1 = col(lambda d: d["growth"]["rows"][-1]["crystalline_fraction"])
    a = col(lambda d: d["seed"]["a"])
    r = col(lambda d: d["seed"]["c_over_a"])
    p = col(lambda d: d["seed"]["fluid_pressure"] / kt)
    rho = col(lambda d: d["seed"]["insertion"]["density_before"])
    rho1 = col(lambda d: d["seed"]["insertion"]["density_after"])
    sl = col(lambda d: d["seed"]["insertion"]["seed_large"])
    wall = sum(w for _, w in runs) / len(runs)
    print(f"| {well} | {rho[0]:.2f} ({rho1[0]:.3f}) | {len(runs)} | {a[0]:.4f} ± {a[1]:.4f}, {r[0]:.3f} ± {r[1]:.3f} | {p[0]:.1f} ± {p[1]:.1f} | {sl[0]:.0f} | {c0[0]:.0f} ± {c0[1]:.0f} → {c1[0]:.0f} ± {c1[1]:.0f} | {rate[0]:+.3f} ± {rate[1]:.3f} | {f0[0]:.3f} → {f1[0]:.3f} ± {f1[1]:.3f} | {wall:.0f} |")
PY
