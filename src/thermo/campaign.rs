//! The plan of a phase-diagram campaign (SCIENCE.md §3; the paper's Fig. 3c,d): which state
//! points are simulated, with which particles and seeds, and how each one runs.
//!
//! For a well and a composition the campaign simulates, at every depth ε/kT:
//! - the **fluid** at every fluid density (βP, U/N, D_L: the isotherm, the fluid's free energy
//!   from the ideal gas along it or across depths at fixed density, and Fig. S19's mobility);
//! - the **crystal** (AlB₂ at 1:2) from the densest crystal density down (βP, U/N: its
//!   isotherm), stopping where the crystal leaves its mechanically stable branch: it melted,
//!   its pressure rose again as the density fell (past the minimum of βP(ρ) that a crystal
//!   under tension shows in a deep well), or its pressure fell below zero (no fluid coexists
//!   there); [`CampaignSpec::resolve`];
//! - one **Frenkel–Ladd** free energy of the crystal at the scanned density whose βP is
//!   nearest the dense fluid's (the highest βP of that depth's usable fluid points, at least
//!   0), so that the crystal's isotherm carries βF/N only over a short way to coexistence; the
//!   crystal's equation of state is fitted to the stable-branch points within
//!   [`CRYSTAL_WINDOW`] of it.
//!
//! Which crystal points run and where Frenkel–Ladd runs follow from the points before them,
//! which are deterministic from their seeds: a resumed campaign takes the same decisions.
//!
//! Every point has its own seed, derived from the campaign's seed and the point's place in the
//! plan ([`point_seed`]), so a point computes the same numbers whether the campaign ran in one
//! go or was stopped and resumed; the points are independent and each is a checkpoint.
//!
//! The fluid and the crystal have the same particles: the crystal's orthorhombic cells
//! ([`crystal_cells`]) fix N_L and N_S and the fluid takes the same counts. The box must hold
//! twice the neighbour range (cut-off of L–L plus the skin) at the densest point, which sets
//! the least N ([`CampaignSpec::least_particles`]).

use serde::{Deserialize, Serialize};

use super::assemble::{assemble, AssemblyOptions, CampaignData, CrystalAnchor};
use super::diagram::{CrystalFreeEnergyPoint, Estimate, PhaseDiagram, Provenance, Well};
use super::error::ThermoError;
use super::fluid::FluidPath;
use super::frenkel_ladd::{crystal_free_energy, Crystal, CrystalFreeEnergy, Progress, Quality};
use super::state_point::{
    lattice_at_density, simulate_crystal, simulate_fluid, Model, Sampling, SimulatedPoint,
};
use crate::lattice::{Structure, UnitCell};
use crate::md::SimOptions;
use crate::model::{Frame, Geometry};

/// The depths of Fig. 3c,d (ε/kT).
pub const DEFAULT_DEPTHS: [f64; 7] = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0];
/// Fluid densities ρσ³ from the dilute gas to the dense liquid near freezing.
pub const DEFAULT_FLUID_DENSITIES: [f64; 10] =
    [0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.2];
/// Crystal densities ρσ³ scanned from the densest down (see [`CampaignSpec::resolve`]): AlB₂
/// from compressed (3.1; at 1:2 the lattice at the L–L minimum has ρσ³ ≈ 2.9–3.0) to the
/// expanded crystal that coexists with the dense repulsive fluid (≈ 2.4).
pub const DEFAULT_CRYSTAL_DENSITIES: [f64; 17] = [
    2.3, 2.35, 2.4, 2.45, 2.5, 2.55, 2.6, 2.65, 2.7, 2.75, 2.8, 2.85, 2.9, 2.95, 3.0, 3.05, 3.1,
];
/// Half-width in ρσ³ of the crystal points around the Frenkel–Ladd density that the crystal's
/// equation of state is fitted to.
pub const CRYSTAL_WINDOW: f64 = 0.151;
/// The largest density a campaign accepts (beyond close packing of the cores).
pub const MAX_DENSITY: f64 = 3.5;
/// The deepest well a campaign accepts (ε/kT).
pub const MAX_DEPTH: f64 = 10.0;
/// The most particles per state point.
pub const MAX_PARTICLES: usize = 20_000;

