// Instanced sphere impostors: one quad per particle, an exact ray–sphere intersection per
// fragment, the true depth of the hit written to the depth buffer, and simple lighting.

struct Uniforms {
    view: mat4x4<f32>,
    proj: mat4x4<f32>,
    // x: quad half-size in radii, y: ambient light, z: specular strength.
    params: vec4<f32>,
};

@group(0) @binding(0) var<uniform> u: Uniforms;

struct VsOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) ray: vec3<f32>,
    @location(1) @interpolate(flat) centre: vec3<f32>,
    @location(2) @interpolate(flat) radius: f32,
    @location(3) @interpolate(flat) colour: vec3<f32>,
};

@vertex
fn vs(@builtin(vertex_index) vi: u32,
      @location(0) centre_radius: vec4<f32>,
      @location(1) colour: vec4<f32>) -> VsOut {
    let corner = vec2<f32>(f32(vi & 1u), f32((vi >> 1u) & 1u)) * 2.0 - 1.0;
    let c = (u.view * vec4<f32>(centre_radius.xyz, 1.0)).xyz;
    let r = centre_radius.w;
    // A square around the centre, pushed to the sphere's front along the line of sight so
    // it is never hidden by the sphere's own depth.
    let q = vec3<f32>(c.xy + corner * r * u.params.x, c.z);
    let front = (-c.z - r) / max(-c.z, 1e-6);
    let p = q * max(front, 1e-4);
    var out: VsOut;
    out.clip = u.proj * vec4<f32>(p, 1.0);
    out.ray = p;
    out.centre = c;
    out.radius = r;
    out.colour = colour.rgb;
    return out;
}

struct FsOut {
    @location(0) colour: vec4<f32>,
    @builtin(frag_depth) depth: f32,
};

@fragment
fn fs(in: VsOut) -> FsOut {
    let dir = normalize(in.ray);
    let b = dot(dir, in.centre);
    let disc = b * b - (dot(in.centre, in.centre) - in.radius * in.radius);
    if (disc < 0.0) {
        discard;
    }
    let t = b - sqrt(disc);
    let hit = dir * t;
    let n = (hit - in.centre) / in.radius;
    let light = normalize(vec3<f32>(0.4, 0.6, 1.0));
    let diffuse = max(dot(n, light), 0.0);
    let spec = pow(max(dot(reflect(-light, n), -dir), 0.0), 32.0) * u.params.z;
    let shade = in.colour * (u.params.y + (1.0 - u.params.y) * diffuse) + vec3<f32>(spec);
    let clip = u.proj * vec4<f32>(hit, 1.0);
    var out: FsOut;
    out.colour = vec4<f32>(min(shade, vec3<f32>(1.0)), 1.0);
    out.depth = clip.z / clip.w;
    return out;
}
