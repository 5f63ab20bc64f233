"""Synthetic SAXS patterns of every crystal of the catalogue, computed independently of our Rust
(issue #17): |F_hkl|^2 from the basis with homogeneous-sphere form factors of the L and S cores,
positions from the reciprocal lattice (numpy matrix inverse, not a closed formula), every hkl
summed separately (no symmetry families), Lorentzian peaks of half width w = pi*K/xi with
K = 1.0747, areas proportional to sum |F|^2 / q^2, on a quadratic background with Gaussian noise
sigma = 0.01*S + 0.005 (fixed seed). Writes tests/fixtures/saxs/catalogue_patterns.json.

I(q) patterns (issue #17, "I(q) with the form factor"): I = scale * P(q) * S(q) + background
with S the pattern above (quadratic diffuse part + peaks) and P(q) the form factor of
Gaussian-polydisperse spheres from sasmodels' `sphere` (radius_pd, 35 points, 3 sigma;
normalised to P(0) = 1), noise sigma = 0.01*I + 0.1*background; written to
tests/fixtures/saxs/intensity_patterns.json, and one case as CSV files for the command line
(tests/fixtures/saxs/iq_alb2.csv and its dilute-core form factor iq_alb2_cores.csv, measured
on a wider, coarser q grid with 0.5 % noise).

Run: /work/venv/bin/python tests/reference/catalogue_patterns.py   (numpy; sasmodels for I(q))
"""
import json
import os

import numpy as np

K = 1.0747
BACKGROUND = (1.0, -0.05, 0.01)
N_POINTS = 500


def hexagonal(a, c_over_a):
    return np.array([[a, 0, 0], [-a / 2, a * np.sqrt(3) / 2, 0], [0, 0, a * c_over_a]])


def cubic(a, _c_over_a):
    return np.eye(3) * a


FCC = [(0, 0, 0), (0, .5, .5), (.5, 0, .5), (.5, .5, 0)]
BCC = [(0, 0, 0), (.5, .5, .5)]


def nazn13():
    """8 L at (1/4|3/4)^3; S-centred regular icosahedra (centre-vertex = (a/2)*0.25664/0.61365)
    at (0|1/2)^3, rotated by 90 degrees where the centre's index sum is odd."""
    sites = [("L", (x, y, z)) for x in (.25, .75) for y in (.25, .75) for z in (.25, .75)]
    g = (1 + np.sqrt(5)) / 2
    r = 0.5 * 0.25664 / 0.61365
    for cx in (0, .5):
        for cy in (0, .5):
            for cz in (0, .5):
                odd = (round(2 * cx) + round(2 * cy) + round(2 * cz)) % 2 == 1
                sites.append(("S", (cx, cy, cz)))
                u, v = (1.0, g) if not odd else (g, 1.0)
                n = np.sqrt(1 + g * g)
                for s1 in (1, -1):
                    for s2 in (1, -1):
                        p = np.array([0, s1 * v, s2 * u]) * r / n
                        for vert in (p, np.roll(p, 1), np.roll(p, 2)):
                            sites.append(("S", tuple((np.array([cx, cy, cz]) + vert) % 1.0)))
    return sites


def mgzn2():
    z, x = 1 / 16, -1 / 6
    large = [(1 / 3, 2 / 3, z), (2 / 3, 1 / 3, z + .5), (2 / 3, 1 / 3, -z), (1 / 3, 2 / 3, .5 - z)]
    small = [(0, 0, 0), (0, 0, .5), (x, 2 * x, .25), (-2 * x, -x, .25), (x, -x, .25),
             (-x, -2 * x, .75), (2 * x, x, .75), (-x, x, .75)]
    return [("L", p) for p in large] + [("S", p) for p in small]


# name: (lattice, basis, a, c/a)
STRUCTURES = {
    "sc": (cubic, [("L", (0, 0, 0))], 12.0, 1.0),
    "bcc": (cubic, [("L", p) for p in BCC], 15.0, 1.0),
    "fcc": (cubic, [("L", p) for p in FCC], 18.0, 1.0),
    "hcp": (hexagonal, [("L", (1 / 3, 2 / 3, .25)), ("L", (2 / 3, 1 / 3, .75))], 12.0, 1.633),
    "nacl": (cubic, [("L", p) for p in FCC] + [("S", ((p[0] + .5) % 1, p[1], p[2])) for p in FCC], 16.0, 1.0),
    "cscl": (cubic, [("L", (0, 0, 0)), ("S", (.5, .5, .5))], 11.0, 1.0),
    "alb2": (hexagonal, [("L", (0, 0, 0)), ("S", (1 / 3, 2 / 3, .5)), ("S", (2 / 3, 1 / 3, .5))], 14.3, 1.0),
    "aucu3": (cubic, [("L", (0, 0, 0))] + [("S", p) for p in FCC[1:]], 13.0, 1.0),
    "cr3si": (cubic, [("L", p) for p in BCC] + [("S", p) for p in [(.25, 0, .5), (.75, 0, .5), (.5, .25, 0), (.5, .75, 0), (0, .5, .25), (0, .5, .75)]], 20.0, 1.0),
    "cacu5": (hexagonal, [("L", (0, 0, 0))] + [("S", p) for p in [(1 / 3, 2 / 3, 0), (2 / 3, 1 / 3, 0), (.5, 0, .5), (0, .5, .5), (.5, .5, .5)]], 14.0, 0.82),
    "mgzn2": (hexagonal, mgzn2(), 16.0, 1.62),
    "nazn13": (cubic, nazn13(), 30.0, 1.0),
}


