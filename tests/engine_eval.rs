//! `bnsl eval`'s core (`bnsl::md::evaluate`) on a frame that went through a GSD file
//! (crate::io::gsd, double precision) gives LAMMPS's energy, virial pressure and forces.

mod cli_support;

use bnsl::io::gsd::{read_trajectory, HoomdWriter, Precision};
use bnsl::md::evaluate::evaluate;
use bnsl::model::{Frame, Geometry, PairRule, PotentialKind};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    #[serde(rename = "box")]
    box_: [f64; 3],
    typeid: Vec<u32>,
    positions: Vec<[f64; 3]>,
    forces: Vec<[f64; 3]>,
    potential_energy: f64,
    virial_pressure: f64,
}

#[test]
fn eval_of_a_gsd_frame_matches_lammps() {
    for (name, m, rcut, shift) in [
        ("alb2_m25_noshift", 25, 1.5, false),
        ("fluid_rho2.0_m6_shift", 6, 3.0, true),
    ] {
        let path = format!(
            "{}/tests/fixtures/lammps/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let f: Fixture =
            serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("parse");
        let frame = Frame {
            step: 0,
            geometry: Geometry::Periodic(f.box_),
            types: vec!["L".into(), "S".into()],
            diameters: f.typeid.iter().map(|&t| [1.0, 0.55][t as usize]).collect(),
            typeid: f.typeid.clone(),
            positions: f.positions.clone(),
            velocities: None,
            images: None,
        };
        let mut w =
            HoomdWriter::with_precision(std::io::Cursor::new(Vec::new()), Precision::Double)
                .expect("writer");
        w.append(&frame).expect("append");
        let bytes = w.finish().expect("finish").into_inner();
        let back = read_trajectory(&bytes).expect("read").remove(0);
        let rule = PairRule {
            potential: PotentialKind::Mie,
            epsilon: 1.0,
            n: 50,
            m,
            r_cut: rcut,
            shift,
            attractive: true,
        };
        let e = evaluate(&back, rule).expect("evaluate");
        let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
        assert!(rel(e.potential_energy, f.potential_energy) < 1e-9, "{name}");
        assert!(
            rel(e.virial_pressure.expect("periodic"), f.virial_pressure) < 1e-9,
            "{name}"
        );
        for (a, b) in e.forces.iter().zip(&f.forces) {
            for k in 0..3 {
                assert!((a[k] - b[k]).abs() < 1e-9 * (1.0 + b[k].abs()), "{name}");
            }
        }
    }
}

/// Issue #18: `bnsl eval` panicked on a frame without particles and on a 10¹² box ("capacity
/// overflow"), and its memory grew with the cube of the particles' spread (2.4 GB for one
/// particle at (1000, 1000, 1000)). Each now answers in seconds within 1 GiB.
#[test]
fn eval_is_bounded_on_empty_huge_and_spread_out_frames() {
    let cluster = cli_support::open_cluster(10, &[[1000.0, 1000.0, 1000.0]]);
    let far = cli_support::open_cluster(10, &[[-1e12, 1e12, 1e30], [1e5, 0.0, 0.0]]);
    let empty = Frame {
        positions: Vec::new(),
        typeid: Vec::new(),
        diameters: Vec::new(),
        geometry: Geometry::Periodic([10.0; 3]),
        ..cluster.clone()
    };
    let mut huge_box = cli_support::open_cluster(10, &[[4e11, 0.0, 0.0]]);
    huge_box.geometry = Geometry::Periodic([1e12; 3]);
    for (name, frame, energy) in [
        ("spread", &cluster, None),
        ("far", &far, None),
        ("empty", &empty, Some(0.0)),
        ("huge-box", &huge_box, None),
    ] {
        let gsd = cli_support::temp_gsd(name, std::slice::from_ref(frame));
        let (ok, out, err, secs) = cli_support::bnsl_bounded(&["eval", &gsd], 1024, 60);
        std::fs::remove_file(&gsd).ok();
        assert!(ok, "{name}: {err}");
        assert!(secs < 20.0, "{name} took {secs} s");
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let forces = json["forces"].as_array().expect("forces");
        assert_eq!(forces.len(), frame.len(), "{name}");
        // The far particles feel nothing; the cluster's energy is that of the cluster alone.
        let rule = PairRule {
            shift: false,
            ..PairRule::narrow_well(1.0)
        };
        // The cluster alone, through a GSD file as the CLI reads it (single precision).
        let bytes =
            bnsl::io::gsd::write_trajectory(&[cli_support::open_cluster(10, &[])]).expect("write");
        let alone = read_trajectory(&bytes).expect("read").remove(0);
        let alone = evaluate(&alone, rule).expect("evaluate");
        let u = json["potential_energy"].as_f64().expect("energy");
        let want = energy.unwrap_or(alone.potential_energy);
        assert!(
            (u - want).abs() <= 1e-9 * want.abs(),
            "{name}: U = {u}, want {want}"
        );
    }
}
