"""GSD fixtures for BNSL Studio's GSD reader and writer, made and checked with the real packages.

Run from the repository root with the reference venv:

    /work/refvenv/bin/python tests/reference/gsd_fixtures.py

Part A writes HOOMD-schema files with gsd.hoomd (gsd 5.x; the same code path HOOMD-blue 4-5
users write trajectories with), including frames that omit chunks so that HOOMD's frame-0 and
default rules are exercised, and records in JSON what gsd.hoomd reads back from each frame.
tests/io_gsd_reference.rs reads the files with our reader and compares.

Part B reads tests/fixtures/gsd/bnsl_written.gsd, which OUR writer produced (see
tests/io_gsd_golden.rs), with gsd.hoomd and with OVITO (ovito.io.import_file) and records what
each read in bnsl_written.json; tests/io_gsd_golden.rs checks that against the trajectory it
wrote.
"""

import json
import os
import sys

import gsd
import gsd.fl
import gsd.hoomd
import gsd.version
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'gsd')


def path(name):
    return os.path.join(OUT, name)


def fresh(name):
    p = path(name)
    if os.path.exists(p):
        os.remove(p)
    return p


# ---------------------------------------------------------------- part A: files as HOOMD writes
def hoomd_trajectory():
    """Four frames; later frames omit chunks on purpose."""
    rng = np.random.default_rng(20261124)
    box0 = [10.0, 11.0, 12.0, 0, 0, 0]
    frames = []

    f = gsd.hoomd.Frame()
    f.configuration.step = 0
    f.configuration.box = box0
    f.particles.N = 40
    f.particles.types = ['L', 'S']
    f.particles.typeid = (np.arange(40) % 3 != 0).astype(np.uint32)
    f.particles.diameter = np.where(f.particles.typeid == 0, 1.0, 0.62).astype(np.float32)
    f.particles.position = ((rng.random((40, 3)) - 0.5) * np.array(box0[:3])).astype(np.float32)
    f.particles.velocity = rng.normal(size=(40, 3)).astype(np.float32)
    f.particles.image = rng.integers(-2, 3, size=(40, 3)).astype(np.int32)
    f.log['md/compute/ThermodynamicQuantities/kinetic_temperature'] = np.array([1.25])
    frames.append(f)

    # frame 1: only step and positions; everything else from frame 0
    f = gsd.hoomd.Frame()
    f.configuration.step = 100
    f.particles.N = 40
    f.particles.position = ((rng.random((40, 3)) - 0.5) * np.array(box0[:3])).astype(np.float32)
    f.log['md/compute/ThermodynamicQuantities/kinetic_temperature'] = np.array([1.5])
    frames.append(f)

    # frame 2: different N: per-particle chunks not stored take the schema defaults
    f = gsd.hoomd.Frame()
    f.configuration.step = 200
    f.particles.N = 30
    f.particles.position = ((rng.random((30, 3)) - 0.5) * 9.0).astype(np.float32)
    f.particles.velocity = rng.normal(size=(30, 3)).astype(np.float32)
    frames.append(f)

    # frame 3: back to N = 40, new box and type ids; velocity and image come from frame 0
    f = gsd.hoomd.Frame()
    f.configuration.step = 300
    f.configuration.box = [9.5, 10.5, 11.5, 0, 0, 0]
    f.particles.N = 40
    f.particles.typeid = np.ones(40, dtype=np.uint32)
    f.particles.position = ((rng.random((40, 3)) - 0.5) * 9.0).astype(np.float32)
    frames.append(f)
    return frames


def double_trajectory():
    rng = np.random.default_rng(7)
    frames = []
    for k in range(2):
        f = gsd.hoomd.Frame()
        f.configuration.step = 5000 * k
        f.configuration.box = [6.0, 6.0, 6.0, 0, 0, 0]
        f.particles.N = 10
        f.particles.types = ['A', 'B', 'C']
        f.particles.typeid = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], dtype=np.uint32)
        f.particles.diameter = np.linspace(0.5, 1.4, 10)
        f.particles.position = (rng.random((10, 3)) - 0.5) * 6.0
        frames.append(f)
    return frames


