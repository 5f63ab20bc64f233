//! The 3D view in a real browser (wasm-bindgen-test, headless Chromium): an ideal AlB₂ crystal
//! coloured with the paper's Fig. 4b,c scheme is rendered through WebGL2 and through WebGPU into
//! a detached canvas and read back; the centre pixel is a particle, blue, pink and grey all
//! show, and depth is resolved by the hit point, not by draw order. A 27,000-particle frame
//! measures the frame rate (printed, not asserted). WebGPU needs the browser flags in
//! webdriver.json (`--use-angle=swiftshader --use-vulkan=swiftshader --enable-features=Vulkan`):
//! without them Chromium's GPU process cannot back a WebGPU canvas on SwiftShader.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use bnsl::app::view3d::{GpuRenderer, Pixels, Preference, Renderer};
use bnsl::lattice::{crystal, Diameters, UnitCell};
use bnsl::model::{Frame, Geometry};
use bnsl::view::{fig4_labels, pack_instances, Colouring, OrbitCamera, Rgb, SceneBounds};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    canvas
}

/// An AlB₂ block whose large particles with x < 0 are "crystalline"; small particles touching
/// one of them are pink, the rest grey.
fn fig4_crystal() -> (Frame, Colouring) {
    let frame = crystal(&UnitCell::alb2(1.0, 1.0), [4, 3, 4], Diameters::PAPER);
    let crystalline: Vec<bool> = frame.positions.iter().map(|p| p[0] < 0.0).collect();
    let mut pairs = Vec::new();
    for i in 0..frame.len() {
        for j in i + 1..frame.len() {
            let d2: f64 = (0..3)
                .map(|k| (frame.positions[i][k] - frame.positions[j][k]).powi(2))
                .sum();
            if d2 < 0.9 * 0.9 {
                pairs.push((i, j));
            }
        }
    }
    let labels = fig4_labels(&frame.typeid, 0, &crystalline, &pairs).unwrap();
    (frame, Colouring::Fig4(labels))
}

#[derive(Debug, Default)]
struct Counts {
    background: usize,
    blue: usize,
    pink: usize,
    grey: usize,
}

fn classify(px: &Pixels) -> Counts {
    let bg = Rgb::BACKGROUND.to_bytes();
    let mut c = Counts::default();
    for p in px.rgba.chunks_exact(4) {
        let [r, g, b] = [p[0], p[1], p[2]].map(i32::from);
        if [p[0], p[1], p[2]] == bg {
            c.background += 1;
        } else if b > r + 60 && b > g + 40 {
            c.blue += 1;
        } else if r > g + 60 && b > g + 20 {
            c.pink += 1;
        } else if (r - g).abs() < 8 && (g - b).abs() < 8 {
            c.grey += 1;
        }
    }
    c
}

/// Draws `frame` on a fresh `width` × `height` canvas through `preference` and reads the
/// pixels back, with the renderer's label.
async fn render(
    frame: &Frame,
    colouring: &Colouring,
    camera: &OrbitCamera,
    (width, height): (u32, u32),
    preference: Preference,
) -> (Pixels, String) {
    let instances = pack_instances(frame, colouring, None).unwrap();
    let canvas = canvas(width, height);
    let mut renderer = Renderer::create(&canvas, preference).await.unwrap();
    renderer.upload(&instances).unwrap();
    let px = renderer
        .render_pixels(camera, Rgb::BACKGROUND)
        .await
        .unwrap();
    (px, renderer.label())
}

async fn render_fig4(preference: Preference) -> (Pixels, String) {
    let (frame, colouring) = fig4_crystal();
    let bounds = SceneBounds::of(&frame);
    let camera = OrbitCamera::framing(bounds.centre, bounds.radius);
    render(&frame, &colouring, &camera, (320, 240), preference).await
}

fn check_fig4(px: &Pixels, label: &str) {
    assert_eq!((px.width, px.height), (320, 240));
    let centre = px.at(160, 120).unwrap();
    let bg = Rgb::BACKGROUND.to_bytes();
    assert_ne!(
        [centre[0], centre[1], centre[2]],
        bg,
        "{label}: centre is background"
    );
    let c = classify(px);
    console_log!("{label}: {c:?}");
    let total = (px.width * px.height) as usize;
    assert!(c.background > total / 20, "{label}: {c:?}");
    for (name, n) in [("blue", c.blue), ("pink", c.pink), ("grey", c.grey)] {
        assert!(n > total / 100, "{label}: too few {name} pixels: {c:?}");
    }
}

