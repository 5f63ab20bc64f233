#version 300 es
// Instanced sphere impostors (WebGL2): the same maths as sphere.wgsl.
precision highp float;
uniform mat4 u_view;
uniform mat4 u_proj;
uniform vec4 u_params;
layout(location = 0) in vec4 a_centre_radius;
layout(location = 1) in vec4 a_colour;
out vec3 v_ray;
flat out vec3 v_centre;
flat out float v_radius;
flat out vec3 v_colour;
void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1)) * 2.0 - 1.0;
    vec3 c = (u_view * vec4(a_centre_radius.xyz, 1.0)).xyz;
    float r = a_centre_radius.w;
    vec3 q = vec3(c.xy + corner * r * u_params.x, c.z);
    float front = (-c.z - r) / max(-c.z, 1e-6);
    vec3 p = q * max(front, 1e-4);
    gl_Position = u_proj * vec4(p, 1.0);
    v_ray = p;
    v_centre = c;
    v_radius = r;
    v_colour = a_colour.rgb;
}
