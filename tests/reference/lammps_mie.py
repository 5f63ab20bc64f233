"""Reference energies, virial pressures and forces of the Mie pair potential from LAMMPS.

Writes tests/fixtures/lammps/*.json, read by tests/engine_lammps.rs. Run from the repository root:

    LD_PRELOAD=/work/refvenv/lib/libmpi.so.12 /work/refvenv/bin/python tests/reference/lammps_mie.py

LAMMPS `pair_style mie/cut` implements U = C eps [(sigma/r)^n - (sigma/r)^m] with
C = (n/(n-m)) (n/m)^(m/(n-m)) (SCIENCE.md section 1); `pair_modify shift yes|no` switches the
energy shift at the cut-off. Configurations: binary 1:2 fluids (random insertion at low density,
then compressed with Langevin dynamics in LAMMPS), ideal AlB2 (hexagonal, c/a = 1) and NaZn13
(8 L + 104 S per cubic cell: L on a simple-cubic subcell of side a/2, a regular S icosahedron
with a centre S in each subcell, neighbouring icosahedra turned by 90 degrees) crystals with
small random displacements. Pressure: LAMMPS `compute pressure NULL virial` (virial part only).
"""

import json
import math
import os
import sys

import numpy as np
from lammps import lammps

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "lammps")
SIGMA = {0: 1.0, 1: 0.55}


def pair_params(eps=(1.0, 1.0, 1.0), ms=(25, 25, 25), n=50, rcut=1.5):
    """Pairs (LL, LS, SS) as dicts with sigma_ij = (sigma_i + sigma_j)/2, r_cut in sigma_ij."""
    pairs = []
    for k, (i, j) in enumerate([(0, 0), (0, 1), (1, 1)]):
        pairs.append({"i": i, "j": j, "epsilon": eps[k], "sigma": 0.5 * (SIGMA[i] + SIGMA[j]),
                      "n": n, "m": ms[k], "r_cut": rcut})
    return pairs


def new_lammps(box, typeid, pos, pairs, shift):
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
    lmp.command(f"pair_style mie/cut {rmax!r}")
    for p in pairs:
        lmp.command(f"pair_coeff {p['i'] + 1} {p['j'] + 1} {p['epsilon']!r} {p['sigma']!r} "
                    f"{p['n']} {p['m']} {p['r_cut'] * p['sigma']!r}")
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
""")
    return lmp


def evaluate(box, typeid, pos, pairs, shift):
    lmp = new_lammps(box, typeid, pos, pairs, shift)
    lmp.command("run 0")
    n = len(typeid)
    x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3)
    f = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3)).reshape(n, 3)
    pe = lmp.extract_compute("upot", 0, 0)
    pvir = lmp.extract_compute("pvir", 0, 0)
    lmp.close()
    return x.copy(), f.copy(), pe, pvir


def random_fluid(n, rho, seed):
    """1:2 mixture, random non-overlapping at rho = 0.2, compressed to rho in LAMMPS."""
    rng = np.random.default_rng(seed)
    nl = n // 3
    typeid = [0] * nl + [1] * (n - nl)
    l0 = (n / 0.2) ** (1 / 3)
    pos = []
    for t in typeid:
        while True:
            p = (rng.random(3) - 0.5) * l0
            ok = True
            for q, tq in zip(pos, typeid):
                d = p - q
                d -= l0 * np.round(d / l0)
                if d @ d < (0.9 * 0.5 * (SIGMA[t] + SIGMA[tq])) ** 2:
                    ok = False
                    break
            if ok:
                pos.append(p)
                break
    lf = (n / rho) ** (1 / 3)
    lmp = new_lammps([l0] * 3, typeid, pos, pair_params(), True)
    hf = 0.5 * lf
    lmp.commands_string(f"""
