//! The phase-diagram proofs of issue #13 on committed fixtures (tests/fixtures/thermo/), and the
//! `#[ignore]`d generators that simulate them:
//!
//! ```text
//! cargo test --profile ci --lib thermo::proofs::make -- --ignored --test-threads 2
//! ```
//!
//! Each generator runs its plan of state points with [`simulate_fluid`], [`simulate_crystal`]
//! (2,000 + 3,000 + 6,000 steps: compress, equilibrate, average; 30,000 averaged for the
//! pseudo-hard spheres, whose freezing pressure needs the fluid's βP to a few per mille) and [`crystal_free_energy`]
//! (`fast`), seeds fixed, and writes a [`Fixture`]. The
//! tests only assemble and check; they need no simulation.

use serde::{Deserialize, Serialize};

use super::assemble::{assemble, AssemblyOptions, CampaignData, CrystalAnchor};
use super::diagram::{Estimate, PhaseDiagram, Provenance, Well};
use super::fluid::FluidPath;
use super::frenkel_ladd::{crystal_free_energy, Crystal, Quality};
use super::hard_sphere::COEXISTENCE_PRESSURE;
use super::state_point::{lattice_at_density, simulate_crystal, simulate_fluid, Model, Sampling};
use crate::lattice::Structure;

/// One Frenkel–Ladd result of a fixture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct FrenkelLadd {
    n: usize,
    rho: f64,
    depth: f64,
    beta_f: Estimate,
}

/// A campaign's simulated data with its Frenkel–Ladd results (anchors chosen by the test).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Fixture {
    campaign: CampaignData,
    frenkel_ladd: Vec<FrenkelLadd>,
}

/// The crystal part of a plan.
struct CrystalPlan {
    structure: Structure,
    c_over_a: f64,
    cells: [usize; 3],
    depths: Vec<f64>,
    rho: Vec<f64>,
    /// (cells, ρ, depth) of each Frenkel–Ladd run.
    frenkel_ladd: Vec<([usize; 3], f64, f64)>,
}

/// What a generator simulates.
struct Plan {
    file: &'static str,
    well: Well,
    ratio: [u32; 2],
    solid: &'static str,
    model: fn(f64) -> Model,
    counts: Vec<usize>,
    depths: Vec<f64>,
    rho: Vec<f64>,
    path: FluidPath,
    crystal: Option<CrystalPlan>,
    /// Steps averaged per state point.
    production: u64,
}

fn fixture_path(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/thermo")
        .join(file)
}

fn run(plan: &Plan) {
    let started = std::time::Instant::now();
    let sampling = Sampling {
        compress: 2_000,
        equilibrate: 3_000,
        production: plan.production,
        ..Sampling::of(Quality::Fast)
    };
    let mut seed = 1000;
    let mut fluid = Vec::new();
    for &depth in &plan.depths {
        let model = (plan.model)(depth);
        for &rho in &plan.rho {
            seed += 1;
            fluid.push(
                simulate_fluid(&model, &plan.counts, rho, &sampling, seed, &mut |_| true)
                    .expect("fluid point"),
            );
        }
    }
    let (mut crystal, mut frenkel_ladd) = (Vec::new(), Vec::new());
    if let Some(c) = &plan.crystal {
        for &depth in &c.depths {
            let model = (plan.model)(depth);
            for &rho in &c.rho {
                seed += 1;
                let lattice = lattice_at_density(c.structure, c.c_over_a, rho, c.cells);
                crystal.push(
                    simulate_crystal(&model, &lattice, plan.solid, &sampling, seed, &mut |_| true)
                        .expect("crystal point"),
                );
            }
        }
        for &(cells, rho, depth) in &c.frenkel_ladd {
            seed += 1;
            let model = (plan.model)(depth);
            let lattice = lattice_at_density(c.structure, c.c_over_a, rho, cells);
            let table = model.table().expect("pair table");
            let lattice_points = lattice.typeid.iter().filter(|&&t| t == 0).count();
            let fe = crystal_free_energy(
                &Crystal {
                    lattice: &lattice,
                    table: &table,
                    kt: model.kt,
                    lattice_points: if lattice.types.len() == 1 {
                        lattice.len()
                    } else {
                        lattice_points
                    },
                    seed,
                },
                &Quality::Fast.schedule(),
                &mut |_| true,
            )
            .expect("Frenkel–Ladd");
            frenkel_ladd.push(FrenkelLadd {
                n: fe.n,
                rho: fe.density,
                depth,
                beta_f: Estimate {
                    value: fe.beta_f_per_particle,
                    error: fe.beta_f_error,
                },
            });
        }
    }
    let fixture = Fixture {
        campaign: CampaignData {
            well: plan.well,
            ratio: plan.ratio,
            solid: plan.solid.to_owned(),
            provenance: Provenance {
                command: format!(
                    "cargo test --profile ci --lib thermo::proofs::make -- --ignored ({})",
                    plan.file
                ),
                commit: String::new(),
                n: plan.counts.iter().sum(),
                quality: "fast".to_owned(),
                seed: 1000,
                wall_s: started.elapsed().as_secs_f64(),
            },
            fluid_path: plan.path,
            fluid,
            crystal,
            crystal_anchors: Vec::new(),
        },
        frenkel_ladd,
    };
    let text = serde_json::to_string_pretty(&fixture).expect("JSON");
    std::fs::write(fixture_path(plan.file), text).expect("fixture written");
}

