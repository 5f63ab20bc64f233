//! Small helpers for calling browser APIs that web-sys only exposes behind unstable flags
//! (WebGPU) through `js_sys::Reflect`.

use super::error::RenderError;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `target[key]`, or `undefined`.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A plain object `{ key: value, … }`.
pub fn obj(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        // Setting a property on a fresh plain object cannot throw.
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

/// A JavaScript array of the given values.
pub fn array(items: &[JsValue]) -> JsValue {
    items.iter().collect::<Array>().into()
}

/// `target.method(...args)`; `what` names the step in the error.
pub fn call(
    target: &JsValue,
    method: &str,
    args: &[JsValue],
    what: &'static str,
) -> Result<JsValue, RenderError> {
    let f: Function = get(target, method)
        .dyn_into()
        .map_err(|_| RenderError::api(what, format!("no method {method}")))?;
    let args: Array = args.iter().collect();
    f.apply(target, &args)
        .map_err(|e| RenderError::js(what, &e))
}

/// Awaits a promise (or passes a plain value through).
pub async fn settle(value: JsValue, what: &'static str) -> Result<JsValue, RenderError> {
    let promise = js_sys::Promise::resolve(&value);
    JsFuture::from(promise)
        .await
        .map_err(|e| RenderError::js(what, &e))
}

/// Milliseconds from the page's clock (`performance.now()`), 0 without one.
#[must_use]
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Gives the main thread back to the page for one turn of the event loop.
pub async fn yield_to_page() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        } else {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}
