//! A time limit for the GPU set-up in the browser. A browser whose GPU process is unhappy may
//! take a request for an adapter or a device and never answer (the 3D view once hung that way
//! in CI); a run must then go on on the CPU instead of waiting for ever. Natively (wgpu on
//! Vulkan) requests answer or fail, and the limit is not applied.

use super::GpuError;
use std::future::Future;

/// How long opening the browser's WebGPU device and uploading the system may take (ms) before
/// the run stays on the CPU with a notice.
pub const GPU_SETUP_LIMIT_MS: u32 = 30_000;

/// `work`, or [`GpuError::Device`] saying it did not answer within `limit_ms` (browser only).
pub async fn within<T>(
    limit_ms: u32,
    work: impl Future<Output = Result<T, GpuError>>,
) -> Result<T, GpuError> {
    #[cfg(target_arch = "wasm32")]
    {
        use std::task::Poll;
        let mut work = std::pin::pin!(work);
        let mut timer = std::pin::pin!(sleep_ms(limit_ms));
        std::future::poll_fn(|cx| {
            if let Poll::Ready(r) = work.as_mut().poll(cx) {
                return Poll::Ready(r);
            }
            if timer.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(GpuError::Device(format!(
                    "the browser did not answer within {} s",
                    f64::from(limit_ms) / 1000.0
                ))));
            }
            Poll::Pending
        })
        .await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = limit_ms;
        work.await
    }
}

/// Resolves after `ms` milliseconds (`setTimeout` of the window or worker); never, where the
/// global scope has no `setTimeout`.
#[cfg(target_arch = "wasm32")]
async fn sleep_ms(ms: u32) {
    use wasm_bindgen::{JsCast, JsValue};
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        if let Some(set_timeout) = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = set_timeout.call2(&global, &resolve, &JsValue::from(ms));
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
