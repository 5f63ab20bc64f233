//! Peak shape and crystal size (SCIENCE.md §5): the Lorentzian
//! L(q) = A·w²/((q − q_hkl)² + w²) with FWHM 2w and area π·A·w, and Scherrer's
//! ξ = 2πK/(2w) = πK/w with K = 1.0747 (spherical crystal).

use std::f64::consts::PI;

/// Scherrer constant for a spherical crystal (Langford & Wilson 1978), as the paper uses.
pub const SCHERRER_K: f64 = 1.0747;

/// L(q) = A·w²/((q − q₀)² + w²).
#[must_use]
pub fn lorentzian(q: f64, q0: f64, amplitude: f64, w: f64) -> f64 {
    let d = q - q0;
    amplitude * w * w / (d * d + w * w)
}

/// Integrated area π·A·w of a Lorentzian.
#[must_use]
pub fn lorentzian_area(amplitude: f64, w: f64) -> f64 {
    PI * amplitude * w
}

/// Crystal size ξ = πK/w from the half width at half maximum w.
#[must_use]
pub fn scherrer_size(w: f64) -> f64 {
    PI * SCHERRER_K / w
}

/// Half width at half maximum w = πK/ξ of a crystal of size ξ.
#[must_use]
pub fn scherrer_width(xi: f64) -> f64 {
    PI * SCHERRER_K / xi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_area_and_size() {
        assert_eq!(lorentzian(1.0, 1.0, 2.0, 0.1), 2.0);
        assert!((lorentzian(1.1, 1.0, 2.0, 0.1) - 1.0).abs() < 1e-12);
        // Numerical area over ±2000 w.
        let (w, a) = (0.01, 3.0);
        let n = 400_000;
        let h = 40.0 / f64::from(n);
        let s: f64 = (0..n)
            .map(|i| lorentzian(-20.0 + (f64::from(i) + 0.5) * h, 0.0, a, w) * h)
            .sum();
        assert!((s / lorentzian_area(a, w) - 1.0).abs() < 1e-3);
        // The paper: ξ ≈ 330 nm ↔ w = π·1.0747/330 nm⁻¹.
        assert!((scherrer_size(scherrer_width(330.0)) - 330.0).abs() < 1e-9);
    }
}
