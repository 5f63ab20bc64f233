//! Waiting with a bound in the browser. A browser whose GPU process is unhappy may take a
//! request (an adapter, a device, a first frame) and never answer (the 3D view once hung that
//! way in CI); a run must then go on on the CPU, and the view on WebGL2, instead of waiting
//! for ever. Natively (wgpu on Vulkan) requests answer or fail, and no limit is applied.

use std::future::Future;
use std::task::Poll;

/// How long opening the browser's WebGPU device and uploading the system may take (ms) before
/// the run stays on the CPU with a notice.
pub const GPU_SETUP_LIMIT_MS: u32 = 30_000;

/// Which of two futures finished first, with its output.
#[derive(Debug)]
pub enum First<A, B> {
    /// The first one.
    A(A),
    /// The second one.
    B(B),
}

/// Runs `a` and `b` together and returns the output of whichever finishes first (`a` when
/// both are ready at once); the other is dropped.
pub async fn first<A: Future, B: Future>(a: A, b: B) -> First<A::Output, B::Output> {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(First::A(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(First::B(y));
        }
        Poll::Pending
    })
    .await
}

/// What a wait that ran out says: "the browser did not answer within 30 s".
#[must_use]
pub fn no_answer(limit_ms: u32) -> String {
    format!(
        "the browser did not answer within {} s",
        f64::from(limit_ms) / 1000.0
    )
}

/// `work`, or `overdue()` when it has not finished within `limit_ms` (browser only).
pub async fn within<T, E>(
    limit_ms: u32,
    work: impl Future<Output = Result<T, E>>,
    overdue: impl FnOnce() -> E,
) -> Result<T, E> {
    #[cfg(target_arch = "wasm32")]
    {
        match first(work, sleep_ms(limit_ms)).await {
            First::A(done) => done,
            First::B(()) => Err(overdue()),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (limit_ms, overdue);
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{first, First};

    #[test]
    fn first_returns_the_future_that_is_ready() {
        let pending = std::future::pending::<u8>();
        let got = pollster::block_on(first(pending, async { 7u32 }));
        assert!(matches!(got, First::B(7)), "{got:?}");
        let got = pollster::block_on(first(async { 1u8 }, async { 2u32 }));
        assert!(matches!(got, First::A(1)), "{got:?}");
    }
}
