//! Sphere form factor with a Gaussian distribution of radii (SCIENCE.md §5, "Form factor of
//! the cores"; the SASfit step of the paper), computed as sasmodels' `sphere` model does:
//!
//! - F(q, r) = 3[sin(qr) − qr·cos(qr)]/(qr)³, V(r) = 4πr³/3;
//!   F²(q, r) = 10⁻⁴·(Δρ·V·F)² (Δρ in 10⁻⁶ Å⁻², I in cm⁻¹ with q in Å⁻¹).
//! - Radii r_i = r̄ + linspace(−n_σ·σ, +n_σ·σ, n_pts) with σ = pd·r̄ (relative width), the
//!   points below 0 dropped, weights w_i = exp(−(r_i − r̄)²/(2σ²)).
//! - I(q) = scale·Σ w_i F²(q, r_i) / Σ w_i V(r_i) + background (volume-weighted mean).

use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Parameters of the polydisperse sphere model (sasmodels' names and units).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SphereModel {
    /// Scale (volume fraction for absolute data).
    pub scale: f64,
    /// Flat background.
    pub background: f64,
    /// Scattering length density of the sphere (10⁻⁶ Å⁻²).
    pub sld: f64,
    /// Scattering length density of the solvent (10⁻⁶ Å⁻²).
    pub sld_solvent: f64,
    /// Mean radius (the inverse of the q unit).
    pub radius: f64,
    /// Relative Gaussian width σ/r̄ of the radius.
    pub radius_pd: f64,
    /// Number of radii in the integration (sasmodels' default 35).
    pub radius_pd_n: usize,
    /// Half range of the integration in units of σ (sasmodels' default 3).
    pub radius_pd_nsigma: f64,
}

impl Default for SphereModel {
    fn default() -> Self {
        Self {
            scale: 1.0,
            background: 0.001,
            sld: 1.0,
            sld_solvent: 6.0,
            radius: 50.0,
            radius_pd: 0.0,
            radius_pd_n: 35,
            radius_pd_nsigma: 3.0,
        }
    }
}

/// The normalised amplitude 3[sin x − x cos x]/x³ (1 at x = 0; series below x = 10⁻³).
#[must_use]
pub fn sphere_amplitude(x: f64) -> f64 {
    if x.abs() < 1e-3 {
        let x2 = x * x;
        1.0 - x2 / 10.0 + x2 * x2 / 280.0
    } else {
        3.0 * (libm::sin(x) - x * libm::cos(x)) / (x * x * x)
    }
}

impl SphereModel {
    /// The radii and Gaussian weights of the size distribution.
    #[must_use]
    pub fn radii(&self) -> Vec<(f64, f64)> {
        let sigma = self.radius_pd * self.radius;
        if sigma == 0.0 || self.radius_pd_n < 2 {
            return if self.radius >= 0.0 {
                vec![(self.radius, 1.0)]
            } else {
                Vec::new()
            };
        }
        let n = self.radius_pd_n;
        let half = self.radius_pd_nsigma * sigma;
        (0..n)
            .map(|i| self.radius - half + 2.0 * half * i as f64 / (n - 1) as f64)
            .filter(|&r| r >= 0.0)
            .map(|r| {
                let d = r - self.radius;
                (r, libm::exp(d * d / (-2.0 * sigma * sigma)))
            })
            .collect()
    }

    /// I(q) at each q.
    #[must_use]
    pub fn intensity(&self, q: &[f64]) -> Vec<f64> {
        let radii = self.radii();
        let contrast = self.sld - self.sld_solvent;
        let volume = |r: f64| 4.0 * PI / 3.0 * r * r * r;
        let norm: f64 = radii.iter().map(|&(r, w)| w * volume(r)).sum();
        q.iter()
            .map(|&qv| {
                if norm <= 0.0 {
                    return self.background;
                }
                let total: f64 = radii
                    .iter()
                    .map(|&(r, w)| {
                        let f = contrast * volume(r) * sphere_amplitude(qv * r);
                        w * 1e-4 * f * f
                    })
                    .sum();
                self.scale * total / norm + self.background
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amplitude_is_continuous_at_the_series_switch() {
        let x: f64 = 1e-3;
        let direct = 3.0 * (x.sin() - x * x.cos()) / (x * x * x);
        assert!((sphere_amplitude(x * (1.0 - 1e-12)) - 1.0).abs() < 1e-6);
        assert!((sphere_amplitude(x) - direct).abs() < 1e-6);
        // First zero of the amplitude: tan x = x at x = 4.4934.
        assert!(sphere_amplitude(4.493_409_457_909).abs() < 1e-9);
    }

    #[test]
    fn monodisperse_forward_scattering() {
        let m = SphereModel {
            background: 0.0,
            ..SphereModel::default()
        };
        let i0 = m.intensity(&[0.0])[0];
        let v = 4.0 * PI / 3.0 * 50f64.powi(3);
        assert!((i0 / (1e-4 * 25.0 * v) - 1.0).abs() < 1e-12);
    }
}
