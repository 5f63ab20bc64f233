//! What every writer needs, worked out once from a run description: the initial state as
//! [`RunConfig::build`] makes it, the pair table, and for each stage the box edges (or the
//! droplet radius) at its start and end. The compression follows [`crate::md::Compression`]:
//! every edge (or the radius) goes linearly in time from L₀ to L₀·λ, λ = (ρ₀/ρ₁)^{1/3}, ρ₀ the
//! density at the stage's start.

use super::ExportError;
use crate::md::config::{GeometryConfig, IntegratorConfig, RunConfig};
use crate::md::{MdError, State};
use crate::model::pair_table::PairTable;
use crate::model::{Frame, Geometry, PairSpec};

/// One stage with its box (or radius) schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StagePlan {
    /// Number of steps.
    pub steps: u64,
    /// Edges `[Lx, Ly, Lz]` (droplet: `[R; 3]`) at the start of the stage.
    pub from: [f64; 3],
    /// Edges (or `[R; 3]`) at its end; equal to `from` without compression.
    pub to: [f64; 3],
    /// Whether the stage compresses (or expands).
    pub compress: bool,
}

/// A run description worked out for the writers.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The run description.
    pub config: RunConfig,
    /// The state at step 0 (positions, velocities, sub-types), as `bnsl run` starts.
    pub state: State,
    /// The pair interactions between the sub-types.
    pub table: PairTable,
    /// The stages with their box or radius schedules.
    pub stages: Vec<StagePlan>,
}

impl Plan {
    /// Builds the run's initial state and works out the stages.
    ///
    /// # Errors
    /// [`ExportError::Md`] when the run does not build.
    pub fn new(cfg: &RunConfig, frame: Option<Frame>) -> Result<Self, ExportError> {
        Self::new_reported(cfg, frame, &mut |_, _| {})
    }