/// What one point of the plan computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PointKind {
    /// An NVT run of the fluid ([`simulate_fluid`]).
    Fluid,
    /// An NVT run of the perfect crystal ([`simulate_crystal`]).
    Crystal,
    /// The crystal's free energy by Frenkel–Ladd ([`crystal_free_energy`]).
    FreeEnergy,
}

impl PointKind {
    /// The kind's name in file names and messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Fluid => "fluid",
            Self::Crystal => "crystal",
            Self::FreeEnergy => "free-energy",
        }
    }
}

/// One state point of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedPoint {
    /// Its place in the plan (0-based).
    pub index: usize,
    /// What it computes.
    pub kind: PointKind,
    /// ε/kT.
    pub depth: f64,
    /// ρσ³ (of a free energy: 0 in the plan, chosen by [`CampaignSpec::resolve`]).
    pub rho: f64,
    /// The seed of its run ([`point_seed`]).
    pub seed: u64,
}

impl PlannedPoint {
    /// A name unique in the plan, fit for a file name: `0007-fluid-depth1.5-rho0.75`
    /// (a free energy's density is chosen when it runs: `0016-free-energy-depth1.5`).
    #[must_use]
    pub fn name(&self) -> String {
        let head = format!("{:04}-{}-depth{}", self.index, self.kind.name(), self.depth);
        match self.kind {
            PointKind::FreeEnergy => head,
            _ => format!("{head}-rho{}", self.rho),
        }
    }
}

/// What a computed point gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "result")]
pub enum PointResult {
    /// βP, U/N and D_L of the fluid.
    Fluid(SimulatedPoint),
    /// βP and U/N of the crystal.
    Crystal(SimulatedPoint),
    /// The crystal's free energy.
    FreeEnergy(ReferenceFreeEnergy),
}

/// The numbers of a Frenkel–Ladd free energy that the diagram is built from (the full
/// [`CrystalFreeEnergy`], with every λ point, stays in the point's checkpoint file).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceFreeEnergy {
    /// ε/kT.
    pub depth: f64,
    /// ρσ³.
    pub rho: f64,
    /// Particles N.
    pub n: usize,
    /// βF/N with the standard error over repeats (Λ = 1, centre of mass fixed, per lattice
    /// translation: [`super::TranslationCount::LatticePoints`]).
    pub beta_f: Estimate,
    /// βPσ³ of the crystal's reference run.
    pub beta_pressure: Estimate,
    /// U/N (ε) of the crystal's reference run.
    pub u_per_particle: Estimate,
}

impl ReferenceFreeEnergy {
    /// The diagram's numbers of `result` at depth `depth`.
    #[must_use]
    pub fn of(result: &CrystalFreeEnergy, depth: f64) -> Self {
        let beta = 1.0 / result.kt;
        Self {
            depth,
            rho: result.density,
            n: result.n,
            beta_f: Estimate {
                value: result.beta_f_per_particle,
                error: result.beta_f_error,
            },
            beta_pressure: Estimate {
                value: beta * result.pressure,
                error: beta * result.pressure_error,
            },
            u_per_particle: Estimate {
                value: result.u_per_particle,
                error: result.u_error,
            },
        }
    }
}

/// Everything that fixes a campaign's numbers: two campaigns with equal specs compute equal
/// points (the checkpoint directory records it; a resume with another spec is refused).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignSpec {
    /// Narrow or wide.
    pub well: Well,
    /// Large : small particles ([1, 2]).
    pub ratio: [u32; 2],
    /// Depths ε/kT, increasing.
    pub depths: Vec<f64>,
    /// Fluid densities ρσ³, increasing.
    pub fluid_densities: Vec<f64>,
    /// Crystal densities ρσ³, increasing; Frenkel–Ladd runs at the last.
    pub crystal_densities: Vec<f64>,
    /// Particles per state point asked for (the crystal's cells round it: [`crystal_cells`]).
    pub n: usize,
    /// `fast`, `standard` or `paper` for every point.
    pub quality: Quality,
    /// The campaign's seed.
    pub seed: u64,
}

