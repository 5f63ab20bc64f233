//! SVG to PNG in the browser: the SVG is loaded as an image and drawn on a canvas at twice its
//! size (sharp on high-density screens and in papers).

use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement, Url,
};

/// Pixels per SVG pixel in the PNG.
const SCALE: f64 = 2.0;

/// Renders `svg` (of size `width`×`height` px) to PNG bytes.
pub async fn svg_to_png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob =
        Blob::new_with_str_sequence_and_options(&Array::of1(&JsValue::from_str(svg)), &options)
            .map_err(|_| "could not wrap the SVG".to_string())?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL".to_string())?;
    let image = HtmlImageElement::new().map_err(|_| "no image element".to_string())?;
    let loaded = Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let outcome = JsFuture::from(loaded).await;
    let _ = Url::revoke_object_url(&url);
    outcome.map_err(|_| "the browser could not draw the SVG".to_string())?;

    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "no document".to_string())?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| "no canvas".to_string())?
        .unchecked_into();
    let (w, h) = (f64::from(width) * SCALE, f64::from(height) * SCALE);
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or_else(|| "no 2D canvas context".to_string())?
        .unchecked_into();
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h)
        .map_err(|_| "could not draw the plot on the canvas".to_string())?;

    let png = Promise::new(&mut |resolve, reject| {
        let refuse = reject.clone();
        let done = Closure::once_into_js(move |blob: JsValue| {
            if blob.is_null() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("empty canvas"));
            } else {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            }
        });
        if canvas.to_blob(done.unchecked_ref()).is_err() {
            let _ = refuse.call1(&JsValue::NULL, &JsValue::from_str("canvas refused"));
        }
    });
    let blob: Blob = JsFuture::from(png)
        .await
        .map_err(|_| "the browser could not encode the PNG".to_string())?
        .unchecked_into();
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| "could not read the PNG".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
