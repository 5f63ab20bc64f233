//! Crystal classification of a run's moments (SCIENCE.md §2): the crystalline fraction of the
//! large particles, N_crystalline(L) / N_L, for every log row, and the Fig. 4b,c roles and q_l
//! of every particle for the 3D view. The engine splits a polydisperse species into sub-types;
//! the classifier reads one type per species, so [`Crystal`] keeps the species of every
//! sub-type.

use serde::Serialize;

use super::error::RunError;
use crate::analysis::{
    AnalysisError, Classification, Classifier, Label, NeighborQuery, Rule, Steinhardt,
};
use crate::lattice::Structure;
use crate::md::config::{InitialConfig, RunConfig};
use crate::md::threads::Threads;
use crate::md::{MdError, Observables, State};
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

/// The classifier of a run, the species of each of its engine types and the threads the
/// analysis of a moment runs on.
#[derive(Clone, Debug)]
pub struct Crystal {
    classifier: Classifier,
    species_of_type: Vec<u32>,
    species_names: Vec<String>,
    large: u32,
    threads: Threads,
}

/// The structure a run is watched for: the one its initial crystal has, else the one its
/// composition forms (one species: fcc; L:S nearer 1:2 than 1:13: AlB₂; else NaZn₁₃).
#[must_use]
pub fn structure_of(config: &RunConfig) -> Structure {
    match config.initial {
        InitialConfig::Lattice { structure, .. }
        | InitialConfig::SeededFluid { structure, .. }
        | InitialConfig::Seeded { structure, .. } => structure,
        InitialConfig::RandomFluid { .. } | InitialConfig::Gsd { .. } => by_composition(config),
    }
}

/// The structure a composition forms: one species fcc; L:S nearer 1:2 than 1:13 AlB₂; else
/// NaZn₁₃.
fn by_composition(config: &RunConfig) -> Structure {
    {
        {
            let count = |name: &str| {
                config
                    .species
                    .iter()
                    .filter(|s| s.name == name)
                    .map(|s| s.count as f64)
                    .sum::<f64>()
            };
            let (l, s) = (count("L"), count("S"));
            if config.species.len() < 2 || l == 0.0 || s == 0.0 {
                Structure::Fcc
            } else if (s / l - 2.0).abs() <= (s / l - 13.0).abs() {
                Structure::Alb2
            } else {
                Structure::Nazn13
            }
        }
    }
}

impl Crystal {
    /// The classifier of `structure` for the species of `config`; the large species is the one
    /// called "L", else the first.
    ///
    /// # Errors
    /// [`RunError::Md`] when a species cannot be split into sub-types.
    pub fn new(config: &RunConfig, structure: Structure) -> Result<Self, RunError> {
        let mut species_of_type = Vec::new();
        for (i, s) in config.species.iter().enumerate() {
            let sub = discretise(
                &Species {
                    name: s.name.clone(),
                    diameter: s.diameter,
                    relative_std: s.relative_std,
                    bins: s.bins,
                },
                i,
            )
            .map_err(MdError::from)?;
            species_of_type.extend(std::iter::repeat_n(i as u32, sub.len()));
        }
        let species_names: Vec<String> = config.species.iter().map(|s| s.name.clone()).collect();
        let large = species_names.iter().position(|n| n == "L").unwrap_or(0) as u32;
        // The catalogue's classifier; a crystal without one is watched with the classifier of
        // the structure its composition forms.
        let classifier = structure
            .crystal()
            .classifier
            .clone()
            .or_else(|| by_composition(config).crystal().classifier.clone())
            .unwrap_or_else(Classifier::fcc);
        Ok(Self {
            classifier,
            species_of_type,
            species_names,
            large,
            threads: Threads::default(),
        })
    }

    /// Classifies (and computes the view's q_l) on `threads` from now on: the per-particle work
    /// is cut into fixed ranges collected in order, so the results are the same on any number
    /// (docs/analysis.md "Threads").
    pub fn set_threads(&mut self, threads: Threads) {
        self.threads = threads;
    }

    /// The species index of the large particles in [`Crystal::species_frame`].
    #[must_use]
    pub fn large(&self) -> u32 {
        self.large
    }

    /// Checks that `state` has the engine types the species make.
    ///
    /// # Errors
    /// [`RunError::Types`] when they differ.
    pub fn check(&self, state: &State) -> Result<(), RunError> {
        if self.species_of_type.len() == state.types.len() {
            Ok(())
        } else {
            Err(RunError::Types {
                species_types: self.species_of_type.len(),
                state_types: state.types.len(),
            })
        }
    }

    /// The configuration with one type per species (what the classifier reads).
    #[must_use]
    pub fn species_frame(&self, state: &State) -> Frame {
        Frame {
            step: state.step,
            geometry: state.geometry,
            types: self.species_names.clone(),
            positions: state.pos.clone(),
            typeid: state
                .typeid
                .iter()
                .map(|&t| self.species_of_type.get(t as usize).copied().unwrap_or(0))
                .collect(),
            diameters: state
                .typeid
                .iter()
                .map(|&t| state.type_diameters[t as usize])
                .collect(),
            velocities: None,
            images: None,
        }
    }

    /// Classifies a species frame.
    ///
    /// # Errors
    /// [`AnalysisError`] when the classifier cannot run (e.g. too few particles).
    pub fn classify(&self, frame: &Frame) -> Result<Classification, AnalysisError> {
        self.threads.install(|| self.classifier.classify(frame))
    }

    /// The crystalline fraction of the large species in a classified species frame.
    #[must_use]
    pub fn fraction(&self, frame: &Frame, classification: &Classification) -> f64 {
        classification.fraction_of_type(&frame.typeid, self.large)
    }

    /// The Fig. 4 roles and q_l of a classified species frame, for the view.
    ///
    /// # Errors
    /// [`RunError::Analysis`] when q_l cannot be computed.
    pub fn snapshot(
        &self,
        state: &State,
        frame: Frame,
        classification: &Classification,
    ) -> Result<Snapshot, RunError> {
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
        let q = self
            .threads
            .install(|| -> Result<Vec<f64>, AnalysisError> {
                let query = NeighborQuery::from_frame(&frame)?;
                let all = query.select(None);
                let list = query.nearest_of(k.min(all.len().saturating_sub(1)), &all, &all)?;
                Ok(Steinhardt::new(l)?.compute(&list)?.ql)
            })?;
        Ok(Snapshot {
            frame: state.to_frame(),
            species: frame.typeid,
            labels,
            q,
            q_l: l,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{preset, PresetSize};

    #[test]
    fn the_structure_follows_the_initial_crystal_or_the_composition() {
        let mut config = preset("quick-test", PresetSize::Small)
            .expect("preset")
            .recipe
            .run;
        config.initial = InitialConfig::RandomFluid {
            density: 0.5,
            min_distance: 1.0,
            order: crate::md::config::FluidOrder::Insertion,
        };
        config.species[0].count = 100;
        config.species[1].count = 200;
        assert_eq!(structure_of(&config), Structure::Alb2);
        config.species[1].count = 1300;
        assert_eq!(structure_of(&config), Structure::Nazn13);
        config.species.truncate(1);
        assert_eq!(structure_of(&config), Structure::Fcc);
    }
}
