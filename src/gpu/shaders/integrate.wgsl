// First half of a time step (BAOAB splitting; velocity Verlet when P.langevin == 0):
// B: v += dt/2 F/m;  A: x += dt/2 v;  O: v = c1 v + c2/sqrt(m) xi (Langevin only);  A: x += dt/2 v.
// The closing B (v += dt/2 F/m with the new forces) runs at the end of the force kernel.
// The same dispatch clears the cell counts for the binning that follows.

struct Drifted {
    s: vec3<u32>,
    im: vec3<i32>,
}

// Moves a fixed-point position by dx (physical units) and counts periodic wraps.
fn drift(s: vec3<u32>, im: vec3<i32>, dx: vec3<f32>) -> Drifted {
    let ds = vec3<i32>(round(dx * P.inv_scale));
    let ns = s + bitcast<vec3<u32>>(ds);
    let o = bitcast<vec3<i32>>(s);
    let q = bitcast<vec3<i32>>(ns);
    let up = (ds > vec3<i32>(0)) & (q < o);
    let down = (ds < vec3<i32>(0)) & (q > o);
    let nim = im + select(vec3<i32>(0), vec3<i32>(1), up) - select(vec3<i32>(0), vec3<i32>(1), down);
    return Drifted(ns, nim);
}

@compute @workgroup_size(64)
fn step_first(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if (i < P.ncells) {
        atomicStore(&counters[NFLAGS + i], 0u);
    }
    if (i >= P.n) {
        return;
    }
    let p = pos[i];
    let inv_m = type_inv_mass(p.w);
    let h = 0.5 * P.dt;
    var v = vel[i].xyz + (h * inv_m) * frc[i].f_e.xyz;
    var d = drift(p.xyz, img[i].xyz, h * v);
    if (P.langevin == 1u) {
        let bits = philox4x32_10(vec4<u32>(i, P.step_lo, P.step_hi, LANGEVIN_TAG), vec2<u32>(P.seed_lo, P.seed_hi));
        v = P.c1 * v + (P.c2 * sqrt(inv_m)) * langevin_noise3(bits);
    }
    d = drift(d.s, d.im, h * v);
    if (P.open_space == 1u) {
        let x = to_phys(d.s);
        if (any(abs(x) > vec3<f32>(P.open_limit))) {
            raise_flag(FLAG_ESCAPE, i + 1u);
        }
    }
    if (!is_finite3(v)) {
        raise_flag(FLAG_NON_FINITE, i + 1u);
    }
    pos[i] = vec4<u32>(d.s, p.w);
    vel[i] = vec4<f32>(v, 0.0);
    img[i] = vec4<i32>(d.im, 0);
}
