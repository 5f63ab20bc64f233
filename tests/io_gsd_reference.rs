//! Our GSD reader against files gsd.hoomd wrote (`tests/reference/gsd_fixtures.py`): every
//! frame must read as gsd.hoomd reads it, including frames that omit chunks (HOOMD's frame-0
//! and default rules), double precision files, and the files we must refuse.

#![allow(clippy::unwrap_used)]

mod fixture_support;

use bnsl::io::gsd::{read_trajectory, GsdError, HoomdReader};
use bnsl::model::Geometry;
use fixture_support::flat_floats;
use serde_json::Value;
use std::io::Cursor;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gsd");

fn load(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap()
}

fn json(name: &str) -> Value {
    serde_json::from_str(&String::from_utf8(load(name)).unwrap()).unwrap()
}

fn compare(gsd_file: &str, json_file: &str) {
    let expected = json(json_file);
    let frames = read_trajectory(&load(gsd_file)).unwrap();
    let want = expected["frames"].as_array().unwrap();
    assert_eq!(frames.len(), want.len());
    for (k, (f, w)) in frames.iter().zip(want).enumerate() {
        let ctx = format!("{gsd_file} frame {k}");
        assert_eq!(f.step, w["step"].as_u64().unwrap(), "{ctx}: step");
        let b = flat_floats(&w["box"]);
        assert_eq!(
            f.geometry,
            Geometry::Periodic([b[0], b[1], b[2]]),
            "{ctx}: box"
        );
        assert_eq!(f.len() as u64, w["N"].as_u64().unwrap(), "{ctx}: N");
        let types: Vec<&str> = w["types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(f.types, types, "{ctx}: types");
        let typeid: Vec<u32> = flat_floats(&w["typeid"])
            .iter()
            .map(|&t| t as u32)
            .collect();
        assert_eq!(f.typeid, typeid, "{ctx}: typeid");
        let pos: Vec<f64> = f.positions.iter().flatten().copied().collect();
        assert_eq!(pos, flat_floats(&w["position"]), "{ctx}: positions");
        assert_eq!(f.diameters, flat_floats(&w["diameter"]), "{ctx}: diameters");
        match (&f.velocities, &w["velocity"]) {
            (None, Value::Null) => {}
            (Some(v), w) if !w.is_null() => {
                let v: Vec<f64> = v.iter().flatten().copied().collect();
                assert_eq!(v, flat_floats(w), "{ctx}: velocities");
            }
            (v, w) => panic!("{ctx}: velocities {v:?} vs {w}"),
        }
        match (&f.images, &w["image"]) {
            (None, Value::Null) => {}
            (Some(v), w) if !w.is_null() => {
                let v: Vec<f64> = v.iter().flatten().map(|&x| f64::from(x)).collect();
                assert_eq!(v, flat_floats(w), "{ctx}: images");
            }
            (v, w) => panic!("{ctx}: images {v:?} vs {w}"),
        }
    }
}

#[test]
fn reads_single_precision_hoomd_file_like_gsd_hoomd() {
    compare("hoomd_written.gsd", "hoomd_written.json");
}

#[test]
fn reads_double_precision_hoomd_file_like_gsd_hoomd() {
    compare("hoomd_double.gsd", "hoomd_double.json");
}

#[test]
fn frame_zero_and_default_rules_are_exercised_by_the_fixture() {
    // Guard against a fixture that stops testing what it should: frame 1 stores only a few
    // chunks, frame 2 changes N (defaults), frame 3 inherits velocity and image.
    let expected = json("hoomd_written.json");
    let f = &expected["frames"];
    let stored = |k: usize| f[k]["stored_chunks"].as_array().unwrap().len();
    assert!(stored(1) < 4 && stored(2) < 5 && stored(3) < 5);
    let frames = read_trajectory(&load("hoomd_written.gsd")).unwrap();
    assert!(frames[2].diameters.iter().all(|&d| d == 1.0));
    assert!(frames[2].typeid.iter().all(|&t| t == 0));
    assert!(frames[2].images.is_none());
    assert_eq!(frames[3].velocities, frames[0].velocities);
    assert_eq!(frames[1].types, vec!["L", "S"]);
}

fn variant(e: &GsdError) -> &'static str {
    match e {
        GsdError::NonOrthorhombic { .. } => "NonOrthorhombic",
        GsdError::NotThreeDimensional { .. } => "NotThreeDimensional",
        GsdError::InvalidValue { .. } => "InvalidValue",
        GsdError::NotHoomd { .. } => "NotHoomd",
        _ => "other",
    }
}

#[test]
fn refuses_what_the_engine_cannot_represent_with_the_right_error() {
    let refused = json("refused.json");
    let cases = refused.as_object().unwrap();
    assert_eq!(cases.len(), 4);
    for (file, want) in cases {
        let err = read_trajectory(&load(file)).unwrap_err();
        assert_eq!(variant(&err), want.as_str().unwrap(), "{file}: {err}");
        assert!(!err.to_string().is_empty());
    }
    let err = read_trajectory(&load("typeid_out_of_range.gsd")).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("particles/typeid") && msg.contains("frame 0") && msg.contains("row 1"),
        "{msg}"
    );
}

#[test]
fn file_layer_sees_hoomd_header_and_all_chunk_names() {
    let mut r = HoomdReader::open(Cursor::new(load("hoomd_written.gsd"))).unwrap();
    assert_eq!(r.frame_count(), 4);
    let file = r.file();
    assert_eq!(file.header().schema, "hoomd");
    assert_eq!(file.header().gsd_version.0, 2);
    assert!(file.header().application.starts_with("gsd.hoomd"));
    assert!(file
        .names()
        .iter()
        .any(|n| n == "log/md/compute/ThermodynamicQuantities/kinetic_temperature"));
    let t = file
        .read_chunk(
            1,
            "log/md/compute/ThermodynamicQuantities/kinetic_temperature",
        )
        .unwrap()
        .unwrap();
    assert_eq!(t.values.to_f64().unwrap(), vec![1.5]);
    assert!(matches!(
        r.read_frame(4),
        Err(GsdError::FrameOutOfRange { frame: 4, count: 4 })
    ));
}

#[test]
fn summary_lists_frames_types_and_boxes() {
    let s = bnsl::io::gsd::summarize(Cursor::new(load("hoomd_written.gsd"))).unwrap();
    assert_eq!(s.frame_count, 4);
    assert_eq!(s.schema, "hoomd 2.0");
    let n: Vec<usize> = s.frames.iter().map(|f| f.n).collect();
    assert_eq!(n, vec![40, 40, 30, 40]);
    // frame 0: ids 0 for i % 3 == 0 (14 of 40); frame 2: default ids 0; frame 3: all 1
    assert_eq!(s.frames[0].type_counts, vec![14, 26]);
    assert_eq!(s.frames[2].type_counts, vec![30, 0]);
    assert_eq!(s.frames[3].type_counts, vec![0, 40]);
    assert_eq!(s.frames[3].geometry, Geometry::Periodic([9.5, 10.5, 11.5]));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["frames"][2]["N"], 30);
}
