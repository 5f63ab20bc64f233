//! WebGPU in headless Chromium: the browser the wasm tests run in (see webdriver.json, which
//! passes `--enable-unsafe-webgpu`) must hand out an adapter through SwiftShader, and the
//! page's engine probe must report it.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use bnsl::app::{detect_engine, ComputeEngine};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
async fn navigator_gpu_gives_an_adapter() {
    let navigator: JsValue = web_sys::window().unwrap().navigator().into();
    let gpu = get(&navigator, "gpu");
    assert!(
        !gpu.is_undefined(),
        "navigator.gpu is missing: is --enable-unsafe-webgpu set?"
    );
    let request: js_sys::Function = get(&gpu, "requestAdapter").dyn_into().unwrap();
    let promise: js_sys::Promise = request.call0(&gpu).unwrap().dyn_into().unwrap();
    let adapter = JsFuture::from(promise).await.unwrap();
    assert!(!adapter.is_null(), "requestAdapter() resolved to null");
    let info = get(&adapter, "info");
    let vendor = get(&info, "vendor").as_string().unwrap_or_default();
    let architecture = get(&info, "architecture").as_string().unwrap_or_default();
    assert!(
        !(vendor.is_empty() && architecture.is_empty()),
        "the adapter has no name"
    );
    let limits = get(&adapter, "limits");
    let invocations = get(&limits, "maxComputeInvocationsPerWorkgroup")
        .as_f64()
        .unwrap();
    assert!(
        invocations >= 256.0,
        "maxComputeInvocationsPerWorkgroup = {invocations}"
    );
}

#[wasm_bindgen_test]
async fn engine_probe_reports_webgpu_with_the_adapter_name() {
    match detect_engine().await {
        ComputeEngine::WebGpu(name) => assert!(!name.is_empty()),
        other => panic!("expected WebGPU, got {}", other.label()),
    }
}
