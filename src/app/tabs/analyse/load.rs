//! Getting a trajectory's bytes into the tab: a dropped or picked file, a bundled example
//! fetched from the site, or a synthetic example built by the lattice builder in the page.

use crate::analysis::workload::perturbation_series;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The bundled example written by our engine (`www/examples/analyse_seeded_alb2.toml`).
pub const SEEDED_EXAMPLE: &str = "examples/analyse_seeded_alb2.gsd";

/// The bytes of a browser `File`.
pub async fn file_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| {
        format!(
            "{}: the browser could not read the file ({e:?})",
            file.name()
        )
    })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The bytes at a URL relative to the page.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("{url}: could not be fetched ({e:?})"))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("{url}: not an HTTP response"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let promise = response
        .array_buffer()
        .map_err(|e| format!("{url}: {e:?}"))?;
    let buffer = JsFuture::from(promise)
        .await
        .map_err(|e| format!("{url}: {e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A synthetic "melting" trajectory: one AlB₂ crystal (864 particles) with Gaussian noise
/// growing frame by frame, as GSD bytes.
pub fn melting_example() -> Result<Vec<u8>, String> {
    let sigmas: Vec<f64> = (0..12).map(|k| 0.025 * f64::from(k)).collect();
    let frames = perturbation_series([6, 4, 6], &sigmas, 5);
    crate::io::gsd::write_trajectory(&frames).map_err(|e| e.to_string())
}
