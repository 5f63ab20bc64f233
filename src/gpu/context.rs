//! The wgpu device the GPU path runs on: Vulkan natively (lavapipe in CI), WebGPU in the
//! browser; and the one read-back helper (a oneshot channel filled by `map_async`, with
//! `device.poll` only natively, where nothing else drives the callbacks).

use super::GpuError;
use std::sync::{Arc, Mutex};

/// An opened device and queue, with the adapter's name and a sink for uncaptured device errors.
#[derive(Debug, Clone)]
pub struct GpuContext {
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// Adapter name and backend, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan, Cpu)".
    pub adapter: String,
    errors: Arc<Mutex<Option<String>>>,
}

impl GpuContext {
    /// Opens the default adapter's device (high performance preferred).
    ///
    /// # Errors
    /// [`GpuError::NoAdapter`] when no adapter exists, [`GpuError::Device`] when it refuses.
    pub async fn new() -> Result<Self, GpuError> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        // wgpu's WebGPU backend names the adapter only by its (often empty) description; the
        // browser's GPUAdapterInfo has vendor and architecture, as the page's status bar shows.
        let wgpu_name = || {
            let name = if info.name.is_empty() {
                "unnamed adapter"
            } else {
                info.name.as_str()
            };
            format!("{name} ({:?}, {:?})", info.backend, info.device_type)
        };
        #[cfg(target_arch = "wasm32")]
        let adapter_name = match requested_adapter_label().await {
            Some(name) => name,
            None => wgpu_name(),
        };
        #[cfg(not(target_arch = "wasm32"))]
        let adapter_name = wgpu_name();
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("bnsl-md"),
                required_features: wgpu::Features::empty(),
                required_limits: wgpu::Limits::default(),
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::Device(e.to_string()))?;
        let errors: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let sink = Arc::clone(&errors);
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            if let Ok(mut slot) = sink.lock() {
                slot.get_or_insert_with(|| e.to_string());
            }
        }));
        let lost = Arc::clone(&errors);
        device.set_device_lost_callback(move |reason, msg| {
            if let Ok(mut slot) = lost.lock() {
                slot.get_or_insert_with(|| format!("device lost ({reason:?}): {msg}"));
            }
        });
        Ok(Self {
            device,
            queue,
            adapter: adapter_name,
            errors,
        })
    }

    /// The first device error since the last call, if any.
    #[must_use]
    pub fn take_error(&self) -> Option<String> {
        self.errors.lock().ok().and_then(|mut e| e.take())
    }

    /// Copies `size` bytes of `src` from `offset` into a staging buffer and reads them back.
    ///
    /// # Errors
    /// [`GpuError::Readback`] when mapping fails, [`GpuError::Backend`] on a device error.
    pub async fn read_bytes(
        &self,
        src: &wgpu::Buffer,
        offset: u64,
        size: u64,
    ) -> Result<Vec<u8>, GpuError> {
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("bnsl-readback"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut enc = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        enc.copy_buffer_to_buffer(src, offset, &staging, 0, size);
        self.queue.submit([enc.finish()]);
        let (tx, rx) = futures_channel::oneshot::channel();
        staging.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        #[cfg(not(target_arch = "wasm32"))]
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| GpuError::Backend(e.to_string()))?;
        let mapped = rx.await.map_err(|e| GpuError::Readback(e.to_string()))?;
        if let Some(e) = self.take_error() {
            return Err(GpuError::Backend(e));
        }
        mapped.map_err(|e| GpuError::Readback(e.to_string()))?;
        let data = staging
            .get_mapped_range(..)
            .map_err(|e| GpuError::Readback(e.to_string()))?
            .to_vec();
        staging.unmap();
        Ok(data)
    }
}

/// Little-endian words of a byte buffer.
#[must_use]
pub fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Bytes of little-endian words.
#[must_use]
pub fn bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// The name of a WebGPU adapter from its `GPUAdapterInfo` fields: `vendor/architecture`,
/// else the vendor, else the description, else "unnamed adapter" (the status bar and the
/// Simulate tab show the same name).
#[must_use]
pub fn adapter_label(vendor: &str, architecture: &str, description: &str) -> String {
    match (vendor.is_empty(), architecture.is_empty()) {
        (false, false) => format!("{vendor}/{architecture}"),
        (false, true) => vendor.to_owned(),
        _ if !description.is_empty() => description.to_owned(),
        _ => "unnamed adapter".to_owned(),
    }
}

/// [`adapter_label`] of a browser `GPUAdapter` (from its `info`: vendor, architecture,
/// description). The status bar, the 3D view and the Simulate tab all name adapters this way.
#[cfg(target_arch = "wasm32")]
#[must_use]
pub fn browser_adapter_label(adapter: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsValue;
    let get = |o: &JsValue, k: &str| {
        js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    };
    let info = get(adapter, "info");
    let field = |k: &str| get(&info, k).as_string().unwrap_or_default();
    adapter_label(
        &field("vendor"),
        &field("architecture"),
        &field("description"),
    )
}

/// [`browser_adapter_label`] of the adapter `navigator.gpu.requestAdapter()` gives in this
/// global scope (window or worker); `None` without WebGPU. wgpu's WebGPU backend does not hand
/// out its `GPUAdapter`, so this asks the browser once more, for the name alone.
#[cfg(target_arch = "wasm32")]
async fn requested_adapter_label() -> Option<String> {
    use wasm_bindgen::{JsCast, JsValue};
    let get = |o: &JsValue, k: &str| {
        js_sys::Reflect::get(o, &JsValue::from_str(k))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let gpu = get(&get(&js_sys::global().into(), "navigator")?, "gpu")?;
    let request: js_sys::Function = get(&gpu, "requestAdapter")?.dyn_into().ok()?;
    let promise: js_sys::Promise = request.call0(&gpu).ok()?.dyn_into().ok()?;
    let adapter = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    if adapter.is_null() || adapter.is_undefined() {
        return None;
    }
    Some(browser_adapter_label(&adapter))
}

#[cfg(test)]
mod tests {
    use super::adapter_label;

    #[test]
    fn adapter_labels_prefer_vendor_and_architecture() {
        assert_eq!(
            adapter_label("google", "swiftshader", ""),
            "google/swiftshader"
        );
        assert_eq!(adapter_label("apple", "", "M2"), "apple");
        assert_eq!(adapter_label("", "x", "Some GPU"), "Some GPU");
        assert_eq!(adapter_label("", "", ""), "unnamed adapter");
    }
}
