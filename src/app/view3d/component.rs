//! `ParticleView`: the Yew component the Simulate and Analyse tabs embed. It owns a canvas and
//! a [`Renderer`], an orbit camera (drag to rotate, wheel to zoom, arrow keys rotate, `+`/`-`
//! zoom), a slicing slab (Fig. 4d,e), a colour legend, and a "Download PNG" button.
//!
//! WebGPU first, WebGL2 as the fall-back: when the WebGPU renderer cannot be built on its
//! canvas, or its device is lost later (GPU reset, driver crash), the view swaps in a fresh
//! canvas (a canvas that has had a WebGPU context can never get a WebGL2 one), draws through
//! WebGL2 and says why in its status line.

use super::error::RenderError;
use super::renderer::{Preference, Renderer};
use crate::model::Frame;
use crate::view::{
    pack_instances, Colouring, OrbitCamera, Rgb, SceneBounds, Slab, Vec3, FIG4_SHRINK,
};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`ParticleView`].
#[derive(Properties, PartialEq, Clone)]
pub struct ParticleViewProps {
    /// The configuration to show. Replace the `Rc` to show a new frame (one upload).
    pub frame: Rc<Frame>,
    /// How particles are coloured and sized (by species when not given).
    #[prop_or_else(|| Rc::new(Colouring::Species))]
    pub colouring: Rc<Colouring>,
    /// Which graphics backend to use: by default WebGPU when the browser gives an adapter
    /// and its canvas presents, else WebGL2.
    #[prop_or(Preference::Auto)]
    pub preference: Preference,
    /// Height of the canvas in CSS pixels (its width follows the container).
    #[prop_or(480)]
    pub height: u32,
    /// File name offered by "Download PNG".
    #[prop_or_else(|| AttrValue::from("bnsl-view.png"))]
    pub png_name: AttrValue,
}

/// Messages of [`ParticleView`].
pub enum Msg {
    /// The renderer for canvas generation `.0` finished (or failed) setting up.
    Ready(u32, Result<Renderer, RenderError>),
    /// The WebGPU device of canvas generation `.0` was lost, with the browser's reason.
    DeviceLost(u32, String),
    /// Try WebGL2 again on canvas generation `.0` (see [`GL_RETRY_MS`]).
    RetryGl(u32),
    /// Draw on the next animation frame.
    Draw,
    /// Pointer pressed at (x, y).
    PointerDown(PointerEvent),
    /// Pointer moved.
    PointerMove(PointerEvent),
    /// Pointer released.
    PointerUp,
    /// Wheel turned.
    Wheel(WheelEvent),
    /// Key pressed on the canvas.
    Key(KeyboardEvent),
    /// Slab on or off.
    SliceOn(bool),
    /// Slab normal chosen from the menu.
    SliceNormal(String),
    /// Slab offset (σ).
    SliceOffset(f64),
    /// Slab thickness (σ).
    SliceThickness(f64),
    /// Frame the whole scene again.
    ResetView,
    /// Save the canvas as a PNG.
    DownloadPng,
}

/// The slab normals the menu offers (Cartesian axes and two diagonals).
const NORMALS: [(&str, Vec3); 5] = [
    ("x", [1.0, 0.0, 0.0]),
    ("y", [0.0, 1.0, 0.0]),
    ("z", [0.0, 0.0, 1.0]),
    ("x+y", [1.0, 1.0, 0.0]),
    ("x+y+z", [1.0, 1.0, 1.0]),
];

/// Waits before each new try at a WebGL2 context when the fall-back's first try found none
/// (ms). Right after a WebGPU device is lost, Chromium's GPU process may be restarting, and
/// `getContext("webgl2")` then returns null for a moment (seen in 4 launches of 10 of the
/// browser without WebGPU-canvas flags); a browser that has no WebGL2 at all still gets its
/// message, 7.5 s later.
pub const GL_RETRY_MS: [i32; 4] = [500, 1000, 2000, 4000];

