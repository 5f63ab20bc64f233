"""Reference values for the analysis layer from freud (freud-analysis 3.4).

Writes tests/fixtures/freud/steinhardt_*.json: perturbed AlB2, NaZn13 and fcc lattices and
binary fluids, periodic and open, with freud's per-particle Steinhardt q_l / averaged q_l /
w_l over k-nearest (self excluded) and ball neighbourhoods. Positions are rounded to float32
(freud computes in float32) and stored exactly, so both codes see the same points.

freud evaluates Y_lm in float32, so its q_l carry round-off of up to ~1e-4 (mostly < 1e-5).
Each q_l / averaged q_l is therefore also recomputed in float64 with scipy's `sph_harm_y` on
freud's own neighbour list ("f64"), an independent check of the formula and of the
neighbour sets.

Also writes tests/fixtures/freud/density_*.json: freud's LocalDensity (r_max = 1.3,
diameter = 1.0, the paper's choice) and RDF (total and partial) on some of the same systems.

Run: /work/refvenv/bin/python tests/reference/freud_steinhardt.py
"""

import json
import pathlib

import freud
import numpy as np
from scipy.special import sph_harm_y

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "freud"
# Open space for freud: a periodic box 3x wider than the points never wraps a neighbour
# (kept small: freud's float32 box arithmetic loses precision in huge boxes).
OPEN_MARGIN = 3.0


def alb2(a, c_over_a, cells):
    c = a * c_over_a
    edges = np.array([a, np.sqrt(3.0) * a, c])
    # orthohexagonal cell: 2 L + 4 S
    basis = [
        (0, (0.0, 0.0, 0.0)),
        (0, (0.5, 0.5, 0.0)),
        (1, (0.5, 1.0 / 6.0, 0.5)),
        (1, (0.0, 1.0 / 3.0, 0.5)),
        (1, (0.0, 2.0 / 3.0, 0.5)),
        (1, (0.5, 5.0 / 6.0, 0.5)),
    ]
    return tile(basis, edges, cells)


def fcc(a, cells):
    basis = [(0, (0, 0, 0)), (0, (0.5, 0.5, 0)), (0, (0.5, 0, 0.5)), (0, (0, 0.5, 0.5))]
    return tile(basis, np.array([a, a, a]), cells)


def nazn13(a, cells):
    """8 L on a simple-cubic subcell of side a/2 at (1/4, 3/4)^3; S-centred icosahedra at
    (0, 1/2)^3, neighbouring icosahedra rotated by 90 degrees about z."""
    phi = (1 + 5**0.5) / 2
    ico = []
    for s1 in (-1, 1):
        for s2 in (-1, 1):
            ico += [(0, s1, s2 * phi), (s1, s2 * phi, 0), (s2 * phi, 0, s1)]
    ico = np.array(ico) / np.sqrt(1 + phi**2)
    r_ss = a / 2 * 0.25664 / 0.61365
    basis = []
    for i in (0.25, 0.75):
        for j in (0.25, 0.75):
            for k in (0.25, 0.75):
                basis.append((0, (i, j, k)))
    for n, (i, j, k) in enumerate(np.ndindex(2, 2, 2)):
        centre = np.array([i, j, k]) * 0.5
        basis.append((1, tuple(centre)))
        rot = (i + j + k) % 2 == 1
        for v in ico:
            w = np.array([-v[1], v[0], v[2]]) if rot else v
            basis.append((1, tuple(centre + w * r_ss / a)))
    return tile(basis, np.array([a, a, a]), cells)


def tile(basis, edges, cells):
    pos, typ = [], []
    for idx in np.ndindex(*cells):
        for t, f in basis:
            pos.append((np.array(idx) + np.array(f)) * edges)
            typ.append(t)
    lengths = edges * np.array(cells)
    pos = np.array(pos) - lengths / 2
    return lengths, pos, np.array(typ, dtype=np.int64)


def fluid(n_large, n_small, density, seed):
    rng = np.random.default_rng(seed)
    n = n_large + n_small
    side = (n / density) ** (1 / 3)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 3))
    typ = np.array([0] * n_large + [1] * n_small)
    return np.array([side] * 3), pos, typ


