// Cell list built on the GPU: fixed-capacity bins filled with one atomic increment per
// particle. The grid has at least max r_cut per cell edge (at least two cells per axis), so
// every partner within r_cut of a particle sits in its own or one of the 26 adjacent cells.
// A bin that would overflow raises FLAG_CELL_OVERFLOW with the occupancy it needed.

@compute @workgroup_size(64)
fn bin_particles(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if (i >= P.n) {
        return;
    }
    let c = cell_index(cell_coord(pos[i].xyz));
    let k = atomicAdd(&counters[NFLAGS + c], 1u);
    if (k < P.cap) {
        slots[c * P.cap + k] = i;
    } else {
        raise_flag(FLAG_CELL_OVERFLOW, k + 1u);
    }
}
