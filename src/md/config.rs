//! The run description read by `bnsl run CONFIG.toml` (and usable by the page): species,
//! pair rules, geometry, initial state, integrator, stages (with optional compression) and
//! output. Every field is documented here and in the shipped examples (examples/*.toml), which
//! encode the paper's protocols (SCIENCE.md §1 and §4).

use serde::{Deserialize, Serialize};

use super::error::MdError;
use super::init::{maxwell_boltzmann, order_by_cells, random_fluid, seeded_fluid};
use super::integrator::{Integrator, NoseHooverChain};
use super::seed_pace::{finish, Preparation};
use super::seeded_start::{seeded_start, SeedReport, SeededModel, SeededPlan};
use super::simulation::{SimOptions, Simulation};
use super::state::State;
use crate::lattice::{crystal, Diameters, Structure, UnitCell};
use crate::model::polydisperse::{build_types, split_counts};
use crate::model::{Frame, Geometry, PairRule, PotentialKind, Species};

/// A whole run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Seed of the initial state, velocities and Langevin noise.
    #[serde(default = "one")]
    pub seed: u64,
    /// Time step Δt (τ).
    #[serde(default = "default_dt")]
    pub dt: f64,
    /// Neighbour-list skin (σ).
    #[serde(default = "default_skin")]
    pub skin: f64,
    /// Temperature kT in units of ε (ε/kT = 2.5 means kt = 0.4 with ε = 1).
    pub kt: f64,
    /// The species: name, mean diameter, spread, bins, count.
    pub species: Vec<SpeciesConfig>,
    /// The pair rule of every species pair unless overridden.
    pub pair: PairConfig,
    /// Per-species-pair exceptions (unequal depths, Fig. S24; per-pair exponents, Fig. S16).
    #[serde(default)]
    pub pair_override: Vec<PairOverride>,
    /// Periodic box or droplet.
    pub geometry: GeometryConfig,
    /// How the first configuration is made.
    pub initial: InitialConfig,
    /// Equations of motion.
    pub integrator: IntegratorConfig,
    /// The run, stage by stage.
    pub stage: Vec<StageConfig>,
    /// Files and intervals.
    #[serde(default)]
    pub output: OutputConfig,
}

fn one() -> u64 {
    1
}
fn default_dt() -> f64 {
    0.001
}
fn default_skin() -> f64 {
    0.3
}
fn yes() -> bool {
    true
}
fn default_min_distance() -> f64 {
    1.0
}

/// One species.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeciesConfig {
    /// Name ("L", "S").
    pub name: String,
    /// Mean diameter (σ_LL = 1).
    pub diameter: f64,
    /// Standard deviation of the diameter relative to the mean (0 = monodisperse).
    #[serde(default)]
    pub relative_std: f64,
    /// Number of sub-types the Gaussian is cut into (13 in Fig. 4).
    #[serde(default = "one_u32")]
    pub bins: u32,
    /// Number of particles of this species.
    pub count: usize,
}

fn one_u32() -> u32 {
    1
}

/// The pair rule (σ_ij = (d_i + d_j)/2 always). `potential` chooses the pair potential
/// (`"mie"`, the default, may be left out; `"lj"`, `"wca"`: [`PotentialKind`]); a form that
/// fixes parameters (12–6 exponents for `lj` and `wca`, the cut-off for `wca`) fills them in
/// when they are left out and refuses other values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PairInput")]
pub struct PairConfig {
    /// Which pair potential (Mie when left out).
    #[serde(skip_serializing_if = "PotentialKind::is_default")]
    pub potential: PotentialKind,
    /// Well depth ε (energy unit; 1).
    pub epsilon: f64,
    /// Repulsive exponent n (50).
    pub n: u32,
    /// Attractive exponent m (25 narrow, 6 wide).
    pub m: u32,
    /// Cut-off in σ_ij (1.5 narrow, 3.0 wide).
    pub r_cut: f64,
    /// Shift the energy to zero at the cut-off.
    pub shift: bool,
    /// `false` for the purely repulsive ε·C·(σ/r)^n of "ε/kT = 0" (then set kt = epsilon).
    pub attractive: bool,
}

