//! The WebGPU renderer: the same instanced sphere impostors as the WebGL2 path, from
//! `sphere.wgsl`, through the browser's `navigator.gpu` (called with `js_sys::Reflect`, so no
//! wgpu in the page's binary: only the worker links wgpu).
//!
//! Setting up ends with one cleared frame presented to the canvas and awaited: a browser whose
//! GPU process cannot back a WebGPU canvas (headless Chromium on SwiftShader without
//! `--use-angle=swiftshader --use-vulkan=swiftshader --enable-features=Vulkan` logs "Could not
//! find SharedImageBackingFactory … WebgpuSwapChainTexture" and drops the device) fails here,
//! with an error, instead of drawing blank frames later.

use super::error::RenderError;
use super::frame_uniforms::uniforms;
use super::js::{array, call, get, obj, settle};
use super::pixels::Pixels;
use crate::gpu::{first, First};
use crate::view::{DepthRange, Instances, OrbitCamera, Rgb, FLOATS_PER_INSTANCE};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlCanvasElement;

const SHADER: &str = include_str!("sphere.wgsl");
const UNIFORM_BYTES: f64 = 36.0 * 4.0;
const DEPTH_FORMAT: &str = "depth32float";

// GPUBufferUsage, GPUTextureUsage and GPUMapMode flags.
const BUF_COPY_DST: u32 = 0x0008;
const BUF_VERTEX: u32 = 0x0020;
const BUF_UNIFORM: u32 = 0x0040;
const TEX_COPY_SRC: u32 = 0x01;
const TEX_RENDER_ATTACHMENT: u32 = 0x10;

