//! The Phase diagram tab's share link (`#/phase?r=<payload>`, codec in [`crate::io::link`]):
//! the picked state point and the recomputed points as their inputs ([`FreeEnergySpec`]:
//! well, depth, density, cells, seed, quality; [`CoexistenceSpec`]: well, depth, seed,
//! quality), so that opening the link restores the view and replays the points — on the CPU
//! path to the same numbers bit for bit.

use serde::{Deserialize, Serialize};

use super::coexistence::CoexistenceSpec;
use super::free_energy::{FreeEnergySpec, SpecError, DENSITY_RANGE, DEPTH_RANGE};
use crate::io::link::{decode_link, share_link, LinkError};
use crate::thermo::diagram::Well;

/// The route the link opens.
pub const PHASE_ROUTE: &str = "phase";
/// Most recomputed points a link carries.
pub const MAX_LINK_POINTS: usize = 8;

/// A point picked on a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pick {
    /// The diagram it was picked on.
    pub well: Well,
    /// ε/kT.
    pub depth: f64,
    /// ρσ³.
    pub density: f64,
}

/// What a Phase diagram link carries.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseLink {
    /// The picked point, if any.
    #[serde(default)]
    pub pick: Option<Pick>,
    /// The recomputed points' inputs, in order.
    #[serde(default)]
    pub points: Vec<FreeEnergySpec>,
    /// The recomputed coexistences' inputs, in order.
    #[serde(default)]
    pub coexistence: Vec<CoexistenceSpec>,
}

/// Why a Phase diagram link cannot be used.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum PhaseLinkError {
    /// The link cannot be decoded (damaged, too long, not this format).
    #[error("this Phase diagram link cannot be read: {0}")]
    Link(#[from] LinkError),
    /// The link opens another tab.
    #[error("this link is for the '{0}' tab, not Phase diagram")]
    Route(String),
    /// Too many points.
    #[error("the link carries {0} points; at most {MAX_LINK_POINTS}")]
    TooMany(usize),
    /// A coexistence's inputs are out of range.
    #[error("coexistence {index} of the link: {error}")]
    Coexistence {
        /// 1-based position in the link.
        index: usize,
        /// What is wrong.
        error: SpecError,
    },
    /// A point's inputs are out of range.
    #[error("point {index} of the link: {error}")]
    Point {
        /// 1-based position in the link.
        index: usize,
        /// What is wrong.
        error: SpecError,
    },
    /// The picked point lies outside the ranges.
    #[error("the picked point (ε/kT = {depth}, ρσ³ = {density}) is outside ε/kT {} to {} or ρσ³ {} to {}", DEPTH_RANGE.0, DEPTH_RANGE.1, DENSITY_RANGE.0, DENSITY_RANGE.1)]
    Pick {
        /// ε/kT given.
        depth: f64,
        /// ρσ³ given.
        density: f64,
    },
}

/// Whether (depth, density) lies inside the recompute's ranges.
#[must_use]
pub fn in_range(depth: f64, density: f64) -> bool {
    (DEPTH_RANGE.0..=DEPTH_RANGE.1).contains(&depth)
        && (DENSITY_RANGE.0..=DENSITY_RANGE.1).contains(&density)
}

impl PhaseLink {
    /// The fragment `#/phase?r=…`; prepend the page's address.
    ///
    /// # Errors
    /// The codec's [`LinkError`] (too long).
    pub fn to_fragment(&self) -> Result<String, LinkError> {
        share_link(PHASE_ROUTE, self)
    }

    /// Reads and checks a link (a whole URL or its fragment).
    ///
    /// # Errors
    /// [`PhaseLinkError`] naming what is wrong.
    pub fn from_link(url: &str) -> Result<Self, PhaseLinkError> {
        let (route, link): (String, PhaseLink) = decode_link(url)?;
        if route != PHASE_ROUTE {
            return Err(PhaseLinkError::Route(route.chars().take(40).collect()));
        }
        let count = link.points.len() + link.coexistence.len();
        if count > MAX_LINK_POINTS {
            return Err(PhaseLinkError::TooMany(count));
        }
        for (i, spec) in link.coexistence.iter().enumerate() {
            spec.check().map_err(|error| PhaseLinkError::Coexistence {
                index: i + 1,
                error,
            })?;
        }
        for (i, spec) in link.points.iter().enumerate() {
            spec.check().map_err(|error| PhaseLinkError::Point {
                index: i + 1,
                error,
            })?;
        }
        if let Some(p) = link.pick {
            if !in_range(p.depth, p.density) {
                return Err(PhaseLinkError::Pick {
                    depth: p.depth,
                    density: p.density,
                });
            }
        }
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FreeEnergySpec {
        FreeEnergySpec {
            well: Well::Wide,
            depth: 2.5,
            density: 2.41,
            cells: None,
            seed: 3,
            quality: "fast".into(),
        }
    }

    #[test]
    fn a_link_round_trips() {
        let link = PhaseLink {
            pick: Some(Pick {
                well: Well::Narrow,
                depth: 2.0,
                density: 2.37,
            }),
            points: vec![spec()],
            coexistence: vec![CoexistenceSpec {
                well: Well::Narrow,
                depth: 2.0,
                seed: 4,
                quality: "fast".into(),
            }],
        };
        let fragment = link.to_fragment().unwrap();
        assert!(fragment.starts_with("#/phase?r="));
        let url = format!("http://localhost:8080/{fragment}");
        assert_eq!(PhaseLink::from_link(&url).unwrap(), link);
    }

    #[test]
    fn hostile_links_are_refused_with_a_reason() {
        let msg = |link: &PhaseLink| {
            PhaseLink::from_link(&link.to_fragment().unwrap())
                .unwrap_err()
                .to_string()
        };
        let mut bad = spec();
        bad.density = 1e300;
        let text = msg(&PhaseLink {
            pick: None,
            points: vec![spec(), bad],
            coexistence: Vec::new(),
        });
        assert!(text.contains("point 2") && text.contains("ρσ³"), "{text}");
        let text = msg(&PhaseLink {
            pick: None,
            points: vec![spec(); 9],
            coexistence: Vec::new(),
        });
        assert!(text.contains("at most 8"), "{text}");
        let deep = CoexistenceSpec {
            well: Well::Narrow,
            depth: 7.0,
            seed: 1,
            quality: "fast".into(),
        };
        let text = msg(&PhaseLink {
            pick: None,
            points: Vec::new(),
            coexistence: vec![deep.clone()],
        });
        assert!(
            text.contains("coexistence 1") && text.contains("ε/kT = 7"),
            "{text}"
        );
        let text = msg(&PhaseLink {
            pick: None,
            points: vec![spec(); 4],
            coexistence: vec![deep; 5],
        });
        assert!(text.contains("at most 8"), "{text}");
        let text = msg(&PhaseLink {
            pick: Some(Pick {
                well: Well::Wide,
                depth: -1.0,
                density: 2.0,
            }),
            points: Vec::new(),
            coexistence: Vec::new(),
        });
        assert!(text.contains("picked point"), "{text}");
        assert!(matches!(
            PhaseLink::from_link("#/phase?r=%%%garbage"),
            Err(PhaseLinkError::Link(_))
        ));
        let simulate = share_link("simulate", &PhaseLink::default()).unwrap();
        assert_eq!(
            PhaseLink::from_link(&simulate),
            Err(PhaseLinkError::Route("simulate".into()))
        );
    }
}
