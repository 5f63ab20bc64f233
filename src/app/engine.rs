//! Which compute engine the page uses: WebGPU when the browser gives an adapter and the user
//! has not chosen the CPU, else the CPU. The user's choice (the control in the status bar) is
//! kept in `localStorage` under [`CHOICE_KEY`]; the Simulate tab asks [`preferred_device`]
//! which device to hand to `gpu::MdDriver`, and may listen for [`CHOICE_EVENT`] on `window`.

use crate::gpu::Device;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The `localStorage` key of the user's engine choice (`"gpu"` or `"cpu"`).
pub const CHOICE_KEY: &str = "bnsl.engine";
/// The event dispatched on `window` when the user changes the engine choice.
pub const CHOICE_EVENT: &str = "bnsl-engine-change";
/// Debug `localStorage` key for fault injection (tests only): a step number after which a
/// GPU run destroys its device, to prove the fall-back to the CPU (see
/// [`debug_lose_gpu_at_step`]). Set it by hand in the browser's console; the page never does.
pub const DEBUG_LOSE_GPU_KEY: &str = "bnsl.debug.loseGpuAtStep";

thread_local! {
    static DETECTED: RefCell<Option<ComputeEngine>> = const { RefCell::new(None) };
}

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

/// Asks `navigator.gpu` for an adapter (once; later calls return the first answer). Never
/// fails: any problem means the CPU path.
pub async fn detect_engine() -> ComputeEngine {
    if let Some(known) = detected_engine() {
        return known;
    }
    let found = probe().await;
    DETECTED.with(|d| *d.borrow_mut() = Some(found.clone()));
    found
}

/// What [`detect_engine`] found, if it has finished.
#[must_use]
pub fn detected_engine() -> Option<ComputeEngine> {
    DETECTED.with(|d| d.borrow().clone())
}

fn local_storage() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    js_sys::Reflect::get(&window, &JsValue::from_str("localStorage"))
        .ok()
        .filter(|s| !s.is_null() && !s.is_undefined())
}

fn call(storage: &JsValue, method: &str, args: &[&str]) -> Option<JsValue> {
    let f: js_sys::Function = get(storage, method).dyn_into().ok()?;
    let result = match args {
        [a] => f.call1(storage, &JsValue::from_str(a)),
        [a, b] => f.call2(storage, &JsValue::from_str(a), &JsValue::from_str(b)),
        _ => return None,
    };
    result.ok()
}

/// The user's engine choice from `localStorage`: [`Device::Cpu`] only if they chose it,
/// else [`Device::Gpu`] ("WebGPU when the browser has it").
#[must_use]
pub fn engine_choice() -> Device {
    local_storage()
        .and_then(|s| call(&s, "getItem", &[CHOICE_KEY]))
        .and_then(|v| v.as_string())
        .and_then(|v| Device::parse(&v))
        .unwrap_or(Device::Gpu)
}

/// Stores the user's engine choice and tells listeners ([`CHOICE_EVENT`] on `window`).
pub fn set_engine_choice(choice: Device) {
    if let Some(s) = local_storage() {
        let _ = call(&s, "setItem", &[CHOICE_KEY, choice.name()]);
    }
    if let Some(w) = web_sys::window() {
        if let Ok(event) = web_sys::Event::new(CHOICE_EVENT) {
            let _ = w.dispatch_event(&event);
        }
    }
}

/// The engine the page runs on, given what the browser offers and the user's choice.
#[must_use]
pub fn effective_engine(detected: &ComputeEngine, choice: Device) -> ComputeEngine {
    match (detected, choice) {
        (ComputeEngine::WebGpu(_), Device::Cpu) => {
            ComputeEngine::Cpu("chosen in the status bar; WebGPU is available".to_owned())
        }
        (other, _) => other.clone(),
    }
}

/// The device the Simulate tab should run on now: the GPU when WebGPU was detected and the
/// user has not chosen the CPU; the CPU otherwise (also while detection is still running).
#[must_use]
pub fn preferred_device() -> Device {
    match detected_engine().map(|d| effective_engine(&d, engine_choice())) {
        Some(ComputeEngine::WebGpu(_)) => Device::Gpu,
        _ => Device::Cpu,
    }
}

/// Fault injection for tests: the step after which the Simulate tab's GPU run loses its
/// device (`jobs::SimulateSpec::lose_gpu_after_steps`), read from `localStorage` under
/// [`DEBUG_LOSE_GPU_KEY`]. `None` unless that key holds a whole number (normal use).
#[must_use]
pub fn debug_lose_gpu_at_step() -> Option<u64> {
    local_storage()
        .and_then(|s| call(&s, "getItem", &[DEBUG_LOSE_GPU_KEY]))
        .and_then(|v| v.as_string())
        .and_then(|v| v.trim().parse().ok())
}

async fn probe() -> ComputeEngine {
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
            ComputeEngine::WebGpu(crate::gpu::browser_adapter_label(&adapter))
        }
        _ => ComputeEngine::Cpu("no WebGPU adapter".to_owned()),
    }
}
