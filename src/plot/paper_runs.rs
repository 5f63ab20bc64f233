//! The paper's compressions on the phase maps (SCIENCE.md §1 table, read from the Fig. 3e/f
//! presets and the repulsive control), with the crystalline fraction of L that `bnsl reproduce`
//! measured on them: `data/phase-diagrams/reproduced-compressions.json`, the small summary that
//! `scripts/reproduction-summary.mjs` makes from `data/reproduction/*/results.json`.

use serde::Deserialize;

use super::phase_charts::{Compression, MeasuredFraction};
use crate::simulate::{preset, PresetSize};
use crate::thermo::diagram::Well;

/// One reproduced compression.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ReproducedRun {
    /// The Simulate preset it ran (`fig3e-narrow-2.5`, `repulsive`, …).
    pub preset: String,
    /// `fast`, `standard` or `paper`.
    pub quality: String,
    /// Particles.
    pub particles: usize,
    /// Whether the run reached its last step.
    pub complete: bool,
    /// Crystalline fraction of L at the end.
    pub final_fraction: f64,
    /// The largest over the run.
    pub max_fraction: f64,
}

/// The summary file.
#[derive(Debug, Deserialize)]
pub struct ReproducedSummary {
    /// Every reproduced compression.
    pub runs: Vec<ReproducedRun>,
}

fn rank(quality: &str) -> u8 {
    match quality {
        "paper" => 3,
        "standard" => 2,
        _ => 1,
    }
}

/// The paper's compressions of a well, each with the fraction measured by its best complete
/// reproduction (highest quality, then most particles), `None` where none ran it.
#[must_use]
pub fn compressions(well: Well, runs: &[ReproducedRun]) -> Vec<Compression> {
    let ids: &[&str] = match well {
        Well::Narrow => &[
            "fig3e-narrow-2.5",
            "fig3e-narrow-2.0",
            "fig3e-narrow-1.0",
            "fig3e-narrow-0.5",
            "repulsive",
        ],
        Well::Wide => &[
            "fig3f-wide-2.5",
            "fig3f-wide-2.0",
            "fig3f-wide-1.0",
            "fig3f-wide-0.5",
            "repulsive",
        ],
    };
    ids.iter()
        .filter_map(|id| {
            let p = preset(id, PresetSize::Small)?;
            let run = &p.recipe.run;
            let from = run.stage.first()?.compress_to?;
            let to = run.stage.last()?.compress_to?;
            let depth = if run.pair.attractive {
                1.0 / run.kt
            } else {
                0.0
            };
            let measured = runs
                .iter()
                .filter(|r| r.preset == *id && r.complete && r.final_fraction.is_finite())
                .max_by_key(|r| (rank(&r.quality), r.particles))
                .map(|r| MeasuredFraction {
                    end: r.final_fraction.clamp(0.0, 1.0),
                    max: r.max_fraction,
                    particles: r.particles,
                });
            Some(Compression {
                depth,
                rho: (from, to),
                measured,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_complete_run_colours_its_compression() {
        let run = |preset: &str, quality: &str, end: f64, complete: bool| ReproducedRun {
            preset: preset.into(),
            quality: quality.into(),
            particles: 1500,
            complete,
            final_fraction: end,
            max_fraction: end + 0.1,
        };
        let runs = [
            run("fig3f-wide-2.5", "fast", 0.2, true),
            run("fig3f-wide-2.5", "standard", 0.4, true),
            run("fig3f-wide-1.0", "paper", 0.9, false),
        ];
        let wide = compressions(Well::Wide, &runs);
        assert_eq!(wide.len(), 5);
        assert_eq!(wide[0].depth, 2.5);
        assert_eq!(wide[0].measured.map(|m| m.end), Some(0.4));
        assert_eq!(wide[2].measured, None, "an incomplete run colours nothing");
        assert_eq!(wide[4].depth, 0.0, "the repulsive control");
        // the committed summary parses and names presets the maps draw
        let text = include_str!("../../data/phase-diagrams/reproduced-compressions.json");
        let summary: ReproducedSummary = serde_json::from_str(text).unwrap();
        let narrow = compressions(Well::Narrow, &summary.runs);
        assert!(narrow.iter().any(|c| c.measured.is_some()));
    }
}
