//! Observables on an interval (SCIENCE.md §1–2): kinetic temperature, potential energy,
//! pressure (periodic: P = (2K + W)/(3V), W = Σ r_ij·f_ij), number density, effective packing
//! fraction (Barker–Henderson) and the conserved quantity of NVE (K + U) and MTK.

use serde::Serialize;

/// One row of the log.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Observables {
    /// Time step.
    pub step: u64,
    /// Time (τ).
    pub time: f64,
    /// Kinetic temperature 2K/N_f.
    pub temperature: f64,
    /// Potential energy U.
    pub potential_energy: f64,
    /// Kinetic energy K.
    pub kinetic_energy: f64,
    /// Pressure (periodic box only; NaN for a droplet).
    pub pressure: f64,
    /// Number density N/V.
    pub density: f64,
    /// Effective packing fraction (Barker–Henderson diameters).
    pub packing_fraction: f64,
    /// Conserved quantity (NVE: K + U; MTK: extended energy; NaN for Langevin).
    pub conserved: f64,
}

impl Observables {
    /// Column names of [`Observables::csv_row`].
    pub const CSV_HEADER: &'static str = "step,time,temperature,potential_energy,kinetic_energy,pressure,density,packing_fraction,conserved";

    /// The row as CSV (shortest round-trip representation of every number).
    #[must_use]
    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{}",
            self.step,
            self.time,
            self.temperature,
            self.potential_energy,
            self.kinetic_energy,
            self.pressure,
            self.density,
            self.packing_fraction,
            self.conserved
        )
    }
}
