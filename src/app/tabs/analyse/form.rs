//! The classifier settings form: every field of a [`SettingsDraft`] as an input, each problem
//! written under the input it concerns; nothing typed is lost while it is invalid.

use crate::analysis::pipeline::{issue_for, RuleDraft, RuleKind, SettingIssue, SettingsDraft};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Which text field of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleField {
    /// l.
    L,
    /// k.
    K,
    /// Neighbour types.
    Neighbors,
    /// Counted types.
    Count,
    /// Threshold.
    Threshold,
}

impl RuleField {
    fn path(self) -> &'static str {
        match self {
            RuleField::L => "l",
            RuleField::K => "k",
            RuleField::Neighbors => "neighbors",
            RuleField::Count => "count",
            RuleField::Threshold => "threshold",
        }
    }

    fn slot(self, rule: &mut RuleDraft) -> &mut String {
        match self {
            RuleField::L => &mut rule.l,
            RuleField::K => &mut rule.k,
            RuleField::Neighbors => &mut rule.neighbors,
            RuleField::Count => &mut rule.count,
            RuleField::Threshold => &mut rule.threshold,
        }
    }
}

/// One edit of the draft.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// The large type's name.
    Large(String),
    /// A classifier's name.
    Name(usize, String),
    /// A classifier's centre types.
    Centres(usize, String),
    /// A text field of rule (classifier, rule).
    Rule(usize, usize, RuleField, String),
    /// A rule's comparison (`true` = greater).
    Greater(usize, usize, bool),
}

impl Edit {
    /// Applies the edit to `draft`.
    pub fn apply(self, draft: &mut SettingsDraft) {
        match self {
            Edit::Large(v) => draft.large_type = v,
            Edit::Name(c, v) => {
                if let Some(x) = draft.classifiers.get_mut(c) {
                    x.name = v;
                }
            }
            Edit::Centres(c, v) => {
                if let Some(x) = draft.classifiers.get_mut(c) {
                    x.centres = v;
                }
            }
            Edit::Rule(c, r, field, v) => {
                if let Some(rule) = draft
                    .classifiers
                    .get_mut(c)
                    .and_then(|x| x.rules.get_mut(r))
                {
                    *field.slot(rule) = v;
                }
            }
            Edit::Greater(c, r, g) => {
                if let Some(rule) = draft
                    .classifiers
                    .get_mut(c)
                    .and_then(|x| x.rules.get_mut(r))
                {
                    rule.greater = g;
                }
            }
        }
    }
}

/// A labelled text input with its problem (if any) written under it.
fn text_input(
    label: &str,
    value: &str,
    field: String,
    issues: &[SettingIssue],
    size: u32,
    on: Callback<String>,
) -> Html {
    let issue = issue_for(issues, &field).map(str::to_owned);
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        on.emit(input.value());
    });
    let class = if issue.is_some() { "invalid" } else { "" };
    html! {
        <label class={classes!("field", class)} data-field={field.clone()}>
            <span class="field-label">{ label }</span>
            <input type="text" size={size.to_string()} value={value.to_owned()} {oninput}
                aria-invalid={issue.is_some().to_string()} />
            if let Some(msg) = issue {
                <span class="field-error" role="alert">{ msg }</span>
            }
        </label>
    }
}

/// The whole form.
pub fn view(draft: &SettingsDraft, issues: &[SettingIssue], on: &Callback<Edit>) -> Html {
    let large = {
        let on = on.clone();
        text_input(
            "large type",
            &draft.large_type,
            "large_type".into(),
            issues,
            4,
            Callback::from(move |v| on.emit(Edit::Large(v))),
        )
    };
    let classifiers = draft.classifiers.iter().enumerate().map(|(c, cl)| {
        let name = {
            let on = on.clone();
            text_input(
                "name",
                &cl.name,
                format!("classifiers[{c}].name"),
                issues,
                8,
                Callback::from(move |v| on.emit(Edit::Name(c, v))),
            )
        };
        let centres = {
            let on = on.clone();
            text_input(
                "classified types (empty = all)",
                &cl.centres,
                format!("classifiers[{c}].centres"),
                issues,
                6,
                Callback::from(move |v| on.emit(Edit::Centres(c, v))),
            )
        };
        let rules = cl.rules.iter().enumerate().map(|(r, rule)| {
            let field = |f: RuleField, label: &str, value: &str, size: u32| {
                let on = on.clone();
                text_input(
                    label,
                    value,
                    format!("classifiers[{c}].rules[{r}].{}", f.path()),
                    issues,
                    size,
                    Callback::from(move |v| on.emit(Edit::Rule(c, r, f, v))),
                )
            };
            let comparison = {
                let on = on.clone();
                let onchange = Callback::from(move |e: Event| {
                    let s: HtmlSelectElement = e.target_unchecked_into();
                    on.emit(Edit::Greater(c, r, s.value() == "gt"));
                });
                html! {
                    <label class="field">
                        <span class="field-label">{ "passes if" }</span>
                        <select {onchange}>
                            <option value="gt" selected={rule.greater}>{ "value >" }</option>
                            <option value="lt" selected={!rule.greater}>{ "value <" }</option>
                        </select>
                    </label>
                }
            };
            let (kind, specific) = match rule.kind {
                RuleKind::Order => ("Steinhardt q_l", field(RuleField::L, "l", &rule.l, 3)),
                RuleKind::Composition => (
                    "composition",
                    field(RuleField::Count, "counted types", &rule.count, 5),
                ),
            };
            html! {
                <div class="rule" data-rule={format!("{c}-{r}")}>
                    <span class="rule-kind">{ kind }</span>
                    { specific }
                    { field(RuleField::K, "k nearest", &rule.k, 3) }
                    { field(RuleField::Neighbors, "neighbour types (empty = all)", &rule.neighbors, 5) }
                    { comparison }
                    { field(RuleField::Threshold, "threshold", &rule.threshold, 6) }
                </div>
            }
        });
        html! {
            <fieldset class="classifier">
                <legend>{ &cl.name }</legend>
                <div class="classifier-head">{ name }{ centres }</div>
                { for rules }
            </fieldset>
        }
    });
    let general: Vec<&SettingIssue> = issues
        .iter()
        .filter(|i| !i.field.starts_with("classifiers[") && i.field != "large_type")
        .chain(issues.iter().filter(|i| i.field.ends_with(".rules")))
        .collect();
    html! {
        <div class="classifier-form">
            { large }
            { for classifiers }
            if !general.is_empty() {
                <ul class="form-errors" role="alert">
                    { for general.iter().map(|i| html! { <li>{ i.to_string() }</li> }) }
                </ul>
            }
        </div>
    }
}
