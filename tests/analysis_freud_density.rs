//! Local density (freud's LocalDensity, r_max = 1.3, diameter = 1.0) and g(r) (freud's RDF,
//! total and partial) against freud 3.4 on fixtures from tests/reference/freud_steinhardt.py.
#![allow(clippy::unwrap_used)]

use bnsl::analysis::{LocalDensity, NeighborQuery, Rdf, TypeFilter};
use bnsl::model::Geometry;
use serde_json::Value;

fn load(name: &str) -> (Value, NeighborQuery) {
    let path = format!(
        "{}/tests/fixtures/freud/density_{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let positions: Vec<[f64; 3]> = serde_json::from_value(data["positions"].clone()).unwrap();
    let typeid: Vec<u32> = serde_json::from_value(data["typeid"].clone()).unwrap();
    let space = match data["box"].as_array() {
        Some(b) => Geometry::Periodic([0, 1, 2].map(|d| b[d].as_f64().unwrap())),
        None => Geometry::UNBOUNDED,
    };
    let query = NeighborQuery::new(space, &positions, &typeid).unwrap();
    (data, query)
}

fn floats(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

fn check(name: &str) {
    let (data, query) = load(name);
    let ld = LocalDensity::PAPER
        .compute(&query, &TypeFilter::all())
        .unwrap();
    let want_density = floats(&data["local_density"]["density"]);
    let want_count = floats(&data["local_density"]["num_neighbors"]);
    assert_eq!(want_density.len(), ld.density.len());
    for i in 0..want_density.len() {
        // freud accumulates in float32: relative 1e-6.
        assert!(
            (ld.density[i] - want_density[i]).abs() <= 1e-6 * want_density[i].max(1.0),
            "{name}: density of {i}: freud {}, ours {}",
            want_density[i],
            ld.density[i]
        );
        assert!((ld.num_neighbors[i] - want_count[i]).abs() <= 1e-5 * want_count[i].max(1.0));
    }
    for rdf in data["rdf"].as_array().unwrap() {
        let types =
            |k: &str| -> Option<Vec<u32>> { serde_json::from_value(rdf[k].clone()).unwrap() };
        let (a, b) = (types("a"), types("b"));
        let spec = Rdf {
            bins: rdf["bins"].as_u64().unwrap() as usize,
            r_max: rdf["r_max"].as_f64().unwrap(),
            r_min: rdf["r_min"].as_f64().unwrap(),
        };
        let out = spec
            .compute(&query, a.as_deref(), b.as_deref(), None)
            .unwrap();
        let (r, g, n_r) = (floats(&rdf["r"]), floats(&rdf["g"]), floats(&rdf["n_r"]));
        let na = query.select(a.as_deref()).len() as f64;
        let nb = query.select(b.as_deref()).len() as f64;
        let volume = query.geometry().volume().unwrap();
        let mut off_by_one = 0;
        for k in 0..spec.bins {
            assert!((out.r[k] - r[k]).abs() < 1e-6);
            // A pair at a bin edge may fall on either side in float32 (and counts twice in a
            // total g(r), once from each end): allow two such pairs.
            let lo = out.r[k] - 0.5 * (spec.r_max - spec.r_min) / spec.bins as f64;
            let hi = lo + (spec.r_max - spec.r_min) / spec.bins as f64;
            let one =
                volume / (na * nb * 4.0 / 3.0 * std::f64::consts::PI * (hi.powi(3) - lo.powi(3)));
            let dev = (out.g[k] - g[k]).abs();
            if dev > 1e-5 * g[k].max(1.0) {
                assert!(
                    dev < 4.01 * one,
                    "{name} {a:?}-{b:?} bin {k}: freud {}, ours {}",
                    g[k],
                    out.g[k]
                );
                off_by_one += 1;
            }
            assert!((out.n_r[k] - n_r[k]).abs() < 4.01 / na + 1e-5 * n_r[k]);
        }
        assert!(
            off_by_one <= 2,
            "{name} {a:?}-{b:?}: {off_by_one} bins off by a count"
        );
        assert!(
            g.iter().any(|&x| x > 1.0),
            "{name}: a g(r) with no peak checks nothing"
        );
    }
}

#[test]
fn alb2_matches_freud() {
    check("alb2");
}

#[test]
fn nazn13_matches_freud() {
    check("nazn13");
}

#[test]
fn fluid_matches_freud() {
    check("fluid12");
}

#[test]
fn open_local_density_matches_freud() {
    check("alb2_open");
}