#[wasm_bindgen_test]
async fn webgl2_draws_the_fig4_colours() {
    let (px, label) = render_fig4(Preference::WebGl2).await;
    assert_eq!(label, "WebGL2");
    check_fig4(&px, &label);
}

#[wasm_bindgen_test]
async fn webgpu_draws_the_fig4_colours() {
    let (px, label) = render_fig4(Preference::WebGpu).await;
    assert!(label.starts_with("WebGPU"));
    check_fig4(&px, &label);
}

/// Two overlapping spheres: the one nearer the eye shows at the centre whatever the order
/// they are drawn in, so depth comes from the ray–sphere hit.
async fn nearer_sphere_wins(preference: Preference) {
    let camera = OrbitCamera::framing([0.0; 3], 2.0);
    let eye = camera.eye();
    let dist = eye.iter().map(|x| x * x).sum::<f64>().sqrt();
    let towards = eye.map(|x| 0.6 * x / dist);
    for order in [[0, 1], [1, 0]] {
        let spheres = [([0.0; 3], 0u32), (towards, 1u32)];
        let frame = Frame {
            step: 0,
            geometry: Geometry::Open { radius: None },
            types: vec!["L".into(), "S".into()],
            positions: order.iter().map(|&k| spheres[k].0).collect(),
            typeid: order.iter().map(|&k| spheres[k].1).collect(),
            diameters: vec![2.0, 2.0],
            velocities: None,
            images: None,
        };
        let (px, label) = render(&frame, &Colouring::Species, &camera, (64, 64), preference).await;
        let c = px.at(32, 32).unwrap();
        // Type 1 is teal (green and blue above red); type 0 is orange (red above blue).
        assert!(
            i32::from(c[1]) > i32::from(c[0]) + 40,
            "{label}: centre {c:?} is not the nearer (teal) sphere, order {order:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn webgl2_depth_follows_the_hit_point() {
    nearer_sphere_wins(Preference::WebGl2).await;
}

#[wasm_bindgen_test]
async fn webgpu_depth_follows_the_hit_point() {
    nearer_sphere_wins(Preference::WebGpu).await;
}

/// 27,000 particles (15 × 15 × 20 orthorhombic AlB₂ cells of 6), 800 × 600 pixels.
async fn frame_rate(preference: Preference) -> (f64, String) {
    let frame = crystal(&UnitCell::alb2(1.0, 1.0), [15, 15, 20], Diameters::PAPER);
    assert_eq!(frame.len(), 27_000);
    let instances = pack_instances(&frame, &Colouring::Species, None).unwrap();
    let bounds = SceneBounds::of(&frame);
    let camera = OrbitCamera::framing(bounds.centre, bounds.radius);
    let canvas = canvas(800, 600);
    let mut renderer = Renderer::create(&canvas, preference).await.unwrap();
    renderer.upload(&instances).unwrap();
    let fps = renderer
        .benchmark_frames(&camera, Rgb::BACKGROUND, 5)
        .await
        .unwrap();
    (fps, renderer.label())
}

#[wasm_bindgen_test]
async fn frame_rate_of_27000_particles_webgl2() {
    let (fps, label) = frame_rate(Preference::WebGl2).await;
    console_log!("BENCH view3d 27000 particles 800x600 {label}: {fps:.2} frames/s");
    assert!(fps > 0.0);
}

#[wasm_bindgen_test]
async fn frame_rate_of_27000_particles_webgpu() {
    let (fps, label) = frame_rate(Preference::WebGpu).await;
    console_log!("BENCH view3d 27000 particles 800x600 {label}: {fps:.2} frames/s");
    assert!(fps > 0.0);
}

/// A lost device is reported (the component falls back to WebGL2 on it), and a second device
/// on a new canvas still works afterwards: the page's WebGPU instance survives.
#[wasm_bindgen_test]
async fn webgpu_reports_a_lost_device_and_a_new_one_still_draws() {
    let gpu = GpuRenderer::new(&canvas(32, 32)).await.unwrap();
    let lost = gpu.device_lost();
    gpu.destroy();
    let why = lost.await;
    assert!(why.starts_with("destroyed"), "{why}");
    drop(gpu);
    let (px, label) = render_fig4(Preference::Auto).await;
    assert!(label.starts_with("WebGPU"), "{label}");
    check_fig4(&px, &label);
}
