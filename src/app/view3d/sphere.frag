#version 300 es
// Ray–sphere intersection per fragment, true depth, simple lighting (see sphere.wgsl).
precision highp float;
uniform mat4 u_proj;
uniform vec4 u_params;
in vec3 v_ray;
flat in vec3 v_centre;
flat in float v_radius;
flat in vec3 v_colour;
out vec4 o_colour;
void main() {
    vec3 dir = normalize(v_ray);
    float b = dot(dir, v_centre);
    float disc = b * b - (dot(v_centre, v_centre) - v_radius * v_radius);
    if (disc < 0.0) {
        discard;
    }
    float t = b - sqrt(disc);
    vec3 hit = dir * t;
    vec3 n = (hit - v_centre) / v_radius;
    vec3 light = normalize(vec3(0.4, 0.6, 1.0));
    float diffuse = max(dot(n, light), 0.0);
    float spec = pow(max(dot(reflect(-light, n), -dir), 0.0), 32.0) * u_params.z;
    vec3 shade = v_colour * (u_params.y + (1.0 - u_params.y) * diffuse) + vec3(spec);
    vec4 clip = u_proj * vec4(hit, 1.0);
    o_colour = vec4(min(shade, vec3(1.0)), 1.0);
    gl_FragDepth = 0.5 * (clip.z / clip.w) + 0.5;
}
