//! What the trajectory analysis computes, as editable data: the crystal classifiers (the
//! paper's AlB₂, NaZn₁₃ and fcc rules of SCIENCE.md §2 by default), the local-density
//! parameters and "locally dense" thresholds (Fig. S22), and the g(r) and S(q) ranges.
//!
//! [`AnalysisSettings::validate`] lists every problem with the field it belongs to, so that an
//! editor can explain each one next to its input.

use serde::{Deserialize, Serialize};

use crate::analysis::local_density::{DENSE_ALB2, DENSE_FCC, DENSE_NAZN13};
use crate::analysis::{Classifier, Rule};

/// A named "locally dense" threshold on the local density (σ⁻³).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DensityThreshold {
    /// Name shown with the threshold (e.g. "AlB2").
    pub name: String,
    /// Densities above this count as locally dense (σ⁻³).
    pub value: f64,
}

/// Local density parameters (freud's `LocalDensity(r_max, diameter)`) and its histogram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DensitySettings {
    /// Radius of the counting sphere (σ).
    pub r_max: f64,
    /// Diameter over which a neighbour's contribution fades (σ).
    pub diameter: f64,
    /// Upper end of the histogram (σ⁻³); larger densities land in the last bin.
    pub histogram_max: f64,
    /// Number of histogram bins.
    pub bins: usize,
    /// The "locally dense" thresholds drawn on the histogram.
    pub thresholds: Vec<DensityThreshold>,
}

/// g(r) parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RdfSettings {
    /// Number of bins.
    pub bins: usize,
    /// Largest distance (σ); lowered to just below half the shortest edge of a small
    /// periodic box (the value used is reported).
    pub r_max: f64,
}

/// S(q) parameters: the reciprocal-lattice sum in a periodic box, the Debye sum in open space.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructureFactorSettings {
    /// Largest wave number (σ⁻¹).
    pub q_max: f64,
    /// Shell width of the reciprocal-lattice sum and grid step of the Debye sum (σ⁻¹).
    pub dq: f64,
    /// Wave vectors used per shell (periodic box).
    pub vectors_per_shell: usize,
    /// Particles used by the Debye sum (open space; evenly strided through the frame when
    /// there are more, because the sum costs N²).
    pub debye_particles: usize,
}

/// Everything the analysis of one frame computes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisSettings {
    /// The crystal classifiers; each gives a crystalline fraction per frame.
    pub classifiers: Vec<Classifier>,
    /// Name of the large type whose crystalline fraction is reported ("L").
    pub large_type: String,
    /// Fold numbered sub-types into their species (`L0`…`L12` → `L`), as the polydisperse
    /// droplets of Fig. 4 store them.
    pub fold_subtypes: bool,
    /// Bins of the q_l histograms over [0, 1].
    pub order_bins: usize,
    /// Local density.
    pub density: DensitySettings,
    /// g(r).
    pub rdf: RdfSettings,
    /// S(q).
    pub structure_factor: StructureFactorSettings,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        let dense = |name: &str, value| DensityThreshold {
            name: name.to_owned(),
            value,
        };
        Self {
            classifiers: vec![Classifier::alb2(), Classifier::nazn13(), Classifier::fcc()],
            large_type: "L".to_owned(),
            fold_subtypes: true,
            order_bins: 50,
            density: DensitySettings {
                r_max: 1.3,
                diameter: 1.0,
                histogram_max: 6.0,
                bins: 60,
                thresholds: vec![
                    dense("fcc", DENSE_FCC),
                    dense("AlB2", DENSE_ALB2),
                    dense("NaZn13", DENSE_NAZN13),
                ],
            },
            rdf: RdfSettings {
                bins: 200,
                r_max: 5.0,
            },
            structure_factor: StructureFactorSettings {
                q_max: 12.0,
                dq: 0.1,
                vectors_per_shell: 8,
                debye_particles: 3000,
            },
        }
    }
}

/// One problem with the settings: where (a field path such as
/// `classifiers[0].rules[1].threshold`) and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingIssue {
    /// Field path.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for SettingIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Largest number of nearest neighbours a rule may ask for.
pub const MAX_RULE_K: usize = 64;

