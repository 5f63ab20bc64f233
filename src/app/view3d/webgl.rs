//! The WebGL2 renderer: instanced sphere impostors (`sphere.vert`, `sphere.frag`), one quad
//! per particle drawn with `drawArraysInstanced`, the instance buffer re-uploaded only when
//! the frame, colouring or slab changes.

use super::error::RenderError;
use super::frame_uniforms::uniforms;
use super::js;
use super::pixels::Pixels;
use crate::view::{DepthRange, Instances, OrbitCamera, Rgb, FLOATS_PER_INSTANCE};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    HtmlCanvasElement, WebGl2RenderingContext as Gl, WebGlBuffer, WebGlProgram, WebGlShader,
    WebGlUniformLocation, WebGlVertexArrayObject,
};

const VERTEX: &str = include_str!("sphere.vert");
const FRAGMENT: &str = include_str!("sphere.frag");

/// Draws packed [`Instances`] into a canvas through WebGL2.
pub struct GlRenderer {
    canvas: HtmlCanvasElement,
    gl: Gl,
    program: WebGlProgram,
    vao: WebGlVertexArrayObject,
    buffer: WebGlBuffer,
    u_view: Option<WebGlUniformLocation>,
    u_proj: Option<WebGlUniformLocation>,
    u_params: Option<WebGlUniformLocation>,
    count: i32,
}

fn compile(gl: &Gl, kind: u32, source: &str) -> Result<WebGlShader, RenderError> {
    let shader = gl
        .create_shader(kind)
        .ok_or_else(|| RenderError::api("creating a shader", "the context refused"))?;
    gl.shader_source(&shader, source);
    gl.compile_shader(&shader);
    if gl
        .get_shader_parameter(&shader, Gl::COMPILE_STATUS)
        .as_bool()
        .unwrap_or(false)
    {
        Ok(shader)
    } else {
        Err(RenderError::api(
            "compiling the sphere shader",
            gl.get_shader_info_log(&shader).unwrap_or_default(),
        ))
    }
}

fn link(gl: &Gl) -> Result<WebGlProgram, RenderError> {
    let vs = compile(gl, Gl::VERTEX_SHADER, VERTEX)?;
    let fs = compile(gl, Gl::FRAGMENT_SHADER, FRAGMENT)?;
    let program = gl
        .create_program()
        .ok_or_else(|| RenderError::api("creating a program", "the context refused"))?;
    gl.attach_shader(&program, &vs);
    gl.attach_shader(&program, &fs);
    gl.link_program(&program);
    if gl
        .get_program_parameter(&program, Gl::LINK_STATUS)
        .as_bool()
        .unwrap_or(false)
    {
        Ok(program)
    } else {
        Err(RenderError::api(
            "linking the sphere shader",
            gl.get_program_info_log(&program).unwrap_or_default(),
        ))
    }
}