/// Rotation per arrow-key press (radians) and per dragged pixel.
const KEY_TURN: f64 = 0.087;
const DRAG_TURN: f64 = 0.008;

/// The 3D particle view.
pub struct ParticleView {
    canvas: NodeRef,
    renderer: Option<Renderer>,
    status: String,
    camera: OrbitCamera,
    drag: Option<(i32, i32)>,
    slice_on: bool,
    normal: usize,
    offset: f64,
    thickness: f64,
    shown: usize,
    upload_due: bool,
    // Bumped to replace the canvas element (its `key`) when WebGPU gives way to WebGL2.
    generation: u32,
    // Why WebGPU was given up, once it was: then only WebGL2 is tried.
    fallback: Option<String>,
    create_due: bool,
    // WebGL2 fall-back tries that found no context so far.
    gl_retries: usize,
    draw_pending: bool,
    link: yew::html::Scope<Self>,
}

fn canvas_size(canvas: &HtmlCanvasElement) {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let w = (f64::from(canvas.client_width()) * ratio).round().max(1.0) as u32;
    let h = (f64::from(canvas.client_height()) * ratio).round().max(1.0) as u32;
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
}

/// The status line's backend part: the renderer's label, and why WebGPU is not used when it
/// was given up.
fn backend_label(renderer: &Renderer, fallback: Option<&str>) -> String {
    match fallback {
        Some(why) => format!("{} (WebGPU failed: {why})", renderer.label()),
        None => renderer.label(),
    }
}

impl ParticleView {
    /// Gives up WebGPU: drops its renderer and asks for a fresh canvas with WebGL2 (when the
    /// props allow the fall-back), else reports `why`.
    fn fall_back(&mut self, ctx: &Context<Self>, why: String) {
        self.renderer = None;
        if ctx.props().preference == Preference::Auto && self.fallback.is_none() {
            self.status = format!("switching to WebGL2 ({why})");
            self.fallback = Some(why);
            self.generation += 1;
            self.create_due = true;
            self.draw_pending = false;
        } else {
            self.status = format!("3D view unavailable: {why}");
        }
    }

    /// The WebGL2 fall-back found no context: waits `GL_RETRY_MS[k]`, then tries again on a
    /// fresh canvas.
    fn retry_gl(&mut self, ctx: &Context<Self>, e: &RenderError) {
        let wait = GL_RETRY_MS[self.gl_retries];
        self.gl_retries += 1;
        self.status = format!(
            "no WebGL2 context yet ({e}; the GPU process may be restarting): trying again in {:.1} s ({} of {})",
            f64::from(wait) / 1000.0,
            self.gl_retries,
            GL_RETRY_MS.len()
        );
        self.generation += 1;
        let generation = self.generation;
        let link = ctx.link().clone();
        let callback = Closure::once_into_js(move || link.send_message(Msg::RetryGl(generation)));
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                wait,
            );
        }
    }

    fn extent(&self, frame: &Frame) -> (f64, f64) {
        Slab::extent(NORMALS[self.normal].1, &frame.positions)
    }

    fn request_draw(&mut self) {
        if self.draw_pending {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let link = self.link.clone();
        let callback = Closure::once_into_js(move || link.send_message(Msg::Draw));
        if window
            .request_animation_frame(callback.unchecked_ref())
            .is_ok()
        {
            self.draw_pending = true;
        }
    }

    /// Uploads what changed and draws now (synchronously, so the canvas can be read in the
    /// same task).
    fn draw_now(&mut self, ctx: &Context<Self>) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        canvas_size(&canvas);
        let Some(renderer) = self.renderer.as_mut() else {
            return;
        };
        if self.upload_due {
            self.upload_due = false;
            let props = ctx.props();
            let slab = if self.slice_on {
                match Slab::new(NORMALS[self.normal].1, self.offset, self.thickness) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        self.status = e.to_string();
                        return;
                    }
                }
            } else {
                None
            };
            match pack_instances(&props.frame, &props.colouring, slab.as_ref())
                .map_err(|e| e.to_string())
                .and_then(|inst| {
                    renderer.upload(&inst).map_err(|e| e.to_string())?;
                    Ok(inst.count)
                }) {
                Ok(count) => {
                    self.shown = count;
                    self.status = backend_label(renderer, self.fallback.as_deref());
                }
                Err(e) => self.status = e,
            }
        }
        if let Err(e) = renderer.draw(&self.camera, Rgb::BACKGROUND) {
            self.status = e.to_string();
        }
    }

    fn download_png(&mut self, ctx: &Context<Self>) {
        self.draw_now(ctx);
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let Ok(url) = canvas.to_data_url_with_type("image/png") else {
            self.status = "the browser refused to export the canvas".to_owned();
            return;
        };
        let anchor = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
            .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok());
        if let Some(a) = anchor {
            a.set_href(&url);
            a.set_download(ctx.props().png_name.as_str());
            a.click();
        }
    }
}

