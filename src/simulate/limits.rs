//! Bounds of every recipe value, with a plain message per violation. They keep a run inside
//! what the engine handles (SCIENCE.md §1: Mie exponents, cut-offs, densities), keep a link
//! from asking for absurd sizes, and keep file names harmless.

use super::recipe::{Recipe, RECIPE_FORMAT};
use crate::md::config::{GeometryConfig, InitialConfig, IntegratorConfig};

/// Largest number of particles a recipe may ask for at all.
pub const MAX_PARTICLES: usize = 1_000_000;
/// Above this many particles (the paper's 27,000 plus a margin) a run needs a confirmation.
pub const CONFIRM_ABOVE_PARTICLES: usize = 30_000;
/// Largest total number of steps.
pub const MAX_TOTAL_STEPS: u64 = 1_000_000_000;
/// Most species, stages and pair overrides.
const MAX_SPECIES: usize = 4;
const MAX_STAGES: usize = 16;
const MAX_OVERRIDES: usize = 16;

/// One value outside its bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field, e.g. `species[0].count`, `pair.m`, `stage[1].compress_to`.
    pub field: String,
    /// What is wrong, with the value and the rule.
    pub message: String,
}

struct Checker {
    out: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, message: String) {
        self.out.push(Problem {
            field: field.into(),
            message,
        });
    }

    /// `lo <= x <= hi` (`lo < x` when `open_low`), finite.
    fn real(&mut self, field: impl Into<String>, x: f64, lo: f64, hi: f64, open_low: bool) {
        let ok = x.is_finite() && x <= hi && if open_low { x > lo } else { x >= lo };
        if !ok {
            let low = if open_low { "above" } else { "at least" };
            self.push(
                field,
                format!("{x} is out of bounds: it must be {low} {lo} and at most {hi}"),
            );
        }
    }

    fn whole(&mut self, field: impl Into<String>, x: u64, lo: u64, hi: u64) {
        if x < lo || x > hi {
            self.push(
                field,
                format!("{x} is out of bounds: it must be a whole number from {lo} to {hi}"),
            );
        }
    }

    fn name(&mut self, field: impl Into<String>, s: &str, max: usize, extra: &[char]) {
        let ok = !s.is_empty()
            && s.chars().count() <= max
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
            && !s.starts_with('.');
        if !ok {
            let shown: String = s.chars().take(24).collect();
            self.push(
                field,
                format!(
                    "{shown:?} is not allowed: use 1 to {max} letters, digits{}",
                    if extra.is_empty() {
                        String::new()
                    } else {
                        format!(" or {extra:?}, not starting with '.'")
                    }
                ),
            );
        }
    }
}

