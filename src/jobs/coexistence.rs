//! The Phase diagram tab's recompute of a coexistence point (issue #14): at a chosen well and
//! depth ε/kT, the campaign of `bnsl phase-diagram` for that one depth
//! ([`crate::thermo::campaign::CampaignSpec`]: the fluid at every default fluid density, the
//! AlB₂ crystal scanned from the densest down, its Frenkel–Ladd free energy; SCIENCE.md §3.1–3.2)
//! at the least N whose boxes hold the cut-off, assembled into the diagram
//! ([`CampaignSpec::assemble`]) whose gas/liquid–solid coexistence (equal βP and g) at that
//! depth lands on the map.
//!
//! The fluid's free energy comes from the ideal gas along a supercritical isotherm, exactly as
//! the campaign does: for a depth at or below the well's [`supercritical_limit`] that depth's
//! own isotherm is the reference (one depth); deeper, the campaign also runs
//! [`REFERENCE_DEPTH`] (the shipped diagrams' reference isotherm) and carries the dense fluid in
//! β from there (two depths, the trapezoid over their ends: [`crate::thermo::paths`]).
//!
//! One state point per [`Job::advance`] (a point of the narrow well takes about 0.3–3 s in
//! Chromium), so pause and stop take effect between points. The points, their seeds and the
//! decisions of the crystal scan are those of [`CampaignSpec::plan`] and
//! [`CampaignSpec::resolve`], run by [`CampaignSpec::run_point`]: the numbers equal the command
//! line's ([`CoexistenceSpec::command`]) bit for bit on the CPU path.

use serde::{Deserialize, Serialize};

use super::free_energy::{SpecError, MAX_SEED};
use super::{Emit, Job, JobError, JobFuture, JobOutput, Step};
use crate::thermo::campaign::{
    CampaignSpec, PlannedPoint, PointResult, DEFAULT_CRYSTAL_DENSITIES, DEFAULT_FLUID_DENSITIES,
};
use crate::thermo::diagram::{CoexistencePoint, CrystalFreeEnergyPoint, Provenance, Well};
use crate::thermo::paths::SAME_DEPTH;
use crate::thermo::Quality;

/// Depths ε/kT a coexistence recompute accepts (the range of Fig. 3c,d).
pub const COEXISTENCE_DEPTHS: (f64, f64) = (0.0, 3.0);
/// The reference isotherm's depth for deeper wells: the shallowest attractive depth of the
/// shipped campaigns, supercritical for both wells.
pub const REFERENCE_DEPTH: f64 = 0.5;
/// Largest standard error of either coexistence density (ρσ³) that the tab calls a result.
pub const MAX_DENSITY_ERROR: f64 = 0.1;

/// The deepest ε/kT at which the well's fluid isotherm is still supercritical, so that it can
/// be its own reference: narrow 2.5 (no loop at or below 2.5; ε_c/kT 2.5–2.86, SCIENCE.md
/// §3.3), wide 1.2 (ε_c/kT = 1.355, 10 % below).
#[must_use]
pub fn supercritical_limit(well: Well) -> f64 {
    match well {
        Well::Narrow => 2.5,
        Well::Wide => 1.2,
    }
}

/// One coexistence recompute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoexistenceSpec {
    /// Narrow or wide.
    pub well: Well,
    /// ε/kT.
    pub depth: f64,
    /// The campaign's seed.
    pub seed: u64,
    /// `fast` or `standard`.
    pub quality: String,
}

