//! The recipe: format version, every parameter of a run ([`RunConfig`]: seed, species, pair
//! rules, geometry, initial state, integrator, stages with their steps, log and frame
//! intervals) and what is measured on the way ([`Observe`]). A share link carries exactly this
//! (`#/simulate?r=<payload>`, codec in [`crate::io::link`]); opening it restores the set-up and
//! running it reproduces the run bit for bit on the CPU path.

use serde::{Deserialize, Serialize};

use super::error::RecipeError;
use super::limits::{check_recipe, Problem, CONFIRM_ABOVE_PARTICLES};
use crate::io::link::{decode_bytes, parse_fragment, share_link};
use crate::lattice::Structure;
use crate::md::config::RunConfig;

/// The recipe format this build writes and reads.
pub const RECIPE_FORMAT: u32 = 1;

/// The page route a recipe link opens.
pub const SHARE_ROUTE: &str = "simulate";

/// What is measured during a run besides the engine's observables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observe {
    /// The crystal the crystalline fraction of large particles counts (SCIENCE.md §2):
    /// `alb2`, `nazn13` or `fcc`.
    pub structure: Structure,
}

/// A whole run as a share link carries it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// Recipe format version ([`RECIPE_FORMAT`]).
    pub format: u32,
    /// The preset it started from (informative; `custom` when built by hand).
    pub preset: String,
    /// Every parameter of the run; `run.output.log_every` is the interval of observables and
    /// classification, `run.output.frame_every` that of the frames the view and the GSD
    /// download get, `run.output.trajectory` / `run.output.log` the download file names.
    pub run: RunConfig,
    /// What is measured on the way.
    pub observe: Observe,
}

impl Recipe {
    /// Total number of particles.
    #[must_use]
    pub fn particles(&self) -> usize {
        self.run
            .species
            .iter()
            .fold(0usize, |a, s| a.saturating_add(s.count))
    }

    /// Total number of steps over all stages.
    #[must_use]
    pub fn total_steps(&self) -> u64 {
        self.run
            .stage
            .iter()
            .fold(0u64, |a, s| a.saturating_add(s.steps))
    }

    /// Every value outside its bounds, each with its field and a plain message (empty when
    /// the recipe can run).
    #[must_use]
    pub fn problems(&self) -> Vec<Problem> {
        check_recipe(self)
    }

    /// Checks the bounds.
    ///
    /// # Errors
    /// [`RecipeError::Format`] for another format version, [`RecipeError::Bound`] for the
    /// first value outside its bounds.
    pub fn check(&self) -> Result<(), RecipeError> {
        if self.format != RECIPE_FORMAT {
            return Err(RecipeError::Format {
                found: u64::from(self.format),
                supported: RECIPE_FORMAT,
            });
        }
        match self.problems().into_iter().next() {
            None => Ok(()),
            Some(p) => Err(RecipeError::Bound {
                field: p.field,
                message: p.message,
            }),
        }
    }

    /// Whether the run is so large that the user must confirm it first
    /// (more than [`CONFIRM_ABOVE_PARTICLES`] particles).
    #[must_use]
    pub fn needs_confirmation(&self) -> bool {
        self.particles() > CONFIRM_ABOVE_PARTICLES
    }

    /// [`Recipe::check`], and refuses a run that needs a confirmation unless `confirmed`.
    ///
    /// # Errors
    /// As [`Recipe::check`]; [`RecipeError::NeedsConfirmation`].
    pub fn check_runnable(&self, confirmed: bool) -> Result<(), RecipeError> {
        self.check()?;
        if self.needs_confirmation() && !confirmed {
            return Err(RecipeError::NeedsConfirmation {
                particles: self.particles(),
                limit: CONFIRM_ABOVE_PARTICLES,
            });
        }
        Ok(())
    }

    /// The share fragment `#/simulate?r=<payload>`; prepend the page's address.
    ///
    /// # Errors
    /// [`RecipeError::Link`] when the recipe does not fit in a link.
    pub fn to_fragment(&self) -> Result<String, RecipeError> {
        Ok(share_link(SHARE_ROUTE, self)?)
    }

    /// Reads a recipe from a link (a whole URL or its `#/simulate?r=…` fragment) and checks
    /// its bounds (not the confirmation: see [`Recipe::check_runnable`]).
    ///
    /// # Errors
    /// [`RecipeError::Link`] for a damaged link or one for another tab,
    /// [`RecipeError::Format`] for another recipe format, [`RecipeError::Content`] for
    /// missing, unknown or mistyped fields, [`RecipeError::Bound`] for a value out of bounds.
    pub fn from_link(url: &str) -> Result<Self, RecipeError> {
        let fragment = parse_fragment(url)?;
        if fragment.route != SHARE_ROUTE {
            return Err(RecipeError::Link(crate::io::link::LinkError::BadFragment(
                format!(
                    "this link opens the '{}' tab, not '{SHARE_ROUTE}'",
                    fragment.route
                ),
            )));
        }
        let payload = fragment.payload.ok_or(crate::io::link::LinkError::Empty)?;
        let json = decode_bytes(&payload)?;
        Self::from_json(&json)
    }

    /// Reads a recipe from its JSON text and checks its bounds.
    ///
    /// # Errors
    /// As [`Recipe::from_link`] without the link errors.
    pub fn from_json(json: &[u8]) -> Result<Self, RecipeError> {
        let value: serde_json::Value = serde_json::from_slice(json).map_err(|e| {
            RecipeError::Content(format!("line {}, column {}: {e}", e.line(), e.column()))
        })?;
        let format = value
            .get("format")
            .ok_or_else(|| RecipeError::Content("it has no 'format' field".into()))?;
        let found = format
            .as_u64()
            .ok_or_else(|| RecipeError::Content("'format' must be a whole number".into()))?;
        if found != u64::from(RECIPE_FORMAT) {
            return Err(RecipeError::Format {
                found,
                supported: RECIPE_FORMAT,
            });
        }
        let recipe: Recipe = serde_json::from_slice(json).map_err(|e| {
            RecipeError::Content(format!("line {}, column {}: {e}", e.line(), e.column()))
        })?;
        recipe.check()?;
        Ok(recipe)
    }

    /// The recipe as JSON text (what the page keeps in its session storage).
    ///
    /// # Errors
    /// [`RecipeError::Content`] when a value has no JSON form (a non-finite number).
    pub fn to_json(&self) -> Result<String, RecipeError> {
        serde_json::to_string(self).map_err(|e| RecipeError::Content(e.to_string()))
    }
}
