//! `bnsl eval`'s core (`bnsl::md::evaluate`) on a frame that went through a GSD file
//! (crate::io::gsd, double precision) gives LAMMPS's energy, virial pressure and forces.

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