/// The crystal a composition forms (SCIENCE.md §3: AlB₂ at 1:2) and its c/a.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SolidPhase {
    /// The structure.
    pub structure: Structure,
    /// Its name in the diagram.
    pub name: &'static str,
    /// c/a (hexagonal crystals).
    pub c_over_a: f64,
}

/// The ratios a campaign knows, in words, for messages.
pub const KNOWN_RATIOS: &str = "1:2 (AlB₂)";

impl CampaignSpec {
    /// The solid of this composition: AlB₂ at 1:2, with the c/a our seeded runs matched to the
    /// fluid's pressure (SCIENCE.md §4: narrow 1.035, wide 1.05); `None` for other ratios.
    #[must_use]
    pub fn solid(&self) -> Option<SolidPhase> {
        (self.ratio == [1, 2]).then_some(SolidPhase {
            structure: Structure::Alb2,
            name: "AlB2",
            c_over_a: match self.well {
                Well::Narrow => 1.035,
                Well::Wide => 1.05,
            },
        })
    }

    /// The model of depth `depth` ([`Model::paper`]).
    ///
    /// # Errors
    /// [`ThermoError::OutOfRange`] for a negative depth.
    pub fn model(&self, depth: f64) -> Result<Model, ThermoError> {
        Model::paper(self.well, depth)
    }

    /// Whether every box of a campaign with `n` particles asked for holds twice the neighbour
    /// range of the L–L pair (cut-off + skin: 1.8 σ narrow, 3.3 σ wide): the fluid's cubic box
    /// at the densest fluid density and the crystal's box at the densest crystal density.
    #[must_use]
    pub fn boxes_fit(&self, n: usize) -> bool {
        let Some(solid) = self.solid() else {
            return false;
        };
        let range = 2.0 * neighbour_range(self.well);
        let cells = crystal_cells(solid, n);
        let densest = |values: &[f64]| values.iter().fold(0.0f64, |a, &b| a.max(b));
        let crystal = lattice_at_density(
            solid.structure,
            solid.c_over_a,
            densest(&self.crystal_densities),
            cells,
        );
        let crystal_fits = match crystal.geometry {
            Geometry::Periodic(l) => l.iter().all(|&e| e > range),
            Geometry::Open { .. } => false,
        };
        let fluid_edge = (crystal.len() as f64 / densest(&self.fluid_densities)).cbrt();
        crystal_fits && fluid_edge > range
    }

    /// The least N asked for whose boxes fit ([`CampaignSpec::boxes_fit`]), in steps of six
    /// particles; `None` past [`MAX_PARTICLES`].
    #[must_use]
    pub fn least_particles(&self) -> Option<usize> {
        (6..=MAX_PARTICLES).step_by(6).find(|&n| self.boxes_fit(n))
    }

