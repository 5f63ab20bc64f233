//! The page's shell: title, tab bar, the open tab, the status bar. The open tab follows the
//! location hash, so the back button and shared links work.

use super::status::StatusBar;
use super::{detect_engine, tabs, ComputeEngine, Tab};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn current_tab() -> Tab {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Tab::from_hash(&hash)
}

/// The whole page.
#[function_component(Shell)]
pub fn shell() -> Html {
    let tab = use_state(current_tab);
    let engine = use_state(|| ComputeEngine::Detecting);

    {
        let tab = tab.clone();
        use_effect_with((), move |()| {
            let listener = Closure::<dyn Fn()>::new(move || tab.set(current_tab()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    {
        let engine = engine.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move { engine.set(detect_engine().await) });
        });
    }

    let body = match *tab {
        Tab::Simulate => html! { <tabs::simulate::SimulateTab /> },
        Tab::Analyse => html! { <tabs::analyse::AnalyseTab /> },
        Tab::PhaseDiagram => html! { <tabs::phase::PhaseTab /> },
        Tab::SaxsFit => html! { <tabs::saxs::SaxsTab /> },
    };

    html! {
        <div class="app">
            <header class="app-header">
                <h1>{ "BNSL Studio" }</h1>
                <nav class="tabs" role="tablist" aria-label="Sections">
                    { for Tab::ALL.into_iter().map(|t| html! {
                        <a role="tab" class={classes!("tab", (t == *tab).then_some("active"))}
                           aria-selected={(t == *tab).to_string()} href={t.hash()}
                           id={format!("tab-{}", t.slug())}>{ t.title() }</a>
                    }) }
                </nav>
            </header>
            <main class="tab-body" role="tabpanel" aria-labelledby={format!("tab-{}", tab.slug())}>
                { body }
            </main>
            <StatusBar engine={(*engine).clone()} />
        </div>
    }
}
