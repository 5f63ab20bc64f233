//! Crystal classifiers as editable data (SCIENCE.md §2): a classifier names the particle
//! types it classifies and a list of rules that must all hold; each rule is a Steinhardt
//! q_l over the k nearest neighbours (of given types) compared with a threshold, or a
//! composition condition on those neighbours.
//!
//! The paper's three classifiers are [`Classifier::alb2`], [`Classifier::nazn13`] and
//! [`Classifier::fcc`]. **Guard**: the paper's AlB₂ rule alone (q8 over the 20 nearest > 0.42)
//! also accepts large particles of plain fcc (q8 ≈ 0.43 there) or any large-only close-packed
//! domain. Our AlB₂ classifier therefore adds a composition rule: at least 8 of the 20 nearest
//! neighbours (fraction > 0.35) must be small. In ideal AlB₂ 12 of the 20 are small; in fcc
//! none are. [`Classifier::alb2_paper`] is the unguarded rule, kept for comparison.

use serde::{Deserialize, Serialize};

use super::error::{AnalysisError, Result};
use super::neighbors::{NeighborList, NeighborQuery};
use super::steinhardt::Steinhardt;
use crate::model::Frame;

/// Most nearest neighbours a rule (or `bnsl order --k`) may ask for: k·N neighbour indices are
/// kept, 400 MB for a million particles.
pub const MAX_NEIGHBOURS: usize = 100;

/// How a value is compared with a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Comparison {
    /// value > threshold
    Greater,
    /// value < threshold
    Less,
}

impl Comparison {
    /// Whether `value` passes (NaN never does).
    #[must_use]
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::Greater => value > threshold,
            Comparison::Less => value < threshold,
        }
    }
}

/// One condition on a particle's neighbourhood.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Rule {
    /// Steinhardt q_l over the `k` nearest neighbours of the given types.
    Order {
        /// Spherical harmonic degree (≤ 12).
        l: u32,
        /// Number of nearest neighbours.
        k: usize,
        /// Types the neighbours are drawn from; `None` = every type.
        neighbors: Option<Vec<String>>,
        /// Comparison with the threshold.
        comparison: Comparison,
        /// Threshold on q_l.
        threshold: f64,
    },
    /// Fraction of the `k` nearest neighbours (of the given types) that are of the `count`
    /// types.
    Composition {
        /// Number of nearest neighbours.
        k: usize,
        /// Types the neighbours are drawn from; `None` = every type.
        neighbors: Option<Vec<String>>,
        /// Types counted.
        count: Vec<String>,
        /// Comparison with the threshold.
        comparison: Comparison,
        /// Threshold on the fraction (0..1).
        threshold: f64,
    },
}

impl Rule {
    fn k(&self) -> usize {
        match self {
            Rule::Order { k, .. } | Rule::Composition { k, .. } => *k,
        }
    }

    fn neighbors(&self) -> Option<&[String]> {
        match self {
            Rule::Order { neighbors, .. } | Rule::Composition { neighbors, .. } => {
                neighbors.as_deref()
            }
        }
    }
}

/// A crystal classifier: which particles it classifies and the rules that must all hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Classifier {
    /// Name shown to users (e.g. "AlB2").
    pub name: String,
    /// Types classified; `None` = every particle.
    pub centres: Option<Vec<String>>,
    /// Conditions, all required.
    pub rules: Vec<Rule>,
}

fn names(n: &[&str]) -> Option<Vec<String>> {
    Some(n.iter().map(|s| (*s).to_owned()).collect())
}

impl Classifier {
    /// The paper's AlB₂ rule with the composition guard (see the module docs): each L with
    /// q8 over its 20 nearest > 0.42 and more than 35 % S among those 20.
    #[must_use]
    pub fn alb2() -> Self {
        let mut c = Self::alb2_paper();
        c.rules.push(Rule::Composition {
            k: 20,
            neighbors: None,
            count: vec!["S".to_owned()],
            comparison: Comparison::Greater,
            threshold: 0.35,
        });
        c
    }

    /// The paper's AlB₂ rule as printed, without the guard (also accepts fcc L).
    #[must_use]
    pub fn alb2_paper() -> Self {
        Self {
            name: "AlB2".to_owned(),
            centres: names(&["L"]),
            rules: vec![Rule::Order {
                l: 8,
                k: 20,
                neighbors: None,
                comparison: Comparison::Greater,
                threshold: 0.42,
            }],
        }
    }

