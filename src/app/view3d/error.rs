//! Why the 3D view could not render.

use thiserror::Error;
use wasm_bindgen::JsValue;

/// A failure to set up or use a rendering backend, with the browser's words when it gave any.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum RenderError {
    /// The browser has no such backend (no WebGPU adapter, no WebGL2 context).
    #[error("{0} is not available in this browser")]
    Unavailable(&'static str),
    /// A call into the graphics API failed.
    #[error("{what}: {detail}")]
    Api {
        /// What was being done.
        what: &'static str,
        /// The browser's message.
        detail: String,
    },
}

impl RenderError {
    /// Wraps a JavaScript exception thrown while doing `what`.
    #[must_use]
    pub fn js(what: &'static str, err: &JsValue) -> Self {
        let detail = err
            .as_string()
            .or_else(|| {
                js_sys::Reflect::get(err, &JsValue::from_str("message"))
                    .ok()
                    .and_then(|m| m.as_string())
            })
            .unwrap_or_else(|| format!("{err:?}"));
        RenderError::Api { what, detail }
    }

    /// An API failure with a message of our own.
    #[must_use]
    pub fn api(what: &'static str, detail: impl Into<String>) -> Self {
        RenderError::Api {
            what,
            detail: detail.into(),
        }
    }
}