    /// Checks the numbers against their ranges.
    ///
    /// # Errors
    /// [`ThermoError::OutOfRange`] naming the first number out of range.
    pub fn check(&self) -> Result<(), ThermoError> {
        if self.solid().is_none() {
            return Err(ThermoError::OutOfRange {
                name: "ratio",
                value: f64::from(self.ratio[1]) / f64::from(self.ratio[0].max(1)),
                allowed: KNOWN_RATIOS,
            });
        }
        let lists: [(&'static str, &[f64], f64, f64, &'static str); 3] = [
            ("depth", &self.depths, 0.0, MAX_DEPTH, "0 to 10, increasing"),
            (
                "fluid density",
                &self.fluid_densities,
                0.0,
                MAX_DENSITY,
                "above 0 and at most 3.5, increasing",
            ),
            (
                "crystal density",
                &self.crystal_densities,
                0.0,
                MAX_DENSITY,
                "above 0 and at most 3.5, increasing",
            ),
        ];
        for (name, values, low, high, allowed) in lists {
            let zero_ok = name == "depth";
            let bad = values
                .iter()
                .copied()
                .find(|&v| !(v.is_finite() && (v > low || (zero_ok && v == low)) && v <= high));
            let unsorted = values.windows(2).find(|w| w[1] <= w[0]).map(|w| w[1]);
            if let Some(value) = bad.or(unsorted) {
                return Err(ThermoError::OutOfRange {
                    name,
                    value,
                    allowed,
                });
            }
            if values.is_empty() {
                return Err(ThermoError::OutOfRange {
                    name,
                    value: f64::NAN,
                    allowed: "at least one value",
                });
            }
        }
        if self.n > MAX_PARTICLES || !self.boxes_fit(self.n) {
            return Err(ThermoError::OutOfRange {
                name: "particles",
                value: self.n as f64,
                allowed:
                    "enough for the densest box to hold twice the neighbour range, at most 20,000",
            });
        }
        Ok(())
    }

    /// The points in the order they run: depth by depth, the fluid densities, the crystal
    /// densities from the densest down, then the Frenkel–Ladd free energy (its density, 0 here,
    /// is chosen when it runs: [`CampaignSpec::resolve`]). Crystal points may be skipped.
    #[must_use]
    pub fn plan(&self) -> Vec<PlannedPoint> {
        let mut points = Vec::new();
        let mut push = |kind, depth, rho| {
            let index = points.len();
            points.push(PlannedPoint {
                index,
                kind,
                depth,
                rho,
                seed: point_seed(self.seed, index),
            });
        };
        for &depth in &self.depths {
            for &rho in &self.fluid_densities {
                push(PointKind::Fluid, depth, rho);
            }
            for &rho in self.crystal_densities.iter().rev() {
                push(PointKind::Crystal, depth, rho);
            }
            push(PointKind::FreeEnergy, depth, 0.0);
        }
        points
    }

    /// The orthorhombic cells of the crystal and the particle counts (L, S) of every point.
    ///
    /// # Errors
    /// [`ThermoError::OutOfRange`] for a ratio without a known solid.
    pub fn particles(&self) -> Result<([usize; 3], Vec<usize>), ThermoError> {
        let solid = self.solid().ok_or(ThermoError::OutOfRange {
            name: "ratio",
            value: f64::NAN,
            allowed: KNOWN_RATIOS,
        })?;
        let cells = crystal_cells(solid, self.n);
        let frame = lattice_at_density(solid.structure, solid.c_over_a, 1.0, cells);
        let large = frame.typeid.iter().filter(|&&t| t == 0).count();
        Ok((cells, vec![large, frame.len() - large]))
    }

    /// Steps a point of `kind` runs (for progress and time left).
    #[must_use]
    pub fn steps(&self, kind: PointKind) -> u64 {
        let sampling = Sampling::of(self.quality);
        match kind {
            PointKind::Fluid => sampling.total_steps(),
            PointKind::Crystal => sampling.equilibrate + sampling.production,
            PointKind::FreeEnergy => self.quality.schedule().total_steps(),
        }
    }

