//! Our GSD writer against a committed file: the bytes must not change, and gsd.hoomd and OVITO
//! must read back what we wrote (their readings are recorded in `bnsl_written.json` by
//! `tests/reference/gsd_fixtures.py`).
//!
//! To regenerate the committed file after a deliberate format change:
//! `BNSL_BLESS=1 cargo test --test io_gsd_golden`, then rerun the Python script.

#![allow(clippy::unwrap_used)]

mod fixture_support;

use bnsl::io::gsd::{read_trajectory, write_trajectory};
use bnsl::model::{Frame, Geometry};
use fixture_support::flat_floats;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gsd");

/// A fixed three-frame trajectory: two periodic frames (the second moves particles and changes
/// velocities) and an open droplet; three types, polydisperse diameters, images.
fn known_trajectory() -> Vec<Frame> {
    let n = 24usize;
    let types = vec!["L".to_string(), "S0".to_string(), "S1".to_string()];
    let typeid: Vec<u32> = (0..n)
        .map(|i| if i % 3 == 0 { 0 } else { 1 + (i % 2) as u32 })
        .collect();
    let diameters: Vec<f64> = typeid
        .iter()
        .map(|&t| [1.0, 0.55, 0.6][t as usize])
        .collect();
    let l = [8.0, 9.0, 10.0];
    let coord = |i: usize, d: usize, shift: usize| -> f64 {
        let q = ((i * 37 + d * 53 + shift * 11) % 101) as f64 / 101.0;
        (q - 0.5) * l[d]
    };
    let positions = |shift: usize| -> Vec<[f64; 3]> {
        (0..n)
            .map(|i| [coord(i, 0, shift), coord(i, 1, shift), coord(i, 2, shift)])
            .collect()
    };
    let velocities = |s: f64| -> Vec<[f64; 3]> {
        (0..n)
            .map(|i| {
                let v = (i as f64 - 12.0) / 8.0 * s;
                [v, -0.5 * v, 0.25]
            })
            .collect()
    };
    let images: Vec<[i32; 3]> = (0..n)
        .map(|i| [(i % 3) as i32 - 1, 0, (i % 2) as i32])
        .collect();
    let base = Frame {
        step: 0,
        geometry: Geometry::Periodic(l),
        types,
        positions: positions(0),
        typeid,
        diameters,
        velocities: Some(velocities(1.0)),
        images: Some(images),
    };
    let mut f1 = base.clone();
    f1.step = 1000;
    f1.positions = positions(1);
    f1.velocities = Some(velocities(0.5));
    let mut f2 = base.clone();
    f2.step = 2000;
    f2.geometry = Geometry::Open { radius: Some(6.5) };
    f2.positions = positions(2)
        .iter()
        .map(|p| [p[0] * 0.5, p[1] * 0.5, p[2] * 0.5])
        .collect();
    f2.images = Some(vec![[0, 0, 0]; n]);
    vec![base, f1, f2]
}

fn f32_round(x: f64) -> f64 {
    f64::from(x as f32)
}

#[test]
fn writer_output_is_byte_identical_to_the_committed_file() {
    let bytes = write_trajectory(&known_trajectory()).unwrap();
    let path = format!("{DIR}/bnsl_written.gsd");
    if std::env::var_os("BNSL_BLESS").is_some() {
        std::fs::write(&path, &bytes).unwrap();
    }
    let committed = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len(), committed.len(), "file size changed");
    assert!(bytes == committed, "bytes differ from {path}");
}

#[test]
fn our_reader_reads_back_what_our_writer_wrote() {
    let frames = known_trajectory();
    let back = read_trajectory(&write_trajectory(&frames).unwrap()).unwrap();
    assert_eq!(back.len(), frames.len());
    for (a, b) in frames.iter().zip(&back) {
        assert_eq!(a.step, b.step);
        assert_eq!(a.geometry, b.geometry);
        assert_eq!(a.types, b.types);
        assert_eq!(a.typeid, b.typeid);
        assert_eq!(a.images, b.images);
        for (p, q) in a.positions.iter().zip(&b.positions) {
            assert_eq!(p.map(f32_round), *q);
        }
        for (p, q) in a.diameters.iter().zip(&b.diameters) {
            assert_eq!(f32_round(*p), *q);
        }
        let (va, vb) = (
            a.velocities.as_ref().unwrap(),
            b.velocities.as_ref().unwrap(),
        );
        for (p, q) in va.iter().zip(vb) {
            assert_eq!(p.map(f32_round), *q);
        }
    }
}

#[test]
fn gsd_and_ovito_read_what_we_wrote() {
    let text = std::fs::read_to_string(format!("{DIR}/bnsl_written.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let frames = known_trajectory();
    for reader in ["gsd", "ovito"] {
        let got = json[reader]["frames"]
            .as_array()
            .unwrap_or_else(|| panic!("no {reader} record"));
        assert_eq!(got.len(), frames.len(), "{reader}: frame count");
        for (k, (f, g)) in frames.iter().zip(got).enumerate() {
            let ctx = format!("{reader} frame {k}");
            assert_eq!(g["step"].as_u64().unwrap(), f.step, "{ctx}: step");
            assert_eq!(g["N"].as_u64().unwrap(), f.len() as u64, "{ctx}: N");
            let types: Vec<String> = g["types"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            assert_eq!(types, f.types, "{ctx}: types");
            let typeid: Vec<u32> = flat_floats(&g["typeid"])
                .iter()
                .map(|&t| t as u32)
                .collect();
            assert_eq!(typeid, f.typeid, "{ctx}: typeid");
            let pos: Vec<f64> = f.positions.iter().flat_map(|p| p.map(f32_round)).collect();
            assert_eq!(flat_floats(&g["position"]), pos, "{ctx}: positions");
            let d: Vec<f64> = f.diameters.iter().map(|&x| f32_round(x)).collect();
            assert_eq!(flat_floats(&g["diameter"]), d, "{ctx}: diameters");
            let v: Vec<f64> = f
                .velocities
                .as_ref()
                .unwrap()
                .iter()
                .flat_map(|p| p.map(f32_round))
                .collect();
            assert_eq!(flat_floats(&g["velocity"]), v, "{ctx}: velocities");
            let im: Vec<f64> = f
                .images
                .as_ref()
                .unwrap()
                .iter()
                .flat_map(|p| p.map(f64::from))
                .collect();
            assert_eq!(flat_floats(&g["image"]), im, "{ctx}: images");
            let bx = bnsl::io::gsd::enclosing_box(f).map(f32_round);
            assert_eq!(flat_floats(&g["box"]), bx.to_vec(), "{ctx}: box");
            let radius = match f.geometry {
                Geometry::Open { radius } => radius,
                Geometry::Periodic(_) => None,
            };
            assert_eq!(
                g["droplet_radius"].as_f64(),
                radius,
                "{ctx}: droplet radius"
            );
        }
    }
}
