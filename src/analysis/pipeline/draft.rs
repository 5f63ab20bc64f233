//! The classifier settings as the user types them: every field kept as text, so nothing typed
//! is lost while it is invalid, and parsed into [`AnalysisSettings`] with each problem tied to
//! its field (the same paths as [`AnalysisSettings::validate`], e.g.
//! `classifiers[0].rules[1].threshold`) so that a form can explain it in place.

use super::settings::{AnalysisSettings, SettingIssue};
use crate::analysis::{Classifier, Comparison, Rule};

/// Which kind of rule a draft is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// A Steinhardt q_l threshold.
    Order,
    /// A neighbour-composition threshold.
    Composition,
}

/// One rule as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleDraft {
    /// Order or composition.
    pub kind: RuleKind,
    /// l (order rules).
    pub l: String,
    /// Number of nearest neighbours.
    pub k: String,
    /// Neighbour types, comma-separated; empty = every type.
    pub neighbors: String,
    /// Counted types, comma-separated (composition rules).
    pub count: String,
    /// `true` for "value > threshold", `false` for "<".
    pub greater: bool,
    /// Threshold.
    pub threshold: String,
}

/// One classifier as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifierDraft {
    /// Name.
    pub name: String,
    /// Classified types, comma-separated; empty = every particle.
    pub centres: String,
    /// Its rules.
    pub rules: Vec<RuleDraft>,
}

/// The editable part of the settings, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsDraft {
    /// The large type's name.
    pub large_type: String,
    /// The classifiers.
    pub classifiers: Vec<ClassifierDraft>,
}

fn join(types: Option<&Vec<String>>) -> String {
    types.map(|t| t.join(", ")).unwrap_or_default()
}

fn split(text: &str) -> Option<Vec<String>> {
    let names: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        None
    } else {
        Some(names)
    }
}

impl RuleDraft {
    /// The draft of a rule.
    #[must_use]
    pub fn of(rule: &Rule) -> Self {
        match rule {
            Rule::Order {
                l,
                k,
                neighbors,
                comparison,
                threshold,
            } => Self {
                kind: RuleKind::Order,
                l: l.to_string(),
                k: k.to_string(),
                neighbors: join(neighbors.as_ref()),
                count: String::new(),
                greater: *comparison == Comparison::Greater,
                threshold: threshold.to_string(),
            },
            Rule::Composition {
                k,
                neighbors,
                count,
                comparison,
                threshold,
            } => Self {
                kind: RuleKind::Composition,
                l: String::new(),
                k: k.to_string(),
                neighbors: join(neighbors.as_ref()),
                count: count.join(", "),
                greater: *comparison == Comparison::Greater,
                threshold: threshold.to_string(),
            },
        }
    }
}

impl SettingsDraft {
    /// The draft of the settings' editable part.
    #[must_use]
    pub fn of(settings: &AnalysisSettings) -> Self {
        Self {
            large_type: settings.large_type.clone(),
            classifiers: settings
                .classifiers
                .iter()
                .map(|c| ClassifierDraft {
                    name: c.name.clone(),
                    centres: join(c.centres.as_ref()),
                    rules: c.rules.iter().map(RuleDraft::of).collect(),
                })
                .collect(),
        }
    }