    /// Runs `point` of this campaign; `progress` is told the point's steps done and may return
    /// `false` to stop.
    ///
    /// # Errors
    /// [`ThermoError`] from the simulation, or [`ThermoError::Stopped`].
    pub fn run_point(
        &self,
        point: &PlannedPoint,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<ComputedPoint, ThermoError> {
        let solid = self.solid().ok_or(ThermoError::OutOfRange {
            name: "ratio",
            value: f64::NAN,
            allowed: KNOWN_RATIOS,
        })?;
        let model = self.model(point.depth)?;
        let (cells, counts) = self.particles()?;
        let sampling = Sampling::of(self.quality);
        let lattice = || lattice_at_density(solid.structure, solid.c_over_a, point.rho, cells);
        Ok(match point.kind {
            PointKind::Fluid => ComputedPoint::plain(PointResult::Fluid(simulate_fluid(
                &model, &counts, point.rho, &sampling, point.seed, progress,
            )?)),
            PointKind::Crystal => ComputedPoint::plain(PointResult::Crystal(simulate_crystal(
                &model,
                &lattice(),
                solid.name,
                &sampling,
                point.seed,
                progress,
            )?)),
            PointKind::FreeEnergy => {
                let frame: Frame = lattice();
                let table = model.table()?;
                let result = crystal_free_energy(
                    &Crystal {
                        lattice: &frame,
                        table: &table,
                        kt: model.kt,
                        lattice_points: counts[0],
                        seed: point.seed,
                    },
                    &self.quality.schedule(),
                    progress,
                )?;
                ComputedPoint {
                    result: PointResult::FreeEnergy(ReferenceFreeEnergy::of(&result, point.depth)),
                    detail: Some(result),
                }
            }
        })
    }
}

/// A computed point: what the diagram uses, and for a free energy the full computation (every
/// λ point and repeat) to keep beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct ComputedPoint {
    /// What the diagram uses.
    pub result: PointResult,
    /// The whole Frenkel–Ladd computation of a free-energy point.
    pub detail: Option<CrystalFreeEnergy>,
}

impl ComputedPoint {
    fn plain(result: PointResult) -> Self {
        Self {
            result,
            detail: None,
        }
    }
}

/// Cut-off of the L–L pair plus the neighbour-list skin (σ).
fn neighbour_range(well: Well) -> f64 {
    let cut = match well {
        Well::Narrow => 1.5,
        Well::Wide => 3.0,
    };
    cut + SimOptions::default().skin
}

/// The seed of point `index` of a campaign seeded `seed`: SplitMix64 of the pair, so that
/// neighbouring points and neighbouring campaign seeds get unrelated streams.
#[must_use]
pub fn point_seed(seed: u64, index: usize) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(index as u64 + 1);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The orthorhombic cells of `solid` whose particle count is nearest `n` with a box no more
/// than 30 % from cubic (edges a, √3·a, c per cell); ties go to the more cubic box.
#[must_use]
pub fn crystal_cells(solid: SolidPhase, n: usize) -> [usize; 3] {
    let unit = UnitCell::new(solid.structure, 1.0, solid.c_over_a);
    let edges = unit.orthorhombic_edges();
    let per_cell = unit.orthorhombic_basis().len();
    let mut best = ([1, 1, 1], usize::MAX, f64::INFINITY);
    for i in 1..=30 {
        for j in 1..=30 {
            for k in 1..=30 {
                let lengths = [
                    i as f64 * edges[0],
                    j as f64 * edges[1],
                    k as f64 * edges[2],
                ];
                let long = lengths.iter().fold(0.0f64, |a, &b| a.max(b));
                let short = lengths.iter().fold(f64::INFINITY, |a, &b| a.min(b));
                let aspect = long / short;
                if aspect > 1.3 {
                    continue;
                }
                let miss = (per_cell * i * j * k).abs_diff(n);
                if miss < best.1 || (miss == best.1 && aspect < best.2) {
                    best = ([i, j, k], miss, aspect);
                }
            }
        }
    }
    best.0
}

/// Why a crystal scan at one depth ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScanEnd {
    /// The crystal at this density melted.
    Melted(f64),
    /// βP rose again as the density fell, beyond two standard errors: past the minimum.
    PastMinimum(f64),
    /// βP fell below zero here (kept: it brackets zero pressure).
    BelowZero(f64),
}

