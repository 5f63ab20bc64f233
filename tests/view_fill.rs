//! The fill-rate side of the 3D view's frame-rate estimate (docs/view.md): the benchmark scene —
//! 27,000 particles of AlB₂ (15 × 15 × 20 orthorhombic cells), framed whole in an 800 × 600
//! canvas — covers about 10 million quad fragments and 108,000 vertices per frame. The test
//! pins the count to the hand estimate of docs/view.md within 20 %.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use bnsl::lattice::{crystal, Diameters, UnitCell};
use bnsl::view::{pack_instances, quad_fragments, Colouring, OrbitCamera, SceneBounds};

#[test]
fn benchmark_scene_fragment_count_matches_the_hand_estimate() {
    let frame = crystal(&UnitCell::alb2(1.0, 1.0), [15, 15, 20], Diameters::PAPER);
    assert_eq!(frame.len(), 27_000);
    let inst = pack_instances(&frame, &Colouring::Species, None).unwrap();
    let b = SceneBounds::of(&frame);
    let cam = OrbitCamera::framing(b.centre, b.radius);
    let fragments = quad_fragments(&inst, &cam, 600, 1.6);
    // Hand estimate (docs/view.md): at the target's distance one σ spans
    // 300 / tan(22.5°) / distance pixels; L quads are 3.2 × 0.5 σ wide, S quads 3.2 × 0.275 σ.
    let px_per_sigma = 300.0 / (cam.fov_y / 2.0).tan() / cam.distance;
    let quad = |r: f64| (3.2 * r * px_per_sigma).powi(2);
    let estimate = 9_000.0 * quad(0.5) + 18_000.0 * quad(0.275);
    println!(
        "27000-particle scene at 800x600: {fragments:.3e} quad fragments (hand estimate {estimate:.3e}), {:.1} px per sigma",
        px_per_sigma
    );
    assert!(
        (fragments / estimate - 1.0).abs() < 0.2,
        "{fragments} vs {estimate}"
    );
}