/// The legend for a colouring: swatches and their meaning.
fn legend(frame: &Frame, colouring: &Colouring) -> Html {
    let swatch = |colour: Rgb, label: String| {
        html! {
            <span class="legend-item">
                <span class="swatch" style={format!("background:{}", colour.css())}></span>
                { label }
            </span>
        }
    };
    match colouring {
        Colouring::Species => html! {
            <>{ for frame.types.iter().enumerate().map(|(t, name)| {
                swatch(Rgb::species(t as u32), name.clone())
            }) }</>
        },
        Colouring::Scalar { values, map, range } => {
            let (lo, hi) = range.unwrap_or_else(|| {
                values
                    .iter()
                    .filter(|v| v.is_finite())
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                        (a.min(v), b.max(v))
                    })
            });
            let stops: Vec<String> = (0..=8).map(|i| map.at(f64::from(i) / 8.0).css()).collect();
            html! {
                <span class="legend-item">
                    { format!("{lo:.3}") }
                    <span class="colour-bar"
                          style={format!("background:linear-gradient(to right,{})", stops.join(","))}>
                    </span>
                    { format!("{hi:.3}") }
                </span>
            }
        }
        Colouring::Fig4(_) => html! {
            <>
                { swatch(Rgb::FIG4_BLUE, "crystalline L".to_owned()) }
                { swatch(Rgb::FIG4_PINK, "S next to crystalline L".to_owned()) }
                { swatch(Rgb::FIG4_GREY, format!("others (shrunk ×{FIG4_SHRINK})")) }
            </>
        },
    }
}

impl Component for ParticleView {
    type Message = Msg;
    type Properties = ParticleViewProps;

