//! The status bar: the version and the compute engine in use.

use super::ComputeEngine;
use yew::prelude::*;

/// Properties of [`StatusBar`].
#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    /// The engine the page runs on.
    pub engine: ComputeEngine,
}

/// The bar at the foot of the page.
#[function_component(StatusBar)]
pub fn status_bar(props: &StatusBarProps) -> Html {
    html! {
        <footer class="status-bar" role="status" aria-live="polite">
            <span id="status-version">{ format!("BNSL Studio v{}", crate::VERSION) }</span>
            <span id="status-engine">{ format!("compute: {}", props.engine.label()) }</span>
        </footer>
    }
}
