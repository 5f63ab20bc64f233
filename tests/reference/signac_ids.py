"""Job ids of state points as signac computes them, for the pure-Rust test of
bnsl::export::signac::job_id (tests/export.rs). Writes tests/fixtures/export/signac_ids.json.
Run from the repository root:

    /work/venv/bin/python tests/reference/signac_ids.py
"""

import json
import os

import signac
from signac.job import calc_id

STATEPOINTS = [
    {"depth": 2.5, "density": 2.28, "seed": 1, "well": "narrow"},
    {"depth": 1.0, "density": 2.64, "seed": 2, "well": "wide"},
    {"depth": 0.30000000000000004, "density": 1e-05, "seed": 0, "well": "mie-50-37-rc1.5"},
    {"depth": 1e16, "density": 123456789.0, "seed": 18446744073709551615, "well": "narrow"},
    {"a": [1, 2.0, "x"], "b": {"z": None, "y": True}, "c": "\u00e9\u4e2d\U0001f600", "d": -0.0},
    {"quote": "a\"b\\c\n", "small": 1.5e-07, "neg": -2.5e-300},
]

out = [{"statepoint": sp, "id": calc_id(sp)} for sp in STATEPOINTS]
path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "export", "signac_ids.json")
with open(path, "w") as f:
    json.dump({"signac": signac.__version__, "jobs": out}, f, indent=1)
    f.write("\n")
