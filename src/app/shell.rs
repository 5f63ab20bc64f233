//! The page's shell: title, tab bar, the open tab, the status bar. The open tab follows the
//! location hash, so the back button and shared links work.
//!
//! The tab bar follows the WAI-ARIA tabs pattern: one Tab stop (the open tab), arrow keys,
//! Home and End move between tabs and open them; Enter on a focused tab opens it too.

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

/// Opens `tab` by setting the location hash (the hashchange listener re-renders) and moves the
/// keyboard focus to its tab button.
fn open_and_focus(tab: Tab) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let _ = window.location().set_hash(&tab.hash());
    let element = window
        .document()
        .and_then(|d| d.get_element_by_id(&tab_id(tab)))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

fn tab_id(tab: Tab) -> String {
    format!("tab-{}", tab.slug())
}

/// The tab a key press in the tab bar moves to, if the key is one of the tab bar's keys.
fn tab_for_key(open: Tab, key: &str) -> Option<Tab> {
    let last = Tab::ALL.len() - 1;
    let index = Tab::ALL.iter().position(|t| *t == open).unwrap_or(0);
    let to = match key {
        "ArrowRight" => (index + 1) % Tab::ALL.len(),
        "ArrowLeft" => (index + last) % Tab::ALL.len(),
        "Home" => 0,
        "End" => last,
        _ => return None,
    };
    Some(Tab::ALL[to])
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

    let onkeydown = {
        let open = *tab;
        Callback::from(move |e: KeyboardEvent| {
            if let Some(to) = tab_for_key(open, &e.key()) {
                e.prevent_default();
                open_and_focus(to);
            }
        })
    };

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
                <nav class="tabs" role="tablist" aria-label="Sections" {onkeydown}>
                    { for Tab::ALL.into_iter().map(|t| {
                        let open = t == *tab;
                        html! {
                            <a role="tab" class={classes!("tab", open.then_some("active"))}
                               aria-selected={open.to_string()} aria-controls="tab-panel"
                               tabindex={if open { "0" } else { "-1" }}
                               href={t.hash()} id={tab_id(t)}>{ t.title() }</a>
                        }
                    }) }
                </nav>
            </header>
            <main class="tab-body" id="tab-panel" role="tabpanel" tabindex="0"
                  aria-labelledby={tab_id(*tab)}>
                { body }
            </main>
            <StatusBar engine={(*engine).clone()} />
        </div>
    }
}