    /// The paper's NaZn₁₃ rule: each L with q9 over its 24 nearest > 0.38 and q4 over its 6
    /// nearest L > 0.45.
    #[must_use]
    pub fn nazn13() -> Self {
        Self {
            name: "NaZn13".to_owned(),
            centres: names(&["L"]),
            rules: vec![
                Rule::Order {
                    l: 9,
                    k: 24,
                    neighbors: None,
                    comparison: Comparison::Greater,
                    threshold: 0.38,
                },
                Rule::Order {
                    l: 4,
                    k: 6,
                    neighbors: names(&["L"]),
                    comparison: Comparison::Greater,
                    threshold: 0.45,
                },
            ],
        }
    }

    /// The paper's fcc rule: every particle with q6 > 0.42 and q10 < 0.14 over its 12 nearest.
    #[must_use]
    pub fn fcc() -> Self {
        let rule = |l, comparison, threshold| Rule::Order {
            l,
            k: 12,
            neighbors: None,
            comparison,
            threshold,
        };
        Self {
            name: "fcc".to_owned(),
            centres: None,
            rules: vec![
                rule(6, Comparison::Greater, 0.42),
                rule(10, Comparison::Less, 0.14),
            ],
        }
    }

    /// The preset of a structure name: `alb2`, `alb2-paper`, `nazn13` or `fcc` (any case).
    #[must_use]
    pub fn preset(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "alb2" => Some(Self::alb2()),
            "alb2-paper" => Some(Self::alb2_paper()),
            "nazn13" => Some(Self::nazn13()),
            "fcc" => Some(Self::fcc()),
            _ => None,
        }
    }

    /// Classifies the particles of a frame.
    ///
    /// # Errors
    /// Unknown type names, invalid rules (l > 12) or too few particles for a rule's k.
    pub fn classify(&self, frame: &Frame) -> Result<Classification> {
        let query = NeighborQuery::from_frame(frame)?;
        self.classify_points(&query, &frame.types)
    }

    /// Checks the rules: each k from 1 to [`MAX_NEIGHBOURS`], each threshold finite.
    ///
    /// # Errors
    /// [`AnalysisError::BadParameter`] naming the first bad value.
    pub fn check(&self) -> Result<()> {
        for rule in &self.rules {
            let (k, threshold) = match rule {
                Rule::Order { k, threshold, .. } | Rule::Composition { k, threshold, .. } => {
                    (*k, *threshold)
                }
            };
            if !(1..=MAX_NEIGHBOURS).contains(&k) {
                return Err(AnalysisError::BadParameter {
                    name: "k",
                    value: k as f64,
                    why: "a rule's neighbour count must be from 1 to 100",
                });
            }
            if !threshold.is_finite() {
                return Err(AnalysisError::BadParameter {
                    name: "threshold",
                    value: threshold,
                    why: "a rule's threshold must be finite",
                });
            }
        }
        Ok(())
    }

    /// Classifies points whose type ids index `type_names`.
    ///
    /// # Errors
    /// As [`Classifier::classify`]; the errors of [`Classifier::check`].
    pub fn classify_points(
        &self,
        query: &NeighborQuery,
        type_names: &[String],
    ) -> Result<Classification> {
        self.check()?;
        let centre_types = resolve(type_names, self.centres.as_deref())?;
        let centres = query.select(centre_types.as_deref());
        let mut pass = vec![true; centres.len()];
        let mut rule_values = Vec::with_capacity(self.rules.len());
        // One k-nearest query per neighbour type set, with the largest k asked for; each rule
        // uses the prefix of every row (rows are sorted by distance).
        let mut lists: Vec<(Option<Vec<u32>>, NeighborList)> = Vec::new();
        let mut first_list: Option<NeighborList> = None;
        for rule in &self.rules {
            let types = resolve(type_names, rule.neighbors())?;
            let kmax = self
                .rules
                .iter()
                .filter(|r| resolve(type_names, r.neighbors()).ok().as_ref() == Some(&types))
                .map(Rule::k)
                .max()
                .unwrap_or(0);
            if !lists.iter().any(|(t, _)| *t == types) {
                let candidates = query.select(types.as_deref());
                let list = query.nearest_of(kmax, &centres, &candidates)?;
                lists.push((types.clone(), list));
            }
            let full = lists
                .iter()
                .find(|(t, _)| *t == types)
                .map(|(_, l)| l)
                .ok_or_else(|| AnalysisError::Inconsistent("neighbour list cache".to_owned()))?;
            let list = full.truncated(rule.k());
            let values = match rule {
                Rule::Order { l, .. } => Steinhardt::new(*l)?.compute(&list)?.ql,
                Rule::Composition { count, .. } => {
                    let counted = resolve(type_names, Some(count))?.unwrap_or_default();
                    (0..list.len())
                        .map(|r| {
                            let nb = list.neighbors_of(r);
                            let hits = nb
                                .iter()
                                .filter(|&&j| counted.contains(&query.typeid()[j as usize]))
                                .count();
                            hits as f64 / nb.len().max(1) as f64
                        })
                        .collect()
                }
            };
            let (comparison, threshold) = match rule {
                Rule::Order {
                    comparison,
                    threshold,
                    ..
                }
                | Rule::Composition {
                    comparison,
                    threshold,
                    ..
                } => (*comparison, *threshold),
            };
            for (p, v) in pass.iter_mut().zip(&values) {
                *p &= comparison.holds(*v, threshold);
            }
            rule_values.push(values);
            if first_list.is_none() {
                first_list = Some(list);
            }
        }
        Ok(Classification {
            centres: centres.iter().map(|&i| i as usize).collect(),
            crystalline: pass,
            values: rule_values,
            neighborhood: first_list.unwrap_or_default(),
        })
    }
}

