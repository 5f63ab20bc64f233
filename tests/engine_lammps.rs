//! Energies, virial pressures and forces of the Mie pair potential equal LAMMPS
//! (`pair_style mie/cut`) to a relative 1e-9 on the fixtures written by
//! tests/reference/lammps_mie.py.

use bnsl::md::{compute_forces, NeighborList, State};
use bnsl::model::{Geometry, Mie, PairTable};
use serde::Deserialize;

#[derive(Deserialize)]
struct Pair {
    i: usize,
    j: usize,
    epsilon: f64,
    sigma: f64,
    n: u32,
    m: u32,
    r_cut: f64,
}

#[derive(Deserialize)]
struct Fixture {
    name: String,
    #[serde(rename = "box")]
    box_: [f64; 3],
    types: Vec<String>,
    type_diameters: Vec<f64>,
    pairs: Vec<Pair>,
    shift: bool,
    typeid: Vec<u32>,
    positions: Vec<[f64; 3]>,
    forces: Vec<[f64; 3]>,
    potential_energy: f64,
    virial_pressure: f64,
}

fn check(fixture: &Fixture, skin: f64) {
    let nt = fixture.types.len();
    let table = PairTable::from_fn(nt, |i, j| {
        let p = fixture
            .pairs
            .iter()
            .find(|p| (p.i, p.j) == (i.min(j), i.max(j)))
            .expect("pair in fixture");
        Mie {
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
    let mut nlist = NeighborList::new(&table, skin).expect("skin");
    nlist.build(&state).expect("build");
    let sums = compute_forces(&mut state, &nlist, &table.coeffs(), None);
    let volume = fixture.box_.iter().product::<f64>();
    let pressure = sums.virial / (3.0 * volume);
    let name = &fixture.name;
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
    assert!(
        rel(sums.energy, fixture.potential_energy) < 1e-9,
        "{name}: energy {} vs LAMMPS {}",
        sums.energy,
        fixture.potential_energy
    );
    assert!(
        rel(pressure, fixture.virial_pressure) < 1e-9,
        "{name}: virial pressure {pressure} vs LAMMPS {}",
        fixture.virial_pressure
    );
    let rms = (fixture
        .forces
        .iter()
        .map(|f| f[0] * f[0] + f[1] * f[1] + f[2] * f[2])
        .sum::<f64>()
        / n as f64)
        .sqrt();
    for (i, (ours, theirs)) in state.force.iter().zip(&fixture.forces).enumerate() {
        let diff = ((ours[0] - theirs[0]).powi(2)
            + (ours[1] - theirs[1]).powi(2)
            + (ours[2] - theirs[2]).powi(2))
        .sqrt();
        let scale = (theirs[0].powi(2) + theirs[1].powi(2) + theirs[2].powi(2))
            .sqrt()
            .max(rms);
        assert!(
            diff <= 1e-9 * scale,
            "{name}: particle {i}: force {ours:?} vs LAMMPS {theirs:?}"
        );
    }
}

#[test]
fn mie_matches_lammps_on_every_fixture() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lammps");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 16, "expected the committed fixtures");
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let fixture: Fixture = serde_json::from_str(&text).expect("parse fixture");
        // with and without a skin: the list must not change the result beyond rounding
        check(&fixture, 0.3);
        check(&fixture, 0.0);
    }
}
