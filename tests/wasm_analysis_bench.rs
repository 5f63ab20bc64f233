//! Browser timing of the issue #4 analysis workload (`analysis::workload`): one
//! 27,000-particle perturbed AlB₂ frame, the 20 nearest neighbours and q8 of every large
//! particle and the AlB₂ classification (with its guard) — the same work `bnsl bench
//! analysis` times natively. Prints `BENCH analysis-wasm …` lines; run it with
//! `bash scripts/bench-analysis-browser.sh` (release build, headless Chromium).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use bnsl::analysis::workload::benchmark_frame;
use bnsl::analysis::{crystalline_fraction, Classifier, NeighborQuery, Steinhardt, TypeFilter};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const REPEATS: usize = 5;

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Gives the browser a macrotask turn (the test runner polls the page between repeats).
async fn yield_to_browser() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn alb2_classification_of_27000_particles() {
    let frame = benchmark_frame(27_000, 1);
    let classifier = Classifier::alb2();
    let mut best = [f64::INFINITY; 3];
    let mut fraction = 0.0;
    for _ in 0..REPEATS {
        yield_to_browser().await;
        let t0 = now_ms();
        fraction = crystalline_fraction(&frame, &classifier).unwrap();
        best[0] = best[0].min(now_ms() - t0);
        let t0 = now_ms();
        let query = NeighborQuery::from_frame(&frame).unwrap();
        let list = query
            .nearest(
                20,
                &TypeFilter {
                    centres: Some(vec![0]),
                    neighbors: None,
                },
            )
            .unwrap();
        best[1] = best[1].min(now_ms() - t0);
        let t0 = now_ms();
        let q8 = Steinhardt::new(8).unwrap().compute(&list).unwrap();
        best[2] = best[2].min(now_ms() - t0);
        assert_eq!(q8.ql.len(), 9_000);
    }
    // The same fraction as natively (docs/analysis.md: 0.77544).
    assert!((fraction - 0.775_44).abs() < 1e-4, "{fraction}");
    console_log!(
        "BENCH analysis-wasm particles=27000 large=9000 repeats={REPEATS} classification_ms={:.1} neighbors_ms={:.1} q8_ms={:.1} fraction={fraction:.5}",
        best[0],
        best[1],
        best[2]
    );
}