impl AnalysisSettings {
    /// Every problem with the settings (empty when they are valid).
    #[must_use]
    pub fn validate(&self) -> Vec<SettingIssue> {
        let mut issues = Vec::new();
        let mut bad = |field: String, message: &str| {
            issues.push(SettingIssue {
                field,
                message: message.to_owned(),
            });
        };
        if self.classifiers.is_empty() {
            bad("classifiers".into(), "at least one classifier is needed");
        }
        if self.large_type.trim().is_empty() {
            bad("large_type".into(), "name the large particles' type");
        }
        for (c, classifier) in self.classifiers.iter().enumerate() {
            let at = format!("classifiers[{c}]");
            if classifier.name.trim().is_empty() {
                bad(format!("{at}.name"), "give the classifier a name");
            }
            if classifier.rules.is_empty() {
                bad(
                    format!("{at}.rules"),
                    "a classifier needs at least one rule",
                );
            }
            if let Some(t) = &classifier.centres {
                check_types(t, &format!("{at}.centres"), &mut bad);
            }
            for (r, rule) in classifier.rules.iter().enumerate() {
                let at = format!("{at}.rules[{r}]");
                let (k, neighbors, threshold) = match rule {
                    Rule::Order {
                        l,
                        k,
                        neighbors,
                        threshold,
                        ..
                    } => {
                        if *l > 12 {
                            bad(format!("{at}.l"), "l must be between 0 and 12");
                        }
                        (*k, neighbors, *threshold)
                    }
                    Rule::Composition {
                        k,
                        neighbors,
                        count,
                        threshold,
                        ..
                    } => {
                        if count.is_empty() {
                            bad(format!("{at}.count"), "name at least one type to count");
                        }
                        check_types(count, &format!("{at}.count"), &mut bad);
                        if !(0.0..=1.0).contains(threshold) {
                            bad(
                                format!("{at}.threshold"),
                                "a composition threshold is a fraction between 0 and 1",
                            );
                        }
                        (*k, neighbors, *threshold)
                    }
                };
                if !(1..=MAX_RULE_K).contains(&k) {
                    bad(format!("{at}.k"), "k must be between 1 and 64");
                }
                if !threshold.is_finite() {
                    bad(format!("{at}.threshold"), "the threshold must be a number");
                }
                if let Some(t) = neighbors {
                    check_types(t, &format!("{at}.neighbors"), &mut bad);
                }
            }
        }
        let d = &self.density;
        if !(d.r_max.is_finite() && d.r_max > 0.0) {
            bad("density.r_max".into(), "must be a positive number of σ");
        }
        if !(d.diameter.is_finite() && d.diameter >= 0.0) {
            bad(
                "density.diameter".into(),
                "must be zero or a positive number of σ",
            );
        }
        if !(d.histogram_max.is_finite() && d.histogram_max > 0.0) {
            bad("density.histogram_max".into(), "must be a positive density");
        }
        if !(1..=10_000).contains(&d.bins) {
            bad("density.bins".into(), "between 1 and 10000 bins");
        }
        for (i, t) in d.thresholds.iter().enumerate() {
            if !t.value.is_finite() {
                bad(format!("density.thresholds[{i}].value"), "must be a number");
            }
        }
        if !(1..=1000).contains(&self.order_bins) {
            bad("order_bins".into(), "between 1 and 1000 bins");
        }
        if !(1..=100_000).contains(&self.rdf.bins) {
            bad("rdf.bins".into(), "between 1 and 100000 bins");
        }
        if !(self.rdf.r_max.is_finite() && self.rdf.r_max > 0.0) {
            bad("rdf.r_max".into(), "must be a positive number of σ");
        }
        let s = &self.structure_factor;
        if !(s.dq.is_finite() && s.dq > 0.0) {
            bad(
                "structure_factor.dq".into(),
                "must be a positive wave number",
            );
        }
        if !(s.q_max.is_finite() && s.q_max > s.dq && s.q_max <= 100.0) {
            bad(
                "structure_factor.q_max".into(),
                "must be above dq and at most 100 σ⁻¹",
            );
        }
        if s.q_max.is_finite() && s.dq > 0.0 && s.q_max / s.dq > 10_000.0 {
            bad(
                "structure_factor.dq".into(),
                "at most 10000 points up to q_max",
            );
        }
        if !(1..=10_000).contains(&s.vectors_per_shell) {
            bad(
                "structure_factor.vectors_per_shell".into(),
                "between 1 and 10000 wave vectors",
            );
        }
        if !(2..=50_000).contains(&s.debye_particles) {
            bad(
                "structure_factor.debye_particles".into(),
                "between 2 and 50000 particles",
            );
        }
        issues
    }
}

fn check_types(types: &[String], field: &str, bad: &mut impl FnMut(String, &str)) {
    if types.iter().any(|t| t.trim().is_empty()) {
        bad(field.to_owned(), "type names must not be empty");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::analysis::Comparison;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let s = AnalysisSettings::default();
        assert!(s.validate().is_empty(), "{:?}", s.validate());
        let back: AnalysisSettings =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn every_problem_is_named_with_its_field() {
        let mut s = AnalysisSettings::default();
        s.classifiers[0].rules[0] = Rule::Order {
            l: 13,
            k: 0,
            neighbors: Some(vec![String::new()]),
            comparison: Comparison::Greater,
            threshold: f64::NAN,
        };
        s.classifiers[0].rules[1] = Rule::Composition {
            k: 20,
            neighbors: None,
            count: vec![],
            comparison: Comparison::Greater,
            threshold: 1.5,
        };
        s.rdf.r_max = -1.0;
        s.structure_factor.q_max = 0.05;
        let fields: Vec<String> = s.validate().into_iter().map(|i| i.field).collect();
        for f in [
            "classifiers[0].rules[0].l",
            "classifiers[0].rules[0].k",
            "classifiers[0].rules[0].threshold",
            "classifiers[0].rules[0].neighbors",
            "classifiers[0].rules[1].count",
            "classifiers[0].rules[1].threshold",
            "rdf.r_max",
            "structure_factor.q_max",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
        }
    }
}