/// [`PairConfig`] as written: the parameters a potential fixes may be left out.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairInput {
    #[serde(default)]
    potential: PotentialKind,
    epsilon: f64,
    n: Option<u32>,
    m: Option<u32>,
    r_cut: Option<f64>,
    #[serde(default = "yes")]
    shift: bool,
    #[serde(default = "yes")]
    attractive: bool,
}

impl TryFrom<PairInput> for PairConfig {
    type Error = String;

    fn try_from(p: PairInput) -> Result<Self, String> {
        let name = p.potential.name();
        let given = |field: &str, value: Option<String>, fixed: String| match value {
            Some(v) if v != fixed => Err(format!(
                "pair.{field} = {v}: potential \"{name}\" fixes it at {fixed} (leave it out)"
            )),
            _ => Ok(()),
        };
        let required = |field: &str| format!("pair.{field} is required for potential \"{name}\"");
        let (n, m) = match p.potential.fixed_exponents() {
            Some((n, m)) => {
                given("n", p.n.map(|v| v.to_string()), n.to_string())?;
                given("m", p.m.map(|v| v.to_string()), m.to_string())?;
                (n, m)
            }
            None => (
                p.n.ok_or_else(|| required("n"))?,
                p.m.ok_or_else(|| required("m"))?,
            ),
        };
        let r_cut = match p.potential.fixed_cut() {
            Some(cut) => {
                given("r_cut", p.r_cut.map(|v| v.to_string()), cut.to_string())?;
                given("shift", Some(p.shift.to_string()), "true".into())?;
                cut
            }
            None => p.r_cut.ok_or_else(|| required("r_cut"))?,
        };
        Ok(Self {
            potential: p.potential,
            epsilon: p.epsilon,
            n,
            m,
            r_cut,
            shift: p.shift,
            attractive: p.attractive,
        })
    }
}

/// An exception for one species pair; unset fields keep the default rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairOverride {
    /// First species name.
    pub a: String,
    /// Second species name.
    pub b: String,
    /// Well depth.
    pub epsilon: Option<f64>,
    /// Repulsive exponent.
    pub n: Option<u32>,
    /// Attractive exponent.
    pub m: Option<u32>,
    /// Cut-off in σ_ij.
    pub r_cut: Option<f64>,
}

/// The space.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GeometryConfig {
    /// A cubic periodic box whose size follows from N and the initial density.
    Periodic,
    /// A spherical droplet with a WCA wall; its radius follows from N and the initial density.
    Droplet {
        /// Energy scale of the wall (ε).
        #[serde(default = "one_f64")]
        wall_epsilon: f64,
    },
}

fn one_f64() -> f64 {
    1.0
}

/// How a random fluid's particles are numbered ([`InitialConfig::RandomFluid`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FluidOrder {
    /// In the order they were placed in: types one after the other, places at random.
    #[default]
    Insertion,
    /// By cells of the box ([`super::init::order_by_cells`]): neighbours get near numbers,
    /// so the pair loop reads memory in order and its parts on several threads share few
    /// pairs (docs/engine.md "Threads").
    Cells,
}

impl FluidOrder {
    /// Whether this is the default, [`FluidOrder::Insertion`] (left out when written).
    #[must_use]
    pub fn is_insertion(&self) -> bool {
        *self == Self::Insertion
    }
}

