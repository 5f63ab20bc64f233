//! How the GPU path advances time ([`Integrator`]) and what it reports on logged steps
//! ([`Observables`]).

use crate::gpu::GpuError;

/// How the GPU path advances time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Integrator {
    /// Velocity Verlet (NVE).
    Nve {
        /// Time step (τ).
        dt: f64,
    },
    /// Langevin dynamics, BAOAB splitting (Leimkuhler & Matthews 2013) with exact
    /// Ornstein–Uhlenbeck velocity update; noise from Philox4x32-10 keyed by (seed, step, particle).
    Langevin {
        /// Time step (τ).
        dt: f64,
        /// Temperature kT (energy units).
        kt: f64,
        /// Friction γ (1/τ).
        gamma: f64,
        /// Seed of the noise.
        seed: u64,
    },
}

impl Integrator {
    /// The time step.
    pub(super) fn dt(&self) -> f64 {
        match *self {
            Self::Nve { dt } | Self::Langevin { dt, .. } => dt,
        }
    }
}

/// Observables of one logged step, summed on the GPU in f32.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observables {
    /// The step after which they were taken.
    pub step: u64,
    /// Kinetic energy Σ m v²/2.
    pub kinetic_energy: f64,
    /// Potential energy (pairs and wall).
    pub potential_energy: f64,
    /// Virial W = Σ_pairs r·F.
    pub virial: f64,
    /// Box volume (periodic), `None` in open space.
    pub volume: Option<f64>,
}

impl Observables {
    /// Kinetic plus potential energy.
    #[must_use]
    pub fn total_energy(&self) -> f64 {
        self.kinetic_energy + self.potential_energy
    }

    /// Kinetic temperature 2 KE / dof (kT units).
    #[must_use]
    pub fn temperature(&self, degrees_of_freedom: f64) -> f64 {
        2.0 * self.kinetic_energy / degrees_of_freedom
    }

    /// Virial part of the pressure W / (3V) (periodic box only).
    #[must_use]
    pub fn virial_pressure(&self) -> Option<f64> {
        self.volume.map(|v| self.virial / (3.0 * v))
    }
}

/// Checks that the time step is positive and kT and γ are not negative (all finite).
pub(super) fn check_integrator(integrator: &Integrator) -> Result<(), GpuError> {
    let ok = match *integrator {
        Integrator::Nve { dt } => dt.is_finite() && dt > 0.0,
        Integrator::Langevin { dt, kt, gamma, .. } => {
            dt.is_finite()
                && dt > 0.0
                && kt.is_finite()
                && kt >= 0.0
                && gamma.is_finite()
                && gamma >= 0.0
        }
    };
    if ok {
        Ok(())
    } else {
        Err(GpuError::InvalidInput(format!(
            "integrator {integrator:?} needs dt > 0, kT >= 0, gamma >= 0"
        )))
    }
}
