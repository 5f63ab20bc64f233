//! The paper's set-ups as ready recipes (SCIENCE.md §1 table and §4): Fig. 3e (narrow well,
//! periodic box, MTK, slow compression) at each well depth, Fig. 3f (wide well), the purely
//! repulsive control, the Fig. 4 droplets (polydisperse, Langevin; AlB₂ at 1:2, NaZn₁₃ at 1:13),
//! Fig. S24 (unequal depths 2.5 / 1.75 / 1.0 kT at 1:13) and seeded growth (an AlB₂ or NaZn₁₃
//! seed in the fluid, narrow vs wide well vs purely repulsive).
//!
//! Each comes in two sizes: [`PresetSize::Small`] finishes in minutes in a browser (about
//! 1,500–3,000 particles, 10⁵ steps), [`PresetSize::Paper`] is the paper's 27,000 particles
//! with the long protocol of `examples/*.toml`. The compression times are our choice: the
//! paper does not state them. Spontaneous nucleation needs the paper's size and long runs
//! (SCIENCE.md §4); the seeded presets show the effect of the well's range in minutes.

use super::recipe::{Observe, Recipe, RECIPE_FORMAT};
use super::seeded::{SeedWell, SeededSpec};
use crate::lattice::Structure;
use crate::md::config::{
    FluidOrder, GeometryConfig, InitialConfig, IntegratorConfig, OutputConfig, PairConfig,
    PairOverride, RunConfig, SpeciesConfig, StageConfig,
};
use crate::model::PotentialKind;

/// How large a preset run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresetSize {
    /// Finishes in minutes in a browser.
    Small,
    /// The paper's 27,000 particles and long protocol (hours).
    Paper,
}

/// A named set-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Stable identifier (used in links and the picker).
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// What it shows and what to expect, in a sentence or two.
    pub description: &'static str,
    /// The recipe.
    pub recipe: Recipe,
}

/// Every preset identifier, in the picker's order.
pub const PRESET_IDS: [&str; 20] = [
    "seed-alb2-narrow",
    "seed-alb2-wide",
    "seed-alb2-repulsive",
    "seed-nazn13-narrow",
    "seed-nazn13-wide",
    "seed-nazn13-repulsive",
    "fig3e-narrow-2.5",
    "fig3e-narrow-2.0",
    "fig3e-narrow-1.0",
    "fig3e-narrow-0.5",
    "fig3f-wide-2.5",
    "fig3f-wide-2.0",
    "fig3f-wide-1.0",
    "fig3f-wide-0.5",
    "repulsive",
    "fig4-droplet-alb2",
    "fig4-droplet-nazn13",
    "figS24-unequal",
    "quick-test",
    "fcc-reference",
];

#[derive(Clone, Copy)]
enum Well {
    Narrow,
    Wide,
    Repulsive,
}

fn pair(well: Well) -> PairConfig {
    let (m, r_cut) = match well {
        Well::Wide => (6, 3.0),
        Well::Narrow | Well::Repulsive => (25, 1.5),
    };
    PairConfig {
        potential: PotentialKind::Mie,
        epsilon: 1.0,
        n: 50,
        m,
        r_cut,
        shift: true,
        attractive: !matches!(well, Well::Repulsive),
    }
}

/// kT for ε/kT = `depth` with ε = 1; the purely repulsive case runs at kT = ε.
fn kt_of(depth: f64) -> f64 {
    if depth == 0.0 {
        1.0
    } else {
        1.0 / depth
    }
}

fn species(l: usize, s: usize, relative_std: [f64; 2], bins: u32) -> Vec<SpeciesConfig> {
    vec![
        SpeciesConfig {
            name: "L".into(),
            diameter: 1.0,
            relative_std: relative_std[0],
            bins,
            count: l,
        },
        SpeciesConfig {
            name: "S".into(),
            diameter: 0.55,
            relative_std: relative_std[1],
            bins,
            count: s,
        },
    ]
}

fn stages(list: &[(u64, Option<f64>)]) -> Vec<StageConfig> {
    list.iter()
        .map(|&(steps, compress_to)| StageConfig { steps, compress_to })
        .collect()
}

fn output(id: &str, log_every: u64, frame_every: u64) -> OutputConfig {
    OutputConfig {
        trajectory: format!("{id}.gsd"),
        log: format!("{id}.csv"),
        log_every,
        frame_every,
    }
}