fn n(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// Draws packed [`Instances`] into a canvas through WebGPU.
pub struct GpuRenderer {
    canvas: HtmlCanvasElement,
    device: JsValue,
    // `device.lost`: settles when the device is destroyed or the GPU is reset.
    lost: JsValue,
    queue: JsValue,
    context: JsValue,
    format: String,
    adapter_name: String,
    pipeline: JsValue,
    uniform_buffer: JsValue,
    bind_group: JsValue,
    instances: Option<(JsValue, usize)>,
    count: u32,
    depth: Option<(JsValue, JsValue, u32, u32)>,
}

impl GpuRenderer {
    /// Asks for a WebGPU adapter and device, configures `canvas` and builds the pipeline.
    ///
    /// # Errors
    /// [`RenderError::Unavailable`] when the browser has no WebGPU or gives no adapter
    /// (the canvas is then left untouched, so WebGL2 can still use it), [`RenderError::Api`]
    /// when a later step fails.
    pub async fn new(canvas: &HtmlCanvasElement) -> Result<Self, RenderError> {
        let window = web_sys::window().ok_or(RenderError::Unavailable("WebGPU"))?;
        let gpu = get(&window.navigator(), "gpu");
        if gpu.is_undefined() || gpu.is_null() {
            return Err(RenderError::Unavailable("WebGPU"));
        }
        let adapter = settle(
            call(&gpu, "requestAdapter", &[], "requesting an adapter")?,
            "requesting an adapter",
        )
        .await?;
        if adapter.is_null() || adapter.is_undefined() {
            return Err(RenderError::Unavailable("WebGPU"));
        }
        let adapter_name = crate::gpu::browser_adapter_label(&adapter);
        let device = settle(
            call(&adapter, "requestDevice", &[], "requesting a device")?,
            "requesting a device",
        )
        .await?;
        let queue = get(&device, "queue");
        let context = canvas
            .get_context("webgpu")
            .map_err(|e| RenderError::js("opening a WebGPU canvas", &e))?
            .ok_or(RenderError::Unavailable("WebGPU canvas"))?;
        let context: JsValue = context.into();
        let format = call(&gpu, "getPreferredCanvasFormat", &[], "choosing a format")?
            .as_string()
            .unwrap_or_else(|| "bgra8unorm".to_owned());
        call(
            &context,
            "configure",
            &[obj(&[
                ("device", device.clone()),
                ("format", s(&format)),
                ("alphaMode", s("opaque")),
                ("usage", n(f64::from(TEX_RENDER_ATTACHMENT | TEX_COPY_SRC))),
            ])
            .into()],
            "configuring the canvas",
        )?;

        call(&device, "pushErrorScope", &[s("validation")], "error scope")?;
        let module = call(
            &device,
            "createShaderModule",
            &[obj(&[("code", s(SHADER))]).into()],
            "compiling sphere.wgsl",
        )?;
        let attribute = |location: f64, offset: f64| -> JsValue {
            obj(&[
                ("shaderLocation", n(location)),
                ("offset", n(offset)),
                ("format", s("float32x4")),
            ])
            .into()
        };
        let layout = obj(&[
            ("arrayStride", n((FLOATS_PER_INSTANCE * 4) as f64)),
            ("stepMode", s("instance")),
            (
                "attributes",
                array(&[attribute(0.0, 0.0), attribute(1.0, 16.0)]),
            ),
        ]);
        let pipeline = call(
            &device,
            "createRenderPipeline",
            &[obj(&[
                ("layout", s("auto")),
                (
                    "vertex",
                    obj(&[
                        ("module", module.clone()),
                        ("entryPoint", s("vs")),
                        ("buffers", array(&[layout.into()])),
                    ])
                    .into(),
                ),
                (
                    "fragment",
                    obj(&[
                        ("module", module),
                        ("entryPoint", s("fs")),
                        ("targets", array(&[obj(&[("format", s(&format))]).into()])),
                    ])
                    .into(),
                ),
                (
                    "primitive",
                    obj(&[("topology", s("triangle-strip"))]).into(),
                ),
                (
                    "depthStencil",
                    obj(&[
                        ("format", s(DEPTH_FORMAT)),
                        ("depthWriteEnabled", JsValue::TRUE),
                        ("depthCompare", s("less")),
                    ])
                    .into(),
                ),
            ])
            .into()],
            "building the sphere pipeline",
        )?;
        let uniform_buffer = call(
            &device,
            "createBuffer",
            &[obj(&[
                ("size", n(UNIFORM_BYTES)),
                ("usage", n(f64::from(BUF_UNIFORM | BUF_COPY_DST))),
            ])
            .into()],
            "creating the uniform buffer",
        )?;
        let bind_layout = call(&pipeline, "getBindGroupLayout", &[n(0.0)], "bind layout")?;
        let bind_group = call(
            &device,
            "createBindGroup",
            &[obj(&[
                ("layout", bind_layout),
                (
                    "entries",
                    array(&[obj(&[
                        ("binding", n(0.0)),
                        (
                            "resource",
                            obj(&[("buffer", uniform_buffer.clone())]).into(),
                        ),
                    ])
                    .into()]),
                ),
            ])
            .into()],
            "creating the bind group",
        )?;
        let error = settle(
            call(&device, "popErrorScope", &[], "error scope")?,
            "building the sphere pipeline",
        )
        .await?;
        if !error.is_null() && !error.is_undefined() {
            return Err(RenderError::api(
                "building the sphere pipeline",
                get(&error, "message").as_string().unwrap_or_default(),
            ));
        }
        let lost = get(&device, "lost");
        let mut renderer = GpuRenderer {
            canvas: canvas.clone(),
            device,
            lost,
            queue,
            context,
            format,
            adapter_name,
            pipeline,
            uniform_buffer,
            bind_group,
            instances: None,
            count: 0,
            depth: None,
        };
        // One cleared frame into the canvas, awaited: proves the canvas can present. A canvas
        // that cannot present loses the device (or never answers: `Renderer::create` bounds
        // the whole set-up).
        renderer.draw(&OrbitCamera::framing([0.0; 3], 1.0), Rgb::BACKGROUND)?;
        let done = settle(
            call(
                &renderer.queue,
                "onSubmittedWorkDone",
                &[],
                "presenting to the WebGPU canvas",
            )?,
            "presenting to the WebGPU canvas",
        );
        match first(done, renderer.device_lost()).await {
            First::A(presented) => {
                presented?;
            }
            First::B(why) => {
                return Err(RenderError::api(
                    "presenting to the WebGPU canvas",
                    format!("device lost: {why}"),
                ));
            }
        }
        Ok(renderer)
    }

    /// A future that settles when the device is lost (destroyed, or the GPU reset), with the
    /// browser's reason and message, e.g. "unknown: A valid external Instance reference no
    /// longer exists.". It does not borrow the renderer.
    pub fn device_lost(&self) -> impl std::future::Future<Output = String> + 'static {
        let promise = js_sys::Promise::resolve(&self.lost);
        async move {
            match JsFuture::from(promise).await {
                Ok(info) => {
                    let reason = get(&info, "reason").as_string().unwrap_or_default();
                    let message = get(&info, "message").as_string().unwrap_or_default();
                    format!("{reason}: {message}")
                }
                Err(e) => RenderError::js("device lost", &e).to_string(),
            }
        }
    }

    /// Destroys the device now (what a GPU reset does to it); [`GpuRenderer::device_lost`]
    /// then settles. Dropping the renderer does the same.
    pub fn destroy(&self) {
        let _ = call(&self.device, "destroy", &[], "destroying the device");
    }

    /// The adapter's vendor/architecture, as the browser names it.
    #[must_use]
    pub fn adapter_name(&self) -> &str {
        &self.adapter_name
    }

    /// Replaces the instance buffer's contents (one upload per change of what is shown); the
    /// buffer only grows.
    ///
    /// # Errors
    /// [`RenderError::Api`] when the device refuses the buffer.
    pub fn upload(&mut self, instances: &Instances) -> Result<(), RenderError> {
        let bytes = instances.data.len() * 4;
        let fits = self
            .instances
            .as_ref()
            .is_some_and(|(_, cap)| *cap >= bytes);
        if !fits {
            if let Some((old, _)) = self.instances.take() {
                call(&old, "destroy", &[], "freeing the instance buffer")?;
            }
            let capacity = bytes.max(FLOATS_PER_INSTANCE * 4);
            let buffer = call(
                &self.device,
                "createBuffer",
                &[obj(&[
                    ("size", n(capacity as f64)),
                    ("usage", n(f64::from(BUF_VERTEX | BUF_COPY_DST))),
                ])
                .into()],
                "creating the instance buffer",
            )?;
            self.instances = Some((buffer, capacity));
        }
        if let Some((buffer, _)) = &self.instances {
            if bytes > 0 {
                let data = js_sys::Float32Array::from(instances.data.as_slice());
                call(
                    &self.queue,
                    "writeBuffer",
                    &[buffer.clone(), n(0.0), data.into()],
                    "uploading instances",
                )?;
            }
        }
        self.count = u32::try_from(instances.count).unwrap_or(u32::MAX);
        Ok(())
    }

    fn depth_view(&mut self, w: u32, h: u32) -> Result<JsValue, RenderError> {
        if let Some((_, view, dw, dh)) = &self.depth {
            if (*dw, *dh) == (w, h) {
                return Ok(view.clone());
            }
        }
        if let Some((old, ..)) = self.depth.take() {
            call(&old, "destroy", &[], "freeing the depth buffer")?;
        }
        let texture = call(
            &self.device,
            "createTexture",
            &[obj(&[
                ("size", array(&[n(f64::from(w)), n(f64::from(h))])),
                ("format", s(DEPTH_FORMAT)),
                ("usage", n(f64::from(TEX_RENDER_ATTACHMENT))),
            ])
            .into()],
            "creating the depth buffer",
        )?;
        let view = call(&texture, "createView", &[], "depth view")?;
        self.depth = Some((texture, view.clone(), w, h));
        Ok(view)
    }

    /// Encodes one frame into the canvas's current texture; returns the encoder (not yet
    /// submitted) and that texture.
    fn encode(
        &mut self,
        camera: &OrbitCamera,
        background: Rgb,
    ) -> Result<(JsValue, JsValue), RenderError> {
        let (w, h) = (self.canvas.width().max(1), self.canvas.height().max(1));
        let depth = self.depth_view(w, h)?;
        let u = uniforms(camera, f64::from(w) / f64::from(h), DepthRange::ZeroToOne);
        let u = js_sys::Float32Array::from(&u[..]);
        call(
            &self.queue,
            "writeBuffer",
            &[self.uniform_buffer.clone(), n(0.0), u.into()],
            "uploading the camera",
        )?;
        let texture = call(
            &self.context,
            "getCurrentTexture",
            &[],
            "getting the canvas",
        )?;
        let view = call(&texture, "createView", &[], "canvas view")?;
        let encoder = call(
            &self.device,
            "createCommandEncoder",
            &[],
            "encoding a frame",
        )?;
        let [r, g, b] = background.0;
        let pass = call(
            &encoder,
            "beginRenderPass",
            &[obj(&[
                (
                    "colorAttachments",
                    array(&[obj(&[
                        ("view", view),
                        (
                            "clearValue",
                            obj(&[
                                ("r", n(f64::from(r))),
                                ("g", n(f64::from(g))),
                                ("b", n(f64::from(b))),
                                ("a", n(1.0)),
                            ])
                            .into(),
                        ),
                        ("loadOp", s("clear")),
                        ("storeOp", s("store")),
                    ])
                    .into()]),
                ),
                (
                    "depthStencilAttachment",
                    obj(&[
                        ("view", depth),
                        ("depthClearValue", n(1.0)),
                        ("depthLoadOp", s("clear")),
                        ("depthStoreOp", s("store")),
                    ])
                    .into(),
                ),
            ])
            .into()],
            "starting the render pass",
        )?;
        if let (Some((buffer, _)), true) = (&self.instances, self.count > 0) {
            call(
                &pass,
                "setPipeline",
                std::slice::from_ref(&self.pipeline),
                "pipeline",
            )?;
            call(
                &pass,
                "setBindGroup",
                &[n(0.0), self.bind_group.clone()],
                "bind group",
            )?;
            call(
                &pass,
                "setVertexBuffer",
                &[n(0.0), buffer.clone()],
                "instances",
            )?;
            call(
                &pass,
                "draw",
                &[n(4.0), n(f64::from(self.count))],
                "drawing spheres",
            )?;
        }
        call(&pass, "end", &[], "ending the render pass")?;
        Ok((encoder, texture))
    }

    fn submit(&self, encoder: &JsValue) -> Result<(), RenderError> {
        let commands = call(encoder, "finish", &[], "finishing a frame")?;
        call(
            &self.queue,
            "submit",
            &[array(&[commands])],
            "submitting a frame",
        )?;
        Ok(())
    }

    /// Draws the uploaded instances as seen by `camera` over a `background`.
    ///
    /// # Errors
    /// [`RenderError::Api`] when a WebGPU call throws.
    pub fn draw(&mut self, camera: &OrbitCamera, background: Rgb) -> Result<(), RenderError> {
        let (encoder, _) = self.encode(camera, background)?;
        self.submit(&encoder)
    }

    /// Waits until the GPU has finished every submitted frame (`queue.onSubmittedWorkDone`),
    /// without blocking the page's main thread.
    ///
    /// # Errors
    /// [`RenderError::Api`] when the queue refuses (the device was lost).
    pub async fn finish(&self) -> Result<(), RenderError> {
        settle(
            call(
                &self.queue,
                "onSubmittedWorkDone",
                &[],
                "waiting for the GPU",
            )?,
            "waiting for the GPU",
        )
        .await
        .map(|_| ())
    }

    /// The canvas scaled into a `w × h` 2D canvas, as RGBA bytes (same task as the draw).
    fn copy_out(&self, w: u32, h: u32) -> Result<Vec<u8>, RenderError> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| RenderError::api("reading the frame", "no document"))?;
        let copy = document
            .create_element("canvas")
            .map_err(|e| RenderError::js("reading the frame", &e))?;
        let copy: JsValue = copy.into();
        js_sys::Reflect::set(&copy, &s("width"), &n(f64::from(w)))
            .map_err(|e| RenderError::js("reading the frame", &e))?;
        js_sys::Reflect::set(&copy, &s("height"), &n(f64::from(h)))
            .map_err(|e| RenderError::js("reading the frame", &e))?;
        let ctx = call(&copy, "getContext", &[s("2d")], "reading the frame")?;
        call(
            &ctx,
            "drawImage",
            &[
                self.canvas.clone().into(),
                n(0.0),
                n(0.0),
                n(f64::from(w)),
                n(f64::from(h)),
            ],
            "reading the frame",
        )?;
        let image = call(
            &ctx,
            "getImageData",
            &[n(0.0), n(0.0), n(f64::from(w)), n(f64::from(h))],
            "reading the frame",
        )?;
        let data = get(&image, "data");
        Ok(js_sys::Uint8Array::new(&get(&data, "buffer")).to_vec())
    }

    /// Draws a frame and reads it back, by copying the canvas into a 2D canvas in the same
    /// task (the way the page's PNG export reads it too).
    ///
    /// # Errors
    /// [`RenderError::Api`] when a WebGPU call or the read-back fails.
    pub async fn render_pixels(
        &mut self,
        camera: &OrbitCamera,
        background: Rgb,
    ) -> Result<Pixels, RenderError> {
        let (encoder, _) = self.encode(camera, background)?;
        self.submit(&encoder)?;
        let (w, h) = (self.canvas.width().max(1), self.canvas.height().max(1));
        let rgba = self.copy_out(w, h)?;
        Ok(Pixels {
            width: w,
            height: h,
            rgba,
        })
    }
}

impl Drop for GpuRenderer {
    fn drop(&mut self) {
        self.destroy();
    }
}

impl std::fmt::Debug for GpuRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuRenderer")
            .field("adapter", &self.adapter_name)
            .field("format", &self.format)
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}
