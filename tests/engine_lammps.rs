//! Energies, virial pressures and forces of the pair potentials equal LAMMPS to a relative
//! 1e-9 on the fixtures of tests/fixtures/lammps/: Mie (`pair_style mie/cut`, written by
//! tests/reference/lammps_mie.py) and Lennard-Jones 12–6 (`pair_style lj/cut`,
//! tests/reference/lammps_lj.py), each with the shift at the cut-off on and off.

mod lammps_fixture;

use bnsl::md::{compute_forces, NeighborList};
use bnsl::model::PotentialKind;
use lammps_fixture::{engine_input, Fixture};

fn check(fixture: &Fixture, skin: f64) {
    let (mut state, table) = engine_input(fixture);
    let n = state.len();
    let mut nlist = NeighborList::new(&table, skin).expect("skin");
    nlist.build(&state).expect("build");
    let sums = compute_forces(&mut state, &nlist, &table, None);
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
fn pair_potentials_match_lammps_on_every_fixture() {
    let mut checked = Vec::new();
    for fixture in lammps_fixture::all() {
        // with and without a skin: the list must not change the result beyond rounding
        check(&fixture, 0.3);
        check(&fixture, 0.0);
        checked.push((fixture.potential, fixture.shift));
    }
    for kind in [PotentialKind::Mie, PotentialKind::LennardJones] {
        for shift in [true, false] {
            assert!(
                checked.contains(&(kind, shift)),
                "no {} fixture with shift {shift}",
                kind.name()
            );
        }
    }
}
