// Mie pair forces, energy and virial by cell traversal (SCIENCE.md §1), the WCA droplet wall,
// and the closing half kick of the time step.
//
// U_ij(r) = cn (sigma/r)^n - cm (sigma/r)^m - shift, with cn = cm = C eps for the Mie form.
// (sigma/r)^k is built from s2 = sigma^2/r^2 by binary powering plus one sqrt for odd k:
// never pow(), which is slow and inexact on GPUs (HOOMD-blue issue #939).

// s2^(k/2) for integer k >= 0, given sqrt(s2) for odd k.
fn half_power(s2: f32, s1: f32, k: u32) -> f32 {
    var r = 1.0;
    var b = s2;
    var e = k >> 1u;
    loop {
        if (e == 0u) {
            break;
        }
        if ((e & 1u) != 0u) {
            r = r * b;
        }
        e = e >> 1u;
        b = b * b;
    }
    if ((k & 1u) != 0u) {
        r = r * s1;
    }
    return r;
}

@compute @workgroup_size(64)
fn forces(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if (i >= P.n) {
        return;
    }
    let pi = pos[i];
    let row = pi.w * P.ntypes;
    let ci = vec3<i32>(cell_coord(pi.xyz));
    let nc = vec3<i32>(P.cells);
    let lo = select(vec3<i32>(-1), vec3<i32>(0), P.cells < vec3<u32>(3u));
    var f = vec3<f32>(0.0);
    var e = 0.0;
    var w = vec3<f32>(0.0);
    for (var dz = lo.z; dz <= 1; dz = dz + 1) {
        for (var dy = lo.y; dy <= 1; dy = dy + 1) {
            for (var dx = lo.x; dx <= 1; dx = dx + 1) {
                let cc = vec3<u32>((ci + vec3<i32>(dx, dy, dz) + nc) % nc);
                let c = cell_index(cc);
                let count = min(atomicLoad(&counters[NFLAGS + c]), P.cap);
                let base = c * P.cap;
                for (var k = 0u; k < count; k = k + 1u) {
                    let j = slots[base + k];
                    if (j == i) {
                        continue;
                    }
                    let pj = pos[j];
                    let d = separation(pi.xyz, pj.xyz);
                    let r2 = dot(d, d);
                    let pp = table[row + pj.w];
                    if (r2 < pp.rc2) {
                        let inv_r2 = 1.0 / r2;
                        let s2 = pp.sigma2 * inv_r2;
                        var s1 = 0.0;
                        if (((pp.n_exp | pp.m_exp) & 1u) != 0u) {
                            s1 = sqrt(s2);
                        }
                        let am = half_power(s2, s1, pp.m_exp);
                        var an: f32;
                        if (pp.n_exp == 2u * pp.m_exp) {
                            an = am * am;
                        } else {
                            an = half_power(s2, s1, pp.n_exp);
                        }
                        let rf = f32(pp.n_exp) * pp.cn * an - f32(pp.m_exp) * pp.cm * am;
                        let fd = (rf * inv_r2) * d;
                        f = f + fd;
                        e = e + 0.5 * (pp.cn * an - pp.cm * am - pp.shift);
                        w = w + 0.5 * (fd * d);
                    }
                }
            }
        }
    }
    if (P.open_space == 1u && P.wall_radius > 0.0) {
        // WCA wall at distance h = R - |x|, range sigma_w = sigma_i / 2.
        let x = to_phys(pi.xyz);
        let r = length(x);
        // h = R - r = (R^2 - r^2) / (R + r), the numerator exact (see wall_gap_times_sum).
        let h = wall_gap_times_sum(pi.xyz) / (P.wall_radius + r);
        let sw = 0.5 * type_diameter(pi.w);
        if (h <= 0.0) {
            raise_flag(FLAG_ESCAPE, i + 1u);
        } else if (h < 1.122462048309373 * sw) {
            let q2 = (sw * sw) / (h * h);
            let q6 = q2 * q2 * q2;
            let q12 = q6 * q6;
            e = e + 4.0 * P.wall_eps * (q12 - q6) + P.wall_eps;
            let du_dh = 4.0 * P.wall_eps * (6.0 * q6 - 12.0 * q12) / h;
            if (r > 0.0) {
                f = f + (du_dh / r) * x;
            }
        }
    }
    if (!is_finite3(f)) {
        raise_flag(FLAG_NON_FINITE, i + 1u);
    }
    frc[i] = ForceOut(vec4<f32>(f, e), vec4<f32>(w, 0.0));
    if (P.kick2 != 0.0) {
        let inv_m = type_inv_mass(pi.w);
        vel[i] = vec4<f32>(vel[i].xyz + (P.kick2 * inv_m) * f, 0.0);
    }
}
