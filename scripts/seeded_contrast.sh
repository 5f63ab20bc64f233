#!/usr/bin/env bash
# The seeded-growth contrast of docs/reproduction.md ("Seeded growth"): narrow well, wide well
# and the purely repulsive control, each at the density where the paper's Fig. 3e,f
# compressions start at eps = 2.5 kT (2.2, 2.41, 2.6; SCIENCE.md section 1), several random
# seeds each, through `bnsl run` (initial.kind = "seeded"). One JSON summary per run in OUT;
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
compress = 10000
equilibrate = 10000
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
