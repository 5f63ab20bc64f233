"""Copies five real 1D files of the sasdata package (BSD-3, SasView developers) into
tests/fixtures/sasdata with the package's licence, and prints the first and last (q, I) of
each as read here with h5py, xml.etree and plain text parsing (not our Rust), with the unit of
q each file states. tests/saxs_formats.rs pins these values.

    /work/venv/bin/pip install sasdata h5py
    /work/venv/bin/python tests/reference/sasdata_formats.py
"""

import pathlib
import shutil
import xml.etree.ElementTree as ET

import h5py
import sasdata

SRC = pathlib.Path(sasdata.__file__).parent / "example_data" / "1d_data"
DST = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "sasdata"
FILES = [
    "Anton-Paar.pdh",
    "33837rear_1D_1.75_16.5_CanSAS1D.xml",
    "33837rear_1D_1.75_16.5_NXcanSAS.h5",
    "FK403_0006_Nika.hdf",
    "Lew_Sa3_DSM_QinA.h5",
]


def pdh(path):
    lines = path.read_text().splitlines()
    n = int(lines[2].split()[0])
    rows = [list(map(float, l.split())) for l in lines[5 : 5 + n]]
    unit = "nm-1" if "n_m^-1" in path.read_text() else "?"
    return [r[0] for r in rows], [r[1] for r in rows], unit


def cansas_xml(path):
    ns = {"c": "urn:cansas1d:1.1"}
    data = ET.parse(path).getroot().find("c:SASentry/c:SASdata", ns)
    q = [float(p.find("c:Q", ns).text) for p in data.findall("c:Idata", ns)]
    i = [float(p.find("c:I", ns).text) for p in data.findall("c:Idata", ns)]
    unit = data.find("c:Idata/c:Q", ns).get("unit")
    return q, i, unit


def nxcansas(path):
    with h5py.File(path) as f:
        found = []

        def visit(name, obj):
            a = obj.attrs
            if isinstance(obj, h5py.Group) and "SASdata" in (
                str(a.get("canSAS_class", "")),
                str(a.get("NX_class", "")),
            ):
                found.append(name)

        f.visititems(visit)
        g = f[sorted(found)[0]]
        q = g["Q"][()].astype(float)
        i = g["I"][()].astype(float)
        unit = g["Q"].attrs.get("units", g["Q"].attrs.get("unit"))
        return [float(x) for x in q], [float(x) for x in i], str(unit)


def main():
    DST.mkdir(parents=True, exist_ok=True)
    shutil.copy(next(pathlib.Path(sasdata.__file__).parent.parent.glob("sasdata-*.dist-info/licenses/LICENSE.TXT")), DST / "LICENSE.TXT")
    for name in FILES:
        shutil.copy(SRC / name, DST / name)
        path = DST / name
        reader = pdh if name.endswith(".pdh") else cansas_xml if name.endswith(".xml") else nxcansas
        q, i, unit = reader(path)
        print(f"{name}: n={len(q)} unit={unit} first=({q[0]!r}, {i[0]!r}) last=({q[-1]!r}, {i[-1]!r})")


if __name__ == "__main__":
    main()