def finish(lengths, pos, typ, sigma, seed, periodic):
    rng = np.random.default_rng(seed)
    pos = pos + rng.normal(0.0, sigma, size=pos.shape)
    if periodic:
        pos = pos - lengths * np.round(pos / lengths)
        pos = np.where(pos >= lengths / 2, pos - lengths, pos)
        box = freud.box.Box(*lengths)
    else:
        pos = pos - pos.mean(axis=0)
        box = freud.box.Box.cube(OPEN_MARGIN * 2 * np.abs(pos).max())
    pos = pos.astype(np.float32)
    return box, pos, typ


def steinhardt(box, pos, typ, spec):
    sel = np.ones(len(pos), bool) if spec.get("types") is None else np.isin(typ, spec["types"])
    sub = pos[sel]
    if "k" in spec:
        query = {"num_neighbors": spec["k"], "exclude_ii": True}
    else:
        query = {"r_max": spec["r_max"], "exclude_ii": True}
    st = freud.order.Steinhardt(
        spec["l"],
        average=spec.get("average", False),
        wl=spec.get("wl", False),
        wl_normalize=spec.get("wl_normalize", False),
    )
    nq = freud.locality.AABBQuery(box, sub)
    nlist = nq.query(sub, query).toNeighborList()
    st.compute((box, sub), neighbors=nlist)
    out = dict(spec)
    if not spec.get("wl", False):
        out["f64"] = reference_ql(box, sub, nlist, spec["l"], spec.get("average", False))
    out["centres"] = np.nonzero(sel)[0].tolist()
    out["ql"] = [float(f"{x:.9g}") for x in st.ql]  # float32: 9 digits are exact
    out["particle_order"] = [float(f"{x:.9g}") for x in st.particle_order]
    return out


def reference_ql(box, pts, nlist, l, average):
    """q_l (or averaged q_l) in float64 from scipy's Y_lm on freud's neighbour list."""
    p = pts.astype(np.float64)
    lengths = np.array([box.Lx, box.Ly, box.Lz])
    i, j = nlist.query_point_indices, nlist.point_indices
    d = p[j] - p[i]
    d -= lengths * np.round(d / lengths)
    r = np.linalg.norm(d, axis=1)
    theta = np.arccos(np.clip(d[:, 2] / r, -1, 1))
    phi = np.arctan2(d[:, 1], d[:, 0])
    ms = np.arange(-l, l + 1)
    y = sph_harm_y(l, ms[None, :], theta[:, None], phi[:, None])
    qlm = np.zeros((len(p), 2 * l + 1), complex)
    np.add.at(qlm, i, y)
    counts = np.bincount(i, minlength=len(p))
    qlm /= counts[:, None]
    if average:
        ave = qlm.copy()
        np.add.at(ave, i, qlm[j])
        qlm = ave / (counts[:, None] + 1)
    return [float(f"{x:.13g}") for x in np.sqrt(4 * np.pi / (2 * l + 1) * np.sum(np.abs(qlm) ** 2, axis=1))]


def safe_r_max(box, pos, r_max):
    """Moves r_max off any pair distance by at least 1e-4, so that float32 and float64 ball
    queries agree on every neighbour."""
    p = pos.astype(np.float64)
    lengths = np.array([box.Lx, box.Ly, box.Lz])
    d = p[None, :, :] - p[:, None, :]
    d -= lengths * np.round(d / lengths)
    r = np.linalg.norm(d, axis=2).ravel()
    while np.any(np.abs(r - r_max) < 1e-4):
        r_max += 1e-4
    return round(r_max, 6)


def write(name, box, pos, typ, periodic, specs):
    data = {
        "name": name,
        "box": [float(box.Lx), float(box.Ly), float(box.Lz)] if periodic else None,
        "positions": [[float(x) for x in p] for p in pos],
        "typeid": [int(t) for t in typ],
        "computations": [
            steinhardt(box, pos, typ, fix_r_max(box, pos, s)) for s in specs
        ],
    }
    path = OUT / f"steinhardt_{name}.json"
    path.write_text(json.dumps(data, separators=(",", ":")))
    print(path.name, path.stat().st_size, "bytes")