    /// [`Plan::new`], with `progress(done, total)` over a seeded start's fluid steps
    /// ([`RunConfig::build_reported`]).
    ///
    /// # Errors
    /// [`ExportError::Md`] when the run does not build.
    pub fn new_reported(
        cfg: &RunConfig,
        frame: Option<Frame>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Self, ExportError> {
        let (sim, _) = cfg.build_reported(frame, progress)?;
        let state = sim.state().clone();
        let n = state.len() as f64;
        let mut lengths = match state.geometry {
            Geometry::Periodic(l) => l,
            Geometry::Open { radius: Some(r) } => [r; 3],
            Geometry::Open { radius: None } => {
                return Err(
                    MdError::Init("an unbounded cluster has no box to export".into()).into(),
                )
            }
        };
        let droplet = !state.geometry.is_periodic();
        let mut stages = Vec::with_capacity(cfg.stage.len());
        for stage in &cfg.stage {
            let from = lengths;
            if let Some(rho1) = stage.compress_to {
                let volume = if droplet {
                    4.0 / 3.0 * std::f64::consts::PI * from[0] * from[0] * from[0]
                } else {
                    from[0] * from[1] * from[2]
                };
                let ratio = libm::cbrt(n / volume / rho1);
                lengths = from.map(|l| l * ratio);
            }
            stages.push(StagePlan {
                steps: stage.steps,
                from,
                to: lengths,
                compress: stage.compress_to.is_some(),
            });
        }
        Ok(Self {
            config: cfg.clone(),
            state,
            table: sim.table().clone(),
            stages,
        })
    }

    /// Writes the run for `engine`.
    ///
    /// # Errors
    /// [`ExportError::Unsupported`] for what the engine lacks, [`ExportError::Gsd`] when an
    /// initial GSD file cannot be written.
    pub fn write(&self, engine: super::Engine) -> Result<Vec<super::ExportFile>, ExportError> {
        match engine {
            super::Engine::Lammps => super::lammps::write(self),
            super::Engine::Hoomd => super::hoomd::write(self),
        }
    }

    /// Whether the run is in a droplet.
    #[must_use]
    pub fn droplet(&self) -> bool {
        !self.state.geometry.is_periodic()
    }

    /// The energy scale ε_w of the droplet's WCA wall, when there is one.
    #[must_use]
    pub fn wall_epsilon(&self) -> Option<f64> {
        match self.config.geometry {
            GeometryConfig::Droplet { wall_epsilon } => Some(wall_epsilon),
            GeometryConfig::Periodic => None,
        }
    }

    /// The largest droplet radius (or half edge) the run reaches.
    #[must_use]
    pub fn largest_extent(&self) -> f64 {
        self.stages
            .iter()
            .flat_map(|s| s.from.iter().chain(s.to.iter()))
            .fold(0.0_f64, |m, l| m.max(*l))
    }

    /// The pairs `(i, j, spec)` for `i ≤ j`, in the order the writers list them.
    #[must_use]
    pub fn pairs(&self) -> Vec<(usize, usize, PairSpec)> {
        let nt = self.table.ntypes();
        let specs = self.table.pairs();
        (0..nt)
            .flat_map(|i| (i..nt).map(move |j| (i, j)))
            .map(|(i, j)| (i, j, specs[i * nt + j]))
            .collect()
    }

    /// Refuses what neither engine can express: the purely repulsive Mie form of ε/kT = 0
    /// without the energy shift (see [`engine_mie`]), and pairs with different shift settings.
    ///
    /// # Errors
    /// [`ExportError::Unsupported`] naming `engine`.
    pub fn check_pairs(&self, engine: &'static str) -> Result<bool, ExportError> {
        let pairs = self.pairs();
        if pairs.iter().any(|(_, _, s)| !s.attractive && !s.shift) {
            return Err(ExportError::Unsupported {
                engine,
                what: "the purely repulsive Mie form of eps/kT = 0 (pair.attractive = false) \
                       without the energy shift: it is written as Mie n-0, whose constant term \
                       only the shift removes; set pair.shift = true"
                    .into(),
            });
        }
        let shift = pairs.first().is_some_and(|(_, _, s)| s.shift);
        if pairs.iter().any(|(_, _, s)| s.shift != shift) {
            return Err(ExportError::Unsupported {
                engine,
                what: "pairs with and without the energy shift in one run".into(),
            });
        }
        Ok(shift)
    }

    /// The Langevin friction γ, when the integrator is Langevin.
    #[must_use]
    pub fn langevin_gamma(&self) -> Option<f64> {
        match self.config.integrator {
            IntegratorConfig::Langevin { gamma } => Some(gamma),
            _ => None,
        }
    }

    /// The number of degrees of freedom our temperature divides by, less 3N: 0 with Langevin
    /// dynamics or in a droplet, −3 for a periodic box under NVE or MTK (the centre of mass
    /// is conserved there), as [`crate::md::Simulation::dof`].
    #[must_use]
    pub fn removed_dof(&self) -> u32 {
        if self.langevin_gamma().is_some() || self.droplet() {
            0
        } else {
            3
        }
    }
}

/// The well depth and attractive exponent an engine's Mie pair takes for `spec`: the pair's
/// own ε and m for the full potential (SCIENCE.md §1); for the purely repulsive ε·C(n,m)·(σ/r)ⁿ
/// of ε/kT = 0, ε·C(n,m) and m = 0. Both `mie/cut` and `hoomd.md.pair.Mie` compute the
/// prefactor (n/(n−m))(n/m)^{m/(n−m)} in floating point, which is pow(∞, 0) = 1 at m = 0, so
/// their U = ε·C(n,m)·[(σ/r)ⁿ − 1]; the shift at the cut-off removes the constant, leaving ours
/// (the force has no attractive term at all).
#[must_use]
pub fn engine_mie(spec: &PairSpec) -> (f64, u32) {
    if spec.attractive {
        (spec.epsilon, spec.m)
    } else {
        (spec.epsilon * spec.prefactor(), 0)
    }
}