struct Parts {
    kt: f64,
    seed: u64,
    species: Vec<SpeciesConfig>,
    pair: PairConfig,
    pair_override: Vec<PairOverride>,
    geometry: GeometryConfig,
    initial: InitialConfig,
    integrator: IntegratorConfig,
    stage: Vec<StageConfig>,
    log_every: u64,
    frame_every: u64,
    structure: Structure,
}

fn recipe(id: &str, p: Parts) -> Recipe {
    Recipe {
        format: RECIPE_FORMAT,
        preset: id.to_owned(),
        run: RunConfig {
            seed: p.seed,
            dt: 0.001,
            skin: 0.3,
            kt: p.kt,
            species: p.species,
            pair: p.pair,
            pair_override: p.pair_override,
            geometry: p.geometry,
            initial: p.initial,
            integrator: p.integrator,
            stage: p.stage,
            output: output(id, p.log_every, p.frame_every),
        },
        observe: Observe {
            structure: p.structure,
        },
    }
}

const FLUID: InitialConfig = InitialConfig::RandomFluid {
    density: 0.5,
    min_distance: 1.0,
    order: FluidOrder::Cells,
};
const MTK: IntegratorConfig = IntegratorConfig::Mtk { tau: 0.1, chain: 3 };
const LANGEVIN: IntegratorConfig = IntegratorConfig::Langevin { gamma: 1.0 };
const DROPLET: GeometryConfig = GeometryConfig::Droplet { wall_epsilon: 1.0 };

/// Splits `n` particles as L:S = 1:`ratio` (L rounded to nearest).
pub(crate) fn split(n: usize, ratio: usize) -> (usize, usize) {
    let l = (2 * n + ratio + 1) / (2 * (ratio + 1));
    (l, n - l)
}

/// Fig. 3e/3f/repulsive: periodic box, 1:2, MTK, compression from the fluid to the start
/// density, then the slow compression of the SCIENCE.md §1 table.
fn compression(id: &str, well: Well, depth: f64, from: f64, to: f64, size: PresetSize) -> Recipe {
    let (n, first, second, log_every, frame_every) = match size {
        PresetSize::Small => (1_500, 20_000, 80_000, 500, 5_000),
        PresetSize::Paper => (27_000, 200_000, 2_000_000, 1_000, 100_000),
    };
    let (l, s) = split(n, 2);
    recipe(
        id,
        Parts {
            kt: kt_of(depth),
            seed: 1,
            species: species(l, s, [0.0, 0.0], 1),
            pair: pair(well),
            pair_override: Vec::new(),
            geometry: GeometryConfig::Periodic,
            initial: FLUID,
            integrator: MTK,
            stage: stages(&[(first, Some(from)), (second, Some(to))]),
            log_every,
            frame_every,
            structure: Structure::Alb2,
        },
    )
}

/// Fig. 4 and Fig. S24: a droplet shrunk slowly, Langevin, ε = 2.5 kT narrow well.
fn droplet(id: &str, ratio: usize, polydisperse: bool, to: f64, size: PresetSize) -> Recipe {
    let (n, steps, log_every, frame_every) = match size {
        PresetSize::Small => (if ratio == 2 { 1_500 } else { 1_400 }, 100_000, 500, 5_000),
        PresetSize::Paper => (27_000, 3_000_000, 1_000, 100_000),
    };
    let (l, s) = split(n, ratio);
    let (spread, bins) = if polydisperse {
        ([0.047, 0.063], 13)
    } else {
        ([0.0, 0.0], 1)
    };
    recipe(
        id,
        Parts {
            kt: 0.4,
            seed: 1,
            species: species(l, s, spread, bins),
            pair: pair(Well::Narrow),
            pair_override: Vec::new(),
            geometry: DROPLET,
            initial: FLUID,
            integrator: LANGEVIN,
            stage: stages(&[(steps, Some(to))]),
            log_every,
            frame_every,
            structure: if ratio == 2 {
                Structure::Alb2
            } else {
                Structure::Nazn13
            },
        },
    )
}