impl CoexistenceSpec {
    /// Checks every value; the quality when all are in range.
    ///
    /// # Errors
    /// [`SpecError`] naming the first bad value and its range.
    pub fn check(&self) -> Result<Quality, SpecError> {
        let (low, high) = COEXISTENCE_DEPTHS;
        if !(self.depth.is_finite() && self.depth >= low && self.depth <= high) {
            return Err(SpecError::Range {
                what: "ε/kT",
                value: self.depth,
                low,
                high,
            });
        }
        if self.seed > MAX_SEED {
            return Err(SpecError::Range {
                what: "seed",
                value: self.seed as f64,
                low: 0.0,
                high: MAX_SEED as f64,
            });
        }
        match self.quality.as_str() {
            "fast" => Ok(Quality::Fast),
            "standard" => Ok(Quality::Standard),
            other => Err(SpecError::Quality(other.chars().take(40).collect())),
        }
    }

    /// The depths the campaign runs: this one, after [`REFERENCE_DEPTH`] when it is deeper than
    /// the well's [`supercritical_limit`].
    #[must_use]
    pub fn depths(&self) -> Vec<f64> {
        if self.depth > supercritical_limit(self.well) && self.depth > REFERENCE_DEPTH {
            vec![REFERENCE_DEPTH, self.depth]
        } else {
            vec![self.depth]
        }
    }

    /// The campaign: the default fluid and crystal densities, the least N whose boxes fit.
    ///
    /// # Errors
    /// [`SpecError`] for a bad value.
    pub fn campaign(&self) -> Result<CampaignSpec, SpecError> {
        let quality = self.check()?;
        let mut spec = CampaignSpec {
            well: self.well,
            ratio: [1, 2],
            depths: self.depths(),
            fluid_densities: DEFAULT_FLUID_DENSITIES.to_vec(),
            crystal_densities: DEFAULT_CRYSTAL_DENSITIES.to_vec(),
            n: 0,
            quality,
            seed: self.seed,
        };
        spec.n = spec.least_particles().unwrap_or(0);
        Ok(spec)
    }

    /// The `bnsl phase-diagram` command that computes the same diagram (into `DIR`).
    #[must_use]
    pub fn command(&self) -> String {
        let depths: Vec<String> = self.depths().iter().map(f64::to_string).collect();
        let n = self.campaign().map_or(0, |c| c.n);
        format!(
            "bnsl phase-diagram --well {} --depths {} --n {n} --quality {} --seed {} --out DIR",
            match self.well {
                Well::Narrow => "narrow",
                Well::Wide => "wide",
            },
            depths.join(","),
            self.quality,
            self.seed
        )
    }
}

/// What the numbers say at the chosen depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A gas/liquid–solid coexistence with both densities known to [`MAX_DENSITY_ERROR`].
    Coexistence,
    /// A crossing whose density errors exceed [`MAX_DENSITY_ERROR`].
    TooUncertain,
    /// The crystal was not stable at any scanned density (melted, or under tension from the
    /// start): no Frenkel–Ladd point, no solid branch.
    NoCrystal,
    /// The fluid's and the crystal's g(βP) do not cross (or their fits failed).
    NoCrossing,
}

impl Verdict {
    /// The verdict of a depth's coexistence `gas_solid`, given whether its crystal had a
    /// Frenkel–Ladd point.
    #[must_use]
    pub fn of(gas_solid: Option<&CoexistencePoint>, crystal: bool) -> Self {
        match gas_solid {
            Some(c) if c.rho_low.error.max(c.rho_high.error) <= MAX_DENSITY_ERROR => {
                Self::Coexistence
            }
            Some(_) => Self::TooUncertain,
            None if crystal => Self::NoCrossing,
            None => Self::NoCrystal,
        }
    }

    /// The verdict in plain words.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Coexistence => "gas/liquid–AlB₂ coexistence found",
            Self::TooUncertain => {
                "the branches cross, but the errors are too large to place the coexistence (over ±0.1 in ρσ³)"
            }
            Self::NoCrystal => {
                "no coexistence: the crystal was not stable at any scanned density (it melted or was under tension)"
            }
            Self::NoCrossing => {
                "no coexistence: the fluid's and the crystal's free energies do not cross at a common pressure"
            }
        }
    }
}

