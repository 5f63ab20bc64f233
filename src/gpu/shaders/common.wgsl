// Shared declarations of the BNSL Studio MD kernels (src/gpu/shaders/*.wgsl).
//
// Positions are 32-bit fixed point: a coordinate x in a box of edge L is stored as the
// two's-complement integer s = round(x / L * 2^32), so x = f32(bitcast<i32>(s)) * L / 2^32.
// The difference of two positions is then an exact wrapping integer subtraction whose signed
// value IS the periodic minimum image, periodic wrapping is free, and a box rescale
// (compression) rescales every position without touching memory. In open space (a droplet)
// the same arithmetic runs in a virtual box at least twice the cluster's extent, so that no
// real pair ever wraps.

// Per-step parameters, one 256-byte record per step (dynamic uniform offset).
struct Params {
    scale: vec3<f32>,      // L / 2^32 for each axis (length per fixed-point unit)
    n: u32,                // number of particles
    inv_scale: vec3<f32>,  // 2^32 / L
    ncells: u32,           // cells in the grid
    cells: vec3<u32>,      // cells along each axis
    cap: u32,              // slots per cell
    dt: f32,               // time step of the first half (kick, drift, O, drift)
    kick2: f32,            // dt/2 of the closing half kick in the force kernel (0: forces only)
    c1: f32,               // Langevin: exp(-gamma dt)
    c2: f32,               // Langevin: sqrt((1 - c1^2) kT), multiplied by 1/sqrt(m) per particle
    step_lo: u32,          // step counter (Philox counter words)
    step_hi: u32,
    seed_lo: u32,          // seed (Philox key)
    seed_hi: u32,
    ntypes: u32,
    open_space: u32,       // 0: periodic box, 1: open space
    wall_radius: f32,      // droplet wall radius (0: no wall)
    wall_eps: f32,         // WCA energy of the wall
    open_limit: f32,       // open space: |x| beyond this would wrap pair distances
    langevin: u32,         // 1: apply the Ornstein-Uhlenbeck velocity update
    log_slot: u32,         // reduction output record
    partials: u32,         // number of workgroup partial sums
    cell_mul: vec3<u32>,   // cells per box length: cells (periodic) or 2 cells (open: hashed grid)
    wall_r2_hi: u32,       // droplet: (R / scale)^2 as a 64-bit integer, high word
    wall_r2_lo: u32,       //   and low word
    scale2: f32,           // open space: scale^2 (isotropic virtual box)
}

// One Mie pair: U = cn (sigma/r)^n - cm (sigma/r)^m - shift for r^2 < rc2.
// Entry ntypes*ntypes + t holds per-type data instead: cn = diameter, cm = 1/mass.
struct Pair {
    cn: f32,
    cm: f32,
    sigma2: f32,
    rc2: f32,
    shift: f32,
    n_exp: u32,
    m_exp: u32,
    pad: u32,
}

// Force and energy of a particle, and the diagonal of its virial (half of each pair's).
struct ForceOut {
    f_e: vec4<f32>,
    vir: vec4<f32>,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> pos: array<vec4<u32>>;      // xyz fixed point, w type
@group(0) @binding(2) var<storage, read_write> vel: array<vec4<f32>>;      // xyz velocity
@group(0) @binding(3) var<storage, read_write> frc: array<ForceOut>;
@group(0) @binding(4) var<storage, read_write> img: array<vec4<i32>>;      // periodic image counters
@group(0) @binding(5) var<storage, read_write> counters: array<atomic<u32>>; // [0..4) flags, then cell counts
@group(0) @binding(6) var<storage, read_write> slots: array<u32>;          // cell members, cap per cell
@group(0) @binding(7) var<storage, read> table: array<Pair>;
@group(0) @binding(8) var<storage, read_write> red: array<vec4<f32>>;      // partial sums, then the log

const FLAG_CELL_OVERFLOW: u32 = 0u;
const FLAG_ESCAPE: u32 = 1u;
const FLAG_NON_FINITE: u32 = 2u;
const NFLAGS: u32 = 4u;

fn raise_flag(which: u32, value: u32) {
    atomicMax(&counters[which], value);
}

fn is_finite3(v: vec3<f32>) -> bool {
    let e = vec3<u32>(0x7f800000u);
    let b = bitcast<vec3<u32>>(v) & e;
    return all(b != e);
}

// Signed physical coordinate of a fixed-point position.
fn to_phys(s: vec3<u32>) -> vec3<f32> {
    return vec3<f32>(bitcast<vec3<i32>>(s)) * P.scale;
}

// Minimum-image separation x_i - x_j (exact wrapping integer difference, then scaled).
fn separation(si: vec3<u32>, sj: vec3<u32>) -> vec3<f32> {
    return vec3<f32>(bitcast<vec3<i32>>(si - sj)) * P.scale;
}

// Cell of a fixed-point position: floor((s + 2^31) * cell_mul / 2^32) modulo cells, exact
// (mulhilo: philox.wgsl). In open space cell_mul = 2 cells: a hashed grid of period L/2.
fn cell_coord(s: vec3<u32>) -> vec3<u32> {
    let u = s + vec3<u32>(0x80000000u);
    let c = vec3<u32>(mulhilo(u.x, P.cell_mul.x).x, mulhilo(u.y, P.cell_mul.y).x, mulhilo(u.z, P.cell_mul.z).x);
    return c % P.cells;
}

// x^2 of a signed fixed-point coordinate as a 64-bit integer (hi, lo).
fn square64(s: u32) -> vec2<u32> {
    let a = u32(abs(bitcast<i32>(s)));
    return mulhilo(a, a);
}

fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
    let lo = a.y + b.y;
    return vec2<u32>(a.x + b.x + select(0u, 1u, lo < a.y), lo);
}

// R^2 - |x|^2 in physical units, from exact 64-bit integer arithmetic on the fixed-point
// coordinates: the droplet wall's distance without single-precision cancellation.
fn wall_gap_times_sum(s: vec3<u32>) -> f32 {
    let r2 = add64(add64(square64(s.x), square64(s.y)), square64(s.z));
    let lo = P.wall_r2_lo - r2.y;
    let hi = P.wall_r2_hi - r2.x - select(0u, 1u, P.wall_r2_lo < r2.y);
    let d = f32(bitcast<i32>(hi)) * 4294967296.0 + f32(lo);
    return d * P.scale2;
}

fn cell_index(c: vec3<u32>) -> u32 {
    return (c.z * P.cells.y + c.y) * P.cells.x + c.x;
}

fn type_diameter(t: u32) -> f32 {
    return table[P.ntypes * P.ntypes + t].cn;
}

fn type_inv_mass(t: u32) -> f32 {
    return table[P.ntypes * P.ntypes + t].cm;
}
