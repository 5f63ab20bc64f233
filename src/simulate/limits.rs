//! Bounds of every recipe value, with a plain message per violation. They keep a run inside
//! what the engine handles (SCIENCE.md §1: Mie exponents, cut-offs, densities), keep a link
//! from asking for absurd sizes, and keep file names harmless.
//!
//! The engine's bounds ([`check_run_config`]) hold for every run description, a recipe's
//! `run` and a `bnsl run CONFIG.toml` alike: particle counts (species, lattice cells, crystal
//! seed), the box (at most [`MAX_RANGES_PER_EDGE`] interaction ranges along an edge, so that
//! a cell list stays small), Mie parameters, the thermostat chain. A recipe adds its own
//! (format, names, one species "L", log and frame counts, no file start).

use super::recipe::{Recipe, RECIPE_FORMAT};
use crate::lattice::Structure;
use crate::md::config::{unit_cell, GeometryConfig, InitialConfig, IntegratorConfig, RunConfig};

/// Largest number of particles a recipe may ask for at all.
pub const MAX_PARTICLES: usize = 1_000_000;
/// Above this many particles (the paper's 27,000 plus a margin) a run needs a confirmation.
pub const CONFIRM_ABOVE_PARTICLES: usize = 30_000;
/// Largest total number of steps.
pub const MAX_TOTAL_STEPS: u64 = 1_000_000_000;
/// Longest box edge (or droplet diameter), in interaction ranges r_cut·d_max + skin: a cell
/// list then has at most 256³ ≈ 1.7·10⁷ cells (SCIENCE.md §1 runs use about 20 per edge).
pub const MAX_RANGES_PER_EDGE: f64 = 256.0;
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

/// `x` as a user typed it: plain for ordinary sizes, in exponent form (`1e300`, `1e-9`) for
/// very large or small ones.
fn shown(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-4..1e6).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
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
                format!(
                    "{} is out of bounds: it must be {low} {lo} and at most {hi}",
                    shown(x)
                ),
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

/// Every violation in `recipe`: the recipe's own bounds and the engine's ([`check_run_config`]).
pub(super) fn check_recipe(recipe: &Recipe) -> Vec<Problem> {
    let mut c = Checker { out: Vec::new() };
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
    run_bounds(&mut c, &recipe.run, Some(recipe));
    c.out
}

/// Every violation of the engine's bounds in a run description (a `bnsl run` TOML file): the
/// particle count of the species, of a lattice's cells and of a crystal seed, the box size
/// (at most [`MAX_RANGES_PER_EDGE`] interaction ranges along an edge), the Mie parameters,
/// densities, time step, thermostat and stages. Empty when the run can be built.
#[must_use]
pub fn check_run_config(run: &RunConfig) -> Vec<Problem> {
    let mut c = Checker { out: Vec::new() };
    run_bounds(&mut c, run, None);
    c.out
}

/// Every violation of the Mie pair rule's bounds (ε in (0, 100], 2 ≤ n ≤ 100, 1 ≤ m < n,
/// 1 ≤ r_cut ≤ 5 in σ_ij), with the fields named `epsilon`, `n`, `m` and `r_cut`.
#[must_use]
pub fn check_pair_rule(epsilon: f64, n: u32, m: u32, r_cut: f64) -> Vec<Problem> {
    let mut c = Checker { out: Vec::new() };
    c.pair("", epsilon, n, m, r_cut);
    c.out
}

/// The largest interaction range r_cut·d_max + skin of `run` (σ), the cell size of its
/// neighbour list.
fn interaction_range(run: &RunConfig) -> f64 {
    let d_max = run
        .species
        .iter()
        .map(|s| s.diameter * (1.0 + 3.0 * s.relative_std))
        .fold(0.0, f64::max);
    let r_cut = run
        .pair_override
        .iter()
        .filter_map(|o| o.r_cut)
        .fold(run.pair.r_cut, f64::max);
    r_cut * d_max + run.skin
}