fn load(file: &str) -> Fixture {
    let path = fixture_path(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (make it with the command in the module docs)",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("fixture JSON")
}

fn steps(from: f64, to: f64, step: f64) -> Vec<f64> {
    let n = ((to - from) / step).round() as usize;
    (0..=n).map(|i| from + step * i as f64).collect()
}

fn paper(well: Well) -> fn(f64) -> Model {
    match well {
        Well::Narrow => |d| Model::paper(Well::Narrow, d).expect("depth"),
        Well::Wide => |d| Model::paper(Well::Wide, d).expect("depth"),
    }
}

const PSEUDO_HARD_SPHERES: &str = "pseudo_hard_spheres.json";
const WIDE_LOOPS: &str = "wide_well_loops.json";
const NARROW: &str = "narrow_well_campaign.json";

#[test]
#[ignore = "simulates the fixture (minutes): cargo test --profile ci --lib thermo::proofs::make -- --ignored"]
fn make_pseudo_hard_spheres() {
    run(&Plan {
        file: PSEUDO_HARD_SPHERES,
        well: Well::Narrow,
        ratio: [1, 0],
        solid: "fcc",
        model: |_| Model::pseudo_hard_spheres(),
        counts: vec![256],
        depths: vec![1.0 / 1.5],
        rho: steps(0.1, 0.8, 0.1)
            .into_iter()
            .chain([0.85, 0.9, 0.94, 0.98])
            .collect(),
        path: FluidPath {
            depth: 1.0 / 1.5,
            rho: 0.5,
        },
        crystal: Some(CrystalPlan {
            structure: Structure::Fcc,
            c_over_a: 1.0,
            cells: [4, 4, 4],
            depths: vec![1.0 / 1.5],
            rho: steps(1.0, 1.15, 0.025),
            frenkel_ladd: [3, 4, 5]
                .iter()
                .map(|&c| ([c; 3], 1.0409, 1.0 / 1.5))
                .collect(),
        }),
        production: 30_000,
    });
}

#[test]
#[ignore = "simulates the fixture (minutes): cargo test --profile ci --lib thermo::proofs::make -- --ignored"]
fn make_wide_well_loops() {
    run(&Plan {
        file: WIDE_LOOPS,
        well: Well::Wide,
        ratio: [1, 2],
        solid: "AlB2",
        model: paper(Well::Wide),
        counts: vec![130, 260],
        depths: steps(1.2, 1.6, 0.1),
        rho: steps(0.1, 1.3, 0.15),
        path: FluidPath {
            depth: 1.2,
            rho: 1.3,
        },
        crystal: None,
        production: 6_000,
    });
}

#[test]
#[ignore = "simulates the fixture (minutes): cargo test --profile ci --lib thermo::proofs::make -- --ignored"]
fn make_narrow_well_campaign() {
    run(&Plan {
        file: NARROW,
        well: Well::Narrow,
        ratio: [1, 2],
        solid: "AlB2",
        model: paper(Well::Narrow),
        counts: vec![100, 200],
        depths: vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 2.7, 2.86, 3.0],
        rho: steps(0.1, 1.9, 0.3)
            .into_iter()
            .chain(steps(2.1, 2.5, 0.1))
            .collect(),
        path: FluidPath {
            depth: 0.5,
            rho: 2.1,
        },
        crystal: Some(CrystalPlan {
            structure: Structure::Alb2,
            c_over_a: 1.035,
            cells: [4, 3, 4],
            depths: vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5],
            rho: vec![2.6, 2.7, 2.8, 2.9, 2.95, 3.0, 3.05, 3.1],
            frenkel_ladd: vec![([4, 3, 4], 3.0, 0.0), ([4, 3, 4], 3.0, 1.0)],
        }),
        production: 6_000,
    });
}

