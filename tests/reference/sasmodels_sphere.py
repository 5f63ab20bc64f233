"""Reference I(q) of sasmodels' `sphere` with Gaussian polydispersity of the radius, written to
tests/fixtures/saxs/sasmodels_sphere.json for src/saxs/sphere.rs (run with /work/refvenv/bin/python)."""
import json
import os

import numpy as np
from sasmodels.core import load_model
from sasmodels.direct_model import call_kernel

model = load_model("sphere", dtype="double")
q = np.logspace(-3, np.log10(0.5), 200)  # 1/Angstrom
cases = []
for radius, pd, npts, nsigmas in [(52.0, 0.06, 35, 3), (22.5, 0.09, 35, 3), (66.0, 0.0, 35, 3), (30.0, 0.3, 21, 2.5), (20.0, 0.5, 35, 3)]:
    pars = dict(scale=1.0, background=0.001, sld=4.0, sld_solvent=1.0, radius=radius,
                radius_pd=pd, radius_pd_n=npts, radius_pd_nsigma=nsigmas, radius_pd_type="gaussian")
    kernel = model.make_kernel([q])
    iq = call_kernel(kernel, pars)
    cases.append(dict(params=pars, iq=[float(v) for v in iq]))
out = os.path.join(os.path.dirname(__file__), "..", "fixtures", "saxs", "sasmodels_sphere.json")
with open(out, "w") as f:
    json.dump(dict(source="sasmodels 1.1.0 sphere, call_kernel", q=[float(v) for v in q], cases=cases), f)
print("wrote", out)
