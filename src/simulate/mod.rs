//! The Simulate tab's core (issue #6): a [`Recipe`] (every parameter of a run, its seed and
//! steps, the thing a share link carries) with bounds checks, the paper's set-ups as
//! [`presets`] (SCIENCE.md §1 and §4), and [`start`], which hands a recipe to the one run loop
//! ([`crate::run::Run`]). The page's worker and `bnsl run --link` both start a recipe there,
//! so the fingerprint the page shows is the one the command line prints.

mod error;
pub mod form;
mod limits;
pub mod presets;
mod recipe;
mod run;
pub mod seeded;

pub use error::RecipeError;
pub use limits::{
    check_pair_rule, check_run_config, Problem, CONFIRM_ABOVE_PARTICLES, MAX_PARTICLES,
    MAX_RANGES_PER_EDGE, MAX_TOTAL_STEPS,
};
pub use presets::{preset, seeded_state_point, state_point, Preset, PresetSize, PRESET_IDS};
pub use recipe::{Observe, Recipe, RECIPE_FORMAT, SHARE_ROUTE};
pub use run::{check_preparable, chunk_steps, prepare, prepare_paced, start, Prepared};