/// The recomputed coexistence at one depth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoexistenceResult {
    /// What was computed.
    pub spec: CoexistenceSpec,
    /// Particles per state point.
    pub n: usize,
    /// The command line that computes the same diagram.
    pub command: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Gas/liquid–solid coexistence at the depth (fluid ρσ³, AlB₂ ρσ³, βPσ³).
    pub gas_solid: Option<CoexistencePoint>,
    /// Vapour–liquid coexistence at the depth, if the fluid's isotherm has a loop there.
    pub vapour_liquid: Option<CoexistencePoint>,
    /// The crystal's Frenkel–Ladd free energy at the depth.
    pub crystal: Option<CrystalFreeEnergyPoint>,
    /// State points computed and skipped (the crystal scan's end).
    pub points: [usize; 2],
    /// The diagram's caveats.
    pub caveats: Vec<String>,
}

/// What the job says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CoexistenceOutput {
    /// The campaign is set up: particles, points and steps in all (an upper bound: the crystal
    /// scan may end early).
    Started {
        /// Particles per state point.
        n: usize,
        /// Points planned.
        points: usize,
        /// Steps in all.
        total_steps: u64,
    },
    /// The result.
    Result(Box<CoexistenceResult>),
}

/// The recompute job.
pub struct CoexistenceJob {
    spec: CoexistenceSpec,
    campaign: CampaignSpec,
    plan: Vec<PlannedPoint>,
    next: usize,
    done: Vec<(PlannedPoint, PointResult)>,
    skipped: usize,
    steps_done: u64,
    total: u64,
    started: bool,
}

impl CoexistenceJob {
    /// Checks the spec and plans the campaign.
    ///
    /// # Errors
    /// [`JobError::FreeEnergySpec`] for a bad value, [`JobError::FreeEnergy`] for a campaign
    /// that cannot run.
    pub fn new(spec: CoexistenceSpec) -> Result<Self, JobError> {
        let campaign = spec.campaign()?;
        campaign.check().map_err(JobError::FreeEnergy)?;
        let plan = campaign.plan();
        let total = plan.iter().map(|p| campaign.steps(p.kind)).sum();
        Ok(Self {
            spec,
            campaign,
            plan,
            next: 0,
            done: Vec::new(),
            skipped: 0,
            steps_done: 0,
            total,
            started: false,
        })
    }

    fn particles(&self) -> usize {
        self.campaign
            .particles()
            .map_or(0, |(_, counts)| counts.iter().sum())
    }

    fn step(&mut self) -> Result<Step, JobError> {
        let mut emits = Vec::new();
        if !self.started {
            self.started = true;
            emits.push(Emit::output(JobOutput::Coexistence(
                CoexistenceOutput::Started {
                    n: self.particles(),
                    points: self.plan.len(),
                    total_steps: self.total,
                },
            )));
            emits.push(Emit::progress(0, self.total, "starting"));
            return Ok(Step::Continue(emits));
        }
        while let Some(planned) = self.plan.get(self.next).copied() {
            self.next += 1;
            let steps = self.campaign.steps(planned.kind);
            self.steps_done += steps;
            let Some(point) = self.campaign.resolve(&planned, &self.done) else {
                self.skipped += 1;
                continue;
            };
            let computed = self
                .campaign
                .run_point(&point, &mut |_| true)
                .map_err(JobError::FreeEnergy)?;
            self.done.push((point, computed.result));
            let note = match self.plan.get(self.next) {
                Some(p) => format!(
                    "point {} of {}: {} at ε/kT {}",
                    p.index + 1,
                    self.plan.len(),
                    p.kind.name(),
                    p.depth
                ),
                None => "assembling".into(),
            };
            emits.push(Emit::progress(self.steps_done, self.total, note));
            return Ok(Step::Continue(emits));
        }
        let result = self.result()?;
        emits.push(Emit::progress(self.total, self.total, "done"));
        emits.push(Emit::output(JobOutput::Coexistence(
            CoexistenceOutput::Result(Box::new(result)),
        )));
        Ok(Step::Done(emits))
    }

