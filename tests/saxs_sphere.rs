//! The polydisperse sphere model equals sasmodels 1.1.0 `sphere` (fixture written by
//! tests/reference/sasmodels_sphere.py) to 1e-4 relative.

use bnsl::saxs::sphere::SphereModel;

#[test]
fn sphere_matches_sasmodels() {
    let text = include_str!("fixtures/saxs/sasmodels_sphere.json");
    let v: serde_json::Value = serde_json::from_str(text).expect("fixture");
    let q: Vec<f64> = v["q"]
        .as_array()
        .expect("q")
        .iter()
        .map(|x| x.as_f64().expect("q"))
        .collect();
    let cases = v["cases"].as_array().expect("cases");
    assert!(cases.len() >= 4);
    for case in cases {
        let p = &case["params"];
        let get = |k: &str| p[k].as_f64().unwrap_or_else(|| panic!("{k}"));
        let model = SphereModel {
            scale: get("scale"),
            background: get("background"),
            sld: get("sld"),
            sld_solvent: get("sld_solvent"),
            radius: get("radius"),
            radius_pd: get("radius_pd"),
            radius_pd_n: get("radius_pd_n") as usize,
            radius_pd_nsigma: get("radius_pd_nsigma"),
        };
        let ours = model.intensity(&q);
        let worst = case["iq"]
            .as_array()
            .expect("iq")
            .iter()
            .zip(&ours)
            .map(|(r, o)| (o / r.as_f64().expect("iq") - 1.0).abs())
            .fold(0.0, f64::max);
        assert!(
            worst < 1e-4,
            "radius {} pd {}: worst relative difference {worst}",
            model.radius,
            model.radius_pd
        );
    }
}
