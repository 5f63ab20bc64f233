//! The GPU side of `bnsl bench md --device gpu`: the CPU benchmark's workload
//! ([`crate::md::workload::benchmark_simulation`]: AlB₂ lattice, 50–25 shifted Mie, Langevin
//! kT = 0.4, dt = 0.001) converted with [`GpuSystem::from_state`] and run on the default GPU
//! adapter as one block of steps with no read-back until the end. Native only (it blocks).

use super::{GpuError, GpuMd, GpuSystem, Integrator, DISPATCHES_PER_STEP};
use crate::md::workload::benchmark_simulation;
use crate::md::Integrator as CpuIntegrator;
use std::time::Instant;

/// Result of one GPU MD benchmark.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuBenchmark {
    /// Adapter name and backend.
    pub adapter: String,
    /// Number of particles.
    pub particles: usize,
    /// Timed steps.
    pub steps: u64,
    /// Wall-clock seconds of the timed steps (including the final read-back).
    pub seconds: f64,
    /// Compute dispatches per time step.
    pub dispatches_per_step: u32,
    /// Kinetic temperature after the run (3N degrees of freedom).
    pub temperature: f64,
    /// Potential energy per particle after the run.
    pub potential_energy_per_particle: f64,
}

/// Runs `steps` GPU steps of the `n`-particle benchmark workload with seed `seed`, after 20
/// untimed warm-up steps (pipeline creation, first submission).
///
/// # Errors
/// [`GpuError::InvalidInput`] when the workload cannot be built; device errors and run faults.
pub fn bench_md(n: usize, steps: u64, seed: u64) -> Result<GpuBenchmark, GpuError> {
    let sim = benchmark_simulation(n, seed)
        .map_err(|e| GpuError::InvalidInput(format!("benchmark workload: {e}")))?;
    let system = GpuSystem::from_state(sim.state(), sim.table(), 1.0)?;
    let dt = 0.001;
    let integrator = match *sim.integrator() {
        CpuIntegrator::Langevin { kt, gamma, seed } => Integrator::Langevin {
            dt,
            kt,
            gamma,
            seed,
        },
        _ => Integrator::Nve { dt },
    };
    let mut md = pollster::block_on(GpuMd::new(&system, integrator))?;
    pollster::block_on(md.run(20, 0))?;
    let start = Instant::now();
    pollster::block_on(md.run(steps, 0))?;
    let seconds = start.elapsed().as_secs_f64();
    let obs = pollster::block_on(md.observe())?;
    let particles = md.len();
    Ok(GpuBenchmark {
        adapter: md.adapter().to_string(),
        particles,
        steps,
        seconds,
        dispatches_per_step: DISPATCHES_PER_STEP,
        temperature: obs.temperature(3.0 * particles as f64),
        potential_energy_per_particle: obs.potential_energy / particles as f64,
    })
}