/// Seeded growth (SCIENCE.md §4, [`super::seeded`]): the fluid equilibrated at the growth
/// density without a seed, a seed of the catalogue crystal whose lattice matches the fluid's
/// pressure cut in at the centre, then held at constant volume (Langevin); the run's summary
/// gives the L joining the seed's cluster per τ.
fn seeded(id: &str, structure: Structure, well: SeedWell, size: PresetSize) -> Recipe {
    let alb2 = structure == Structure::Alb2;
    let (n, hold) = match (size, alb2) {
        (PresetSize::Small, true) => (3_000, 50_000),
        (PresetSize::Small, false) => (2_800, 50_000),
        (PresetSize::Paper, _) => (27_000, 500_000),
    };
    // The packing fraction where Fig. 3e crystallises (≈ 0.53): ρσ³ = 2.2 at 1:2, 4.4 at 1:13.
    let density = if alb2 { 2.2 } else { 4.4 };
    let mut spec = SeededSpec::new(well, structure, n, density, hold);
    if size == PresetSize::Paper {
        spec.seed_radius = 6.0;
    }
    spec.log_every = if size == PresetSize::Paper {
        5_000
    } else {
        1_000
    };
    let mut run = spec.config(7, id);
    run.output.frame_every = if size == PresetSize::Paper {
        50_000
    } else {
        5_000
    };
    Recipe {
        format: RECIPE_FORMAT,
        preset: id.to_owned(),
        run,
        observe: Observe { structure },
    }
}