/// The first configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum InitialConfig {
    /// Random non-overlapping insertion at a low number density.
    RandomFluid {
        /// Number density N/V (σ⁻³).
        density: f64,
        /// Smallest distance allowed, in σ_ij.
        #[serde(default = "default_min_distance")]
        min_distance: f64,
        /// The particles' numbering after the insertion ([`FluidOrder`]; left out: as placed,
        /// so that a recipe written before it existed replays bit for bit).
        #[serde(default, skip_serializing_if = "FluidOrder::is_insertion")]
        order: FluidOrder,
    },
    /// An ideal crystal filling the periodic box (types L, S; species counts are ignored).
    Lattice {
        /// alb2, nazn13 or fcc.
        structure: Structure,
        /// Lattice constant a (σ).
        a: f64,
        /// c/a (AlB₂ only).
        #[serde(default = "one_f64")]
        c_over_a: f64,
        /// Orthorhombic cells along x, y, z.
        cells: [usize; 3],
    },
    /// A frame of a GSD file (read by the command-line tool).
    Gsd {
        /// Path of the file.
        path: String,
        /// Frame index (negative counts from the end).
        #[serde(default = "minus_one")]
        frame: i64,
    },
    /// A fluid around a spherical crystal seed at the centre (monodisperse L and S).
    SeededFluid {
        /// alb2 or nazn13.
        structure: Structure,
        /// Lattice constant of the seed (σ).
        a: f64,
        /// c/a (AlB₂ only).
        #[serde(default = "one_f64")]
        c_over_a: f64,
        /// Radius of the seed cluster (σ).
        seed_radius: f64,
        /// Number density of the whole system (σ⁻³).
        density: f64,
        /// Smallest distance allowed, in σ_ij.
        #[serde(default = "default_min_distance")]
        min_distance: f64,
    },
    /// A crystal seed cut into an equilibrated fluid (SCIENCE.md §4; [`super::seeded_start`]):
    /// the fluid from a GSD file or made in a periodic box (inserted at low density,
    /// compressed to `density`, equilibrated without a seed), its pressure measured, the
    /// seed's lattice matched to it unless `a` is given, and a ball of whole formula units of
    /// the catalogue crystal cut in at the centre, replacing as many fluid L and S as it brings
    /// and any fluid particle closer than `clearance`·σ_ij.
    Seeded {
        /// The seed's crystal (any catalogue structure with L; alb2 in the paper).
        structure: Structure,
        /// Radius of the seed ball (σ).
        seed_radius: f64,
        /// A GSD file holding the equilibrated fluid (its last frame; types L, S, periodic).
        /// Left out: the fluid is made at `density`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fluid: Option<String>,
        /// Growth density of the made fluid (σ⁻³), required without `fluid`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        density: Option<f64>,
        /// Steps compressing the made fluid from ρσ³ 0.5 to `density`.
        #[serde(default = "default_compress")]
        compress: u64,
        /// Steps equilibrating the fluid before the insertion; its pressure is the mean over
        /// the second half.
        #[serde(default = "default_equilibrate")]
        equilibrate: u64,
        /// Lattice constant a of the seed (σ); left out: matched to the fluid's pressure.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        a: Option<f64>,
        /// c/a of a hexagonal seed; left out: the catalogue's default (matched with a).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        c_over_a: Option<f64>,
        /// Fluid particles closer than this many σ_ij to a seed particle are removed.
        #[serde(default = "default_clearance")]
        clearance: f64,
    },
}

fn default_clearance() -> f64 {
    0.97
}
fn default_compress() -> u64 {
    10_000
}
fn default_equilibrate() -> u64 {
    10_000
}

fn minus_one() -> i64 {
    -1
}

/// Equations of motion.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum IntegratorConfig {
    /// Velocity Verlet.
    Nve,
    /// BAOAB Langevin at kt.
    Langevin {
        /// Friction γ (1/τ).
        #[serde(default = "one_f64")]
        gamma: f64,
    },
    /// MTK Nosé–Hoover chain at kt.
    Mtk {
        /// Thermostat time constant (τ).
        #[serde(default = "default_tau")]
        tau: f64,
        /// Chain length.
        #[serde(default = "default_chain")]
        chain: usize,
    },
}

fn default_tau() -> f64 {
    0.1
}
fn default_chain() -> usize {
    3
}

/// One stage of the run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageConfig {
    /// Number of steps.
    pub steps: u64,
    /// Shrink the box/droplet to this number density over the stage (σ⁻³).
    pub compress_to: Option<f64>,
}

/// Files and intervals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// GSD trajectory path (relative to the working directory).
    pub trajectory: String,
    /// CSV log path.
    pub log: String,
    /// Steps between log rows.
    pub log_every: u64,
    /// Steps between trajectory frames.
    pub frame_every: u64,
}

