//! `bnsl eval --device gpu`: the one-shot evaluation of `md::evaluate` (energy, virial
//! pressure W/(3V), forces of a frame; SCIENCE.md §1) computed by the GPU force kernel on the
//! same input (`md::evaluate::evaluation_input`: one sub-type per distinct diameter).
//! Per-particle energies and virials come back in f32 and are summed in f64 in particle order.

use super::{GpuError, GpuMd, GpuSystem, Integrator};
use crate::md::evaluate::{evaluation_input, Evaluation};
use crate::model::{Frame, Geometry, PairRule};

/// Evaluates `rule` on `frame` with the GPU force kernel; returns the evaluation and the
/// adapter's name. As on the CPU, a droplet's wall is not part of the evaluation.
///
/// # Errors
/// [`GpuError::InvalidInput`] for input the engine refuses (with its message), device errors.
pub async fn evaluate_on_gpu(
    frame: &Frame,
    rule: PairRule,
) -> Result<(Evaluation, String), GpuError> {
    let (mut state, table) =
        evaluation_input(frame, rule).map_err(|e| GpuError::InvalidInput(e.to_string()))?;
    let volume = state.volume();
    if let Geometry::Open { radius } = &mut state.geometry {
        *radius = None;
    }
    let system = GpuSystem::from_state(&state, &table, 1.0)?;
    let mut md = GpuMd::new(&system, Integrator::Nve { dt: 0.001 }).await?;
    let field = md.force_field().await?;
    let n = field.forces.len();
    let energy = field.potential_energy();
    let evaluation = Evaluation {
        potential_energy: energy,
        energy_per_particle: energy / n.max(1) as f64,
        virial_pressure: volume.map(|v| field.virial() / (3.0 * v)),
        forces: field.forces,
    };
    Ok((evaluation, md.adapter().to_string()))
}