/// Type ids of the given names (`None` stays `None` = all types).
fn resolve(type_names: &[String], wanted: Option<&[String]>) -> Result<Option<Vec<u32>>> {
    let Some(wanted) = wanted else {
        return Ok(None);
    };
    let mut ids = Vec::with_capacity(wanted.len());
    for name in wanted {
        let id = type_names.iter().position(|t| t == name).ok_or_else(|| {
            AnalysisError::UnknownType {
                name: name.clone(),
                known: type_names.to_vec(),
            }
        })?;
        ids.push(id as u32);
    }
    Ok(Some(ids))
}

/// The outcome of a classifier on one frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    /// Particle indices classified.
    pub centres: Vec<usize>,
    /// Whether each centre is crystalline.
    pub crystalline: Vec<bool>,
    /// The value each rule compared with its threshold, per rule and per centre (q_l for an
    /// order rule, the counted fraction for a composition rule; NaN for an isolated centre).
    pub values: Vec<Vec<f64>>,
    /// The neighbourhood of the classifier's first rule (used for the colouring labels).
    pub neighborhood: NeighborList,
}

/// Colour class of a particle in the paper's pictures (Fig. 4b,c).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// A crystalline particle (blue).
    Crystalline,
    /// Not crystalline itself, but a neighbour of a crystalline one (pink).
    Neighbor,
    /// Everything else (grey, shrunk).
    Other,
}

impl Classification {
    /// N_crystalline / N over the particles of type `typeid` in a frame of `typeids` (the
    /// paper's crystalline fraction with the large type); 0 when there are none.
    #[must_use]
    pub fn fraction_of_type(&self, typeids: &[u32], typeid: u32) -> f64 {
        let total = typeids.iter().filter(|&&t| t == typeid).count();
        let crystalline = self
            .centres
            .iter()
            .zip(&self.crystalline)
            .filter(|(&i, &c)| c && typeids.get(i) == Some(&typeid))
            .count();
        if total == 0 {
            0.0
        } else {
            crystalline as f64 / total as f64
        }
    }

    /// Per-particle labels for `n` particles: crystalline centres, the neighbours (in the
    /// first rule's neighbourhood) of crystalline centres, and the rest.
    #[must_use]
    pub fn labels(&self, n: usize) -> Vec<Label> {
        let mut out = vec![Label::Other; n];
        for (row, &c) in self.crystalline.iter().enumerate() {
            if !c {
                continue;
            }
            if row < self.neighborhood.len() {
                for &j in self.neighborhood.neighbors_of(row) {
                    if let Some(slot) = out.get_mut(j as usize) {
                        if *slot == Label::Other {
                            *slot = Label::Neighbor;
                        }
                    }
                }
            }
        }
        for (&i, &c) in self.centres.iter().zip(&self.crystalline) {
            if c {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Label::Crystalline;
                }
            }
        }
        out
    }
}