def record(name, precision='single'):
    """What gsd.hoomd reads from each frame, in the terms of our Frame type."""
    out = []
    with gsd.hoomd.open(path(name), 'r') as t:
        fl = t.file
        n0 = int(t[0].particles.N)
        for k, f in enumerate(t):
            n = int(f.particles.N)

            def stored(chunk, n=n, k=k):
                # our reader's rule for optional per-particle data: stored in frame k, or in
                # frame 0 with the same N (HOOMD's rule); otherwise None instead of zeros
                return fl.chunk_exists(frame=k, name=chunk) or (
                    fl.chunk_exists(frame=0, name=chunk) and n == n0
                )

            p = f.particles
            out.append(
                {
                    'step': int(f.configuration.step),
                    'box': [float(x) for x in f.configuration.box],
                    'N': n,
                    'types': list(p.types),
                    'typeid': [int(x) for x in p.typeid],
                    'position': np.asarray(p.position, dtype=np.float64).tolist(),
                    'diameter': np.asarray(p.diameter, dtype=np.float64).tolist(),
                    'velocity': np.asarray(p.velocity, dtype=np.float64).tolist()
                    if stored('particles/velocity')
                    else None,
                    'image': np.asarray(p.image).tolist() if stored('particles/image') else None,
                    'stored_chunks': sorted(
                        c for c in fl.find_matching_chunk_names('') if fl.chunk_exists(frame=k, name=c)
                    ),
                }
            )
    return {'gsd_version': gsd.version.version, 'precision': precision, 'frames': out}


def write_hoomd_fixtures():
    with gsd.hoomd.open(fresh('hoomd_written.gsd'), 'w') as t:
        t.extend(hoomd_trajectory())
    with gsd.hoomd.open(fresh('hoomd_double.gsd'), 'w', precision='double') as t:
        t.extend(double_trajectory())

    # files our reader must refuse, with the error it must give
    bad = {}
    f = gsd.hoomd.Frame()
    f.configuration.box = [10, 10, 10, 0.5, 0, 0]
    f.particles.N = 2
    f.particles.position = [[0, 0, 0], [1, 1, 1]]
    with gsd.hoomd.open(fresh('triclinic.gsd'), 'w') as t:
        t.append(f)
    bad['triclinic.gsd'] = 'NonOrthorhombic'

    f = gsd.hoomd.Frame()
    f.configuration.box = [10, 10, 0, 0, 0, 0]
    f.particles.N = 2
    f.particles.position = [[0, 0, 0], [1, 1, 0]]
    with gsd.hoomd.open(fresh('two_d.gsd'), 'w') as t:
        t.append(f)
    bad['two_d.gsd'] = 'NotThreeDimensional'

    f = gsd.hoomd.Frame()
    f.configuration.box = [10, 10, 10, 0, 0, 0]
    f.particles.N = 2
    f.particles.types = ['A', 'B']
    f.particles.typeid = [0, 5]
    f.particles.position = [[0, 0, 0], [1, 1, 1]]
    with gsd.hoomd.open(fresh('typeid_out_of_range.gsd'), 'w') as t:
        t.append(f)
    bad['typeid_out_of_range.gsd'] = 'InvalidValue'

    with gsd.fl.open(
        fresh('not_hoomd.gsd'), 'w', application='test', schema='other', schema_version=[1, 0]
    ) as g:
        g.write_chunk('data', np.arange(4, dtype=np.float32))
        g.end_frame()
    bad['not_hoomd.gsd'] = 'NotHoomd'

    with open(path('hoomd_written.json'), 'w') as fh:
        json.dump(record('hoomd_written.gsd'), fh)
    with open(path('hoomd_double.json'), 'w') as fh:
        json.dump(record('hoomd_double.gsd', 'double'), fh)
    with open(path('refused.json'), 'w') as fh:
        json.dump(bad, fh, indent=1, sort_keys=True)


