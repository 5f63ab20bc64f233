// Reductions for the observables: sum of m v^2, potential energy and virial trace.
// reduce_partial: one partial sum per workgroup of 256 particles, a fixed-order tree;
// reduce_final: one workgroup adds the partials and writes log record P.log_slot as
// (kinetic energy, potential energy, virial W = sum over pairs of r.F, 0).

var<workgroup> shared_sum: array<vec4<f32>, 256>;

fn tree_reduce(lid: u32) {
    for (var stride = 128u; stride > 0u; stride = stride >> 1u) {
        workgroupBarrier();
        if (lid < stride) {
            shared_sum[lid] = shared_sum[lid] + shared_sum[lid + stride];
        }
    }
    workgroupBarrier();
}

@compute @workgroup_size(256)
fn reduce_partial(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
    @builtin(workgroup_id) wid: vec3<u32>,
) {
    let i = gid.x;
    var x = vec4<f32>(0.0);
    if (i < P.n) {
        let v = vel[i].xyz;
        let o = frc[i];
        let m = 1.0 / type_inv_mass(pos[i].w);
        x = vec4<f32>(m * dot(v, v), o.f_e.w, o.vir.x + o.vir.y + o.vir.z, 0.0);
    }
    shared_sum[lid.x] = x;
    tree_reduce(lid.x);
    if (lid.x == 0u) {
        red[wid.x] = shared_sum[0];
    }
}

@compute @workgroup_size(256)
fn reduce_final(@builtin(local_invocation_id) lid: vec3<u32>) {
    var x = vec4<f32>(0.0);
    for (var k = lid.x; k < P.partials; k = k + 256u) {
        x = x + red[k];
    }
    shared_sum[lid.x] = x;
    tree_reduce(lid.x);
    if (lid.x == 0u) {
        let s = shared_sum[0];
        red[P.partials + P.log_slot] = vec4<f32>(0.5 * s.x, s.y, s.z, 0.0);
    }
}