velocity all create 1.0 {seed} dist gaussian
timestep 0.001
fix integ all nve
fix therm all langevin 1.0 1.0 0.5 {seed}
fix shrink all deform 1 x final {-hf!r} {hf!r} y final {-hf!r} {hf!r} z final {-hf!r} {hf!r} remap x
run 6000
unfix shrink
run 1000
""")
    x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
    box = lmp.extract_box()
    lengths = [box[1][k] - box[0][k] for k in range(3)]
    lmp.close()
    return lengths, typeid, x


def alb2(cells, a, seed, jitter=0.02):
    """Orthorhombic AlB2 (c = a): cell a x sqrt(3) a x c with 2 L and 4 S."""
    rng = np.random.default_rng(seed)
    nx, ny, nz = cells
    c = a
    cell = np.array([a, math.sqrt(3) * a, c])
    basis = [(0, (0, 0, 0)), (0, (0.5, 0.5, 0)),
             (1, (0.5, 1 / 6, 0.5)), (1, (0, 1 / 3, 0.5)), (1, (0, 2 / 3, 0.5)), (1, (0.5, 5 / 6, 0.5))]
    box = cell * np.array(cells)
    typeid, pos = [], []
    for i in range(nx):
        for j in range(ny):
            for k in range(nz):
                for t, f in basis:
                    r = (np.array([i, j, k]) + np.array(f)) * cell - 0.5 * box
                    pos.append(r + jitter * rng.standard_normal(3))
                    typeid.append(t)
    return list(box), typeid, np.array(pos)


def nazn13(cells, b_ll, seed, jitter=0.02):
    """NaZn13: L on a simple cubic subcell of side b_ll, S icosahedra (edge b_ss) at subcell centres."""
    rng = np.random.default_rng(seed)
    phi = (1 + math.sqrt(5)) / 2
    b_ss = b_ll * 0.25664 / 0.61365
    t = 0.5 * b_ss
    ico_a = [(0, s1 * t, s2 * t * phi) for s1 in (-1, 1) for s2 in (-1, 1)]
    ico_a = ico_a + [(z, x, y) for (x, y, z) in ico_a] + [(y, z, x) for (x, y, z) in ico_a]
    ico_b = [(x, z, y) for (x, y, z) in ico_a]
    a = 2 * b_ll
    box = np.array(cells) * a
    typeid, pos = [], []
    n = 2 * np.array(cells)
    for i in range(n[0]):
        for j in range(n[1]):
            for k in range(n[2]):
                corner = np.array([i, j, k]) * b_ll - 0.5 * box
                centre = corner + 0.5 * b_ll
                typeid.append(0)
                pos.append(corner + jitter * rng.standard_normal(3))
                ico = ico_a if (i + j + k) % 2 == 0 else ico_b
                for v in [(0, 0, 0)] + ico:
                    typeid.append(1)
                    pos.append(centre + np.array(v) + jitter * rng.standard_normal(3))
    return list(box), typeid, np.array(pos)


def write(name, description, box, typeid, pos, pairs, shift):
    x, f, pe, pvir = evaluate(box, typeid, pos, pairs, shift)
    box = [float(v) for v in box]
    vol = box[0] * box[1] * box[2]
    data = {
        "name": name,
        "description": description,
        "generator": "tests/reference/lammps_mie.py (LAMMPS pair_style mie/cut, run 0)",
        "box": [float(v) for v in box],
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
    wide = dict(ms=(6, 6, 6), rcut=3.0)
    for rho, n, seed in [(0.5, 300, 11), (1.2, 300, 12), (2.0, 300, 13)]:
        box, t, x = random_fluid(n, rho, seed)
        for shift in (True, False):
            write(f"fluid_rho{rho}_m25_{'shift' if shift else 'noshift'}",
                  f"1:2 fluid at rho sigma^3 = {rho}, narrow well (50-25), r_cut = 1.5 sigma_ij",
                  box, t, x, pair_params(), shift)
    for rho, n, seed in [(1.0, 300, 21), (2.0, 600, 22)]:
        box, t, x = random_fluid(n, rho, seed)
        for shift in (True, False):
            write(f"fluid_rho{rho}_m6_{'shift' if shift else 'noshift'}",
                  f"1:2 fluid at rho sigma^3 = {rho}, wide well (50-6), r_cut = 3.0 sigma_ij",
                  box, t, x, pair_params(**wide), shift)
        if rho == 2.0:
            write("fluid_rho2.0_variants_shift",
                  "1:2 fluid, unequal depths (2.5, 1.75, 1.0; Fig. S24) and exponents m = 25, 37, 49 (Fig. S16)",
                  box, t, x, pair_params(eps=(2.5, 1.75, 1.0), ms=(25, 37, 49)), True)
    box, t, x = alb2((4, 3, 4), 1.2, 31)
    for shift in (True, False):
        write(f"alb2_m25_{'shift' if shift else 'noshift'}", "AlB2 crystal a = c = 1.2, narrow well",
              box, t, x, pair_params(), shift)
    box, t, x = alb2((6, 4, 6), 1.2, 32)
    write("alb2_m6_shift", "AlB2 crystal a = c = 1.2, wide well", box, t, x, pair_params(**wide), True)
    box, t, x = nazn13((2, 2, 2), 1.45, 41)
    for shift in (True, False):
        write(f"nazn13_m25_{'shift' if shift else 'noshift'}", "NaZn13 crystal b_LL = 1.45, narrow well",
              box, t, x, pair_params(), shift)


if __name__ == "__main__":
    sys.exit(main())
