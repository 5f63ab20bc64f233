//! The seeded runs' state points read from the shipped phase diagrams (issue #15: "state points
//! chosen from the phase diagram where it exists"; the diagrams: docs/phase-diagram.md).
//!
//! A well's run is at ε/kT = 2.5 (narrow, wide) or 0 (the purely repulsive control, which the
//! narrow diagram's ε/kT = 0 column describes). Where the diagram has gas/liquid–AlB₂
//! coexistence at that depth, the density is taken from it: the paper's density (SCIENCE.md §1)
//! when the diagram says a crystal can grow there (at or above the fluid's coexistence
//! density), else the middle of the coexistence gap (a supersaturated fluid). Where it has no
//! coexistence at that depth, the paper's density stays and the report says so.

use std::sync::OnceLock;

use serde::Serialize;

use crate::simulate::seeded::SeedWell;
use crate::thermo::diagram::PhaseDiagram;

/// The shipped narrow-well diagram (1:2, AlB₂).
const NARROW: &str = include_str!("../../data/phase-diagrams/narrow-1to2/diagram.json");
/// The shipped wide-well diagram (1:2, AlB₂).
const WIDE: &str = include_str!("../../data/phase-diagrams/wide-1to2/diagram.json");

/// Where a well's seeded run sits on its phase diagram, and why it has its density.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiagramPlace {
    /// The well.
    pub well: SeedWell,
    /// The diagram read (`narrow-1to2`, `wide-1to2`).
    pub diagram: &'static str,
    /// ε/kT of the run.
    pub depth: f64,
    /// The density the run uses (ρσ³).
    pub density: f64,
    /// The fluid's and the crystal's coexistence densities at this depth, with their
    /// errors, where the diagram has them.
    pub coexistence: Option<[(f64, f64); 2]>,
    /// In words: the region of the diagram and where the density came from.
    pub reason: String,
}

/// The shipped diagram of `well` (the repulsive control's is the narrow one), parsed once;
/// `None` when it cannot be read.
fn diagram(well: SeedWell) -> (&'static str, Option<&'static PhaseDiagram>) {
    static PARSED: [OnceLock<Option<PhaseDiagram>>; 2] = [OnceLock::new(), OnceLock::new()];
    let (name, text, k) = match well {
        SeedWell::Wide => ("wide-1to2", WIDE, 1),
        SeedWell::Narrow | SeedWell::Repulsive => ("narrow-1to2", NARROW, 0),
    };
    let parsed = PARSED[k].get_or_init(|| serde_json::from_str(text).ok());
    (name, parsed.as_ref())
}

/// The place of `well` on its shipped diagram.
#[must_use]
pub fn place(well: SeedWell) -> DiagramPlace {
    let (name, diagram) = diagram(well);
    let depth = match well {
        SeedWell::Repulsive => 0.0,
        SeedWell::Narrow | SeedWell::Wide => 1.0 / well.kt(),
    };
    let paper = well.paper_density();
    let point = diagram.and_then(|d| d.gas_solid.iter().find(|c| (c.depth - depth).abs() < 1e-9));
    let (density, coexistence, reason) = match (point, diagram) {
        (Some(c), _) => {
            let (density, reason) = choose(paper, c.rho_low.value, c.rho_high.value);
            let coexistence = [c.rho_low, c.rho_high].map(|e| (e.value, e.error));
            (density, Some(coexistence), reason)
        }
        (None, Some(d)) => {
            let with: Vec<String> = d.gas_solid.iter().map(|c| format!("{}", c.depth)).collect();
            let with = if with.is_empty() {
                "none".to_string()
            } else {
                with.join(", ")
            };
            let reason = format!(
                "the shipped diagram has no gas/liquid–AlB₂ coexistence at ε/kT = {depth} (it has \
                 one at ε/kT = {with}; its caveats say why): the paper's density {paper} (SCIENCE.md §1)"
            );
            (paper, None, reason)
        }
        (None, None) => {
            let reason = format!(
                "the shipped diagram could not be read: the paper's density {paper} (SCIENCE.md §1)"
            );
            (paper, None, reason)
        }
    };
    DiagramPlace {
        well,
        diagram: name,
        depth,
        density,
        coexistence,
        reason,
    }
}

/// The density of a run whose well has gas/liquid–AlB₂ coexistence between the fluid's `fluid`
/// and the crystal's `solid` density at its depth, and why: the paper's `paper` when a seed can
/// grow there (at or above `fluid`), else the middle of the gap (rounded to 0.01).
fn choose(paper: f64, fluid: f64, solid: f64) -> (f64, String) {
    if paper >= fluid {
        let region = if paper > solid {
            "beyond the crystal's coexistence density: the crystal is the stable phase"
        } else {
            "inside the coexistence gap: the fluid is supersaturated"
        };
        let reason = format!(
            "the paper's density {paper} lies {region} (fluid {fluid:.3}, AlB₂ {solid:.3}), so a \
             seed can grow: kept"
        );
        (paper, reason)
    } else {
        let middle = (0.5 * (fluid + solid) * 100.0).round() / 100.0;
        let reason = format!(
            "the paper's density {paper} is below the fluid's coexistence density {fluid:.3}, \
             where a seed melts: the middle of the gap to AlB₂ {solid:.3}, {middle}"
        );
        (middle, reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_well_reads_its_diagram_and_says_where_its_density_comes_from() {
        // the shipped diagrams: no coexistence at 2.5 kT in either; the repulsive column has
        // fluid 2.19 and AlB₂ 2.42, so the paper's 2.6 is in the crystal's region and stays
        for well in [SeedWell::Narrow, SeedWell::Wide] {
            let p = place(well);
            assert_eq!(p.depth, 2.5);
            assert_eq!(p.density, well.paper_density());
            assert!(p.coexistence.is_none(), "{p:?}");
            assert!(
                p.reason.contains("no gas/liquid–AlB₂ coexistence"),
                "{}",
                p.reason
            );
        }
        let p = place(SeedWell::Repulsive);
        assert_eq!((p.diagram, p.depth, p.density), ("narrow-1to2", 0.0, 2.6));
        let [(fluid, _), (solid, _)] = p.coexistence.expect("coexistence at ε/kT = 0");
        assert!((fluid - 2.19).abs() < 0.01 && (solid - 2.424).abs() < 0.01);
        assert!(p.reason.contains("stable phase") && p.reason.contains("kept"));
    }

    #[test]
    fn a_density_where_a_seed_would_melt_moves_into_the_coexistence_gap() {
        let (density, reason) = choose(2.2, 2.3, 2.5);
        assert_eq!(density, 2.4);
        assert!(reason.contains("melts"), "{reason}");
        let (density, reason) = choose(2.4, 2.3, 2.5);
        assert_eq!(density, 2.4);
        assert!(
            reason.contains("supersaturated") && reason.contains("kept"),
            "{reason}"
        );
        let (density, reason) = choose(2.6, 2.3, 2.5);
        assert_eq!(density, 2.6);
        assert!(reason.contains("stable phase"), "{reason}");
    }
}