impl Classification {
    /// The paper's Fig. 4b,c labels for `typeids.len()` particles: crystalline centres of type
    /// `large` are [`Label::Crystalline`] (blue); particles of any other type found in the
    /// first rule's neighbourhood of such a centre are [`Label::Neighbor`] (pink); all others,
    /// large particles next to crystalline ones included, are [`Label::Other`] (grey, shrunk).
    #[must_use]
    pub fn fig4_labels(&self, typeids: &[u32], large: u32) -> Vec<Label> {
        let n = typeids.len();
        let mut out = vec![Label::Other; n];
        for (row, (&i, &c)) in self.centres.iter().zip(&self.crystalline).enumerate() {
            if !c || typeids.get(i) != Some(&large) {
                continue;
            }
            if let Some(slot) = out.get_mut(i) {
                *slot = Label::Crystalline;
            }
            if row < self.neighborhood.len() {
                for &j in self.neighborhood.neighbors_of(row) {
                    let j = j as usize;
                    if typeids.get(j).is_some_and(|&t| t != large) {
                        out[j] = Label::Neighbor;
                    }
                }
            }
        }
        out
    }
}

/// The paper's crystalline fraction N_crystalline(L)/N_L of a frame under a classifier.
///
/// # Errors
/// As [`Classifier::classify`]; [`AnalysisError::UnknownType`] when the frame has no type "L".
pub fn crystalline_fraction(frame: &Frame, classifier: &Classifier) -> Result<f64> {
    let large =
        frame
            .types
            .iter()
            .position(|t| t == "L")
            .ok_or_else(|| AnalysisError::UnknownType {
                name: "L".to_owned(),
                known: frame.types.clone(),
            })? as u32;
    Ok(classifier
        .classify(frame)?
        .fraction_of_type(&frame.typeid, large))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn presets_round_trip_through_json() {
        for c in [Classifier::alb2(), Classifier::nazn13(), Classifier::fcc()] {
            let text = serde_json::to_string(&c).unwrap();
            let back: Classifier = serde_json::from_str(&text).unwrap();
            assert_eq!(back, c);
        }
        let text = r#"{"name":"x","centres":["L"],"rules":[{"kind":"order","l":6,"k":12,
            "neighbors":null,"comparison":"greater","threshold":0.4}]}"#;
        let c: Classifier = serde_json::from_str(text).unwrap();
        assert_eq!(c.rules.len(), 1);
    }

    #[test]
    fn fig4_labels_mark_small_neighbours_of_crystalline_large_only() {
        let frame = crate::lattice::crystal(
            &crate::lattice::UnitCell::alb2(1.05, 1.0),
            [4, 4, 4],
            crate::lattice::Diameters::PAPER,
        );
        let c = Classifier::alb2().classify(&frame).unwrap();
        assert_eq!(c.values.len(), 2);
        assert!(c.values[0].iter().all(|&q| q > 0.42));
        let labels = c.fig4_labels(&frame.typeid, 0);
        for (l, &t) in labels.iter().zip(&frame.typeid) {
            assert_eq!(
                *l,
                if t == 0 {
                    Label::Crystalline
                } else {
                    Label::Neighbor
                }
            );
        }
        // Nothing crystalline: everything grey.
        let mut none = c.clone();
        none.crystalline.iter_mut().for_each(|x| *x = false);
        assert!(none
            .fig4_labels(&frame.typeid, 0)
            .iter()
            .all(|&l| l == Label::Other));
    }

    #[test]
    fn unknown_type_is_an_error() {
        let mut frame = crate::lattice::crystal(
            &crate::lattice::UnitCell::fcc(1.5),
            [3, 3, 3],
            crate::lattice::Diameters::PAPER,
        );
        frame.types = vec!["A".to_owned(), "B".to_owned()];
        assert!(matches!(
            Classifier::alb2().classify(&frame),
            Err(AnalysisError::UnknownType { .. })
        ));
    }
}