/// The bounds of `run`; `recipe` adds the recipe's own rules.
fn run_bounds(c: &mut Checker, run: &RunConfig, recipe: Option<&Recipe>) {
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
        if recipe.is_some() {
            c.name(format!("species[{i}].name"), &s.name, 8, &[]);
        } else {
            c.name(
                format!("species[{i}].name"),
                &s.name,
                64,
                &['_', '-', '.', '+'],
            );
        }
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
            let shown: String = s.name.chars().take(24).collect();
            c.push(
                format!("species[{i}].name"),
                format!("{shown:?} names two species"),
            );
        }
    }
    if let Some(recipe) = recipe {
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
    }
    let n = run
        .species
        .iter()
        .fold(0usize, |a, s| a.saturating_add(s.count));
    let counted = recipe.is_some()
        || matches!(
            run.initial,
            InitialConfig::RandomFluid { .. }
                | InitialConfig::SeededFluid { .. }
                | InitialConfig::Seeded { fluid: None, .. }
        );
    if counted && n == 0 {
        c.push("species", "there are no particles".into());
    } else if n > MAX_PARTICLES {
        c.push(
            "species",
            format!("{n} particles is more than the {MAX_PARTICLES} a run may have"),
        );
    }

    let p = &run.pair;
    c.pair("pair.", p.epsilon, p.n, p.m, p.r_cut);
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
    let range = interaction_range(run);
    let two_monodisperse = run.species.len() == 2
        && run.species.iter().all(|s| s.bins == 1)
        && (recipe.is_none() || run.species[0].name == "L");
    let pair_rule = if recipe.is_some() {
        "exactly two monodisperse species, L first"
    } else {
        "exactly two monodisperse species (L, S)"
    };
    match &run.initial {
        InitialConfig::RandomFluid {
            density,
            min_distance,
            ..
        } => {
            c.real("initial.density", *density, 0.0, 1.5, true);
            c.box_edge("initial.density", *density, n, run.geometry, range);
            c.real("initial.min_distance", *min_distance, 0.5, 1.2, false);
        }
        InitialConfig::Lattice {
            structure,
            a,
            c_over_a,
            cells,
        } => {
            c.real("initial.a", *a, 0.5, 10.0, false);
            c.real("initial.c_over_a", *c_over_a, 0.5, 2.0, false);
            for (k, &m) in cells.iter().enumerate() {
                c.whole(format!("initial.cells[{k}]"), m as u64, 1, 100);
            }
            c.lattice(*structure, *a, *c_over_a, *cells, range);
            if !two_monodisperse {
                c.push("initial", format!("a lattice start needs {pair_rule}"));
            }
        }
        InitialConfig::SeededFluid {
            structure,
            a,
            c_over_a,
            seed_radius,
            density,
            min_distance,
        } => {
            c.real("initial.a", *a, 0.5, 10.0, false);
            c.real("initial.c_over_a", *c_over_a, 0.5, 2.0, false);
            c.real("initial.seed_radius", *seed_radius, 0.0, 50.0, true);
            c.real("initial.density", *density, 0.0, 1.5, true);
            c.box_edge("initial.density", *density, n, run.geometry, range);
            c.real("initial.min_distance", *min_distance, 0.5, 1.2, false);
            c.seed(*structure, *a, *c_over_a, *seed_radius);
            if !two_monodisperse {
                c.push("initial", format!("a seeded start needs {pair_rule}"));
            }
        }
        InitialConfig::Seeded {
            structure,
            seed_radius,
            fluid,
            density,
            compress,
            equilibrate,
            a,
            c_over_a,
            clearance,
        } => {
            c.real("initial.seed_radius", *seed_radius, 0.0, 50.0, true);
            match (fluid, density) {
                (None, None) => c.push(
                    "initial.density",
                    "give the growth density (or a fluid GSD file as initial.fluid)".into(),
                ),
                (None, Some(d)) => {
                    c.real("initial.density", *d, 0.0, 6.0, true);
                    c.box_edge("initial.density", *d, n, run.geometry, range);
                }
                (Some(_), _) if recipe.is_some() => c.push(
                    "initial.fluid",
                    "a recipe cannot start from a file: leave initial.fluid out and give initial.density".into(),
                ),
                (Some(_), _) => {}
            }
            c.whole("initial.compress", *compress, 0, MAX_TOTAL_STEPS);
            c.whole("initial.equilibrate", *equilibrate, 0, MAX_TOTAL_STEPS);
            if let Some(a) = a {
                c.real("initial.a", *a, 0.5, 10.0, false);
            }
            if let Some(r) = c_over_a {
                c.real("initial.c_over_a", *r, 0.5, 2.0, false);
            }
            c.real("initial.clearance", *clearance, 0.5, 1.2, false);
            c.seed(
                *structure,
                a.unwrap_or(1.0),
                c_over_a.unwrap_or(1.0),
                *seed_radius,
            );
            if !matches!(run.geometry, GeometryConfig::Periodic) {
                c.push(
                    "geometry",
                    "a seeded start is cut into a fluid in a periodic box: kind = \"periodic\""
                        .into(),
                );
            }
            if !two_monodisperse {
                c.push("initial", format!("a seeded start needs {pair_rule}"));
            }
        }
        InitialConfig::Gsd { .. } => {
            if recipe.is_some() {
                c.push(
                    "initial",
                    "a recipe cannot start from a file (kind \"gsd\"): use random_fluid, lattice or seeded_fluid".into(),
                );
            }
        }
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
            let field = format!("stage[{i}].compress_to");
            c.real(field.clone(), rho, 0.0, 10.0, true);
            if !matches!(run.initial, InitialConfig::Gsd { .. }) {
                c.box_edge(field, rho, n, run.geometry, range);
            }
        }
    }
    let total = run
        .stage
        .iter()
        .fold(0u64, |a, s| a.saturating_add(s.steps));
    if total > MAX_TOTAL_STEPS {
        c.push(
            "stage",
            format!("{total} steps in all is more than the {MAX_TOTAL_STEPS} allowed"),
        );
    }
    if recipe.is_some() {
        output_bounds(c, run, total);
    }
}

