//! The GPU force kernel equals the CPU engine (`md::compute_forces`, f64, itself equal to
//! LAMMPS to 1e-9) within 1e-5 relative on every LAMMPS fixture of tests/fixtures/lammps/:
//! forces, potential energy and virial, with the GPU input built from the engine's own
//! `State` and `PairTable` (`GpuSystem::from_state`).

#![cfg(not(target_arch = "wasm32"))]

mod gpu_support;
mod lammps_fixture;

use bnsl::gpu::{GpuSystem, Integrator};
use gpu_support::{block, gpu, EngineComparison};
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
        let c = block(EngineComparison::of(&mut g, &mut state, &table));
        // The O(N²) reference on those positions is the engine's sum.
        let mut on_gpu = system.clone();
        on_gpu.positions = state.pos.clone();
        let reference = bnsl::gpu::pair_sum(&on_gpu);
        let (e, w) = (c.energies.1, c.virials.1);
        assert!((reference.potential_energy() - e).abs() <= 1e-9 * e.abs().max(1.0));
        assert!((reference.virial() - w).abs() <= 1e-9 * w.abs().max(1.0));
        eprintln!("{}", c.line(&fixture.name, state.len()));
        c.assert_within(&fixture.name, TOL);
    }
}