def sphere_amplitude(q, d):
    r = d / 2
    x = q * r
    return 4 / 3 * np.pi * r ** 3 * 3 * (np.sin(x) - x * np.cos(x)) / x ** 3


def nearest(vectors, basis, x, y):
    best = np.inf
    for sx, p in basis:
        for sy, q in basis:
            if sx != x or sy != y:
                continue
            d = np.array(q) - np.array(p)
            d -= np.round(d)
            for i in (-1, 0, 1):
                for j in (-1, 0, 1):
                    for k in (-1, 0, 1):
                        r = (d + [i, j, k]) @ vectors
                        n = np.linalg.norm(r)
                        if n > 1e-9:
                            best = min(best, n)
    return best


def reflections(lattice, basis, a, c_over_a, cores, q_max):
    """(q, sum over hkl at that q of |F|^2) for present reflections up to q_max."""
    vectors = lattice(a, c_over_a)
    recip = 2 * np.pi * np.linalg.inv(vectors).T
    n = int(np.ceil(q_max * max(a, a * c_over_a) / (2 * np.pi))) + 1
    frac = np.array([p for _, p in basis])
    is_large = np.array([s == "L" for s, _ in basis])
    peaks = {}
    biggest = 0.0
    for h in range(-n, n + 1):
        for k in range(-n, n + 1):
            for l in range(-n, n + 1):
                if h == k == l == 0:
                    continue
                q = np.linalg.norm(np.array([h, k, l]) @ recip)
                if q > q_max:
                    continue
                f = np.where(is_large, sphere_amplitude(q, cores[0]), sphere_amplitude(q, cores[1]))
                F = np.sum(f * np.exp(2j * np.pi * (frac @ np.array([h, k, l]))))
                biggest = max(biggest, np.sum(np.abs(f)) ** 2)
                key = round(q, 9)
                peaks[key] = peaks.get(key, 0.0) + abs(F) ** 2
    out = [(q, f2) for q, f2 in sorted(peaks.items()) if f2 > 1e-8 * biggest]
    return out


def sphere_form_factor(q, diameter, spread):
    """P(q) of sasmodels' sphere with a Gaussian spread of the radius, P(0) = 1."""
    from sasmodels.core import load_model
    from sasmodels.direct_model import call_kernel

    model = load_model("sphere", dtype="double")
    pars = dict(scale=1.0, background=0.0, sld=2.0, sld_solvent=1.0, radius=diameter / 2,
                radius_pd=spread / diameter, radius_pd_n=35, radius_pd_nsigma=3,
                radius_pd_type="gaussian")
    qq = np.concatenate([[1e-6], q])
    iq = call_kernel(model.make_kernel([qq]), pars)
    return iq[1:] / iq[0]


def clean_pattern(name, xi_over_a, a=None, c_over_a=None, q_range=None, height=2.0):
    """(q, noise-free S, parameters) of one crystal."""
    lattice, basis, a0, rho0 = STRUCTURES[name]
    a = a or a0
    c_over_a = c_over_a or rho0
    vectors = lattice(a, c_over_a)
    b_ll = nearest(vectors, basis, "L", "L")
    if name == "alb2":
        b_ll = a  # SCIENCE.md section 5: b_LL = a in-plane
    cores = (0.7 * b_ll, 0.45 * 0.7 * b_ll)
    xi = xi_over_a * a
    w = np.pi * K / xi
    if q_range is None:
        first = reflections(lattice, basis, a, c_over_a, cores, 40 * np.pi / a)
        qs = [q for q, _ in first]
        q_lo = 0.75 * qs[0]
        q_hi = 1.05 * qs[min(9, len(qs) - 1)]
    else:
        q_lo, q_hi = q_range
    refl = reflections(lattice, basis, a, c_over_a, cores, q_hi + 20 * w)
    inten = np.array([f2 / q ** 2 for q, f2 in refl])
    amp = height * inten / inten.max()
    q = np.linspace(q_lo, q_hi, N_POINTS)
    clean = BACKGROUND[0] + BACKGROUND[1] * q + BACKGROUND[2] * q * q
    for (q0, _), A in zip(refl, amp):
        clean = clean + A * w * w / ((q - q0) ** 2 + w * w)
    return q, clean, dict(structure=name, a=a, c_over_a=c_over_a, xi=xi, cores=list(cores),
                          q_lo=q_lo, q_hi=q_hi)