/// The crystal points of one depth on the stable branch, from the densest down, and why the
/// scan ended (`None`: it has not).
#[must_use]
pub fn stable_branch(
    depth: f64,
    done: &[(PlannedPoint, PointResult)],
) -> (Vec<&SimulatedPoint>, Option<ScanEnd>) {
    let mut kept: Vec<&SimulatedPoint> = Vec::new();
    for (point, result) in done {
        let PointResult::Crystal(s) = result else {
            continue;
        };
        if point.depth != depth {
            continue;
        }
        if !s.usable() {
            return (kept, Some(ScanEnd::Melted(point.rho)));
        }
        if let Some(prev) = kept.last() {
            let rise = s.beta_pressure.value - prev.beta_pressure.value;
            let error = s.beta_pressure.error.hypot(prev.beta_pressure.error);
            if rise > 2.0 * error {
                return (kept, Some(ScanEnd::PastMinimum(point.rho)));
            }
        }
        kept.push(s);
        if s.beta_pressure.value < 0.0 {
            return (kept, Some(ScanEnd::BelowZero(point.rho)));
        }
    }
    (kept, None)
}

/// The highest βP of the usable fluid points at `depth`, at least 0: the pressure near which
/// the crystal coexists with the fluid.
fn fluid_pressure_ceiling(depth: f64, done: &[(PlannedPoint, PointResult)]) -> f64 {
    done.iter()
        .filter_map(|(p, r)| match r {
            PointResult::Fluid(s) if p.depth == depth && s.usable() => Some(s.beta_pressure.value),
            _ => None,
        })
        .fold(0.0, f64::max)
}

impl CampaignSpec {
    /// The point as it runs, given the points `done` before it in plan order: a crystal point
    /// after its depth's scan ended is skipped (`None`); a free energy runs at the stable-branch
    /// crystal density whose βP is nearest the fluid's highest (skipped when no crystal point
    /// is stable); a fluid point runs as planned.
    #[must_use]
    pub fn resolve(
        &self,
        point: &PlannedPoint,
        done: &[(PlannedPoint, PointResult)],
    ) -> Option<PlannedPoint> {
        match point.kind {
            PointKind::Fluid => Some(*point),
            PointKind::Crystal => stable_branch(point.depth, done)
                .1
                .is_none()
                .then_some(*point),
            PointKind::FreeEnergy => {
                let target = fluid_pressure_ceiling(point.depth, done);
                let (kept, _) = stable_branch(point.depth, done);
                let nearest = kept.into_iter().min_by(|a, b| {
                    (a.beta_pressure.value - target)
                        .abs()
                        .total_cmp(&(b.beta_pressure.value - target).abs())
                })?;
                Some(PlannedPoint {
                    rho: nearest.rho,
                    ..*point
                })
            }
        }
    }
}

impl CampaignSpec {
    /// The fluid's path in β ([`FluidPath`]): the reference isotherm at the shallowest
    /// attractive depth (supercritical for both wells: ε_c/kT ≈ 1.36 wide, 2.5–2.9 narrow) and
    /// the densest fluid density, a one-phase dense fluid at every depth.
    #[must_use]
    pub fn fluid_path(&self) -> FluidPath {
        FluidPath {
            depth: self
                .depths
                .iter()
                .copied()
                .find(|&d| d > 0.0)
                .unwrap_or(0.0),
            rho: self.fluid_densities.last().copied().unwrap_or(f64::NAN),
        }
    }