impl Default for OutputConfig {
    fn default() -> Self {
        Self {
            trajectory: "trajectory.gsd".into(),
            log: "log.csv".into(),
            log_every: 1000,
            frame_every: 10_000,
        }
    }
}

fn bad(what: &str, value: f64, rule: &'static str) -> MdError {
    MdError::Parameter {
        what: what.into(),
        value,
        rule,
    }
}

impl RunConfig {
    /// Parses a TOML document.
    ///
    /// # Errors
    /// [`toml::de::Error`], whose message gives the line and column of the problem.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// The integrator with its parameters.
    #[must_use]
    pub fn integrator(&self) -> Integrator {
        match self.integrator {
            IntegratorConfig::Nve => Integrator::Nve,
            IntegratorConfig::Langevin { gamma } => Integrator::Langevin {
                kt: self.kt,
                gamma,
                seed: self.seed,
            },
            IntegratorConfig::Mtk { tau, chain } => {
                Integrator::Mtk(NoseHooverChain::new(self.kt, tau, chain))
            }
        }
    }

    /// Builds the simulation. `frame` is the GSD frame for `initial.kind = "gsd"` (the caller
    /// reads the file).
    ///
    /// # Errors
    /// [`MdError`] for invalid parameters or an initial state that cannot be built.
    pub fn build(&self, frame: Option<Frame>) -> Result<Simulation, MdError> {
        Ok(self.build_reported(frame, &mut |_, _| {})?.0)
    }

