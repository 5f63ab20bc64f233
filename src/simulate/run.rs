//! A recipe's run: the recipe checked, its initial state built and its classifier chosen
//! (`observe.structure`), then handed to the one run loop ([`crate::run::Run`]) on a device.
//! The page's worker and `bnsl run --link` both start a recipe here, so the fingerprint the
//! page shows is the one the command line prints.

use super::error::RecipeError;
use super::recipe::Recipe;
use crate::gpu::Device;
use crate::md::seed_pace::{finish, Preparation};
use crate::md::Simulation;
use crate::run::{Crystal, Run};

/// Steps per chunk for a run of `particles` particles with cut-off `r_cut` (σ): about
/// 20,000 particle-steps at the narrow well's 1.5 σ (10–50 ms in a browser), at least one.
#[must_use]
pub fn chunk_steps(particles: usize, r_cut: f64) -> u64 {
    let range = (r_cut / 1.5).clamp(1.0, 4.0);
    let cost = particles.max(1) as f64 * range * range * range;
    (20_000.0 / cost).clamp(1.0, 2_000.0) as u64
}

/// A recipe checked and built, not yet on a device.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The initial state and the engine.
    pub simulation: Simulation,
    /// The classifier of the recipe's structure for its species.
    pub crystal: Crystal,
}

/// Checks the recipe's bounds, builds its initial state and its classifier. (The size
/// confirmation is the caller's: [`Recipe::check_runnable`].)
///
/// # Errors
/// [`RecipeError::Bound`] / [`RecipeError::Format`] for a recipe out of bounds (or without a
/// species "L"), [`RecipeError::Md`] / [`RecipeError::Run`] when the initial state cannot be
/// built or classified.
pub fn prepare(recipe: &Recipe) -> Result<Prepared, RecipeError> {
    finish(prepare_paced(recipe, &mut |_| {}))
}

/// The checks [`prepare`] starts with: the recipe's bounds and a species "L".
///
/// # Errors
/// [`RecipeError::Bound`] / [`RecipeError::Format`].
pub fn check_preparable(recipe: &Recipe) -> Result<(), RecipeError> {
    recipe.check()?;
    if !recipe.run.species.iter().any(|s| s.name == "L") {
        return Err(RecipeError::Bound {
            field: "species".into(),
            message: "one species must be called \"L\"".into(),
        });
    }
    Ok(())
}

/// [`prepare`] as a future that gives control back after every slice of a seeded start's
/// preparation (the fluid, the lattice search, the insertion; [`crate::md::seed_pace`]) and
/// tells `progress` where it is: the page's worker polls it one slice per chunk.
///
/// # Errors
/// As [`prepare`].
pub async fn prepare_paced(
    recipe: &Recipe,
    progress: &mut dyn FnMut(Preparation),
) -> Result<Prepared, RecipeError> {
    check_preparable(recipe)?;
    let (simulation, _) = recipe.run.build_paced(None, progress).await?;
    let crystal = Crystal::new(&recipe.run, recipe.observe.structure)?;
    crystal.check(simulation.state())?;
    Ok(Prepared {
        simulation,
        crystal,
    })
}

impl Prepared {
    /// Starts the recipe's stages on `device`.
    ///
    /// # Errors
    /// [`RecipeError::Run`] when the first stage cannot begin.
    pub async fn start(self, recipe: &Recipe, device: Device) -> Result<Run, RecipeError> {
        Ok(Run::start(
            self.simulation,
            device,
            recipe.run.stage.clone(),
            self.crystal,
        )
        .await?)
    }
}

/// [`prepare`], then [`Prepared::start`].
///
/// # Errors
/// As those two.
pub async fn start(recipe: &Recipe, device: Device) -> Result<Run, RecipeError> {
    prepare(recipe)?.start(recipe, device).await
}