# ---------------------------------------------------- part B: read OUR file with gsd and OVITO
def read_ours_with_gsd(name):
    frames = []
    with gsd.hoomd.open(path(name), 'r') as t:
        for f in t:
            p = f.particles
            frames.append(
                {
                    'step': int(f.configuration.step),
                    'box': [float(x) for x in f.configuration.box[:3]],
                    'N': int(p.N),
                    'types': list(p.types),
                    'typeid': [int(x) for x in p.typeid],
                    'position': np.asarray(p.position, dtype=np.float64).tolist(),
                    'diameter': np.asarray(p.diameter, dtype=np.float64).tolist(),
                    'velocity': np.asarray(p.velocity, dtype=np.float64).tolist(),
                    'image': np.asarray(p.image).tolist(),
                    'droplet_radius': (lambda r: r if r > 0 else None)(
                        float(f.log['bnsl/droplet_radius'][0])
                    ),
                }
            )
    return {'version': gsd.version.version, 'frames': frames}


def read_ours_with_ovito(name):
    try:
        import ovito
        from ovito.io import import_file
    except ImportError as e:
        print('OVITO not available:', e, file=sys.stderr)
        return None
    pipeline = import_file(path(name))
    frames = []
    for k in range(pipeline.source.num_frames):
        d = pipeline.compute(k)
        p = d.particles
        type_names = {t.id: t.name for t in p.particle_types.types}
        cell = np.asarray(d.cell[...])
        r = float(d.attributes.get('bnsl/droplet_radius', 0.0))
        frames.append(
            {
                'step': int(d.attributes['Timestep']),
                'box': [float(cell[0, 0]), float(cell[1, 1]), float(cell[2, 2])],
                'cell_origin': [float(x) for x in cell[:, 3]],
                'N': int(p.count),
                'types': [type_names[i] for i in sorted(type_names)],
                'typeid': [int(x) for x in p.particle_types[...]],
                'position': np.asarray(p.positions[...], dtype=np.float64).tolist(),
                # OVITO stores radii; the file stores diameters
                'diameter': (2.0 * np.asarray(p['Radius'][...], dtype=np.float64)).tolist(),
                'velocity': np.asarray(p['Velocity'][...], dtype=np.float64).tolist(),
                'image': np.asarray(p['Periodic Image'][...]).tolist(),
                'droplet_radius': r if r > 0 else None,
            }
        )
    return {'version': ovito.version_string, 'frames': frames}


def check_growth():
    """Our files that grew the index and the name list, read by gsd."""
    import math

    long = []
    with gsd.hoomd.open(path('bnsl_long.gsd'), 'r') as t:
        for f in t:
            r = float(f.log['bnsl/droplet_radius'][0])
            long.append(
                {
                    'step': int(f.configuration.step),
                    'position': np.asarray(f.particles.position, dtype=np.float64).ravel().tolist(),
                    'droplet_radius': None if math.isinf(r) else r,
                    'unbounded': math.isinf(r),
                }
            )
    names = {}
    with gsd.fl.open(path('bnsl_names.gsd'), 'r') as g:
        for name in g.find_matching_chunk_names('custom/'):
            names[name] = g.read_chunk(frame=2, name=name).ravel().tolist()
    with open(path('bnsl_growth.json'), 'w') as fh:
        json.dump({'gsd_version': gsd.version.version, 'long': long, 'names': names}, fh)


def check_ours():
    name = 'bnsl_written.gsd'
    record = {'gsd': read_ours_with_gsd(name)}
    ovito_record = read_ours_with_ovito(name)
    if ovito_record is not None:
        record['ovito'] = ovito_record
    with open(path('bnsl_written.json'), 'w') as fh:
        json.dump(record, fh)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write_hoomd_fixtures()
    check_ours()
    check_growth()
    print('wrote', sorted(os.listdir(OUT)))