    /// [`RunConfig::build`], with the report of a seeded start (`initial.kind = "seeded"`:
    /// the lattice chosen, the fluid's pressure, the insertion) and `progress(done, total)`
    /// over the seeded start's preparation ([`Preparation`]'s steps). `frame` is the fluid's
    /// GSD frame there.
    ///
    /// # Errors
    /// As [`RunConfig::build`].
    pub fn build_reported(
        &self,
        frame: Option<Frame>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(Simulation, Option<SeedReport>), MdError> {
        finish(self.build_paced(frame, &mut |p| progress(p.done, p.total)))
    }

    /// [`RunConfig::build_reported`] as a future that gives control back after every slice of
    /// a seeded start's preparation ([`crate::md::seed_pace`]) and tells `progress` its stage;
    /// the page's worker polls it one slice per chunk.
    ///
    /// # Errors
    /// As [`RunConfig::build`].
    pub async fn build_paced(
        &self,
        frame: Option<Frame>,
        progress: &mut dyn FnMut(Preparation),
    ) -> Result<(Simulation, Option<SeedReport>), MdError> {
        if self.species.is_empty() {
            return Err(bad("number of species", 0.0, "must be >= 1"));
        }
        let species: Vec<Species> = self
            .species
            .iter()
            .map(|s| Species {
                name: s.name.clone(),
                diameter: s.diameter,
                relative_std: s.relative_std,
                bins: s.bins,
            })
            .collect();
        let base = PairRule {
            potential: self.pair.potential,
            epsilon: self.pair.epsilon,
            n: self.pair.n,
            m: self.pair.m,
            r_cut: self.pair.r_cut,
            shift: self.pair.shift,
            attractive: self.pair.attractive,
        };
        let ns = species.len();
        let mut rules = vec![vec![base; ns]; ns];
        for o in &self.pair_override {
            let find = |name: &str| {
                species.iter().position(|s| s.name == name).ok_or_else(|| {
                    MdError::Init(format!("pair_override names unknown species '{name}'"))
                })
            };
            let (a, b) = (find(&o.a)?, find(&o.b)?);
            let mut r = base;
            r.epsilon = o.epsilon.unwrap_or(r.epsilon);
            r.n = o.n.unwrap_or(r.n);
            r.m = o.m.unwrap_or(r.m);
            r.r_cut = o.r_cut.unwrap_or(r.r_cut);
            rules[a][b] = r;
            rules[b][a] = r;
        }
        let (types, table) = build_types(&species, &rules)?;
        let names: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
        let diameters: Vec<f64> = types.iter().map(|t| t.diameter).collect();
        let mut counts = Vec::new();
        for (i, s) in self.species.iter().enumerate() {
            let weights: Vec<f64> = types
                .iter()
                .filter(|t| t.species == i)
                .map(|t| t.weight)
                .collect();
            counts.extend(split_counts(s.count, &weights));
        }
        let n: usize = self.species.iter().map(|s| s.count).sum();
        let space = |density: f64| -> Result<Geometry, MdError> {
            if !(density.is_finite() && density > 0.0) {
                return Err(bad("initial density", density, "must be finite and > 0"));
            }
            let volume = n as f64 / density;
            Ok(match self.geometry {
                GeometryConfig::Periodic => Geometry::Periodic([libm::cbrt(volume); 3]),
                GeometryConfig::Droplet { .. } => Geometry::Open {
                    radius: Some(libm::cbrt(3.0 * volume / (4.0 * std::f64::consts::PI))),
                },
            })
        };
        let mut report = None;
        let mut state = match &self.initial {
            InitialConfig::RandomFluid {
                density,
                min_distance,
                order,
            } => {
                let mut state = random_fluid(
                    &names,
                    &diameters,
                    &counts,
                    space(*density)?,
                    self.seed,
                    *min_distance,
                    None,
                )?;
                if *order == FluidOrder::Cells {
                    order_by_cells(&mut state);
                }
                state
            }
            InitialConfig::Lattice {
                structure,
                a,
                c_over_a,
                cells,
            } => {
                let cell = unit_cell(*structure, *a, *c_over_a);
                let d = two_diameters(&self.species)?;
                State::from_frame(&crystal(&cell, *cells, d))?
            }
            InitialConfig::Gsd { .. } => {
                let f = frame.ok_or_else(|| MdError::Init("no GSD frame was given".into()))?;
                State::from_frame(&f)?
            }
            InitialConfig::SeededFluid {
                structure,
                a,
                c_over_a,
                seed_radius,
                density,
                min_distance,
            } => {
                let cell = unit_cell(*structure, *a, *c_over_a);
                let d = two_diameters(&self.species)?;
                seeded_fluid(
                    &cell,
                    *seed_radius,
                    d,
                    [self.species[0].count, self.species[1].count],
                    space(*density)?,
                    self.seed,
                    *min_distance,
                )?
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
                let fluid = match (fluid, frame) {
                    (Some(path), None) => {
                        return Err(MdError::Init(format!("the fluid file {path} was not read")))
                    }
                    (Some(_), Some(f)) => Some(f),
                    (None, _) => None,
                };
                let density =
                    match (density, &fluid) {
                        (Some(d), _) => *d,
                        (None, Some(_)) => f64::NAN,
                        (None, None) => return Err(MdError::Init(
                            "a seeded start needs initial.fluid (a GSD file) or initial.density"
                                .into(),
                        )),
                    };
                let plan = SeededPlan {
                    structure: *structure,
                    seed_radius: *seed_radius,
                    fluid,
                    density,
                    compress: *compress,
                    equilibrate: *equilibrate,
                    a: *a,
                    c_over_a: *c_over_a,
                    clearance: *clearance,
                };
                let model = SeededModel {
                    names: names.clone(),
                    diameters: two_diameters(&self.species)?,
                    counts: [self.species[0].count, self.species[1].count],
                    table: table.clone(),
                    kt: self.kt,
                    dt: self.dt,
                    skin: self.skin,
                    seed: self.seed,
                };
                let (state, seeded) = seeded_start(&plan, &model, progress).await?;
                report = Some(seeded);
                state
            }
        };
        if !matches!(
            self.initial,
            InitialConfig::Gsd { .. } | InitialConfig::Seeded { .. }
        ) || state.vel.iter().all(|v| *v == [0.0; 3])
        {
            maxwell_boltzmann(&mut state, self.kt, self.seed);
        }
        if state.types.len() != table.ntypes() {
            return Err(MdError::Init(format!(
                "the initial state has {} types but the species make {} sub-types",
                state.types.len(),
                table.ntypes()
            )));
        }
        let wall_epsilon = match self.geometry {
            GeometryConfig::Droplet { wall_epsilon } => wall_epsilon,
            GeometryConfig::Periodic => 1.0,
        };
        let sim = Simulation::new(
            state,
            table,
            self.integrator(),
            SimOptions {
                dt: self.dt,
                skin: self.skin,
                kt: self.kt,
                wall_epsilon,
            },
        )?;
        Ok((sim, report))
    }
}

/// The unit cell of `structure` with lattice constant `a` (and `c_over_a` where the crystal has it).
pub(crate) fn unit_cell(structure: Structure, a: f64, c_over_a: f64) -> UnitCell {
    UnitCell::new(structure, a, c_over_a)
}

fn two_diameters(species: &[SpeciesConfig]) -> Result<Diameters, MdError> {
    match species {
        [l, s] if l.bins == 1 && s.bins == 1 => Ok(Diameters {
            large: l.diameter,
            small: s.diameter,
        }),
        _ => Err(MdError::Init(
            "lattice and seeded initial states need exactly two monodisperse species (L, S)".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_examples_parse_and_small_one_builds() {
        for name in [
            "fig3e_narrow_well",
            "fig3f_wide_well",
            "fig4_droplet_alb2",
            "fig4_droplet_nazn13",
            "seeded_growth_alb2",
        ] {
            let path = format!("{}/examples/{name}.toml", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).expect("example exists");
            let cfg = RunConfig::from_toml(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(!cfg.stage.is_empty());
        }
        let mut cfg = RunConfig::from_toml(
            &std::fs::read_to_string(format!(
                "{}/examples/fig4_droplet_alb2.toml",
                env!("CARGO_MANIFEST_DIR")
            ))
            .expect("example"),
        )
        .expect("parse");
        cfg.species[0].count = 30;
        cfg.species[1].count = 60;
        let sim = cfg.build(None).expect("builds");
        assert_eq!(sim.state().len(), 90);
        assert_eq!(sim.table().ntypes(), 26);
    }

    #[test]
    fn pair_potential_is_chosen_and_mie_stays_the_default() {
        let pair = |text: &str| -> Result<PairConfig, String> {
            #[derive(Deserialize)]
            struct Doc {
                pair: PairConfig,
            }
            toml::from_str::<Doc>(text)
                .map(|d| d.pair)
                .map_err(|e| e.to_string())
        };
        let mie = pair("[pair]\nepsilon = 1\nn = 50\nm = 25\nr_cut = 1.5\n").expect("mie");
        assert_eq!(mie.potential, PotentialKind::Mie);
        let json = serde_json::to_string(&mie).expect("json");
        assert!(!json.contains("potential"), "{json}");
        let lj = pair("[pair]\npotential = \"lj\"\nepsilon = 1\nr_cut = 2.5\n").expect("lj");
        assert_eq!((lj.n, lj.m, lj.shift), (12, 6, true));
        let back: PairConfig =
            serde_json::from_str(&serde_json::to_string(&lj).expect("json")).expect("back");
        assert_eq!(back, lj);
        let wca = pair("[pair]\npotential = \"wca\"\nepsilon = 1\n").expect("wca");
        assert_eq!(wca.r_cut, crate::model::wall::WCA_CUT);
        for (text, field) in [
            (
                "[pair]\nepsilon = 1\nm = 25\nr_cut = 1.5\n",
                "pair.n is required",
            ),
            (
                "[pair]\npotential = \"lj\"\nepsilon = 1\nn = 50\nr_cut = 2\n",
                "pair.n = 50",
            ),
            (
                "[pair]\npotential = \"wca\"\nepsilon = 1\nr_cut = 2\n",
                "pair.r_cut = 2",
            ),
            ("[pair]\npotential = \"morse\"\nepsilon = 1\n", "morse"),
        ] {
            let err = pair(text).expect_err(text);
            assert!(err.contains(field), "{err}");
        }
    }

    #[test]
    fn unknown_fields_are_refused_with_position() {
        let err = RunConfig::from_toml("kt = 0.4\nbogus = 1\n")
            .expect_err("must fail")
            .to_string();
        assert!(err.contains("line") || err.contains("bogus"), "{err}");
    }
}