/// A recipe's log and frame intervals and download file names.
fn output_bounds(c: &mut Checker, run: &RunConfig, total: u64) {
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
}

impl Checker {
    /// The Mie pair rule's bounds, fields named `{prefix}epsilon` etc.
    fn pair(&mut self, prefix: &str, epsilon: f64, n: u32, m: u32, r_cut: f64) {
        self.real(format!("{prefix}epsilon"), epsilon, 0.0, 100.0, true);
        self.whole(format!("{prefix}n"), u64::from(n), 2, 100);
        self.whole(format!("{prefix}m"), u64::from(m), 1, 99);
        if m >= n {
            self.push(
                format!("{prefix}m"),
                format!("the attractive exponent m = {m} must be below the repulsive n = {n}"),
            );
        }
        self.real(format!("{prefix}r_cut"), r_cut, 1.0, 5.0, false);
    }

    /// The box (or droplet diameter) that `n` particles at number density `density` fill has
    /// an edge of at most [`MAX_RANGES_PER_EDGE`] interaction ranges.
    fn box_edge(
        &mut self,
        field: impl Into<String>,
        density: f64,
        n: usize,
        geometry: GeometryConfig,
        range: f64,
    ) {
        if !(density.is_finite() && density > 0.0 && range.is_finite() && range > 0.0) {
            return;
        }
        let volume = n as f64 / density;
        let edge = match geometry {
            GeometryConfig::Periodic => libm::cbrt(volume),
            GeometryConfig::Droplet { .. } => {
                2.0 * libm::cbrt(3.0 * volume / (4.0 * std::f64::consts::PI))
            }
        };
        if edge > MAX_RANGES_PER_EDGE * range {
            self.push(
                field,
                format!(
                    "{} gives {n} particles a space {edge:.4e} σ across, more than \
                     {MAX_RANGES_PER_EDGE} interaction ranges of {range:.3} σ (r_cut·d_max + skin): \
                     raise the density",
                    shown(density)
                ),
            );
        }
    }

    /// A lattice start: at most [`MAX_PARTICLES`] particles and [`MAX_RANGES_PER_EDGE`]
    /// interaction ranges along each edge.
    fn lattice(
        &mut self,
        structure: Structure,
        a: f64,
        c_over_a: f64,
        cells: [usize; 3],
        range: f64,
    ) {
        let cell = unit_cell(structure, a, c_over_a);
        let n = cells
            .iter()
            .fold(cell.orthorhombic_basis().len(), |p, &m| p.saturating_mul(m));
        if n > MAX_PARTICLES {
            self.push(
                "initial.cells",
                format!(
                    "{cells:?} cells of {} particles each make {n} particles, more than the \
                     {MAX_PARTICLES} a run may have",
                    cell.orthorhombic_basis().len()
                ),
            );
        }
        let edges = cell.orthorhombic_edges();
        for k in 0..3 {
            let edge = edges[k] * cells[k] as f64;
            if range > 0.0 && edge > MAX_RANGES_PER_EDGE * range {
                self.push(
                    format!("initial.cells[{k}]"),
                    format!(
                        "{} cells make an edge of {edge:.4e} σ, more than {MAX_RANGES_PER_EDGE} \
                         interaction ranges of {range:.3} σ",
                        cells[k]
                    ),
                );
            }
        }
    }

    /// A crystal seed of radius `radius` holds at most [`MAX_PARTICLES`] particles.
    fn seed(&mut self, structure: Structure, a: f64, c_over_a: f64, radius: f64) {
        let cell = unit_cell(structure, a, c_over_a);
        let [x, y, z] = cell.orthorhombic_edges();
        let per_volume = cell.orthorhombic_basis().len() as f64 / (x * y * z);
        let n = 4.0 / 3.0 * std::f64::consts::PI * radius.powi(3) * per_volume;
        if n.is_finite() && n > MAX_PARTICLES as f64 {
            self.push(
                "initial.seed_radius",
                format!(
                    "{} holds about {n:.3e} particles of the seed crystal, more than the \
                     {MAX_PARTICLES} a run may have",
                    shown(radius)
                ),
            );
        }
    }
}
