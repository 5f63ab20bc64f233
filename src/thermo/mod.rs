//! Free energies and phase diagrams (SCIENCE.md §3).
//!
//! The pieces the free-energy campaign composes, each a small function of numbers so that it
//! can be checked against closed forms before any simulation feeds it:
//! - [`quadrature`]: Gauss–Legendre points for the λ integral of Frenkel–Ladd (§3.1);
//! - [`einstein`]: the Einstein crystal's free energy with the centre of mass fixed (§3.1);
//! - [`frenkel_ladd`]: the crystal's free energy by thermodynamic integration from it (§3.1);
//! - [`eos`]: equations of state fitted to simulated pressures, and the free-energy changes
//!   they give along a path in density (§3.2);
//! - [`hard_sphere`]: the hard-sphere references (Carnahan–Starling fluid, Speedy crystal,
//!   Polson's anchor) that validate the chain;
//! - [`campaign`]: the plan of a phase-diagram campaign (its state points and seeds) and how
//!   each point runs, for `bnsl phase-diagram`;
//! - [`coexistence`]: equal pressure and equal g per particle between two branches, and the
//!   Maxwell construction on a fluid branch with a van der Waals loop (§3.2);
//! - [`crystal_point`]: a perfect crystal built at a chosen density (shared by
//!   `bnsl free-energy --lattice` and the page's recompute);
//! - [`diagram`]: the phase diagram as data, written by `bnsl phase-diagram` and read by the
//!   Phase diagram tab;
//! - [`state_point`]: simulated fluid and crystal state points (βP, U/N, D_L, flags);
//! - [`fluid`]: the fluid's free energy from the ideal gas along a supercritical isotherm and
//!   then in β at fixed density (§3.2);
//! - [`paths`]: moving a free energy in depth at fixed density (∂(βF/N)/∂β = U/N);
//! - [`assemble`]: the phase diagram from simulated points and Frenkel–Ladd anchors;
//! - [`virial`]: the second virial coefficient and the Vliegenthart–Lekkerkerker estimate of
//!   the critical well depth (§3.2).

pub mod assemble;
pub mod campaign;
pub mod coexistence;
pub mod crystal_point;
pub mod diagram;
pub mod einstein;
pub mod eos;
mod error;
pub mod fluid;
pub mod frenkel_ladd;
pub mod hard_sphere;
pub mod paths;
#[cfg(test)]
mod proofs;
pub mod quadrature;
pub mod state_point;
pub mod statistics;
pub mod virial;

pub use assemble::{assemble, AssemblyOptions, CampaignData, CrystalAnchor};
pub use coexistence::{coexistence, maxwell, Branch, Coexistence};
pub use diagram::PhaseDiagram;
pub use einstein::{einstein_reference, TranslationCount};
pub use eos::{EquationOfState, PolynomialPressure, PolynomialZ};
pub use error::ThermoError;
pub use fluid::FluidPath;
pub use frenkel_ladd::{
    crystal_free_energy, Crystal, CrystalFreeEnergy, FrenkelLadd, Progress, Quality, Schedule,
};
pub use quadrature::GaussLegendre;
pub use state_point::{
    lattice_at_density, simulate_crystal, simulate_fluid, Flag, Model, Sampling, SimulatedPoint,
};
pub use virial::{critical_depth_estimate, reduced_b2, second_virial};
