//! The Simulate tab's editable form, as plain data: every leaf of a recipe's JSON (seed,
//! kT, each species' count, each stage's steps, …) is a text field. Text is kept exactly as
//! typed, so nothing is lost on a typo; [`RecipeForm::assemble`] turns the texts back into a
//! [`Recipe`] and says, per field, what is wrong (not a number, out of bounds) so the page can
//! explain it in place and block the run.

use serde_json::{Number, Value};

use super::recipe::Recipe;

/// One editable value.
#[derive(Clone, Debug, PartialEq)]
pub struct FormField {
    /// Path in the recipe, e.g. `run.species[0].count`.
    pub path: String,
    /// The text as typed.
    pub text: String,
    /// Whether the value is a number (else text or a choice).
    pub numeric: bool,
}

/// Why a field (or the whole form) is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path (`""` for the recipe as a whole).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecipeForm {
    template: Value,
    /// The fields in recipe order.
    pub fields: Vec<FormField>,
}

fn flatten(value: &Value, path: &str, out: &mut Vec<FormField>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(v, &p, out);
            }
        }
        Value::Array(items) if items.iter().any(|v| v.is_object()) => {
            for (i, v) in items.iter().enumerate() {
                flatten(v, &format!("{path}[{i}]"), out);
            }
        }
        Value::Array(items) if items.is_empty() => {}
        Value::Array(items) => {
            let text = items
                .iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            out.push(FormField {
                path: path.to_owned(),
                text,
                numeric: true,
            });
        }
        Value::Null => out.push(FormField {
            path: path.to_owned(),
            text: String::new(),
            numeric: true,
        }),
        Value::Number(n) => out.push(FormField {
            path: path.to_owned(),
            text: n.to_string(),
            numeric: true,
        }),
        Value::Bool(b) => out.push(FormField {
            path: path.to_owned(),
            text: b.to_string(),
            numeric: false,
        }),
        Value::String(s) => out.push(FormField {
            path: path.to_owned(),
            text: s.clone(),
            numeric: false,
        }),
    }
}

fn slot<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut v = root;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        v = v.get_mut(name)?;
        if let Some(i) = index {
            v = v.get_mut(i)?;
        }
    }
    Some(v)
}

fn number(text: &str) -> Option<Value> {
    if let Ok(u) = text.parse::<u64>() {
        return Some(Value::Number(u.into()));
    }
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::Number(i.into()));
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

/// Why a field's text is not a value of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum TextError {
    /// A yes/no field holds something else.
    #[error("{0:?} is not true or false")]
    NotABool(String),
    /// A number field (or one entry of a list) holds something else.
    #[error("{0:?} is not a number")]
    NotANumber(String),
}

