//! Which compute engine the page uses: WebGPU when the browser gives an adapter, else the CPU.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The compute engine the page runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComputeEngine {
    /// Still asking the browser for a WebGPU adapter.
    Detecting,
    /// WebGPU, with the adapter's name (vendor/architecture or description).
    WebGpu(String),
    /// The CPU path, with the reason WebGPU is not used.
    Cpu(String),
}

impl ComputeEngine {
    /// The label the status bar shows.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            ComputeEngine::Detecting => "detecting…".to_owned(),
            ComputeEngine::WebGpu(name) => format!("WebGPU ({name})"),
            ComputeEngine::Cpu(why) => format!("CPU ({why})"),
        }
    }
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn adapter_name(adapter: &JsValue) -> String {
    let info = get(adapter, "info");
    let field = |k: &str| get(&info, k).as_string().unwrap_or_default();
    let (vendor, arch, desc) = (field("vendor"), field("architecture"), field("description"));
    match (vendor.is_empty(), arch.is_empty()) {
        (false, false) => format!("{vendor}/{arch}"),
        (false, true) => vendor,
        _ if !desc.is_empty() => desc,
        _ => "unnamed adapter".to_owned(),
    }
}

/// Asks `navigator.gpu` for an adapter. Never fails: any problem means the CPU path.
pub async fn detect_engine() -> ComputeEngine {
    let Some(window) = web_sys::window() else {
        return ComputeEngine::Cpu("no window".to_owned());
    };
    let gpu = get(&window.navigator(), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return ComputeEngine::Cpu("no WebGPU in this browser".to_owned());
    }
    let request = get(&gpu, "requestAdapter");
    let Ok(request) = request.dyn_into::<js_sys::Function>() else {
        return ComputeEngine::Cpu("no WebGPU in this browser".to_owned());
    };
    let Ok(promise) = request.call0(&gpu) else {
        return ComputeEngine::Cpu("WebGPU refused".to_owned());
    };
    match JsFuture::from(js_sys::Promise::from(promise)).await {
        Ok(adapter) if !adapter.is_null() && !adapter.is_undefined() => {
            ComputeEngine::WebGpu(adapter_name(&adapter))
        }
        _ => ComputeEngine::Cpu("no WebGPU adapter".to_owned()),
    }
}
