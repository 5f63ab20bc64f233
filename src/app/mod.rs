//! The Yew page (wasm only): the shell with its four tabs and the status bar.
//!
//! Each tab lives in its own module under [`tabs`]; the page only routes between them.

mod engine;
pub mod kit;
mod route;
mod shell;
mod status;
pub mod storage;
pub mod tabs;
pub mod view3d;
pub mod worker;

pub use engine::{
    debug_lose_gpu_at_step, detect_engine, detected_engine, effective_engine, engine_choice,
    preferred_device, set_engine_choice, ComputeEngine, CHOICE_EVENT, CHOICE_KEY,
    DEBUG_LOSE_GPU_KEY,
};
pub use route::Tab;
pub use shell::Shell;

/// Mounts the page on the document body.
pub fn start() {
    yew::Renderer::<Shell>::new().render();
}

/// Mounts the page inside `root` (the browser tests mount it in a fresh element).
pub fn start_in(root: web_sys::Element) {
    yew::Renderer::<Shell>::with_root(root).render();
}