/// Every violation in `recipe`.
pub(super) fn check_recipe(recipe: &Recipe) -> Vec<Problem> {
    let mut c = Checker { out: Vec::new() };
    let run = &recipe.run;
    if recipe.format != RECIPE_FORMAT {
        c.push(
            "format",
            format!(
                "recipe format {} is not the {RECIPE_FORMAT} this page reads",
                recipe.format
            ),
        );
    }
    if recipe.preset.chars().count() > 64 {
        c.push(
            "preset",
            "the preset name is longer than 64 characters".into(),
        );
    }
    c.real("dt", run.dt, 0.0, 0.01, true);
    c.real("skin", run.skin, 0.05, 2.0, false);
    c.real("kt", run.kt, 0.0, 100.0, true);

    if run.species.is_empty() || run.species.len() > MAX_SPECIES {
        c.push(
            "species",
            format!(
                "{} species: there must be 1 to {MAX_SPECIES}",
                run.species.len()
            ),
        );
    }
    for (i, s) in run.species.iter().enumerate() {
        c.name(format!("species[{i}].name"), &s.name, 8, &[]);
        c.real(
            format!("species[{i}].diameter"),
            s.diameter,
            0.1,
            10.0,
            false,
        );
        c.real(
            format!("species[{i}].relative_std"),
            s.relative_std,
            0.0,
            0.2,
            false,
        );
        c.whole(format!("species[{i}].bins"), u64::from(s.bins), 1, 25);
        c.whole(
            format!("species[{i}].count"),
            s.count as u64,
            0,
            MAX_PARTICLES as u64,
        );
        if run.species[..i].iter().any(|o| o.name == s.name) {
            c.push(
                format!("species[{i}].name"),
                format!("{:?} names two species", s.name),
            );
        }
    }
    if !run.species.iter().any(|s| s.name == "L") {
        c.push(
            "species",
            "one species must be called \"L\" (the large particles whose crystalline fraction is measured)".into(),
        );
    }
    let crystal = recipe.observe.structure.crystal();
    if crystal.classifier.is_none() {
        c.push(
            "observe.structure",
            format!(
                "{} has no classifier yet: use alb2, nazn13 or fcc",
                crystal.name
            ),
        );
    } else if crystal.counts().1 > 0 && !run.species.iter().any(|s| s.name == "S") {
        c.push(
            "observe.structure",
            "the AlB2 and NaZn13 classifiers need a species called \"S\" (small particles); use fcc for one species".into(),
        );
    }
    let n = recipe.particles();
    if n == 0 {
        c.push("species", "there are no particles".into());
    } else if n > MAX_PARTICLES {
        c.push(
            "species",
            format!("{n} particles is more than the {MAX_PARTICLES} a run may have"),
        );
    }

    let p = &run.pair;
    c.real("pair.epsilon", p.epsilon, 0.0, 100.0, true);
    c.whole("pair.n", u64::from(p.n), 2, 100);
    c.whole("pair.m", u64::from(p.m), 1, 99);
    if p.m >= p.n {
        c.push(
            "pair.m",
            format!(
                "the attractive exponent m = {} must be below the repulsive n = {}",
                p.m, p.n
            ),
        );
    }
    c.real("pair.r_cut", p.r_cut, 1.0, 5.0, false);
    if run.pair_override.len() > MAX_OVERRIDES {
        c.push(
            "pair_override",
            format!(
                "{} overrides: at most {MAX_OVERRIDES}",
                run.pair_override.len()
            ),
        );
    }
    for (i, o) in run.pair_override.iter().enumerate() {
        for (what, name) in [("a", &o.a), ("b", &o.b)] {
            if !run.species.iter().any(|s| &s.name == name) {
                let shown: String = name.chars().take(24).collect();
                c.push(
                    format!("pair_override[{i}].{what}"),
                    format!("{shown:?} is not one of the species"),
                );
            }
        }
        if let Some(e) = o.epsilon {
            c.real(format!("pair_override[{i}].epsilon"), e, 0.0, 100.0, true);
        }
        let n = o.n.unwrap_or(p.n);
        let m = o.m.unwrap_or(p.m);
        c.whole(format!("pair_override[{i}].n"), u64::from(n), 2, 100);
        if m >= n || m == 0 {
            c.push(
                format!("pair_override[{i}].m"),
                format!("m = {m} must be from 1 to below n = {n}"),
            );
        }
        if let Some(r) = o.r_cut {
            c.real(format!("pair_override[{i}].r_cut"), r, 1.0, 5.0, false);
        }
    }

    if let GeometryConfig::Droplet { wall_epsilon } = run.geometry {
        c.real("geometry.wall_epsilon", wall_epsilon, 0.0, 100.0, true);
    }
    let two_monodisperse = run.species.len() == 2
        && run.species.iter().all(|s| s.bins == 1)
        && run.species[0].name == "L";
    match &run.initial {
        InitialConfig::RandomFluid {
            density,
            min_distance,
        } => {
            c.real("initial.density", *density, 0.0, 1.5, true);
            c.real("initial.min_distance", *min_distance, 0.5, 1.2, false);
        }
        InitialConfig::Lattice {
            a,
            c_over_a,
            cells,
            ..
        } => {
            c.real("initial.a", *a, 0.5, 10.0, false);
            c.real("initial.c_over_a", *c_over_a, 0.5, 2.0, false);
            for (k, &m) in cells.iter().enumerate() {
                c.whole(format!("initial.cells[{k}]"), m as u64, 1, 100);
            }
            if !two_monodisperse {
                c.push(
                    "initial",
                    "a lattice start needs exactly two monodisperse species, L first".into(),
                );
            }
        }
        InitialConfig::SeededFluid {
            a,
            c_over_a,
            seed_radius,
            density,
            min_distance,
            ..
        } => {
            c.real("initial.a", *a, 0.5, 10.0, false);
            c.real("initial.c_over_a", *c_over_a, 0.5, 2.0, false);
            c.real("initial.seed_radius", *seed_radius, 0.0, 50.0, true);
            c.real("initial.density", *density, 0.0, 1.5, true);
            c.real("initial.min_distance", *min_distance, 0.5, 1.2, false);
            if !two_monodisperse {
                c.push(
                    "initial",
                    "a seeded start needs exactly two monodisperse species, L first".into(),
                );
            }
        }
        InitialConfig::Gsd { .. } => c.push(
            "initial",
            "a recipe cannot start from a file (kind \"gsd\"): use random_fluid, lattice or seeded_fluid".into(),
        ),
    }
    match run.integrator {
        IntegratorConfig::Nve => {}
        IntegratorConfig::Langevin { gamma } => {
            c.real("integrator.gamma", gamma, 0.0, 100.0, false);
        }
        IntegratorConfig::Mtk { tau, chain } => {
            c.real("integrator.tau", tau, 0.0, 100.0, true);
            c.whole("integrator.chain", chain as u64, 1, 10);
        }
    }

    if run.stage.is_empty() || run.stage.len() > MAX_STAGES {
        c.push(
            "stage",
            format!(
                "{} stages: there must be 1 to {MAX_STAGES}",
                run.stage.len()
            ),
        );
    }
    for (i, s) in run.stage.iter().enumerate() {
        c.whole(format!("stage[{i}].steps"), s.steps, 1, MAX_TOTAL_STEPS);
        if let Some(rho) = s.compress_to {
            c.real(format!("stage[{i}].compress_to"), rho, 0.0, 10.0, true);
        }
    }
    let total = recipe.total_steps();
    if total > MAX_TOTAL_STEPS {
        c.push(
            "stage",
            format!("{total} steps in all is more than the {MAX_TOTAL_STEPS} allowed"),
        );
    }
    let out = &run.output;
    c.whole("output.log_every", out.log_every, 1, 10_000_000);
    c.whole("output.frame_every", out.frame_every, 1, MAX_TOTAL_STEPS);
    if out.log_every > 0 && total / out.log_every > 100_000 {
        c.push(
            "output.log_every",
            format!(
                "{} log rows is more than 100000: log less often",
                total / out.log_every
            ),
        );
    }
    if out.frame_every > 0 && total / out.frame_every > 1_000 {
        c.push(
            "output.frame_every",
            format!(
                "{} frames is more than 1000: keep frames less often",
                total / out.frame_every
            ),
        );
    }
    c.name("output.trajectory", &out.trajectory, 64, &['.', '_', '-']);
    c.name("output.log", &out.log, 64, &['.', '_', '-']);
    c.out
}