/// The preset `id` at `size`, or `None` for an unknown id.
#[must_use]
pub fn preset(id: &str, size: PresetSize) -> Option<Preset> {
    use Structure::{Alb2, Nazn13};
    use Well::{Narrow, Wide};
    let fig3e = |d: f64, from, to| compression(id, Narrow, d, from, to, size);
    let fig3f = |d: f64, from, to| compression(id, Wide, d, from, to, size);
    let (title, description, recipe) = match id {
        "seed-alb2-narrow" => ("Seeded AlB₂, narrow well (2.5 kT)", "A 1:2 fluid made and equilibrated at ρσ³ 2.2 without a seed (Mie 50–25, ε = 2.5 kT, Langevin), then an AlB₂ ball of radius 3.5 σ (whole formula units) whose lattice is matched to the fluid's pressure (a ≈ 1.031 σ, c/a ≈ 1.042) cut in. The preparation (fluid, lattice search, insertion; about a minute on one core) shows its stage and time left before the first frame. Then the seed's crystalline cluster grows: `bnsl reproduce seeded` measured +0.38 ± 0.04 L/τ over 3 random seeds at these 3,000 particles (133 → 211, 135 → 193, 133 → 194 L in 200 τ), so in this preset's 100 τ the cluster gains about 40 L and the crystalline fraction of L rises from about 0.135 to 0.17 (docs/reproduction.md).", seeded(id, Alb2, SeedWell::Narrow, size)),
        "seed-alb2-wide" => ("Seeded AlB₂, wide well (2.5 kT)", "The same protocol with the long-range Mie 50–6 well (r_cut 3σ, several times slower per step): no growth — SCIENCE.md §4 measured the seed flat at ρσ³ 2.18 (177 → 176 L); `bnsl reproduce seeded` at the paper's 2.41 (1,500 particles, 100 τ, 3 random seeds): clusters 103 → 93, 109 → 99, 109 → 104 L, against +0.32 ± 0.05 L/τ for the narrow well (docs/reproduction.md).", seeded(id, Alb2, SeedWell::Wide, size)),
        "seed-alb2-repulsive" => ("Seeded AlB₂, purely repulsive", "The same protocol without attraction (ε/kT = 0, kT = ε; lattice matched: a ≈ 1.10 σ): at ρσ³ 2.2 the seed melts within about 10 τ (its cluster 46 → 0 in 8 τ at 1,500 particles). At the paper's 2.6 the fluid is a glass and the seed neither grows nor melts: 105 → 101 and 111 → 105 L in 200 τ at 3,000 particles (docs/reproduction.md).", seeded(id, Alb2, SeedWell::Repulsive, size)),
        "seed-nazn13-narrow" => ("Seeded NaZn₁₃, narrow well (2.5 kT)", "A NaZn₁₃ seed (whole formula units, 1:13, lattice matched to the fluid's pressure) cut into a 1:13 fluid equilibrated at ρσ³ 4.4, narrow well; not measured yet.", seeded(id, Nazn13, SeedWell::Narrow, size)),
        "seed-nazn13-wide" => ("Seeded NaZn₁₃, wide well (2.5 kT)", "The NaZn₁₃ seed with the wide Mie 50–6 well.", seeded(id, Nazn13, SeedWell::Wide, size)),
        "seed-nazn13-repulsive" => ("Seeded NaZn₁₃, purely repulsive", "The NaZn₁₃ seed without attraction (ε/kT = 0).", seeded(id, Nazn13, SeedWell::Repulsive, size)),
        "fig3e-narrow-2.5" => ("Fig. 3e: narrow well, 2.5 kT", "Periodic 1:2 box, Mie 50–25, MTK, compressed ρσ³ 2.18 → 2.28. The paper finds > 50 % AlB₂ at 27,000 particles; ours: docs/reproduction.md.", fig3e(2.5, 2.18, 2.28)),
        "fig3e-narrow-2.0" => ("Fig. 3e: narrow well, 2.0 kT", "Periodic 1:2 box, Mie 50–25, compressed ρσ³ 2.37 → 2.47.", fig3e(2.0, 2.37, 2.47)),
        "fig3e-narrow-1.0" => ("Fig. 3e: narrow well, 1.0 kT", "Periodic 1:2 box, Mie 50–25, compressed ρσ³ 2.52 → 2.62; ours beside the paper's: docs/reproduction.md.", fig3e(1.0, 2.52, 2.62)),
        "fig3e-narrow-0.5" => ("Fig. 3e: narrow well, 0.5 kT", "Periodic 1:2 box, Mie 50–25, compressed ρσ³ 2.60 → 2.70; the paper finds little AlB₂.", fig3e(0.5, 2.60, 2.70)),
        "fig3f-wide-2.5" => ("Fig. 3f: wide well, 2.5 kT", "Periodic 1:2 box, Mie 50–6 (r_cut 3σ), compressed ρσ³ 2.41 → 2.51; the paper finds at most 6 % AlB₂; ours: docs/reproduction.md.", fig3f(2.5, 2.41, 2.51)),
        "fig3f-wide-2.0" => ("Fig. 3f: wide well, 2.0 kT", "Periodic 1:2 box, Mie 50–6, compressed ρσ³ 2.44 → 2.54.", fig3f(2.0, 2.44, 2.54)),
        "fig3f-wide-1.0" => ("Fig. 3f: wide well, 1.0 kT", "Periodic 1:2 box, Mie 50–6, compressed ρσ³ 2.54 → 2.64.", fig3f(1.0, 2.54, 2.64)),
        "fig3f-wide-0.5" => ("Fig. 3f: wide well, 0.5 kT", "Periodic 1:2 box, Mie 50–6, compressed ρσ³ 2.61 → 2.71.", fig3f(0.5, 2.61, 2.71)),
        "repulsive" => ("Purely repulsive (ε/kT = 0)", "Periodic 1:2 box, ε·C·(σ/r)^50 at kT = ε, compressed ρσ³ 2.60 → 2.70: no AlB₂ (a glass); ours: docs/reproduction.md.", compression(id, Well::Repulsive, 0.0, 2.60, 2.70, size)),
        "fig4-droplet-alb2" => ("Fig. 4: droplet, AlB₂ (1:2)", "Polydisperse 1:2 droplet (13 sizes per species), narrow well at 2.5 kT, Langevin, shrunk to ρσ³ 2.65; AlB₂ expected near packing fraction 0.572; ours: docs/reproduction.md.", droplet(id, 2, true, 2.65, size)),
        "fig4-droplet-nazn13" => ("Fig. 4: droplet, NaZn₁₃ (1:13)", "Polydisperse 1:13 droplet, narrow well at 2.5 kT, Langevin, shrunk to ρσ³ 5.3; NaZn₁₃ expected near packing fraction 0.528; ours: docs/reproduction.md.", droplet(id, 13, true, 5.3, size)),
        "figS24-unequal" => ("Fig. S24: unequal wells (1:13)", "Monodisperse 1:13 droplet with ε_LL = 2.5, ε_LS = 1.75, ε_SS = 1.0 kT: NaZn₁₃ with a little AlB₂ in the paper.", {
            let mut r = droplet(id, 13, false, 5.3, size);
            r.run.pair_override = vec![
                PairOverride { a: "L".into(), b: "S".into(), epsilon: Some(0.7), n: None, m: None, r_cut: None },
                PairOverride { a: "S".into(), b: "S".into(), epsilon: Some(0.4), n: None, m: None, r_cut: None },
            ];
            r
        }),
        "quick-test" => ("Quick test (300 particles)", "A 1:2 droplet of 300 particles, narrow well, 2,000 steps: checks that everything works in seconds (one size only).", {
            let mut r = droplet(id, 2, false, 1.2, PresetSize::Small);
            r.run.species[0].count = 100;
            r.run.species[1].count = 200;
            r.run.stage = stages(&[(2_000, Some(1.2))]);
            r.run.output.log_every = 100;
            r.run.output.frame_every = 500;
            r
        }),
        "fcc-reference" => ("Single component (fcc reference)", "Large particles only (1:0), narrow well at 2.5 kT, periodic box compressed to ρσ³ 1.1: the fcc reference of Fig. S20.", {
            let mut r = compression(id, Narrow, 2.5, 0.95, 1.1, size);
            r.run.species.truncate(1);
            r.run.species[0].count = if size == PresetSize::Small { 1_000 } else { 27_000 };
            r.observe.structure = Structure::Fcc;
            r
        }),
        _ => return None,
    };
    Some(Preset {
        id: PRESET_IDS.iter().find(|p| **p == id).copied()?,
        title,
        description,
        recipe,
    })
}

