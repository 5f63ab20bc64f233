//! The status bar: the version, the compute engine in use (WebGPU with the adapter's name, or
//! the CPU with the reason) and the engine switch, whose choice persists in `localStorage`
//! (`super::engine`).

use super::engine::{effective_engine, engine_choice, set_engine_choice};
use super::ComputeEngine;
use crate::gpu::Device;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Properties of [`StatusBar`].
#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    /// The engine the browser offers (the result of `detect_engine`).
    pub engine: ComputeEngine,
}

/// The bar at the foot of the page.
#[function_component(StatusBar)]
pub fn status_bar(props: &StatusBarProps) -> Html {
    let choice = use_state(engine_choice);
    let shown = effective_engine(&props.engine, *choice);
    let has_gpu = matches!(props.engine, ComputeEngine::WebGpu(_));
    let onchange = {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(device) = Device::parse(&select.value()) {
                set_engine_choice(device);
                choice.set(device);
            }
        })
    };
    let selected = if has_gpu { *choice } else { Device::Cpu };
    html! {
        <footer class="status-bar" role="status" aria-live="polite">
            <span id="status-version">{ format!("BNSL Studio v{}", crate::VERSION) }</span>
            <span id="status-engine">{ format!("compute: {}", shown.label()) }</span>
            <label class="engine-switch">
                { "engine " }
                <select id="engine-choice" aria-label="Compute engine" {onchange}
                        disabled={!has_gpu}
                        title={if has_gpu { "Where simulations run" } else { "No WebGPU adapter: the CPU runs every simulation" }}>
                    <option value="gpu" selected={selected == Device::Gpu}>{ "WebGPU" }</option>
                    <option value="cpu" selected={selected == Device::Cpu}>{ "CPU" }</option>
                </select>
            </label>
        </footer>
    }
}