def write_density(name, box, pos, typ, periodic, rdf_r_max):
    ld = freud.density.LocalDensity(r_max=1.3, diameter=1.0)
    ld.compute((box, pos))
    data = {
        "name": name,
        "box": [float(box.Lx), float(box.Ly), float(box.Lz)] if periodic else None,
        "positions": [[float(x) for x in p] for p in pos],
        "typeid": [int(t) for t in typ],
        "local_density": {
            "r_max": 1.3,
            "diameter": 1.0,
            "density": [float(f"{x:.9g}") for x in ld.density],
            "num_neighbors": [float(f"{x:.9g}") for x in ld.num_neighbors],
        },
        "rdf": [],
    }
    if periodic:
        for a, b in [(None, None), ([0], [0]), ([0], [1]), ([1], [1])]:
            rdf = freud.density.RDF(bins=60, r_max=rdf_r_max, r_min=0.2)
            if a is None:
                rdf.compute((box, pos))
            elif a == b:
                rdf.compute((box, pos[np.isin(typ, a)]))
            else:
                rdf.compute((box, pos[np.isin(typ, b)]), query_points=pos[np.isin(typ, a)])
            data["rdf"].append(
                {
                    "a": a,
                    "b": b,
                    "bins": 60,
                    "r_max": rdf_r_max,
                    "r_min": 0.2,
                    "r": [float(f"{x:.9g}") for x in rdf.bin_centers],
                    "g": [float(f"{x:.9g}") for x in rdf.rdf],
                    "n_r": [float(f"{x:.9g}") for x in rdf.n_r],
                }
            )
    path = OUT / f"density_{name}.json"
    path.write_text(json.dumps(data, separators=(",", ":")))
    print(path.name, path.stat().st_size, "bytes")


def fix_r_max(box, pos, spec):
    if "r_max" not in spec:
        return spec
    return dict(spec, r_max=safe_r_max(box, pos, spec["r_max"]))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    lattice_specs = [
        {"l": 8, "k": 20},
        {"l": 9, "k": 24},
        {"l": 4, "k": 6, "types": [0]},
        {"l": 6, "k": 12},
        {"l": 10, "k": 12},
        {"l": 6, "k": 12, "average": True},
        {"l": 6, "k": 12, "wl": True},
        {"l": 4, "k": 12, "wl": True, "wl_normalize": True},
        {"l": 12, "k": 14, "average": True, "wl": True},
        {"l": 3, "r_max": 1.2},
    ]
    cases = [
        ("alb2", alb2(1.05, 1.0, (4, 2, 4)), 0.02, True),
        ("nazn13", nazn13(2.7, (2, 2, 2)), 0.02, True),
        ("fcc", fcc(1.485, (4, 4, 4)), 0.02, True),
        ("fluid12", fluid(200, 400, 2.4, 11), 0.0, True),
        ("fluid113", fluid(50, 650, 3.0, 12), 0.0, True),
    ]
    for seed, (name, (lengths, pos, typ), sigma, periodic) in enumerate(cases):
        box, p, t = finish(lengths, pos, typ, sigma, 100 + seed, periodic)
        write(name, box, p, t, periodic, lattice_specs)
        if name in ("alb2", "fluid12", "nazn13"):
            write_density(name, box, p, t, periodic, 1.8)
    # open space: a lattice block and a fluid blob, no wrapping
    lengths, pos, typ = alb2(1.05, 1.0, (3, 2, 3))
    box, p, t = finish(lengths, pos, typ, 0.03, 200, False)
    write("alb2_open", box, p, t, False, lattice_specs)
    write_density("alb2_open", box, p, t, False, None)
    lengths, pos, typ = fluid(150, 300, 2.4, 13)
    box, p, t = finish(lengths, pos, typ, 0.0, 201, False)
    write("fluid12_open", box, p, t, False, lattice_specs)


if __name__ == "__main__":
    main()
