//! The GPU force kernel equals the CPU engine (`md::compute_forces`, f64, itself equal to
//! LAMMPS to 1e-9) within 1e-5 relative on every LAMMPS fixture of tests/fixtures/lammps/:
//! forces, potential energy and virial, with the GPU input built from the engine's own
//! `State` and `PairTable` (`GpuSystem::from_state`).

#![cfg(not(target_arch = "wasm32"))]

mod gpu_support;
mod lammps_fixture;

use bnsl::gpu::{GpuSystem, Integrator};
use bnsl::md::{compute_forces, NeighborList};
use gpu_support::{block, gpu};
use lammps_fixture::engine_input;

const TOL: f64 = 1e-5;

#[test]
fn gpu_forces_equal_the_cpu_engine_on_the_lammps_fixtures() {
    for fixture in lammps_fixture::all() {
        let (mut state, table) = engine_input(&fixture);
        let system =
            GpuSystem::from_state(&state, &table, 1.0).expect("GPU input from the engine state");
        let mut g = gpu(&system, Integrator::Nve { dt: 0.001 });
        // The GPU stores positions in 32-bit fixed point: evaluate the engine on exactly those.
        state.pos = block(g.positions()).expect("positions");
        state.wrap();
        let mut nlist = NeighborList::new(&table, 0.0).expect("list");
        nlist.build(&state).expect("build");
        let sums = compute_forces(&mut state, &nlist, &table.coeffs(), None);
        let mut on_gpu = system.clone();
        on_gpu.positions = state.pos.clone();
        let reference = bnsl::gpu::pair_sum(&on_gpu);
        // the O(N²) reference is the engine's sum
        assert!(
            (reference.potential_energy() - sums.energy).abs() <= 1e-9 * sums.energy.abs().max(1.0)
        );
        assert!((reference.virial() - sums.virial).abs() <= 1e-9 * sums.virial.abs().max(1.0));

        let got = block(g.force_field()).expect("GPU forces");
        let fmax = state
            .force
            .iter()
            .flatten()
            .fold(0.0f64, |a, b| a.max(b.abs()));
        let ferr = got
            .forces
            .iter()
            .flatten()
            .zip(state.force.iter().flatten())
            .fold(0.0f64, |a, (g, c)| a.max((g - c).abs()));
        let e_scale: f64 = reference.energies.iter().map(|e| e.abs()).sum::<f64>();
        let w_scale: f64 = reference
            .virials
            .iter()
            .flatten()
            .map(|w| w.abs())
            .sum::<f64>();
        let obs = block(g.observe()).expect("observe");
        let eerr = (obs.potential_energy - sums.energy).abs() / e_scale;
        let werr = (obs.virial - sums.virial).abs() / w_scale;
        let name = &fixture.name;
        eprintln!(
            "{name}: N {} force {:.2e} energy {eerr:.2e} virial {werr:.2e} (E cpu {:.6} gpu {:.6}; W cpu {:.4} gpu {:.4})",
            state.len(),
            ferr / fmax,
            sums.energy,
            obs.potential_energy,
            sums.virial,
            obs.virial
        );
        assert!(
            ferr / fmax < TOL,
            "{name}: force error {:.3e} of the largest force",
            ferr / fmax
        );
        assert!(
            eerr < TOL,
            "{name}: energy {} vs engine {}",
            obs.potential_energy,
            sums.energy
        );
        assert!(
            werr < TOL,
            "{name}: virial {} vs engine {}",
            obs.virial,
            sums.virial
        );
    }
}
