//! Files that make our writer grow the index (more than 128 chunks) and the name list (more
//! than 1 KiB of names), in double precision and with unbounded open clusters: byte-identical
//! to committed files that gsd 5.0.1 read back (`tests/reference/gsd_fixtures.py` records its
//! readings in `bnsl_growth.json`).
//!
//! Regenerate after a deliberate format change: `BNSL_BLESS=1 cargo test --test io_gsd_growth`,
//! then rerun the Python script.

#![allow(clippy::unwrap_used)]

use bnsl::io::gsd::{
    Chunk, ChunkValues, GsdFile, GsdFileWriter, HoomdReader, HoomdWriter, Precision,
};
use bnsl::model::{Frame, Geometry};
use serde_json::Value;
use std::io::Cursor;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gsd");

fn long_trajectory() -> Vec<Frame> {
    (0..70u32)
        .map(|k| {
            let kf = f64::from(k);
            let geometry = if (30..40).contains(&k) {
                Geometry::Open { radius: None }
            } else {
                Geometry::Periodic([5.0, 5.0, 5.0 + kf / 64.0])
            };
            Frame {
                step: 10 * u64::from(k),
                geometry,
                types: vec!["A".into(), "B".into()],
                positions: (0..5)
                    .map(|i| [f64::from(i) * 0.3 - 0.6, kf / 100.0, 1.0 / 3.0])
                    .collect(),
                typeid: vec![0, 1, 0, 1, 1],
                diameters: vec![1.0, 0.5, 1.0, 0.5, 0.5],
                velocities: None,
                images: None,
            }
        })
        .collect()
}

fn long_name(i: usize) -> String {
    format!("custom/{i:02}/{}", "x".repeat(50))
}

fn bless_or_compare(name: &str, bytes: &[u8]) {
    let path = format!("{DIR}/{name}");
    if std::env::var_os("BNSL_BLESS").is_some() {
        std::fs::write(&path, bytes).unwrap();
    }
    assert!(std::fs::read(&path).unwrap() == bytes, "{path} differs");
}

fn long_file() -> Vec<u8> {
    let mut w = HoomdWriter::with_precision(Cursor::new(Vec::new()), Precision::Double).unwrap();
    for f in long_trajectory() {
        w.append(&f).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn names_file() -> Vec<u8> {
    let mut w =
        GsdFileWriter::create(Cursor::new(Vec::new()), "test", "bnsl-test", (1, 0)).unwrap();
    for frame in 0..3usize {
        for i in 0..40usize {
            let v = ChunkValues::F64(vec![(frame * 100 + i) as f64, 0.5]);
            w.write_chunk(&long_name(i), &Chunk::new(1, 2, v).unwrap())
                .unwrap();
        }
        w.end_frame().unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn long_trajectory_grows_the_index_and_reads_back() {
    let bytes = long_file();
    bless_or_compare("bnsl_long.gsd", &bytes);
    let mut r = HoomdReader::open(Cursor::new(&bytes)).unwrap();
    assert!(r.file().header().index_allocated_entries > 128);
    assert!(r.file().header().index_location > 256);
    let frames = long_trajectory();
    assert_eq!(r.frame_count(), 70);
    for (k, f) in frames.iter().enumerate() {
        let back = r.read_frame(k as u64).unwrap();
        assert_eq!(&back, f, "frame {k}");
    }
}

#[test]
fn many_long_names_grow_the_name_list() {
    let bytes = names_file();
    bless_or_compare("bnsl_names.gsd", &bytes);
    let mut f = GsdFile::open(Cursor::new(&bytes)).unwrap();
    assert!(f.header().namelist_allocated_entries * 64 > 1024);
    assert_eq!(f.names().len(), 40);
    assert_eq!(f.frame_count(), 3);
    let c = f.read_chunk(2, &long_name(7)).unwrap().unwrap();
    assert_eq!(c.values, ChunkValues::F64(vec![207.0, 0.5]));
}

#[test]
fn gsd_reads_our_grown_files() {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/bnsl_growth.json")).unwrap())
            .unwrap();
    let long = json["long"].as_array().unwrap();
    let frames = long_trajectory();
    assert_eq!(long.len(), frames.len());
    for (k, (f, g)) in frames.iter().zip(long).enumerate() {
        assert_eq!(g["step"].as_u64().unwrap(), f.step, "frame {k}");
        let pos: Vec<f64> = f.positions.iter().flatten().copied().collect();
        let got: Vec<f64> = g["position"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(got, pos, "frame {k}: double precision positions");
        let unbounded = g["unbounded"].as_bool().unwrap();
        match f.geometry {
            Geometry::Open { radius: None } => assert!(unbounded, "frame {k}"),
            _ => {
                assert!(!unbounded, "frame {k}");
                assert_eq!(g["droplet_radius"].as_f64(), Some(0.0), "frame {k}");
            }
        }
    }
    let names = json["names"].as_object().unwrap();
    assert_eq!(names.len(), 40);
    for i in 0..40usize {
        let v: Vec<f64> = names[&long_name(i)]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(v, vec![(200 + i) as f64, 0.5]);
    }
}
