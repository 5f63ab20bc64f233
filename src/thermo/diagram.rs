//! The phase diagram as data: what `bnsl phase-diagram` writes and the Phase diagram tab reads
//! (SCIENCE.md §3; the paper's Fig. 3c,d and Figs. S17, S19, S21).
//!
//! Densities are ρσ³ of the whole mixture (σ the large particles' diameter), depths ε/kT,
//! pressures βPσ³. Every computed number carries its one-standard-error uncertainty.

use serde::{Deserialize, Serialize};

/// A computed number and its one standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub error: f64,
}

/// The attraction's range: the paper's Mie 50–25 cut at 1.5σ_ij or 50–6 cut at 3σ_ij.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Well {
    Narrow,
    Wide,
}

/// How a diagram was made, so that anyone can make it again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The exact command line.
    pub command: String,
    /// `git describe` of the build that ran it.
    pub commit: String,
    /// Particles per simulated state point.
    pub n: usize,
    pub quality: String,
    pub seed: u64,
    /// Wall-clock seconds of the whole campaign, resumed parts included.
    pub wall_s: f64,
}

/// Two phases in equilibrium at one depth: equal βP and equal g per particle (SCIENCE.md §3.2).
/// For gas/liquid–solid `low` is the fluid and `high` the crystal; for vapour–liquid, the
/// vapour and the liquid.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoexistencePoint {
    pub depth: f64,
    pub rho_low: Estimate,
    pub rho_high: Estimate,
    pub pressure: Estimate,
}

/// The well depth where the vapour–liquid loops vanish, as a value or as a bracket between the
/// deepest depth without a loop and the shallowest with one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriticalDepth {
    pub value: Option<Estimate>,
    pub bracket: [f64; 2],
    pub method: String,
}

/// One simulated fluid or crystal state point on an isotherm.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatePoint {
    pub rho: f64,
    pub pressure: Estimate,
    pub u_per_particle: Estimate,
}

/// A P–V isotherm at one depth (Figs. S17, S21), per phase ("fluid" or the crystal's name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Isotherm {
    pub depth: f64,
    pub phase: String,
    pub points: Vec<StatePoint>,
}

/// The driving force for crystallisation against the large particles' mobility (Fig. S19):
/// |Δμ| = |g_crystal − g_fluid| per particle at the fluid's pressure, and D_L from the MSD.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrivingForcePoint {
    pub depth: f64,
    pub rho: f64,
    pub delta_mu: Estimate,
    pub diffusion_l: Estimate,
}

/// A fitted equation of state with its stated form and residuals (SCIENCE.md §3.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EquationOfStateFit {
    pub depth: f64,
    pub phase: String,
    /// The form in words and symbols, e.g. "Z − 1 = Σ a_k u^k, u = ρ/ρ_max, k = 1..6".
    pub form: String,
    pub coefficients: Vec<f64>,
    pub chi2_reduced: f64,
    /// (ρ, simulated − fitted βP) per point.
    pub residuals: Vec<[f64; 2]>,
}

/// One well's phase diagram at fixed composition (Fig. 3c or 3d).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseDiagram {
    pub well: Well,
    /// Large : small particles, e.g. [1, 2].
    pub ratio: [u32; 2],
    /// The crystal on the solid side, e.g. "AlB2".
    pub solid: String,
    pub provenance: Provenance,
    /// The depths ε/kT the campaign computed.
    pub depths: Vec<f64>,
    /// Gas/liquid–solid coexistence (blue in Fig. 3c,d).
    pub gas_solid: Vec<CoexistencePoint>,
    /// Vapour–liquid coexistence (orange).
    pub vapour_liquid: Vec<CoexistencePoint>,
    pub critical_depth: Option<CriticalDepth>,
    pub isotherms: Vec<Isotherm>,
    pub equations_of_state: Vec<EquationOfStateFit>,
    pub driving_force: Vec<DrivingForcePoint>,
    /// Plain statements of what the data do not support (e.g. "no vapour–liquid coexistence at
    /// or below 2.5 kT", "errors too large above 3 kT"), shown first wherever the diagram is.
    pub caveats: Vec<String>,
}
