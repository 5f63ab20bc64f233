//! A recipe's run, advanced chunk by chunk (so a Web Worker can report progress, pause and
//! stop between chunks): the stages of the recipe with their compressions exactly as
//! `bnsl run CONFIG` runs them, a [`Sample`] (observables of SCIENCE.md §1 and the crystalline
//! fraction of large particles of §2) every `log_every` steps, a [`Snapshot`] for the 3D view
//! (Fig. 4b,c labels, q_l) every `frame_every` steps, and the fingerprint of the final
//! positions ([`crate::md::fingerprint`]).

use serde::Serialize;

use super::error::RecipeError;
use super::recipe::Recipe;
use crate::analysis::{Classifier, Label, NeighborQuery, Rule, Steinhardt};
use crate::md::{fingerprint, Observables, Simulation};
use crate::model::polydisperse::discretise;
use crate::model::{Frame, Species};
use crate::view::Fig4Label;

/// One row of the run's log: the engine's observables and the crystalline fraction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// Observables of the state (T, U, P, density, packing fraction, …).
    #[serde(flatten)]
    pub observables: Observables,
    /// Crystalline fraction of the large particles, N_crystalline(L) / N_L (SCIENCE.md §2).
    pub crystalline_fraction: f64,
}

impl Sample {
    /// Column names of [`Sample::csv_row`].
    pub const CSV_HEADER: &'static str = "step,time,temperature,potential_energy,kinetic_energy,pressure,density,packing_fraction,conserved,crystalline_fraction";

    /// The row as CSV (shortest round-trip representation of every number).
    #[must_use]
    pub fn csv_row(&self) -> String {
        format!(
            "{},{}",
            self.observables.csv_row(),
            self.crystalline_fraction
        )
    }
}

/// What the 3D view needs of one moment of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The configuration with the engine's (sub-)types and per-particle diameters (what the
    /// GSD trajectory stores).
    pub frame: Frame,
    /// Species index of each particle (0 = the first species, normally L).
    pub species: Vec<u32>,
    /// Fig. 4b,c role of each particle.
    pub labels: Vec<Fig4Label>,
    /// q_l of every particle over its k nearest neighbours, with the l and k of the
    /// classifier's first rule (q8 over 20 for AlB₂, q9 over 24 for NaZn₁₃, q6 over 12 for fcc).
    pub q: Vec<f64>,
    /// That l.
    pub q_l: u32,
}

/// What one call of [`SimRun::advance`] produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Advance {
    /// Samples taken at the log interval within the chunk.
    pub samples: Vec<Sample>,
    /// Whether a frame interval (or the end) was reached: take a [`SimRun::snapshot`].
    pub frame_due: bool,
}

/// What [`SimRun::book_block`] says about the block just run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BlockEnd {
    /// A log interval (or the end) was reached: take a [`SimRun::sample`].
    pub sample_due: bool,
    /// A frame interval (or the end) was reached: take a [`SimRun::snapshot`].
    pub frame_due: bool,
    /// A stage began that compresses to this density over this many steps.
    pub compress: Option<(f64, u64)>,
}

/// Steps per chunk for a run of `particles` particles with cut-off `r_cut` (σ): about
/// 20,000 particle-steps at the narrow well's 1.5 σ (10–50 ms in a browser), at least one.
#[must_use]
pub fn chunk_steps(particles: usize, r_cut: f64) -> u64 {
    let range = (r_cut / 1.5).clamp(1.0, 4.0);
    let cost = particles.max(1) as f64 * range * range * range;
    (20_000.0 / cost).clamp(1.0, 2_000.0) as u64
}

/// A running recipe.
#[derive(Clone, Debug)]
pub struct SimRun {
    recipe: Recipe,
    sim: Simulation,
    stage: usize,
    stage_done: u64,
    done: u64,
    total: u64,
    classifier: Classifier,
    species_of_type: Vec<u32>,
    species_names: Vec<String>,
    large: u32,
}

