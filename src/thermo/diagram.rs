//! The phase diagram as data: what `bnsl phase-diagram` writes and the Phase diagram tab reads
//! (SCIENCE.md §3; the paper's Fig. 3c,d and Figs. S17, S19, S21).
//!
//! Densities are ρσ³ of the whole mixture (σ the large particles' diameter), depths ε/kT,
//! pressures βPσ³. Every computed number carries its one-standard-error uncertainty.

use serde::{Deserialize, Serialize};

/// A computed number and its one standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The mean.
    pub value: f64,
    /// One standard error of the mean.
    pub error: f64,
}

/// The attraction's range: the paper's Mie 50–25 cut at 1.5σ_ij or 50–6 cut at 3σ_ij.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Well {
    /// Mie 50–25 cut at 1.5σ_ij.
    Narrow,
    /// Mie 50–6 cut at 3σ_ij.
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
    /// `fast`, `standard` or `paper`.
    pub quality: String,
    /// The campaign's seed; every state point's seed derives from it.
    pub seed: u64,
    /// Wall-clock seconds of the whole campaign, resumed parts included.
    pub wall_s: f64,
}

/// Two phases in equilibrium at one depth: equal βP and equal g per particle (SCIENCE.md §3.2).
/// For gas/liquid–solid `low` is the fluid and `high` the crystal; for vapour–liquid, the
/// vapour and the liquid.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoexistencePoint {
    /// ε/kT.
    pub depth: f64,
    /// The dilute phase's ρσ³.
    pub rho_low: Estimate,
    /// The dense phase's ρσ³.
    pub rho_high: Estimate,
    /// The common βPσ³.
    pub pressure: Estimate,
}

/// The well depth where the vapour–liquid loops vanish, as a value or as a bracket between the
/// deepest depth without a loop and the shallowest with one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriticalDepth {
    /// ε_c/kT where the data locate it, with its error.
    pub value: Option<Estimate>,
    /// ε/kT without a loop (low) and with one (high).
    pub bracket: [f64; 2],
    /// How it was found, in words.
    pub method: String,
}

/// One simulated fluid or crystal state point on an isotherm.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatePoint {
    /// ρσ³.
    pub rho: f64,
    /// βPσ³.
    pub pressure: Estimate,
    /// U/N in units of ε.
    pub u_per_particle: Estimate,
}

/// A P–V isotherm at one depth (Figs. S17, S21), per phase ("fluid" or the crystal's name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Isotherm {
    /// ε/kT.
    pub depth: f64,
    /// "fluid" or the crystal's name.
    pub phase: String,
    /// The state points in increasing density.
    pub points: Vec<StatePoint>,
}

/// The driving force for crystallisation against the large particles' mobility (Fig. S19):
/// |Δμ| = |g_crystal − g_fluid| per particle at the fluid's pressure, and D_L from the MSD.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrivingForcePoint {
    /// ε/kT.
    pub depth: f64,
    /// The fluid's ρσ³.
    pub rho: f64,
    /// |Δμ| in kT per particle.
    pub delta_mu: Estimate,
    /// D_L in σ²/τ.
    pub diffusion_l: Estimate,
}

/// A crystal free energy the campaign computed by Frenkel–Ladd (SCIENCE.md §3.1): the shipped
/// value a point recomputed in the page is shown beside.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrystalFreeEnergyPoint {
    /// ε/kT.
    pub depth: f64,
    /// The crystal's ρσ³.
    pub rho: f64,
    /// Particles simulated.
    pub n: usize,
    /// βF/N (Λ = 1, centre of mass fixed, −(1/N)·ln(V/N_cells)).
    pub beta_f: Estimate,
}

/// A fitted equation of state with its stated form and residuals (SCIENCE.md §3.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EquationOfStateFit {
    /// ε/kT.
    pub depth: f64,
    /// "fluid" or the crystal's name.
    pub phase: String,
    /// The form in words and symbols, e.g. "Z − 1 = Σ a_k u^k, u = ρ/ρ_max, k = 1..6".
    pub form: String,
    /// The fitted a_k or b_k in the order of the form.
    pub coefficients: Vec<f64>,
    /// χ² per degree of freedom with the simulated errors.
    pub chi2_reduced: f64,
    /// (ρ, simulated − fitted βP) per point.
    pub residuals: Vec<[f64; 2]>,
}

/// One well's phase diagram at fixed composition (Fig. 3c or 3d).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseDiagram {
    /// Narrow or wide.
    pub well: Well,
    /// Large : small particles, e.g. [1, 2].
    pub ratio: [u32; 2],
    /// The crystal on the solid side, e.g. "AlB2".
    pub solid: String,
    /// How it was made.
    pub provenance: Provenance,
    /// The depths ε/kT the campaign computed.
    pub depths: Vec<f64>,
    /// Gas/liquid–solid coexistence (blue in Fig. 3c,d).
    pub gas_solid: Vec<CoexistencePoint>,
    /// Vapour–liquid coexistence (orange).
    pub vapour_liquid: Vec<CoexistencePoint>,
    /// Where the vapour–liquid loops vanish; `None` when the campaign saw no loop.
    pub critical_depth: Option<CriticalDepth>,
    /// The P–V isotherms (Figs. S17, S21).
    pub isotherms: Vec<Isotherm>,
    /// Every fitted equation of state with its residuals.
    pub equations_of_state: Vec<EquationOfStateFit>,
    /// |Δμ| against D_L (Fig. S19).
    pub driving_force: Vec<DrivingForcePoint>,
    /// The crystal's free energies at the state points the campaign computed them (empty in
    /// diagrams written without them).
    #[serde(default)]
    pub crystal_free_energies: Vec<CrystalFreeEnergyPoint>,
    /// Plain statements of what the data do not support (e.g. "no vapour–liquid coexistence at
    /// or below 2.5 kT", "errors too large above 3 kT"), shown first wherever the diagram is.
    pub caveats: Vec<String>,
}