    fn create(ctx: &Context<Self>) -> Self {
        let frame = &ctx.props().frame;
        let bounds = SceneBounds::of(frame);
        let mut view = ParticleView {
            canvas: NodeRef::default(),
            renderer: None,
            status: "starting the renderer…".to_owned(),
            camera: OrbitCamera::framing(bounds.centre, bounds.radius),
            drag: None,
            slice_on: false,
            normal: 2,
            offset: 0.0,
            thickness: 2.0,
            shown: 0,
            upload_due: true,
            generation: 0,
            fallback: None,
            create_due: true,
            gl_retries: 0,
            draw_pending: false,
            link: ctx.link().clone(),
        };
        let (lo, hi) = view.extent(frame);
        view.offset = 0.5 * (lo + hi);
        view
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Ready(generation, _)
            | Msg::DeviceLost(generation, _)
            | Msg::RetryGl(generation)
                if generation != self.generation =>
            {
                return false;
            }
            Msg::Ready(_, Ok(renderer)) => {
                if let Renderer::Gpu(gpu) = &renderer {
                    let lost = gpu.device_lost();
                    let link = ctx.link().clone();
                    let generation = self.generation;
                    wasm_bindgen_futures::spawn_local(async move {
                        let why = lost.await;
                        link.send_message(Msg::DeviceLost(generation, why));
                    });
                }
                self.status = backend_label(&renderer, self.fallback.as_deref());
                self.renderer = Some(renderer);
                self.upload_due = true;
                self.request_draw();
                return true;
            }
            Msg::Ready(_, Err(e)) => {
                let unavailable = matches!(e, RenderError::Unavailable(_));
                match &self.fallback {
                    Some(_) if unavailable && self.gl_retries < GL_RETRY_MS.len() => {
                        self.retry_gl(ctx, &e);
                    }
                    Some(why) => {
                        self.status =
                            format!("3D view unavailable: {e} (after WebGPU failed: {why})");
                    }
                    None if unavailable => self.status = format!("3D view unavailable: {e}"),
                    None => self.fall_back(ctx, e.to_string()),
                }
                return true;
            }
            Msg::RetryGl(_) => {
                self.create_due = true;
                return true;
            }
            Msg::DeviceLost(_, why) => {
                self.fall_back(ctx, format!("device lost: {why}"));
                return true;
            }
            Msg::Draw => {
                self.draw_pending = false;
                let before = (self.shown, self.status.clone());
                self.draw_now(ctx);
                return before != (self.shown, self.status.clone());
            }
            Msg::PointerDown(e) => {
                if let Some(target) = e.target_dyn_into::<web_sys::Element>() {
                    let _ = target.set_pointer_capture(e.pointer_id());
                }
                self.drag = Some((e.client_x(), e.client_y()));
                return false;
            }
            Msg::PointerMove(e) => {
                let Some((x, y)) = self.drag else {
                    return false;
                };
                let (nx, ny) = (e.client_x(), e.client_y());
                self.camera.rotate(
                    -f64::from(nx - x) * DRAG_TURN,
                    f64::from(ny - y) * DRAG_TURN,
                );
                self.drag = Some((nx, ny));
            }
            Msg::PointerUp => {
                self.drag = None;
                return false;
            }
            Msg::Wheel(e) => {
                e.prevent_default();
                self.camera.zoom((e.delta_y() * 0.001).exp());
            }
            Msg::Key(e) => {
                match e.key().as_str() {
                    "ArrowLeft" => self.camera.rotate(KEY_TURN, 0.0),
                    "ArrowRight" => self.camera.rotate(-KEY_TURN, 0.0),
                    "ArrowUp" => self.camera.rotate(0.0, KEY_TURN),
                    "ArrowDown" => self.camera.rotate(0.0, -KEY_TURN),
                    "+" | "=" => self.camera.zoom(0.9),
                    "-" | "_" => self.camera.zoom(1.0 / 0.9),
                    _ => return false,
                }
                e.prevent_default();
            }
            Msg::SliceOn(on) => {
                self.slice_on = on;
                self.upload_due = true;
                self.request_draw();
                return true;
            }
            Msg::SliceNormal(name) => {
                if let Some(i) = NORMALS.iter().position(|(n, _)| *n == name) {
                    self.normal = i;
                    let (lo, hi) = self.extent(&ctx.props().frame);
                    self.offset = 0.5 * (lo + hi);
                }
                self.upload_due = true;
                self.request_draw();
                return true;
            }
            Msg::SliceOffset(v) => {
                self.offset = v;
                self.upload_due = true;
                self.request_draw();
                return true;
            }
            Msg::SliceThickness(v) => {
                if v.is_finite() && v > 0.0 {
                    self.thickness = v;
                    self.upload_due = true;
                    self.request_draw();
                }
                return true;
            }
            Msg::ResetView => {
                let b = SceneBounds::of(&ctx.props().frame);
                self.camera = OrbitCamera::framing(b.centre, b.radius);
            }
            Msg::DownloadPng => {
                self.download_png(ctx);
                return false;
            }
        }
        self.request_draw();
        false
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let new = ctx.props();
        if old.frame.geometry != new.frame.geometry || old.frame.is_empty() {
            let b = SceneBounds::of(&new.frame);
            self.camera = OrbitCamera::framing(b.centre, b.radius);
        }
        self.upload_due = true;
        self.request_draw();
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        if !self.create_due {
            return;
        }
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        self.create_due = false;
        canvas_size(&canvas);
        let link = ctx.link().clone();
        let preference = if self.fallback.is_some() {
            Preference::WebGl2
        } else {
            ctx.props().preference
        };
        let generation = self.generation;
        wasm_bindgen_futures::spawn_local(async move {
            let renderer = Renderer::create(&canvas, preference).await;
            link.send_message(Msg::Ready(generation, renderer));
        });
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let link = ctx.link();
        let (lo, hi) = self.extent(&props.frame);
        let input_value = |e: &Event| {
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value_as_number())
                .unwrap_or(f64::NAN)
        };
        let on_offset = link.callback(move |e: InputEvent| Msg::SliceOffset(input_value(&e)));
        let on_thickness = link.callback(move |e: Event| Msg::SliceThickness(input_value(&e)));
        let on_slice = link.callback(|e: Event| {
            Msg::SliceOn(
                e.target_dyn_into::<HtmlInputElement>()
                    .is_some_and(|i| i.checked()),
            )
        });
        let on_normal = link.callback(|e: Event| {
            Msg::SliceNormal(
                e.target_dyn_into::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default(),
            )
        });
        html! {
            <figure class="particle-view">
                <canvas key={self.generation} ref={self.canvas.clone()} class="particle-canvas" tabindex="0"
                    role="img"
                    aria-label="3D view of the particles. Drag or use the arrow keys to rotate, the wheel or + and - to zoom."
                    style={format!("width:100%;height:{}px;touch-action:none;display:block", props.height)}
                    onpointerdown={link.callback(Msg::PointerDown)}
                    onpointermove={link.callback(Msg::PointerMove)}
                    onpointerup={link.callback(|_| Msg::PointerUp)}
                    onpointercancel={link.callback(|_| Msg::PointerUp)}
                    onwheel={link.callback(Msg::Wheel)}
                    onkeydown={link.callback(Msg::Key)} />
                <figcaption class="view-controls">
                    <span class="legend">{ legend(&props.frame, &props.colouring) }</span>
                    <label>
                        <input type="checkbox" checked={self.slice_on} onchange={on_slice} />
                        { " Slice" }
                    </label>
                    <label>{ "normal " }
                        <select onchange={on_normal} disabled={!self.slice_on}>
                            { for NORMALS.iter().enumerate().map(|(i, (name, _))| html! {
                                <option value={*name} selected={i == self.normal}>{ *name }</option>
                            }) }
                        </select>
                    </label>
                    <label>{ "offset (σ) " }
                        <input type="range" min={format!("{lo:.3}")} max={format!("{hi:.3}")}
                            step="0.05" value={format!("{:.3}", self.offset)}
                            disabled={!self.slice_on} oninput={on_offset} />
                    </label>
                    <label>{ "thickness (σ) " }
                        <input type="number" min="0.1" step="0.1"
                            value={format!("{:.2}", self.thickness)}
                            disabled={!self.slice_on} onchange={on_thickness} />
                    </label>
                    <button onclick={link.callback(|_| Msg::ResetView)}>{ "Reset view" }</button>
                    <button onclick={link.callback(|_| Msg::DownloadPng)}>{ "Download PNG" }</button>
                    <span class="view-status" aria-live="polite">
                        { format!("{} · {} of {} particles shown", self.status, self.shown, props.frame.len()) }
                    </span>
                </figcaption>
            </figure>
        }
    }
}
