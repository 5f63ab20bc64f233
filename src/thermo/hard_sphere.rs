//! Hard-sphere references that validate the free-energy chain (SCIENCE.md §3.3): the
//! Carnahan–Starling fluid, Speedy's crystal equation of state, and Polson's fcc free energy.
//!
//! - Carnahan–Starling (J. Chem. Phys. 51, 635, 1969), η = πρd³/6:
//!   Z = (1 + η + η² − η³)/(1 − η)³,  βF_ex/N = (4η − 3η²)/(1 − η)².
//! - Speedy (J. Phys.: Condens. Matter 10, 4387, 1998), z = ρd³/√2 (the fraction of close packing):
//!   Z = 3/(1 − z) − A·(z − a)/(z − b), A = 0.5921, a = 0.7072, b = 0.601, whence
//!   ∫ Z/ρ dρ = 3·ln(z/(1 − z)) − A·(a/b)·ln z − A·((b − a)/b)·ln(z − b).
//! - Polson, Trizac, Pronk, Frenkel (J. Chem. Phys. 112, 5339, 2000): fcc excess
//!   βF_ex/N = 5.91889 at ρd³ = 1.0409 for N → ∞.

use super::eos::EquationOfState;

/// Polson's reference density ρd³ of the fcc hard-sphere crystal.
pub const POLSON_DENSITY: f64 = 1.0409;
/// Polson's excess free energy βF_ex/N of the fcc crystal at [`POLSON_DENSITY`], N → ∞.
pub const POLSON_EXCESS: f64 = 5.91889;
/// The fluid–fcc coexistence pressure βPd³ of hard spheres (Fernández et al., PRL 108, 165701, 2012).
pub const COEXISTENCE_PRESSURE: f64 = 11.5727;

/// The Carnahan–Starling hard-sphere fluid of diameter `diameter`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CarnahanStarling {
    /// Sphere diameter d.
    pub diameter: f64,
}

impl CarnahanStarling {
    fn eta(&self, rho: f64) -> f64 {
        std::f64::consts::PI * rho * self.diameter.powi(3) / 6.0
    }

    /// βF_ex/N = (4η − 3η²)/(1 − η)².
    #[must_use]
    pub fn excess_free_energy(&self, rho: f64) -> f64 {
        let eta = self.eta(rho);
        (4.0 * eta - 3.0 * eta * eta) / ((1.0 - eta) * (1.0 - eta))
    }
}

impl EquationOfState for CarnahanStarling {
    fn beta_pressure(&self, rho: f64) -> f64 {
        let eta = self.eta(rho);
        rho * (1.0 + eta + eta * eta - eta * eta * eta) / (1.0 - eta).powi(3)
    }

    fn free_energy_change(&self, rho0: f64, rho: f64) -> f64 {
        (rho / rho0).ln() + self.excess_free_energy(rho) - self.excess_free_energy(rho0)
    }
}

/// Speedy's equation of state of the hard-sphere crystal of diameter `diameter`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpeedyCrystal {
    /// Sphere diameter d.
    pub diameter: f64,
}

const SPEEDY_A: f64 = 0.5921;
const SPEEDY_LOWER_A: f64 = 0.7072;
const SPEEDY_B: f64 = 0.601;

impl SpeedyCrystal {
    fn z(&self, rho: f64) -> f64 {
        rho * self.diameter.powi(3) / std::f64::consts::SQRT_2
    }

    /// An antiderivative of Z/z in z.
    fn primitive(z: f64) -> f64 {
        3.0 * (z / (1.0 - z)).ln()
            - SPEEDY_A * (SPEEDY_LOWER_A / SPEEDY_B) * z.ln()
            - SPEEDY_A * ((SPEEDY_B - SPEEDY_LOWER_A) / SPEEDY_B) * (z - SPEEDY_B).ln()
    }
}

impl EquationOfState for SpeedyCrystal {
    fn beta_pressure(&self, rho: f64) -> f64 {
        let z = self.z(rho);
        rho * (3.0 / (1.0 - z) - SPEEDY_A * (z - SPEEDY_LOWER_A) / (z - SPEEDY_B))
    }

    fn free_energy_change(&self, rho0: f64, rho: f64) -> f64 {
        Self::primitive(self.z(rho)) - Self::primitive(self.z(rho0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ∫ βP/ρ² dρ by Simpson's rule, to check a closed form.
    fn simpson(eos: &impl EquationOfState, a: f64, b: f64) -> f64 {
        let n = 2000;
        let h = (b - a) / f64::from(n);
        let f = |r: f64| eos.beta_pressure(r) / (r * r);
        let mut s = f(a) + f(b);
        for i in 1..n {
            s += if i % 2 == 1 { 4.0 } else { 2.0 } * f(a + h * f64::from(i));
        }
        s * h / 3.0
    }

    #[test]
    fn closed_forms_match_the_pressure() {
        let cs = CarnahanStarling { diameter: 1.0 };
        assert!((cs.free_energy_change(0.3, 0.9) - simpson(&cs, 0.3, 0.9)).abs() < 1e-10);
        let sp = SpeedyCrystal { diameter: 1.0 };
        assert!((sp.free_energy_change(1.0, 1.2) - simpson(&sp, 1.0, 1.2)).abs() < 1e-10);
    }

    #[test]
    fn textbook_values() {
        // CS at η = 0.5: Z = 13
        let cs = CarnahanStarling { diameter: 1.0 };
        let rho = 3.0 / std::f64::consts::PI;
        assert!((cs.beta_pressure(rho) / rho - 13.0).abs() < 1e-12);
        // Speedy near melting: βP ≈ 11.57 at ρd³ ≈ 1.0376 (η = 0.5433)
        let sp = SpeedyCrystal { diameter: 1.0 };
        assert!((sp.beta_pressure(1.0376) - 11.57).abs() < 0.02);
    }
}