fn parse(field: &FormField, old: &Value) -> Result<Value, TextError> {
    let t = field.text.trim();
    let number = |t: &str| number(t).ok_or_else(|| TextError::NotANumber(t.to_owned()));
    match old {
        Value::String(_) => Ok(Value::String(t.to_owned())),
        Value::Bool(_) => match t {
            "true" | "yes" | "on" => Ok(Value::Bool(true)),
            "false" | "no" | "off" => Ok(Value::Bool(false)),
            _ => Err(TextError::NotABool(t.to_owned())),
        },
        Value::Array(_) => t
            .split(',')
            .map(|p| number(p.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        _ if t.is_empty() => Ok(Value::Null),
        _ => number(t),
    }
}

impl RecipeForm {
    /// The form of a recipe.
    ///
    /// # Errors
    /// [`serde_json::Error`] when the recipe has no JSON form (a non-finite number).
    pub fn new(recipe: &Recipe) -> Result<Self, serde_json::Error> {
        let template = serde_json::to_value(recipe)?;
        let mut fields = Vec::new();
        flatten(&template, "", &mut fields);
        fields.retain(|f| f.path != "format");
        Ok(Self { template, fields })
    }

    /// Sets the text of the field at `path` (unknown paths are ignored).
    pub fn set(&mut self, path: &str, text: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.path == path) {
            text.clone_into(&mut f.text);
        }
    }

    /// The text of the field at `path`.
    #[must_use]
    pub fn get(&self, path: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.as_str())
    }

    /// The recipe the texts describe, or every reason it is not valid.
    ///
    /// # Errors
    /// One [`FieldError`] per field that is not a number, out of bounds, or of an unknown
    /// choice; path `""` for problems of the recipe as a whole.
    pub fn assemble(&self) -> Result<Recipe, Vec<FieldError>> {
        let mut value = self.template.clone();
        let mut errors = Vec::new();
        for f in &self.fields {
            let Some(target) = slot(&mut value, &f.path) else {
                continue;
            };
            match parse(f, target) {
                Ok(v) => *target = v,
                Err(e) => errors.push(FieldError {
                    path: f.path.clone(),
                    message: e.to_string(),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let recipe: Recipe = serde_json::from_value(value).map_err(|e| {
            vec![FieldError {
                path: String::new(),
                message: format!("the set-up is not valid: {e}"),
            }]
        })?;
        let problems = recipe.problems();
        if problems.is_empty() {
            return Ok(recipe);
        }
        Err(problems
            .into_iter()
            .map(|p| {
                let path = if p.field.starts_with("observe") || p.field == "preset" {
                    p.field
                } else {
                    format!("run.{}", p.field)
                };
                let known = self.fields.iter().any(|f| f.path == path);
                FieldError {
                    message: if known {
                        p.message
                    } else {
                        format!("{}: {}", path.trim_start_matches("run."), p.message)
                    },
                    path: if known { path } else { String::new() },
                }
            })
            .collect())
    }
}

/// Label, unit and a plain explanation (with the limits) of a field, from its last name.
#[must_use]
pub fn field_help(path: &str) -> (&'static str, &'static str, &'static str) {
    let name = path
        .rsplit('.')
        .next()
        .unwrap_or(path)
        .split('[')
        .next()
        .unwrap_or(path);
    match name {
        "preset" => ("preset", "", "the set-up this started from (a label only)"),
        "seed" => (
            "seed",
            "",
            "random seed of positions, velocities and Langevin noise: same seed, same run",
        ),
        "dt" => ("Δt", "τ", "time step, above 0 and at most 0.01"),
        "skin" => ("skin", "σ", "neighbour-list skin, 0.05 to 2"),
        "kt" => (
            "kT",
            "ε",
            "temperature; ε/kT = 2.5 means kT = 0.4; above 0, at most 100",
        ),
        "name" => (
            "name",
            "",
            "species name; one must be L (large), S for the small ones",
        ),
        "diameter" => (
            "diameter",
            "σ_LL",
            "mean diameter, 0.1 to 10 (L = 1, S = 0.55)",
        ),
        "relative_std" => (
            "spread",
            "",
            "standard deviation / mean, 0 to 0.2 (Fig. 4: 0.047 L, 0.063 S)",
        ),
        "bins" => (
            "bins",
            "",
            "sub-types the size distribution is cut into, 1 to 25 (13 in Fig. 4)",
        ),
        "count" => (
            "count",
            "particles",
            "number of particles of this species; more than 30,000 in all asks for a confirmation",
        ),
        "epsilon" => (
            "ε",
            "ε",
            "well depth, above 0, at most 100 (empty in an override: keep the default)",
        ),
        "n" => (
            "n",
            "",
            "repulsive Mie exponent, 2 to 100 (50 in the paper)",
        ),
        "m" => (
            "m",
            "",
            "attractive Mie exponent, below n: 25 narrow well, 6 wide well",
        ),
        "r_cut" => ("r_cut", "σ_ij", "cut-off, 1 to 5 (1.5 narrow, 3 wide)"),
        "shift" => ("shift", "", "true: energy shifted to zero at the cut-off"),
        "attractive" => (
            "attractive",
            "",
            "false: the purely repulsive ε·C·(σ/r)^n of ε/kT = 0 (set kT = 1)",
        ),
        "a" if path.contains("pair_override") => ("species a", "", "first species of the pair"),
        "b" => ("species b", "", "second species of the pair"),
        "kind" if path.contains("geometry") => {
            ("geometry", "", "periodic (box) or droplet (WCA wall)")
        }
        "kind" if path.contains("initial") => (
            "start",
            "",
            "random_fluid, lattice, seeded (a seed cut into an equilibrated fluid) or seeded_fluid",
        ),
        "kind" if path.contains("integrator") => {
            ("dynamics", "", "nve, langevin or mtk (Nosé–Hoover chain)")
        }
        "wall_epsilon" => (
            "wall ε",
            "ε",
            "energy scale of the droplet's WCA wall, above 0, at most 100",
        ),
        "density" => (
            "start density",
            "σ⁻³",
            "number density: of a random insertion (at most 1.5), or the growth density a seeded start compresses its fluid to (at most 6)",
        ),
        "compress" => (
            "compress",
            "steps",
            "seeded start: steps compressing the fluid from 0.5 σ⁻³ to the growth density",
        ),
        "equilibrate" => (
            "equilibrate",
            "steps",
            "seeded start: steps equilibrating the fluid without a seed; its pressure (the mean over the second half) sets the seed's lattice",
        ),
        "clearance" => (
            "clearance",
            "σ_ij",
            "seeded start: fluid particles closer than this to a seed particle are removed, 0.5 to 1.2 (0.97)",
        ),
        "min_distance" => (
            "min distance",
            "σ_ij",
            "closest allowed pair at insertion, 0.5 to 1.2",
        ),
        "order" => (
            "numbering",
            "",
            "cells (neighbours numbered together: faster, above all on several threads) or insertion (as placed; what a recipe without it does)",
        ),
        "structure" if path.starts_with("observe") => (
            "crystal counted",
            "",
            "alb2, nazn13 or fcc: the classifier of SCIENCE.md §2",
        ),
        "structure" => ("seed crystal", "", "alb2, nazn13 or fcc"),
        "a" => (
            "lattice a",
            "σ",
            "lattice constant, 0.5 to 10 (a seeded start without it matches a to the fluid's pressure)",
        ),
        "c_over_a" => ("c/a", "", "AlB₂ axial ratio, 0.5 to 2"),
        "seed_radius" => (
            "seed radius",
            "σ",
            "radius of the crystal seed, above 0, at most 50",
        ),
        "cells" => ("cells", "", "unit cells along x, y, z, each 1 to 100"),
        "gamma" => ("γ", "1/τ", "Langevin friction, 0 to 100"),
        "tau" => ("τ_T", "τ", "thermostat time constant, above 0, at most 100"),
        "chain" => ("chain", "", "Nosé–Hoover chain length, 1 to 10"),
        "steps" => ("steps", "steps", "steps of this stage, 1 to 10⁹"),
        "compress_to" => (
            "compress to",
            "σ⁻³",
            "number density at the end of the stage; empty: keep the volume",
        ),
        "trajectory" => (
            "GSD file",
            "",
            "download name of the trajectory (letters, digits, . _ -)",
        ),
        "log" => (
            "CSV file",
            "",
            "download name of the log (letters, digits, . _ -)",
        ),
        "log_every" => (
            "log every",
            "steps",
            "steps between log rows and crystal classifications",
        ),
        "frame_every" => (
            "frame every",
            "steps",
            "steps between frames of the view and the GSD trajectory",
        ),
        _ => ("", "", ""),
    }
}

/// The fieldsets of the Simulate form, in the order the page shows them: an id (for the
/// page's element ids) and a title a scientist recognises.
pub const FIELD_GROUPS: [(&str, &str); 6] = [
    ("species", "Particles & species"),
    ("pair", "Interaction (Mie pair potential)"),
    ("space", "Box or droplet & starting state"),
    ("stages", "Compression stages"),
    ("dynamics", "Temperature, thermostat, time step & seed"),
    ("output", "Output & crystal classifier"),
];

/// The index in [`FIELD_GROUPS`] of the fieldset the field at `path` belongs to.
#[must_use]
pub fn field_group(path: &str) -> usize {
    let under = |prefix: &str| {
        path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    if under("run.species") {
        0
    } else if under("run.pair") || under("run.pair_override") {
        1
    } else if under("run.geometry") || under("run.initial") {
        2
    } else if under("run.stage") {
        3
    } else if ["run.kt", "run.dt", "run.skin", "run.seed"].contains(&path)
        || under("run.integrator")
    {
        4
    } else {
        5
    }
}

/// The order of the fields inside their fieldsets: paths with their array indices written
/// `[]`, in the order a reader needs them (what, then how much, then details).
const FIELD_ORDER: [&str; 38] = [
    "run.species[].name",
    "run.species[].count",
    "run.species[].diameter",
    "run.species[].relative_std",
    "run.species[].bins",
    "run.pair.epsilon",
    "run.pair.n",
    "run.pair.m",
    "run.pair.r_cut",
    "run.pair.shift",
    "run.pair.attractive",
    "run.pair_override[].a",
    "run.pair_override[].b",
    "run.geometry.kind",
    "run.geometry.wall_epsilon",
    "run.initial.kind",
    "run.initial.density",
    "run.initial.min_distance",
    "run.initial.order",
    "run.initial.structure",
    "run.initial.a",
    "run.initial.c_over_a",
    "run.initial.seed_radius",
    "run.stage[].steps",
    "run.stage[].compress_to",
    "run.kt",
    "run.integrator.kind",
    "run.integrator.gamma",
    "run.integrator.tau",
    "run.integrator.chain",
    "run.dt",
    "run.skin",
    "run.seed",
    "observe.structure",
    "run.output.log_every",
    "run.output.frame_every",
    "run.output.log",
    "run.output.trajectory",
];

/// Sort key of a field: its array indices, then its place in [`FIELD_ORDER`] (unknown paths
/// last, in recipe order).
fn field_key(path: &str) -> (Vec<usize>, usize) {
    let mut indices = Vec::new();
    let mut bare = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        bare.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let close = after.find(']').unwrap_or(after.len());
        indices.push(after[..close].parse().unwrap_or(usize::MAX));
        rest = &after[close..];
    }
    bare.push_str(rest);
    let rank = FIELD_ORDER
        .iter()
        .position(|p| *p == bare)
        .unwrap_or(FIELD_ORDER.len());
    (indices, rank)
}

impl RecipeForm {
    /// The fields by fieldset ([`FIELD_GROUPS`], same order), each in reading order.
    #[must_use]
    pub fn grouped(&self) -> Vec<Vec<&FormField>> {
        let mut groups: Vec<Vec<&FormField>> = vec![Vec::new(); FIELD_GROUPS.len()];
        for f in &self.fields {
            groups[field_group(&f.path)].push(f);
        }
        for g in &mut groups {
            g.sort_by_cached_key(|f| field_key(&f.path));
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::simulate::{preset, PresetSize};

    #[test]
    fn the_form_round_trips_and_explains_typos_in_place() {
        let recipe = preset("seed-alb2-narrow", PresetSize::Small)
            .unwrap()
            .recipe;
        let mut form = RecipeForm::new(&recipe).unwrap();
        assert_eq!(form.assemble().unwrap(), recipe);
        for f in &form.fields {
            assert_ne!(field_help(&f.path).2, "", "no help for {}", f.path);
        }
        form.set("run.kt", "0.4x");
        form.set("run.species[1].count", "-5");
        let errors = form.assemble().unwrap_err();
        assert_eq!(form.get("run.kt"), Some("0.4x"), "the typo is kept");
        assert!(errors
            .iter()
            .any(|e| e.path == "run.kt" && e.message.contains("not a number")));
        form.set("run.kt", "0.5");
        form.set("run.species[1].count", "2000");
        form.set("run.pair.m", "60");
        let errors = form.assemble().unwrap_err();
        assert_eq!(errors[0].path, "run.pair.m", "{errors:?}");
        form.set("run.pair.m", "25");
        let back = form.assemble().unwrap();
        assert_eq!(back.run.kt, 0.5);
        form.set("run.stage[0].compress_to", "2.3");
        assert_eq!(form.assemble().unwrap().run.stage[0].compress_to, Some(2.3));
        form.set("run.initial.kind", "bogus");
        assert_eq!(form.assemble().unwrap_err()[0].path, "");
    }

    #[test]
    fn every_field_of_every_preset_has_its_fieldset() {
        let mut used = [false; FIELD_GROUPS.len()];
        for id in crate::simulate::PRESET_IDS {
            let recipe = preset(id, PresetSize::Small).unwrap().recipe;
            for f in RecipeForm::new(&recipe).unwrap().fields {
                let g = field_group(&f.path);
                used[g] = true;
                let expected = match f.path.split(['.', '[']).nth(1).unwrap_or("") {
                    "species" => 0,
                    "pair" | "pair_override" => 1,
                    "geometry" | "initial" => 2,
                    "stage" => 3,
                    "kt" | "dt" | "skin" | "seed" | "integrator" => 4,
                    _ => 5,
                };
                assert_eq!(g, expected, "{}", f.path);
            }
        }
        assert_eq!(
            used,
            [true; FIELD_GROUPS.len()],
            "a fieldset no preset fills"
        );
        assert_eq!(field_group("run.speciesx"), 5);
    }
}
