//! One renderer over the two backends: WebGPU when the browser gives an adapter, else WebGL2.

use super::error::RenderError;
use super::js::{now_ms, yield_to_page};
use super::pixels::Pixels;
use super::webgl::GlRenderer;
use super::webgpu::GpuRenderer;
use crate::gpu::{no_answer, within};
use crate::view::{Instances, OrbitCamera, Rgb};
use web_sys::HtmlCanvasElement;

/// How long WebGPU may take to set up (adapter, device, pipeline, first frame) before the
/// view gives it up for WebGL2 (ms): a browser whose GPU process cannot serve WebGPU may leave
/// any of those promises unanswered, and the view must not hang at "starting".
pub const SETUP_LIMIT_MS: u32 = 30_000;

/// A graphics backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// WebGPU through `navigator.gpu`.
    WebGpu,
    /// WebGL2.
    WebGl2,
}

/// Which backend to ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Preference {
    /// WebGPU when an adapter exists, else WebGL2.
    #[default]
    Auto,
    /// Only WebGPU.
    WebGpu,
    /// Only WebGL2.
    WebGl2,
}

/// A sphere-impostor renderer bound to one canvas.
#[derive(Debug)]
pub enum Renderer {
    /// Drawing through WebGPU.
    Gpu(GpuRenderer),
    /// Drawing through WebGL2.
    Gl(GlRenderer),
}

impl Renderer {
    /// Opens the preferred backend on `canvas`; WebGPU has [`SETUP_LIMIT_MS`] to set up.
    ///
    /// # Errors
    /// [`RenderError::Unavailable`] when no allowed backend exists, or the backend's own
    /// error when building it fails.
    pub async fn create(
        canvas: &HtmlCanvasElement,
        preference: Preference,
    ) -> Result<Self, RenderError> {
        let gpu = || {
            within(SETUP_LIMIT_MS, GpuRenderer::new(canvas), || {
                RenderError::api("setting up WebGPU", no_answer(SETUP_LIMIT_MS))
            })
        };
        match preference {
            Preference::WebGpu => gpu().await.map(Renderer::Gpu),
            Preference::WebGl2 => GlRenderer::new(canvas).map(Renderer::Gl),
            Preference::Auto => match gpu().await {
                Ok(r) => Ok(Renderer::Gpu(r)),
                // Without an adapter the canvas is untouched and WebGL2 can take it.
                Err(RenderError::Unavailable(_)) => GlRenderer::new(canvas).map(Renderer::Gl),
                Err(e) => Err(e),
            },
        }
    }

    /// The backend in use.
    #[must_use]
    pub fn backend(&self) -> Backend {
        match self {
            Renderer::Gpu(_) => Backend::WebGpu,
            Renderer::Gl(_) => Backend::WebGl2,
        }
    }

    /// A short label for the page, e.g. "WebGPU (google/swiftshader)".
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Renderer::Gpu(r) => format!("WebGPU ({})", r.adapter_name()),
            Renderer::Gl(_) => "WebGL2".to_owned(),
        }
    }

    /// Replaces what is drawn (one buffer upload).
    ///
    /// # Errors
    /// [`RenderError::Api`] when the GPU refuses the buffer.
    pub fn upload(&mut self, instances: &Instances) -> Result<(), RenderError> {
        match self {
            Renderer::Gpu(r) => r.upload(instances),
            Renderer::Gl(r) => {
                r.upload(instances);
                Ok(())
            }
        }
    }

    /// Draws one frame.
    ///
    /// # Errors
    /// [`RenderError::Api`] when a graphics call fails.
    pub fn draw(&mut self, camera: &OrbitCamera, background: Rgb) -> Result<(), RenderError> {
        match self {
            Renderer::Gpu(r) => r.draw(camera, background),
            Renderer::Gl(r) => {
                r.draw(camera, background);
                Ok(())
            }
        }
    }

    /// Draws one frame and reads its pixels back.
    ///
    /// # Errors
    /// [`RenderError::Api`] when drawing or reading fails.
    pub async fn render_pixels(
        &mut self,
        camera: &OrbitCamera,
        background: Rgb,
    ) -> Result<Pixels, RenderError> {
        match self {
            Renderer::Gpu(r) => r.render_pixels(camera, background).await,
            Renderer::Gl(r) => {
                r.draw(camera, background);
                r.read_pixels()
            }
        }
    }

    /// Draws `frames` frames, turning the camera a little each time, and returns the rate in
    /// frames per second: each frame is timed from its first call until the GPU has finished
    /// it, and the page gets the main thread back between frames (so a slow software GPU does
    /// not freeze it). This is the renderer's throughput, not capped by the display's refresh.
    ///
    /// # Errors
    /// [`RenderError::Api`] when drawing fails.
    pub async fn benchmark_frames(
        &mut self,
        camera: &OrbitCamera,
        background: Rgb,
        frames: u32,
    ) -> Result<f64, RenderError> {
        let mut cam = *camera;
        self.draw(&cam, background)?;
        self.finish().await?;
        let mut busy_ms = 0.0;
        for _ in 0..frames {
            cam.rotate(0.01, 0.0);
            let start = now_ms();
            self.draw(&cam, background)?;
            self.finish().await?;
            busy_ms += now_ms() - start;
            yield_to_page().await;
        }
        Ok(if busy_ms > 0.0 {
            f64::from(frames) * 1000.0 / busy_ms
        } else {
            f64::INFINITY
        })
    }

    /// Waits until every submitted frame is drawn.
    ///
    /// # Errors
    /// [`RenderError::Api`] when the wait fails.
    pub async fn finish(&self) -> Result<(), RenderError> {
        match self {
            Renderer::Gpu(r) => r.finish().await,
            Renderer::Gl(r) => r.finish().await,
        }
    }
}