impl GlRenderer {
    /// Opens a WebGL2 context on `canvas` and builds the impostor pipeline.
    ///
    /// # Errors
    /// [`RenderError::Unavailable`] without WebGL2 (or when the canvas already has another
    /// kind of context), [`RenderError::Api`] when the shaders do not build.
    pub fn new(canvas: &HtmlCanvasElement) -> Result<Self, RenderError> {
        let options = js_sys::Object::new();
        for (key, value) in [
            ("antialias", true),
            ("alpha", false),
            ("depth", true),
            ("preserveDrawingBuffer", false),
        ] {
            js_sys::Reflect::set(&options, &key.into(), &value.into())
                .map_err(|e| RenderError::js("WebGL2 options", &e))?;
        }
        let gl: Gl = canvas
            .get_context_with_context_options("webgl2", &options)
            .map_err(|e| RenderError::js("opening WebGL2", &e))?
            .ok_or(RenderError::Unavailable("WebGL2"))?
            .dyn_into()
            .map_err(|_| RenderError::Unavailable("WebGL2"))?;
        let program = link(&gl)?;
        let vao = gl
            .create_vertex_array()
            .ok_or_else(|| RenderError::api("creating a vertex array", "the context refused"))?;
        let buffer = gl
            .create_buffer()
            .ok_or_else(|| RenderError::api("creating a buffer", "the context refused"))?;
        gl.bind_vertex_array(Some(&vao));
        gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&buffer));
        let stride = (FLOATS_PER_INSTANCE * 4) as i32;
        for (location, offset) in [(0u32, 0i32), (1, 16)] {
            gl.enable_vertex_attrib_array(location);
            gl.vertex_attrib_pointer_with_i32(location, 4, Gl::FLOAT, false, stride, offset);
            gl.vertex_attrib_divisor(location, 1);
        }
        gl.bind_vertex_array(None);
        Ok(GlRenderer {
            canvas: canvas.clone(),
            u_view: gl.get_uniform_location(&program, "u_view"),
            u_proj: gl.get_uniform_location(&program, "u_proj"),
            u_params: gl.get_uniform_location(&program, "u_params"),
            gl,
            program,
            vao,
            buffer,
            count: 0,
        })
    }

    /// Replaces the instance buffer's contents (one upload per change of what is shown).
    pub fn upload(&mut self, instances: &Instances) {
        let data = js_sys::Float32Array::from(instances.data.as_slice());
        self.gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&self.buffer));
        self.gl
            .buffer_data_with_array_buffer_view(Gl::ARRAY_BUFFER, &data, Gl::DYNAMIC_DRAW);
        self.count = i32::try_from(instances.count).unwrap_or(i32::MAX);
    }

    /// Draws the uploaded instances as seen by `camera` over a `background`.
    pub fn draw(&self, camera: &OrbitCamera, background: Rgb) {
        let gl = &self.gl;
        let (w, h) = (self.canvas.width(), self.canvas.height());
        gl.viewport(0, 0, w as i32, h as i32);
        let [r, g, b] = background.0;
        gl.clear_color(r, g, b, 1.0);
        gl.clear_depth(1.0);
        gl.enable(Gl::DEPTH_TEST);
        gl.depth_func(Gl::LESS);
        gl.clear(Gl::COLOR_BUFFER_BIT | Gl::DEPTH_BUFFER_BIT);
        if self.count == 0 {
            return;
        }
        let u = uniforms(
            camera,
            f64::from(w) / f64::from(h.max(1)),
            DepthRange::MinusOneToOne,
        );
        gl.use_program(Some(&self.program));
        gl.uniform_matrix4fv_with_f32_array(self.u_view.as_ref(), false, &u[..16]);
        gl.uniform_matrix4fv_with_f32_array(self.u_proj.as_ref(), false, &u[16..32]);
        gl.uniform4fv_with_f32_array(self.u_params.as_ref(), &u[32..]);
        gl.bind_vertex_array(Some(&self.vao));
        gl.draw_arrays_instanced(Gl::TRIANGLE_STRIP, 0, 4, self.count);
        gl.bind_vertex_array(None);
    }

    /// Reads the drawing buffer back (call in the same task as [`GlRenderer::draw`]).
    ///
    /// # Errors
    /// [`RenderError::Api`] when the browser refuses the read.
    pub fn read_pixels(&self) -> Result<Pixels, RenderError> {
        let (w, h) = (
            self.gl.drawing_buffer_width().max(0) as u32,
            self.gl.drawing_buffer_height().max(0) as u32,
        );
        let row = (w * 4) as usize;
        let mut bottom_up = vec![0u8; row * h as usize];
        self.gl
            .read_pixels_with_opt_u8_array(
                0,
                0,
                w as i32,
                h as i32,
                Gl::RGBA,
                Gl::UNSIGNED_BYTE,
                Some(&mut bottom_up),
            )
            .map_err(|e| RenderError::js("reading WebGL2 pixels", &e))?;
        let rgba = bottom_up
            .chunks_exact(row.max(1))
            .rev()
            .flatten()
            .copied()
            .collect();
        Ok(Pixels {
            width: w,
            height: h,
            rgba,
        })
    }

    /// Waits until the GL has finished every queued draw: a fence, polled once per turn of
    /// the event loop, so the page's main thread stays free while a slow (software) GPU works.
    ///
    /// # Errors
    /// [`RenderError::Api`] when the context refuses the fence (lost context).
    pub async fn finish(&self) -> Result<(), RenderError> {
        // WebGL2 constants: SYNC_GPU_COMMANDS_COMPLETE, SYNC_FLUSH_COMMANDS_BIT,
        // ALREADY_SIGNALED, CONDITION_SATISFIED, WAIT_FAILED.
        const GPU_COMMANDS_COMPLETE: f64 = 0x9117 as f64;
        const FLUSH: f64 = 1.0;
        const ALREADY_SIGNALED: f64 = 0x911A as f64;
        const CONDITION_SATISFIED: f64 = 0x911C as f64;
        const WAIT_FAILED: f64 = 0x911D as f64;
        let gl: JsValue = self.gl.clone().into();
        let fence = js::call(
            &gl,
            "fenceSync",
            &[
                JsValue::from_f64(GPU_COMMANDS_COMPLETE),
                JsValue::from_f64(0.0),
            ],
            "waiting for WebGL2",
        )?;
        if fence.is_null() {
            return Err(RenderError::api(
                "waiting for WebGL2",
                "no fence (context lost?)",
            ));
        }
        let mut flags = FLUSH;
        let result = loop {
            let status = js::call(
                &gl,
                "clientWaitSync",
                &[
                    fence.clone(),
                    JsValue::from_f64(flags),
                    JsValue::from_f64(0.0),
                ],
                "waiting for WebGL2",
            )?
            .as_f64()
            .unwrap_or(WAIT_FAILED);
            flags = 0.0;
            if status == ALREADY_SIGNALED || status == CONDITION_SATISFIED {
                break Ok(());
            }
            if status == WAIT_FAILED || self.gl.is_context_lost() {
                break Err(RenderError::api("waiting for WebGL2", "the fence failed"));
            }
            js::yield_to_page().await;
        };
        let _ = js::call(&gl, "deleteSync", &[fence], "waiting for WebGL2");
        result
    }

    /// Whether the context was lost (GPU reset, too many contexts).
    #[must_use]
    pub fn is_lost(&self) -> bool {
        self.gl.is_context_lost()
    }
}

impl Drop for GlRenderer {
    /// Releases the context now instead of at garbage collection: browsers cap the number of
    /// live WebGL contexts, and in Chromium a live one keeps making the page's main thread
    /// wait on a GPU process that is busy with other work (a WebGPU frame on SwiftShader).
    fn drop(&mut self) {
        if let Ok(Some(ext)) = self.gl.get_extension("WEBGL_lose_context") {
            let _ = js::call(&ext.into(), "loseContext", &[], "releasing WebGL2");
        }
    }
}

impl std::fmt::Debug for GlRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlRenderer")
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}
