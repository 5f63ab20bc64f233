//! The page shell, mounted in headless Chromium: routing by hash, the four tabs, the status
//! bar's version.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use bnsl::app::{start_in, ComputeEngine, Tab};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Waits `ms` milliseconds, letting Yew render.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn text_of(root: &web_sys::Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
}

#[wasm_bindgen_test]
fn hashes_name_tabs() {
    for tab in Tab::ALL {
        assert_eq!(Tab::from_hash(&tab.hash()), tab);
        assert_eq!(Tab::from_hash(&format!("#{}", tab.slug())), tab);
        assert_eq!(Tab::from_hash(&format!("{}?q=1", tab.hash())), tab);
    }
    assert_eq!(Tab::from_hash(""), Tab::Simulate);
    assert_eq!(Tab::from_hash("#/unknown"), Tab::Simulate);
    assert_eq!(Tab::from_hash("#/saxs/detail"), Tab::SaxsFit);
    let slugs: Vec<_> = Tab::ALL.iter().map(|t| t.slug()).collect();
    assert_eq!(slugs, ["simulate", "analyse", "phase", "saxs"]);
}

#[wasm_bindgen_test]
fn engine_labels_say_what_runs() {
    assert_eq!(
        ComputeEngine::WebGpu("google/swiftshader".into()).label(),
        "WebGPU (google/swiftshader)"
    );
    assert_eq!(
        ComputeEngine::Cpu("no WebGPU in this browser".into()).label(),
        "CPU (no WebGPU in this browser)"
    );
}

#[wasm_bindgen_test]
async fn shell_renders_four_tabs_and_follows_the_hash() {
    let window = web_sys::window().unwrap();
    let document = window.document().unwrap();
    window.location().set_hash("#/phase").unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    start_in(root.clone());
    sleep(50).await;

    let tabs = root.query_selector_all("[role=tab]").unwrap();
    assert_eq!(tabs.length(), 4);
    let titles: Vec<String> = (0..tabs.length())
        .map(|i| tabs.get(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(titles, ["Simulate", "Analyse", "Phase diagram", "SAXS fit"]);
    assert_eq!(
        text_of(&root, "[aria-selected=true]").as_deref(),
        Some("Phase diagram")
    );
    assert_eq!(
        text_of(&root, "#status-version"),
        Some(format!("BNSL Studio v{}", bnsl::VERSION))
    );

    // A hash change (a link, the back button) switches the tab.
    window.location().set_hash("#/saxs").unwrap();
    let hashchange = JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let once = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        window
            .add_event_listener_with_callback("hashchange", once.unchecked_ref())
            .unwrap();
    }));
    hashchange.await.unwrap();
    sleep(50).await;
    assert_eq!(
        text_of(&root, "[aria-selected=true]").as_deref(),
        Some("SAXS fit")
    );
    assert_eq!(text_of(&root, "main h2").as_deref(), Some("SAXS fit"));
}