/// The preset a Phase-diagram point starts from, for a well at a depth (ε/kT ≥ 0.2 is
/// attractive; below, the purely repulsive control).
fn map_well(well: crate::thermo::diagram::Well, depth: f64) -> (Well, &'static str, &'static str) {
    use crate::thermo::diagram::Well as W;
    match well {
        _ if depth < 0.2 => (Well::Repulsive, "repulsive", "seed-alb2-repulsive"),
        W::Narrow => (Well::Narrow, "fig3e-narrow-2.5", "seed-alb2-narrow"),
        W::Wide => (Well::Wide, "fig3f-wide-2.5", "seed-alb2-wide"),
    }
}

/// The Phase diagram tab's "Simulate here": a small periodic 1:2 box of the paper's Fig. 3e/f
/// protocol (MTK, compressed from the fluid) brought to `density` and held there, with the
/// `well` at `depth` ε/kT (kT = 1/depth; below 0.2 the purely repulsive control at kT = ε).
/// It names the Fig. 3e/f preset of that well as its start.
#[must_use]
pub fn state_point(well: crate::thermo::diagram::Well, depth: f64, density: f64) -> Recipe {
    let (w, id, _) = map_well(well, depth);
    let depth = if matches!(w, Well::Repulsive) {
        0.0
    } else {
        depth
    };
    compression(id, w, depth, density, density, PresetSize::Small)
}

/// The Phase diagram tab's "Seed here": the well's small seeded-growth recipe (an AlB₂ seed cut
/// into a 1:2 fluid equilibrated at `density`, its lattice matched to the fluid's pressure,
/// Langevin) at `depth` ε/kT.
#[must_use]
pub fn seeded_state_point(well: crate::thermo::diagram::Well, depth: f64, density: f64) -> Recipe {
    let (w, _, id) = map_well(well, depth);
    let seed_well = match w {
        Well::Narrow => SeedWell::Narrow,
        Well::Wide => SeedWell::Wide,
        Well::Repulsive => SeedWell::Repulsive,
    };
    let mut recipe = seeded(id, Structure::Alb2, seed_well, PresetSize::Small);
    let spec = SeededSpec::new(seed_well, Structure::Alb2, 3_000, density, 50_000);
    recipe.run.initial = spec.config(7, id).initial;
    if !matches!(w, Well::Repulsive) {
        recipe.run.kt = kt_of(depth);
    }
    recipe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phase_diagram_point_gives_runnable_recipes_at_its_density_and_depth() {
        use crate::thermo::diagram::Well as W;
        let r = state_point(W::Wide, 2.0, 2.3);
        assert!(r.check().is_ok(), "{:?}", r.problems());
        assert_eq!(r.preset, "fig3f-wide-2.5");
        assert_eq!((r.run.pair.m, r.run.pair.r_cut), (6, 3.0));
        assert_eq!(r.run.kt, 0.5);
        assert!(r.run.stage.iter().all(|s| s.compress_to == Some(2.3)));
        assert!(matches!(r.run.geometry, GeometryConfig::Periodic));
        let (l, s) = (r.run.species[0].count, r.run.species[1].count);
        assert_eq!(2 * l, s);
        let seeded = seeded_state_point(W::Narrow, 2.5, 2.25);
        assert!(seeded.check().is_ok(), "{:?}", seeded.problems());
        assert_eq!(seeded.preset, "seed-alb2-narrow");
        assert!(matches!(
            seeded.run.initial,
            InitialConfig::Seeded { density: Some(d), .. } if d == 2.25
        ));
        assert_eq!(seeded.run.kt, 0.4);
        let repulsive = state_point(W::Narrow, 0.0, 2.65);
        assert!(!repulsive.run.pair.attractive && repulsive.run.kt == 1.0);
    }

    #[test]
    fn split_keeps_the_ratio_and_total() {
        assert_eq!(split(1_500, 2), (500, 1_000));
        assert_eq!(split(27_000, 2), (9_000, 18_000));
        assert_eq!(split(27_000, 13), (1_929, 25_071));
        assert_eq!(split(1_400, 13), (100, 1_300));
    }
}
