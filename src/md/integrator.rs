//! Integrators (SCIENCE.md §1 "Dynamics"); every mass is 1.
//!
//! - **NVE**: velocity Verlet.
//! - **Langevin**: the BAOAB splitting of Leimkuhler and Matthews (2013): half kick (B), half
//!   drift (A), the exact Ornstein–Uhlenbeck update v ← c₁v + c₂√kT·ξ with c₁ = e^{−γΔt},
//!   c₂ = √(1 − c₁²) (O), half drift (A), force evaluation, half kick (B). The noise ξ is
//!   counter-based ([`super::philox`]), keyed by (seed, step, particle).
//! - **MTK / Nosé–Hoover chain NVT** (Martyna, Tuckerman and Klein, Mol. Phys. 87, 1117 (1996)):
//!   a chain of M thermostats with masses Q₁ = N_f·kT·τ², Qᵢ = kT·τ²; the chain is propagated
//!   for Δt/2 before and after a velocity-Verlet step with the Trotter factorisation of the
//!   MTK paper (one Suzuki–Yoshida stage). Conserved quantity:
//!   H = K + U + Σᵢ Qᵢ vξᵢ²/2 + N_f·kT·ξ₁ + kT·Σ_{i≥2} ξᵢ.

/// Which equations of motion.
#[derive(Clone, Debug, PartialEq)]
pub enum Integrator {
    /// Velocity-Verlet, constant energy.
    Nve,
    /// BAOAB Langevin dynamics.
    Langevin {
        /// Target temperature kT (ε).
        kt: f64,
        /// Friction γ (1/τ).
        gamma: f64,
        /// Seed of the counter-based noise.
        seed: u64,
    },
    /// Nosé–Hoover chain (MTK) NVT.
    Mtk(NoseHooverChain),
}

/// State of a Nosé–Hoover chain.
#[derive(Clone, Debug, PartialEq)]
pub struct NoseHooverChain {
    /// Target temperature kT.
    pub kt: f64,
    /// Thermostat time constant τ_T (τ).
    pub tau: f64,
    /// Thermostat positions ξᵢ.
    pub xi: Vec<f64>,
    /// Thermostat velocities vξᵢ.
    pub v_xi: Vec<f64>,
}

impl NoseHooverChain {
    /// A chain of `length` thermostats at rest.
    #[must_use]
    pub fn new(kt: f64, tau: f64, length: usize) -> Self {
        Self {
            kt,
            tau,
            xi: vec![0.0; length.max(1)],
            v_xi: vec![0.0; length.max(1)],
        }
    }

    fn mass(&self, i: usize, dof: f64) -> f64 {
        let q = self.kt * self.tau * self.tau;
        if i == 0 {
            dof * q
        } else {
            q
        }
    }

    /// Propagates the chain for `half_dt` and returns the factor to scale velocities with;
    /// `kinetic` is 2K (Σ v²) before scaling.
    pub fn half_step(&mut self, kinetic2: f64, dof: f64, half_dt: f64) -> f64 {
        let m = self.xi.len();
        let dt2 = 0.5 * half_dt;
        let dt4 = 0.25 * half_dt;
        let kt = self.kt;
        let force = |chain: &Self, i: usize, k2: f64| -> f64 {
            if i == 0 {
                (k2 - dof * kt) / chain.mass(0, dof)
            } else {
                (chain.mass(i - 1, dof) * chain.v_xi[i - 1] * chain.v_xi[i - 1] - kt)
                    / chain.mass(i, dof)
            }
        };
        let mut k2 = kinetic2;
        // backward sweep
        self.v_xi[m - 1] += dt2 * force(self, m - 1, k2);
        for i in (0..m - 1).rev() {
            let e = libm::exp(-dt4 * self.v_xi[i + 1]);
            self.v_xi[i] = self.v_xi[i] * e * e + dt2 * e * force(self, i, k2);
        }
        let scale = libm::exp(-half_dt * self.v_xi[0]);
        k2 *= scale * scale;
        for i in 0..m {
            self.xi[i] += half_dt * self.v_xi[i];
        }
        // forward sweep
        for i in 0..m - 1 {
            let e = libm::exp(-dt4 * self.v_xi[i + 1]);
            self.v_xi[i] = self.v_xi[i] * e * e + dt2 * e * force(self, i, k2);
        }
        self.v_xi[m - 1] += dt2 * force(self, m - 1, k2);
        scale
    }

    /// Thermostat energy Σ Qᵢ vξᵢ²/2 + N_f kT ξ₁ + kT Σ_{i≥2} ξᵢ.
    #[must_use]
    pub fn energy(&self, dof: f64) -> f64 {
        let mut e = 0.0;
        for i in 0..self.xi.len() {
            e += 0.5 * self.mass(i, dof) * self.v_xi[i] * self.v_xi[i];
            e += if i == 0 { dof } else { 1.0 } * self.kt * self.xi[i];
        }
        e
    }
}

impl Integrator {
    /// Target temperature, if the integrator has one.
    #[must_use]
    pub fn kt(&self) -> Option<f64> {
        match self {
            Integrator::Nve => None,
            Integrator::Langevin { kt, .. } => Some(*kt),
            Integrator::Mtk(c) => Some(c.kt),
        }
    }
}