impl SimRun {
    /// Checks the recipe's bounds, builds the initial state and starts the first stage.
    /// (The size confirmation is the caller's: [`Recipe::check_runnable`].)
    ///
    /// # Errors
    /// [`RecipeError::Bound`] / [`RecipeError::Format`] for a recipe out of bounds,
    /// [`RecipeError::Md`] when the engine cannot build the initial state.
    pub fn new(recipe: &Recipe) -> Result<Self, RecipeError> {
        recipe.check()?;
        let sim = recipe.run.build(None)?;
        let mut species_of_type = Vec::new();
        for (i, s) in recipe.run.species.iter().enumerate() {
            let sub = discretise(
                &Species {
                    name: s.name.clone(),
                    diameter: s.diameter,
                    relative_std: s.relative_std,
                    bins: s.bins,
                },
                i,
            )
            .map_err(crate::md::MdError::from)?;
            species_of_type.extend(std::iter::repeat_n(i as u32, sub.len()));
        }
        if species_of_type.len() != sim.state().types.len() {
            return Err(RecipeError::Content(format!(
                "the species make {} sub-types but the initial state has {}",
                species_of_type.len(),
                sim.state().types.len()
            )));
        }
        let species_names: Vec<String> =
            recipe.run.species.iter().map(|s| s.name.clone()).collect();
        let large =
            species_names
                .iter()
                .position(|n| n == "L")
                .ok_or_else(|| RecipeError::Bound {
                    field: "species".into(),
                    message: "one species must be called \"L\"".into(),
                })? as u32;
        let structure = recipe.observe.structure;
        let classifier =
            structure
                .crystal()
                .classifier
                .clone()
                .ok_or_else(|| RecipeError::Bound {
                    field: "observe.structure".into(),
                    message: format!("{} has no classifier yet", structure.name()),
                })?;
        let mut run = Self {
            recipe: recipe.clone(),
            sim,
            stage: 0,
            stage_done: 0,
            done: 0,
            total: recipe.total_steps(),
            classifier,
            species_of_type,
            species_names,
            large,
        };
        run.begin_stage()?;
        Ok(run)
    }

    fn begin_stage(&mut self) -> Result<(), RecipeError> {
        if let Some(stage) = self.recipe.run.stage.get(self.stage) {
            if let Some(rho) = stage.compress_to {
                self.sim.compress_to(rho, stage.steps)?;
            }
        }
        Ok(())
    }

    /// The recipe being run.
    #[must_use]
    pub fn recipe(&self) -> &Recipe {
        &self.recipe
    }

    /// The simulation (state, observables).
    #[must_use]
    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// Steps done and steps in all.
    #[must_use]
    pub fn progress(&self) -> (u64, u64) {
        (self.done, self.total)
    }

