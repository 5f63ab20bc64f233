//! The page's Web Worker (wasm only): runs the jobs of `bnsl::jobs` off the main thread.
//! Trunk builds it beside the page (`index.html`, `data-type="worker"`). Natively it does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    bnsl::app::worker::run_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bnsl-worker is the page's Web Worker; run it in a browser (bash scripts/serve.sh).");
}