def pattern(name, xi_over_a, seed, a=None, c_over_a=None, q_range=None, height=2.0):
    _, clean, out = clean_pattern(name, xi_over_a, a, c_over_a, q_range, height)
    rng = np.random.default_rng(seed)
    sigma = 0.01 * np.abs(clean) + 0.005
    s = clean + rng.normal(0.0, sigma)
    return dict(out, s=[float(f"{v:.6g}") for v in s], err=[float(f"{v:.4g}") for v in sigma])


SCALE = 250.0


def intensity_pattern(name, xi_over_a, seed, relative_spread=0.08):
    """I = scale * P * S + background for the L cores' diameter with a Gaussian spread."""
    q, clean, out = clean_pattern(name, xi_over_a)
    diameter = out["cores"][0]
    spread = relative_spread * diameter
    p = sphere_form_factor(q, diameter, spread)
    background = 0.5 * SCALE * p[-1]
    i = SCALE * p * clean + background
    rng = np.random.default_rng(seed)
    sigma = 0.01 * i + 0.1 * background
    noisy = i + rng.normal(0.0, sigma)
    return q, p, dict(out, diameter=diameter, spread=spread, scale=SCALE, background=background,
                      i=[float(f"{v:.6g}") for v in noisy], err=[float(f"{v:.4g}") for v in sigma])


def write_intensity_fixtures(folder):
    cases = []
    for k, (name, xi_over_a) in enumerate([("alb2", 25.0), ("nazn13", 25.0), ("bcc", 10.0),
                                           ("mgzn2", 25.0), ("cr3si", 10.0)]):
        cases.append(intensity_pattern(name, xi_over_a, 500 + k)[2])
    with open(os.path.join(folder, "intensity_patterns.json"), "w") as f:
        json.dump(dict(source="tests/reference/catalogue_patterns.py (numpy " + np.__version__
                       + ", sasmodels sphere)", points=N_POINTS, cases=cases), f)
    # One case as files for the command line: the pattern and its dilute cores' P(q).
    q, _, case = intensity_pattern("alb2", 25.0, 600)
    with open(os.path.join(folder, "iq_alb2.csv"), "w") as f:
        f.write(f"# synthetic I(q) of AlB2, a = {case['a']} nm, c/a = {case['c_over_a']}, "
                f"scale {SCALE}, background {case['background']:.6g}, cores D = "
                f"{case['diameter']:.6g} nm +- {case['spread']:.6g} (catalogue_patterns.py)\n")
        f.write("q (nm^-1),I,error\n")
        for row in zip(q, case["i"], case["err"]):
            f.write(f"{row[0]:.6f},{row[1]},{row[2]}\n")
    qf = np.linspace(0.5 * q[0], 1.2 * q[-1], 400)
    pf = sphere_form_factor(qf, case["diameter"], case["spread"])
    rng = np.random.default_rng(601)
    pf = 37.0 * pf * (1 + rng.normal(0.0, 0.005, pf.size))
    with open(os.path.join(folder, "iq_alb2_cores.csv"), "w") as f:
        f.write("# dilute cores of iq_alb2.csv: P(q) in arbitrary units (catalogue_patterns.py)\n")
        f.write("q (nm^-1),I\n")
        for row in zip(qf, pf):
            f.write(f"{row[0]:.6f},{row[1]:.6g}\n")


def main():
    cases = []
    seed = 1
    for name in STRUCTURES:
        for xi_over_a in (25.0, 10.0):
            cases.append(pattern(name, xi_over_a, seed))
            seed += 1
    broad = []
    for rho, xi_over_a in [(0.90, 5.0), (1.05, 5.0), (1.15, 4.0), (1.00, 6.0), (0.95, 4.0)]:
        a = 14.3
        q1 = 2 * np.pi / (a * max(rho, 1.0))
        broad.append(pattern("alb2", xi_over_a, 100 + seed, a=a, c_over_a=rho, q_range=(0.6 * q1, 4.0 * q1)))
        seed += 1
    out = os.path.join(os.path.dirname(__file__), "..", "fixtures", "saxs", "catalogue_patterns.json")
    with open(out, "w") as f:
        json.dump(dict(source="tests/reference/catalogue_patterns.py (numpy " + np.__version__ + ")",
                       points=N_POINTS, background=BACKGROUND, cases=cases, broad=broad), f)
    print("wrote", out, len(cases), "cases,", len(broad), "broad")
    write_intensity_fixtures(os.path.dirname(out))
    print("wrote the I(q) fixtures")


if __name__ == "__main__":
    main()
