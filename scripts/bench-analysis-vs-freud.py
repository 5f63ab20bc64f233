"""Speed of the analysis workload of issue #4: ours (`bnsl bench analysis`) against freud on
the same frame, in the same run.

Workload: one perturbed AlB2 frame of 27,000 particles (9,000 L + 18,000 S); q8 over the 20
nearest neighbours (self excluded) of every L, plus the AlB2 classification (q8 > 0.42 and
more than 35 % S among the 20 nearest) and the crystalline fraction.

freud is timed two ways, each with one thread and with all threads:
- "like-for-like": the 20 nearest of the L only (an AABB query from the L positions, self
  bond dropped), Steinhardt(8) on that neighbour list, the S fraction and threshold in numpy;
- "plain": freud.order.Steinhardt(8).compute((box, points), {"num_neighbors": 20}) on every
  particle, the way most scripts call it (no classification).
Times are the best of 7, as wall time and as CPU time (thread CPU for one thread, process
CPU for all threads), because the build machine is shared.

Run: /work/refvenv/bin/python scripts/bench-analysis-vs-freud.py [path/to/bnsl]
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import freud
import gsd.hoomd
import numpy as np

REPEATS = 7


def best(fn, cpu_clock):
    wall, cpu, out = [], [], None
    for _ in range(REPEATS):
        c0, t0 = cpu_clock(), time.perf_counter()
        out = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(cpu_clock() - c0)
    return min(wall), min(cpu), out


def main():
    bnsl = sys.argv[1] if len(sys.argv) > 1 else "target/release/bnsl"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "frame.gsd")
        # `--gsd` writes the benchmark frame as GSD.
        ours = json.loads(
            subprocess.run(
                [bnsl, "bench", "analysis", "--threads", "1", "--gsd", path],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        with gsd.hoomd.open(path) as traj:
            frame = traj[0]
    box = freud.box.Box.from_box(frame.configuration.box)
    pos = np.asarray(frame.particles.position, dtype=np.float32)
    typ = np.asarray(frame.particles.typeid)
    # freud's Steinhardt takes a neighbour list indexed into the points: put L first so that
    # query point i (i-th L) is point i.
    order = np.argsort(typ, kind="stable")
    pos, typ = pos[order], typ[order]
    n_large = int(np.sum(typ == 0))

    def like_for_like():
        aabb = freud.locality.AABBQuery(box, pos)
        nl = aabb.query(pos[:n_large], {"num_neighbors": 21}).toNeighborList()
        nl = nl.filter(nl.query_point_indices != nl.point_indices)
        st = freud.order.Steinhardt(8)
        st.compute((box, pos), neighbors=nl)
        q8 = st.ql[:n_large]
        small = np.bincount(
            nl.query_point_indices, weights=(typ[nl.point_indices] == 1), minlength=n_large
        )
        count = np.bincount(nl.query_point_indices, minlength=n_large)
        crystalline = (q8 > 0.42) & (small / count > 0.35)
        return float(np.mean(crystalline))

    def plain():
        st = freud.order.Steinhardt(8)
        st.compute((box, pos), neighbors={"num_neighbors": 20})
        return st.ql

    results = {"ours": ours, "freud": {}}
    for threads in (1, 0):
        freud.parallel.set_num_threads(threads)
        clock = time.thread_time if threads == 1 else time.process_time
        label = "1_thread" if threads == 1 else f"all_{os.cpu_count()}_threads"
        w, c, frac = best(like_for_like, clock)
        results["freud"][f"like_for_like_{label}"] = {"wall": w, "cpu": c, "fraction": frac}
        w, c, _ = best(plain, clock)
        results["freud"][f"plain_all_particles_{label}"] = {"wall": w, "cpu": c}
    one = results["freud"]["like_for_like_1_thread"]
    results["ratio_freud_1_thread_over_ours"] = {
        "wall": one["wall"] / ours["classification_wall_seconds"],
        "cpu": one["cpu"] / ours["classification_cpu_seconds"],
    }
    results["same_fraction"] = abs(one["fraction"] - ours["crystalline_fraction"]) < 1e-3
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