    /// `base` with the draft's classifiers and large type, or every problem by field.
    ///
    /// # Errors
    /// Text that is not a number where one is needed, and every issue of
    /// [`AnalysisSettings::validate`].
    pub fn parse(&self, base: &AnalysisSettings) -> Result<AnalysisSettings, Vec<SettingIssue>> {
        let mut issues = Vec::new();
        let mut classifiers = Vec::with_capacity(self.classifiers.len());
        for (c, draft) in self.classifiers.iter().enumerate() {
            let mut rules = Vec::with_capacity(draft.rules.len());
            for (r, rule) in draft.rules.iter().enumerate() {
                let at = |field: &str| format!("classifiers[{c}].rules[{r}].{field}");
                let mut number = |field: &str, text: &str, what: &str| -> Option<f64> {
                    match text.trim().parse::<f64>() {
                        Ok(v) => Some(v),
                        Err(_) => {
                            issues.push(SettingIssue {
                                field: at(field),
                                message: format!("{what}: {:?} is not a number", text.trim()),
                            });
                            None
                        }
                    }
                };
                let k = number("k", &rule.k, "k (neighbours)");
                let threshold = number("threshold", &rule.threshold, "threshold");
                let l = match rule.kind {
                    RuleKind::Order => number("l", &rule.l, "l"),
                    RuleKind::Composition => Some(0.0),
                };
                let whole = |v: f64, field: &str, issues: &mut Vec<SettingIssue>| {
                    if v.fract() == 0.0 && (0.0..=1e6).contains(&v) {
                        Some(v as usize)
                    } else {
                        issues.push(SettingIssue {
                            field: at(field),
                            message: format!("{field} must be a whole number, not {v}"),
                        });
                        None
                    }
                };
                let k = k.and_then(|v| whole(v, "k", &mut issues));
                let l = l.and_then(|v| whole(v, "l", &mut issues));
                let comparison = if rule.greater {
                    Comparison::Greater
                } else {
                    Comparison::Less
                };
                if let (Some(k), Some(l), Some(threshold)) = (k, l, threshold) {
                    rules.push(match rule.kind {
                        RuleKind::Order => Rule::Order {
                            l: u32::try_from(l).unwrap_or(u32::MAX),
                            k,
                            neighbors: split(&rule.neighbors),
                            comparison,
                            threshold,
                        },
                        RuleKind::Composition => Rule::Composition {
                            k,
                            neighbors: split(&rule.neighbors),
                            count: split(&rule.count).unwrap_or_default(),
                            comparison,
                            threshold,
                        },
                    });
                }
            }
            classifiers.push(Classifier {
                name: draft.name.trim().to_owned(),
                centres: split(&draft.centres),
                rules,
            });
        }
        let mut settings = base.clone();
        settings.classifiers = classifiers;
        settings.large_type = self.large_type.trim().to_owned();
        if !issues.is_empty() {
            // Validate what did parse too, so that every problem shows at once (the rule
            // list of a classifier with an unparsed rule is incomplete: skip "no rules").
            issues.extend(
                settings
                    .validate()
                    .into_iter()
                    .filter(|i| !i.field.ends_with(".rules")),
            );
            return Err(issues);
        }
        let problems = settings.validate();
        if problems.is_empty() {
            Ok(settings)
        } else {
            Err(problems)
        }
    }
}

/// The message for `field` among `issues`, if any (what a form shows under the input).
#[must_use]
pub fn issue_for<'a>(issues: &'a [SettingIssue], field: &str) -> Option<&'a str> {
    issues
        .iter()
        .find(|i| i.field == field)
        .map(|i| i.message.as_str())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn presets_survive_the_form() {
        let s = AnalysisSettings::default();
        assert_eq!(SettingsDraft::of(&s).parse(&s).unwrap(), s);
    }

    #[test]
    fn bad_text_is_kept_and_explained_by_field() {
        let s = AnalysisSettings::default();
        let mut d = SettingsDraft::of(&s);
        d.classifiers[0].rules[0].threshold = "0.4x".into();
        d.classifiers[1].rules[1].l = "4.5".into();
        d.classifiers[2].rules[0].k = "0".into();
        let issues = d.parse(&s).unwrap_err();
        assert!(issue_for(&issues, "classifiers[0].rules[0].threshold")
            .unwrap()
            .contains("\"0.4x\" is not a number"));
        assert!(issue_for(&issues, "classifiers[1].rules[1].l")
            .unwrap()
            .contains("whole number"));
        assert!(issue_for(&issues, "classifiers[2].rules[0].k").is_some());
        // The draft still holds what was typed.
        assert_eq!(d.classifiers[0].rules[0].threshold, "0.4x");
        // Fixed, it parses; the edit is applied.
        d.classifiers[0].rules[0].threshold = "0.40".into();
        d.classifiers[1].rules[1].l = "6".into();
        d.classifiers[2].rules[0].k = "14".into();
        d.classifiers[1].rules[1].neighbors = " L , S ".into();
        let parsed = d.parse(&s).unwrap();
        assert_eq!(
            parsed.classifiers[1].rules[1],
            Rule::Order {
                l: 6,
                k: 6,
                neighbors: Some(vec!["L".into(), "S".into()]),
                comparison: Comparison::Greater,
                threshold: 0.45
            }
        );
    }
}