/// The diagram of a fixture with one anchor per Frenkel–Ladd depth (the 1/N line's N → ∞
/// value where several N were run).
fn diagram_of(fixture: &Fixture) -> PhaseDiagram {
    let mut data = fixture.campaign.clone();
    let mut depths: Vec<f64> = fixture.frenkel_ladd.iter().map(|f| f.depth).collect();
    depths.dedup();
    data.crystal_anchors = depths
        .iter()
        .map(|&depth| {
            let runs: Vec<&FrenkelLadd> = fixture
                .frenkel_ladd
                .iter()
                .filter(|f| f.depth == depth)
                .collect();
            let beta_f = if runs.len() == 1 {
                runs[0].beta_f
            } else {
                extrapolate(&runs)
            };
            CrystalAnchor {
                rho: runs[0].rho,
                depth,
                beta_f,
            }
        })
        .collect();
    assemble(&data, &AssemblyOptions::default()).expect("assembled")
}

/// The weighted least-squares line βF/N = a + b/N at 1/N → 0, with a's standard error.
fn extrapolate(runs: &[&FrenkelLadd]) -> Estimate {
    let (mut sw, mut sx, mut sy, mut sxx, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for r in runs {
        let (x, y, w) = (1.0 / r.n as f64, r.beta_f.value, r.beta_f.error.powi(-2));
        sw += w;
        sx += w * x;
        sy += w * y;
        sxx += w * x * x;
        sxy += w * x * y;
    }
    let det = sw * sxx - sx * sx;
    Estimate {
        value: (sxx * sy - sx * sxy) / det,
        error: (sxx / det).sqrt(),
    }
}

/// Writes each fixture's assembled diagram to `target/thermo-proofs/` for reading the numbers
/// behind the proofs.
#[test]
#[ignore = "writes target/thermo-proofs/*.json: cargo test --profile ci --lib thermo::proofs::report -- --ignored"]
fn report_diagrams() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/thermo-proofs");
    std::fs::create_dir_all(&out).expect("report folder");
    for file in [PSEUDO_HARD_SPHERES, WIDE_LOOPS, NARROW] {
        let diagram = diagram_of(&load(file));
        let text = serde_json::to_string_pretty(&diagram).expect("JSON");
        std::fs::write(out.join(file), text).expect("report written");
    }
}

/// SCIENCE.md §3.3: our pseudo-hard-sphere fluid EOS and fcc Frenkel–Ladd freeze at βPσ³
/// within 3 % of 11.5727.
#[test]
fn pseudo_hard_spheres_freeze_at_the_hard_sphere_pressure() {
    let diagram = diagram_of(&load(PSEUDO_HARD_SPHERES));
    assert_eq!(diagram.gas_solid.len(), 1, "{:#?}", diagram.caveats);
    let c = diagram.gas_solid[0];
    let p = c.pressure.value;
    assert!(
        (p - COEXISTENCE_PRESSURE).abs() < 0.03 * COEXISTENCE_PRESSURE,
        "βPσ³ {p} ± {}",
        c.pressure.error
    );
    assert!(diagram.vapour_liquid.is_empty());
}

/// SCIENCE.md §3: the wide well's critical depth within 10 % of 1.355, and its liquid only
/// above it.
#[test]
fn wide_well_critical_depth() {
    let diagram = diagram_of(&load(WIDE_LOOPS));
    let critical = diagram.critical_depth.clone().expect("loops seen");
    let value = critical.value.expect("located").value;
    assert!((value - 1.355).abs() < 0.1 * 1.355, "{critical:?}");
    assert!(!diagram.vapour_liquid.is_empty());
    assert!(
        diagram.vapour_liquid.iter().all(|v| v.depth > value),
        "{:?}",
        diagram.vapour_liquid
    );
}

/// SCIENCE.md §3: no vapour–liquid coexistence at or below 2.5 kT in the narrow well, ε_c
/// between 2.5 and 2.86, and the gas–AlB₂ coexistence density falling as the well deepens.
#[test]
fn narrow_well_critical_depth_and_coexistence_trend() {
    let diagram = diagram_of(&load(NARROW));
    assert!(
        diagram.vapour_liquid.iter().all(|v| v.depth > 2.5),
        "{:?}",
        diagram.vapour_liquid
    );
    let critical = diagram.critical_depth.clone().expect("loops seen");
    assert!(critical.bracket[0] >= 2.5, "{critical:?}");
    let value = critical.value.map_or(critical.bracket[1], |v| v.value);
    assert!((2.5..=2.86).contains(&value), "{critical:?}");
    let trend: Vec<(f64, Estimate)> = diagram
        .gas_solid
        .iter()
        .filter(|c| c.depth > 0.0 && c.depth <= 2.5)
        .map(|c| (c.depth, c.rho_low))
        .collect();
    assert!(trend.len() >= 4, "{:#?}", diagram.caveats);
    for w in trend.windows(2) {
        let (a, b) = (w[0].1, w[1].1);
        assert!(
            b.value < a.value + 2.0 * a.error.hypot(b.error),
            "{trend:?}"
        );
    }
    let (first, last) = (trend[0].1, trend[trend.len() - 1].1);
    assert!(
        first.value - last.value > 3.0 * first.error.hypot(last.error),
        "{trend:?}"
    );
}