    fn result(&self) -> Result<CoexistenceResult, JobError> {
        let n = self.particles();
        let command = self.spec.command();
        let provenance = Provenance {
            command: command.clone(),
            commit: crate::VERSION.into(),
            n,
            quality: self.spec.quality.clone(),
            seed: self.spec.seed,
            wall_s: 0.0,
        };
        let diagram = self
            .campaign
            .assemble(&self.done, provenance)
            .map_err(JobError::FreeEnergy)?;
        let here = |d: f64| (d - self.spec.depth).abs() < SAME_DEPTH;
        let gas_solid = diagram.gas_solid.iter().find(|c| here(c.depth)).copied();
        let crystal = diagram
            .crystal_free_energies
            .iter()
            .find(|c| here(c.depth))
            .copied();
        Ok(CoexistenceResult {
            spec: self.spec.clone(),
            n,
            command,
            verdict: Verdict::of(gas_solid.as_ref(), crystal.is_some()),
            gas_solid,
            vapour_liquid: diagram
                .vapour_liquid
                .iter()
                .find(|c| here(c.depth))
                .copied(),
            crystal,
            points: [self.done.len(), self.skipped],
            caveats: diagram.caveats,
        })
    }
}

impl Job for CoexistenceJob {
    fn advance(&mut self) -> JobFuture<'_> {
        Box::pin(std::future::ready(self.step()))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn spec(well: Well, depth: f64) -> CoexistenceSpec {
        CoexistenceSpec {
            well,
            depth,
            seed: 1,
            quality: "fast".into(),
        }
    }

    #[test]
    fn the_campaign_is_one_depth_or_the_reference_and_it() {
        let narrow = spec(Well::Narrow, 2.0);
        assert_eq!(narrow.depths(), [2.0]);
        let c = narrow.campaign().unwrap();
        assert_eq!(c.n, 246);
        c.check().unwrap();
        assert_eq!(
            narrow.command(),
            "bnsl phase-diagram --well narrow --depths 2 --n 246 --quality fast --seed 1 --out DIR"
        );
        assert_eq!(spec(Well::Narrow, 3.0).depths(), [0.5, 3.0]);
        assert_eq!(spec(Well::Wide, 2.0).depths(), [0.5, 2.0]);
        assert_eq!(spec(Well::Wide, 1.0).depths(), [1.0]);
        let bad = |s: CoexistenceSpec| s.check().unwrap_err().to_string();
        assert!(bad(spec(Well::Narrow, 3.5)).contains("ε/kT = 3.5 is outside 0 to 3"));
        assert!(bad(spec(Well::Narrow, f64::NAN)).contains("NaN"));
        let mut paper = spec(Well::Narrow, 1.0);
        paper.quality = "paper".into();
        assert!(bad(paper).contains("fast, standard"));
        let mut seed = spec(Well::Narrow, 1.0);
        seed.seed = u64::MAX;
        assert!(bad(seed).contains("seed"));
    }

    #[test]
    fn the_verdict_reads_the_depths_numbers() {
        use crate::thermo::diagram::Estimate;
        let e = |value, error| Estimate { value, error };
        let mut c = CoexistencePoint {
            depth: 2.0,
            rho_low: e(1.3, 0.04),
            rho_high: e(3.0, 0.001),
            pressure: e(1.4, 0.06),
        };
        assert_eq!(Verdict::of(Some(&c), true), Verdict::Coexistence);
        c.rho_low.error = 0.3;
        assert_eq!(Verdict::of(Some(&c), true), Verdict::TooUncertain);
        assert_eq!(Verdict::of(None, true), Verdict::NoCrossing);
        assert_eq!(Verdict::of(None, false), Verdict::NoCrystal);
        assert!(Verdict::NoCrystal.words().starts_with("no coexistence"));
    }
}