    /// Whether every stage has run.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.done >= self.total
    }

    /// 64-bit fingerprint of the current positions.
    #[must_use]
    pub fn fingerprint(&self) -> u64 {
        fingerprint(&self.sim.state().pos)
    }

    /// The configuration with one type per species (what the classifiers read).
    fn species_frame(&self) -> Frame {
        let s = self.sim.state();
        Frame {
            step: s.step,
            geometry: s.geometry,
            types: self.species_names.clone(),
            positions: s.pos.clone(),
            typeid: self.species_typeid(),
            diameters: s
                .typeid
                .iter()
                .map(|&t| s.type_diameters[t as usize])
                .collect(),
            velocities: None,
            images: None,
        }
    }

    fn species_typeid(&self) -> Vec<u32> {
        self.sim
            .state()
            .typeid
            .iter()
            .map(|&t| self.species_of_type[t as usize])
            .collect()
    }

    /// The current observables and crystalline fraction.
    ///
    /// # Errors
    /// [`RecipeError::Analysis`] when the classifier cannot run (e.g. too few particles).
    pub fn sample(&self) -> Result<Sample, RecipeError> {
        let frame = self.species_frame();
        let fraction = self
            .classifier
            .classify(&frame)?
            .fraction_of_type(&frame.typeid, self.large);
        Ok(Sample {
            observables: self.sim.observables(),
            crystalline_fraction: fraction,
        })
    }

    /// Runs at most `max_steps` steps, taking a sample at every log interval and at the end.
    ///
    /// # Errors
    /// [`RecipeError::Md`] when a step fails (the state is then the last good one),
    /// [`RecipeError::Analysis`] when a sample cannot be classified.
    pub fn advance(&mut self, max_steps: u64) -> Result<Advance, RecipeError> {
        let mut out = Advance::default();
        let log_every = self.recipe.run.output.log_every.max(1);
        let frame_every = self.recipe.run.output.frame_every.max(1);
        let mut budget = max_steps;
        while budget > 0 && !self.is_finished() {
            let Some(stage) = self.recipe.run.stage.get(self.stage).copied() else {
                break;
            };
            let step = self.sim.state().step;
            let to_log = log_every - step % log_every;
            let to_frame = frame_every - step % frame_every;
            let n = budget
                .min(stage.steps - self.stage_done)
                .min(to_log)
                .min(to_frame);
            self.sim.run(n)?;
            budget -= n;
            self.stage_done += n;
            self.done += n;
            if self.stage_done >= stage.steps {
                self.stage += 1;
                self.stage_done = 0;
                self.begin_stage()?;
            }
            let step = self.sim.state().step;
            if step.is_multiple_of(log_every) || self.is_finished() {
                out.samples.push(self.sample()?);
            }
            if step.is_multiple_of(frame_every) || self.is_finished() {
                out.frame_due = true;
            }
        }
        Ok(out)
    }

    /// Steps of the next block of a run driven by another engine (a [`crate::gpu::MdDriver`]):
    /// at most `budget`, ending at the next log or frame point or the end of the stage; 0 when
    /// the run is finished; `step` is the engine's step counter. The same blocks as
    /// [`SimRun::advance`].
    #[must_use]
    pub fn next_block(&self, budget: u64, step: u64) -> u64 {
        let Some(stage) = self.recipe.run.stage.get(self.stage) else {
            return 0;
        };
        if self.is_finished() {
            return 0;
        }
        let log_every = self.recipe.run.output.log_every.max(1);
        let frame_every = self.recipe.run.output.frame_every.max(1);
        budget
            .min(stage.steps - self.stage_done)
            .min(log_every - step % log_every)
            .min(frame_every - step % frame_every)
    }

    /// Books a block of `n` steps (from [`SimRun::next_block`]) run by another engine whose
    /// step counter is now `step`. Says whether a sample or a frame is due (then load the
    /// engine's state with [`SimRun::load_state`] first) and which compression, if any, the
    /// engine must start for the stage that begins now.
    pub fn book_block(&mut self, n: u64, step: u64) -> BlockEnd {
        let mut end = BlockEnd::default();
        let Some(stage) = self.recipe.run.stage.get(self.stage).copied() else {
            return end;
        };
        self.stage_done += n;
        self.done += n;
        if self.stage_done >= stage.steps {
            self.stage += 1;
            self.stage_done = 0;
            end.compress = self
                .recipe
                .run
                .stage
                .get(self.stage)
                .and_then(|s| s.compress_to.map(|rho| (rho, s.steps)));
        }
        let log_every = self.recipe.run.output.log_every.max(1);
        let frame_every = self.recipe.run.output.frame_every.max(1);
        end.sample_due = step.is_multiple_of(log_every) || self.is_finished();
        end.frame_due = step.is_multiple_of(frame_every) || self.is_finished();
        end
    }

    /// Replaces the configuration with `state` (read back from another engine), for
    /// [`SimRun::sample`], [`SimRun::snapshot`] and [`SimRun::fingerprint`]. The CPU
    /// engine is rebuilt around it (same pair table, integrator and options).
    ///
    /// # Errors
    /// [`RecipeError::Md`] when the CPU engine refuses the state (e.g. non-finite values).
    pub fn load_state(&mut self, state: crate::md::State) -> Result<(), RecipeError> {
        self.sim = Simulation::new(
            state,
            self.sim.table().clone(),
            self.sim.integrator().clone(),
            self.sim.options(),
        )?;
        Ok(())
    }

    /// Runs to the end and returns the fingerprint.
    ///
    /// # Errors
    /// As [`SimRun::advance`].
    pub fn run_to_end(&mut self) -> Result<u64, RecipeError> {
        while !self.is_finished() {
            self.advance(u64::MAX)?;
        }
        Ok(self.fingerprint())
    }

    /// The current configuration with its Fig. 4 labels and q_l for the view.
    ///
    /// # Errors
    /// [`RecipeError::Analysis`] when the classifier cannot run.
    pub fn snapshot(&self) -> Result<Snapshot, RecipeError> {
        let frame = self.species_frame();
        let classification = self.classifier.classify(&frame)?;
        let labels = classification
            .labels(frame.len())
            .into_iter()
            .zip(&frame.typeid)
            .map(|(label, &t)| match label {
                Label::Crystalline if t == self.large => Fig4Label::CrystallineLarge,
                Label::Crystalline | Label::Neighbor if t != self.large => {
                    Fig4Label::SmallNextToCrystalline
                }
                _ => Fig4Label::Other,
            })
            .collect();
        let (l, k) = self
            .classifier
            .rules
            .iter()
            .find_map(|r| match r {
                Rule::Order { l, k, .. } => Some((*l, *k)),
                Rule::Composition { .. } => None,
            })
            .unwrap_or((6, 12));
        let query = NeighborQuery::from_frame(&frame)?;
        let all = query.select(None);
        let list = query.nearest_of(k.min(all.len().saturating_sub(1)), &all, &all)?;
        let q = Steinhardt::new(l)?.compute(&list)?.ql;
        Ok(Snapshot {
            frame: self.sim.state().to_frame(),
            species: frame.typeid,
            labels,
            q,
            q_l: l,
        })
    }
}