    /// The phase diagram of the computed `points` ([`super::assemble::assemble`], its errors
    /// resampled with the campaign's seed).
    ///
    /// # Errors
    /// [`ThermoError`] when the points cannot make a diagram (no fluid points).
    pub fn assemble(
        &self,
        points: &[(PlannedPoint, PointResult)],
        provenance: Provenance,
    ) -> Result<PhaseDiagram, ThermoError> {
        let solid = self.solid().ok_or(ThermoError::OutOfRange {
            name: "ratio",
            value: f64::NAN,
            allowed: KNOWN_RATIOS,
        })?;
        let mut data = CampaignData {
            well: self.well,
            ratio: self.ratio,
            solid: solid.name.into(),
            provenance,
            fluid_path: self.fluid_path(),
            fluid: Vec::new(),
            crystal: Vec::new(),
            crystal_anchors: Vec::new(),
        };
        let mut caveats = Vec::new();
        for (_, result) in points {
            match result {
                PointResult::Fluid(p) => data.fluid.push(p.clone()),
                PointResult::Crystal(_) => {}
                PointResult::FreeEnergy(f) => data.crystal_anchors.push(CrystalAnchor {
                    rho: f.rho,
                    depth: f.depth,
                    beta_f: f.beta_f,
                }),
            }
        }
        for &depth in &self.depths {
            let (kept, end) = stable_branch(depth, points);
            let anchor = data
                .crystal_anchors
                .iter()
                .find(|a| a.depth == depth)
                .map(|a| a.rho);
            data.crystal.extend(
                kept.into_iter()
                    .filter(|s| anchor.is_none_or(|rho| (s.rho - rho).abs() <= CRYSTAL_WINDOW))
                    .cloned(),
            );
            let why = match end {
                Some(ScanEnd::Melted(rho)) => format!("the crystal melted at ρσ³ = {rho}"),
                Some(ScanEnd::PastMinimum(rho)) => {
                    format!("its βP rose again as the density fell to ρσ³ = {rho}")
                }
                Some(ScanEnd::BelowZero(rho)) => format!("its βP fell below 0 at ρσ³ = {rho}"),
                None => continue,
            };
            caveats.push(format!(
                "ε/kT = {depth}: the crystal was scanned from ρσ³ = {} down until {why}; \
                 its equation of state uses the stable points within ±{CRYSTAL_WINDOW:.2} of \
                 the Frenkel–Ladd density {}",
                self.crystal_densities.last().copied().unwrap_or(f64::NAN),
                anchor.map_or("(none)".into(), |r| format!("{r:.4}"))
            ));
        }
        let mut diagram = assemble(
            &data,
            &AssemblyOptions {
                seed: self.seed,
                ..AssemblyOptions::default()
            },
        )?;
        diagram.caveats.extend(caveats);
        diagram.crystal_free_energies = points
            .iter()
            .filter_map(|(_, r)| match r {
                PointResult::FreeEnergy(f) => Some(CrystalFreeEnergyPoint {
                    depth: f.depth,
                    rho: f.rho,
                    n: f.n,
                    beta_f: f.beta_f,
                }),
                _ => None,
            })
            .collect();
        Ok(diagram)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thermo::state_point::Flag;

    fn spec() -> CampaignSpec {
        CampaignSpec {
            well: Well::Narrow,
            ratio: [1, 2],
            depths: vec![0.0, 2.0],
            fluid_densities: vec![0.5, 2.0],
            crystal_densities: vec![2.9, 3.0, 3.1],
            n: 300,
            quality: Quality::Fast,
            seed: 7,
        }
    }

    fn simulated(phase: &str, rho: f64, beta_p: f64, flags: Vec<Flag>) -> SimulatedPoint {
        SimulatedPoint {
            phase: phase.into(),
            counts: vec![96, 192],
            rho,
            depth: 2.0,
            kt: 0.5,
            beta_pressure: Estimate {
                value: beta_p,
                error: 0.1,
            },
            u_per_particle: Estimate {
                value: -4.0,
                error: 0.01,
            },
            diffusion_l: None,
            ordered_fraction: 1.0,
            structure_factor_kmin: 0.1,
            drift: 0.0,
            flags,
            seed: 1,
            steps: 1,
        }
    }

    #[test]
    fn the_plan_scans_the_crystal_down_and_seeds_each_point() {
        let spec = spec();
        spec.check().unwrap();
        let plan = spec.plan();
        assert_eq!(plan.len(), 2 * (2 + 3 + 1));
        let kinds: Vec<PointKind> = plan[..6].iter().map(|p| p.kind).collect();
        use PointKind::{Crystal, Fluid, FreeEnergy};
        assert_eq!(kinds, [Fluid, Fluid, Crystal, Crystal, Crystal, FreeEnergy]);
        assert_eq!([plan[2].rho, plan[4].rho], [3.1, 2.9]);
        assert_eq!(plan[5].name(), "0005-free-energy-depth0");
        assert_eq!(plan[6].name(), "0006-fluid-depth2-rho0.5");
        let mut seeds: Vec<u64> = plan.iter().map(|p| p.seed).collect();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), plan.len(), "one seed per point");
        assert_eq!(point_seed(7, 3), plan[3].seed);
        assert_ne!(point_seed(8, 3), plan[3].seed);
        // whole cells, the same counts for fluid and crystal
        let (cells, counts) = spec.particles().unwrap();
        assert_eq!(6 * cells.iter().product::<usize>(), counts[0] + counts[1]);
        assert_eq!(2 * counts[0], counts[1]);
        // too few particles for the wide well's box, another ratio, unsorted densities
        let wide = CampaignSpec {
            well: Well::Wide,
            ..spec.clone()
        };
        assert!(wide.check().is_err() && wide.least_particles().unwrap() > 900);
        assert!(CampaignSpec {
            ratio: [1, 3],
            ..spec.clone()
        }
        .check()
        .is_err());
        assert!(CampaignSpec {
            fluid_densities: vec![2.0, 0.5],
            ..spec
        }
        .check()
        .is_err());
    }

    #[test]
    fn the_scan_stops_past_the_minimum_and_frenkel_ladd_sits_near_the_fluid_pressure() {
        let spec = CampaignSpec {
            depths: vec![2.0],
            crystal_densities: vec![2.8, 2.9, 3.0, 3.1],
            ..spec()
        };
        let plan = spec.plan();
        let mut done: Vec<(PlannedPoint, PointResult)> = vec![
            (
                plan[0],
                PointResult::Fluid(simulated("fluid", 0.5, 1.0, vec![])),
            ),
            (
                plan[1],
                PointResult::Fluid(simulated("fluid", 2.0, 6.0, vec![])),
            ),
        ];
        for (k, beta_p) in [(2, 40.0), (3, 8.0), (4, -5.0)] {
            assert_eq!(spec.resolve(&plan[k], &done), Some(plan[k]));
            let s = simulated("AlB2", plan[k].rho, beta_p, vec![]);
            done.push((plan[k], PointResult::Crystal(s)));
        }
        // βP fell below 0 at 2.9: the scan ends, 2.8 is skipped
        assert_eq!(spec.resolve(&plan[5], &done), None);
        let (kept, end) = stable_branch(2.0, &done);
        assert_eq!(kept.len(), 3);
        assert_eq!(end, Some(ScanEnd::BelowZero(2.9)));
        // Frenkel–Ladd at the crystal whose βP (8) is nearest the fluid's highest (6)
        let fl = spec.resolve(&plan[6], &done).unwrap();
        assert_eq!(fl.rho, 3.0);
        // a rise as the density falls, or a melted crystal, ends a scan too
        let rising = vec![
            (
                plan[2],
                PointResult::Crystal(simulated("AlB2", 3.1, 5.0, vec![])),
            ),
            (
                plan[3],
                PointResult::Crystal(simulated("AlB2", 3.0, 9.0, vec![])),
            ),
        ];
        assert_eq!(
            stable_branch(2.0, &rising).1,
            Some(ScanEnd::PastMinimum(3.0))
        );
        let melted = vec![(
            plan[2],
            PointResult::Crystal(simulated("AlB2", 3.1, 5.0, vec![Flag::Melted])),
        )];
        assert_eq!(
            stable_branch(2.0, &melted),
            (vec![], Some(ScanEnd::Melted(3.1)))
        );
        assert_eq!(spec.resolve(&plan[6], &melted), None);
    }
}
