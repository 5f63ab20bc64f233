//! The LAMMPS fixtures of tests/fixtures/lammps/ — `pair_style mie/cut` (written by
//! tests/reference/lammps_mie.py) and `lj/cut` (`lj_*.json`, tests/reference/lammps_lj.py) —
//! shared by the CPU and GPU cross-checks: reading them and turning one into the engine's
//! input.

use bnsl::md::State;
use bnsl::model::{Geometry, PairSpec, PairTable, PotentialKind};
use serde::Deserialize;
use std::path::PathBuf;

/// One pair of types with its parameters (Lennard-Jones: n = 12, m = 6).
#[derive(Deserialize)]
pub struct Pair {
    pub i: usize,
    pub j: usize,
    pub epsilon: f64,
    pub sigma: f64,
    pub n: u32,
    pub m: u32,
    pub r_cut: f64,
}

/// A configuration with LAMMPS's forces, energy and virial pressure for it.
#[derive(Deserialize)]
pub struct Fixture {
    pub name: String,
    #[serde(rename = "box")]
    pub box_: [f64; 3],
    pub types: Vec<String>,
    pub type_diameters: Vec<f64>,
    pub pairs: Vec<Pair>,
    /// The potential (`mie` when absent: the Mie fixtures predate the field).
    #[serde(default)]
    pub potential: PotentialKind,
    pub shift: bool,
    pub typeid: Vec<u32>,
    pub positions: Vec<[f64; 3]>,
    #[allow(dead_code)] // read by the CPU check only
    pub forces: Vec<[f64; 3]>,
    #[allow(dead_code)]
    pub potential_energy: f64,
    #[allow(dead_code)]
    pub virial_pressure: f64,
}

/// Every committed fixture, in file-name order (at least the 16 Mie and 4 Lennard-Jones ones
/// the scripts write).
pub fn all() -> Vec<Fixture> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lammps");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "expected the committed LAMMPS fixtures");
    paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("parse"))
        .collect()
}

/// The engine's state (at rest, wrapped into the box) and pair table for a fixture.
pub fn engine_input(fixture: &Fixture) -> (State, PairTable) {
    let table = PairTable::from_fn(fixture.types.len(), |i, j| {
        let p = fixture
            .pairs
            .iter()
            .find(|p| (p.i, p.j) == (i.min(j), i.max(j)))
            .expect("pair in fixture");
        PairSpec {
            potential: fixture.potential,
            epsilon: p.epsilon,
            sigma: p.sigma,
            n: p.n,
            m: p.m,
            r_cut: p.r_cut,
            shift: fixture.shift,
            attractive: true,
        }
    })
    .expect("valid table");
    let n = fixture.positions.len();
    let mut state = State {
        geometry: Geometry::Periodic(fixture.box_),
        types: fixture.types.clone(),
        type_diameters: fixture.type_diameters.clone(),
        pos: fixture.positions.clone(),
        vel: vec![[0.0; 3]; n],
        force: vec![[0.0; 3]; n],
        typeid: fixture.typeid.clone(),
        image: vec![[0; 3]; n],
        step: 0,
    };
    state.wrap();
    (state, table)
}
