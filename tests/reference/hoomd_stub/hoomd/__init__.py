"""A stand-in for HOOMD-blue 4 that runs the scripts `bnsl export --hoomd` writes without
simulating anything (HOOMD-blue is not on PyPI). It records every HOOMD name called, with its
keyword arguments, and the steps given to `Simulation.run`, and writes them as JSON to the file
named by $HOOMD_STUB_RECORD when the script ends; tests/export.rs checks them against the names
documented for HOOMD-blue 4.8.2 (tests/fixtures/export/hoomd_api.txt). Running a script here
proves that its Python runs end to end (no NameError, no wrong unpacking), not that HOOMD-blue
accepts it: that is what the allow-list is for.
"""

import atexit
import json
import os

_RECORD = {"calls": [], "run_steps": []}


def _save():
    path = os.environ.get("HOOMD_STUB_RECORD")
    if path:
        with open(path, "w") as f:
            json.dump(_RECORD, f)


atexit.register(_save)


class _Object:
    """Whatever a HOOMD constructor returns: keeps attributes and typed parameters."""

    def __init__(self, name):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_items", {})

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        if attr in ("params", "r_cut"):
            value = {}
        elif attr in ("computes", "writers", "updaters", "walls"):
            value = []
        else:
            value = _Method(self._name, attr)
        object.__setattr__(self, attr, value)
        return value


class _Method:
    """A method of a HOOMD object: calling it records the class, the method and the call."""

    def __init__(self, owner, name):
        self._owner, self._name = owner, name

    def __call__(self, *args, **kwargs):
        _RECORD["calls"].append(
            {"name": self._owner, "method": self._name, "keywords": sorted(kwargs)})


class _Function:
    """A HOOMD class or function: calling it records the call."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Function(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        _RECORD["calls"].append({"name": self._name, "keywords": sorted(kwargs)})
        return _Object(self._name)


class Simulation(_Object):
    """Records `run`; its time step advances by the steps run."""

    def __init__(self, **kwargs):
        super().__init__("hoomd.Simulation")
        _RECORD["calls"].append({"name": "hoomd.Simulation", "keywords": sorted(kwargs)})
        object.__setattr__(self, "timestep", 0)
        object.__setattr__(self, "operations", _Object("hoomd.Operations"))

    def create_state_from_gsd(self, filename):
        if not os.path.isfile(filename):
            raise FileNotFoundError(filename)

    def run(self, steps):
        _RECORD["run_steps"].append(int(steps))
        object.__setattr__(self, "timestep", self.timestep + int(steps))


class _Custom:
    class Action:
        def __init__(self):
            pass


custom = _Custom()
Box = _Function("hoomd.Box")
device = _Function("hoomd.device")
filter = _Function("hoomd.filter")
trigger = _Function("hoomd.trigger")
md = _Function("hoomd.md")
wall = _Function("hoomd.wall")
logging = _Function("hoomd.logging")
write = _Function("hoomd.write")
update = _Function("hoomd.update")
variant = _Function("hoomd.variant")
