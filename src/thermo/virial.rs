//! The second virial coefficient and the Vliegenthart–Lekkerkerker estimate of the critical
//! well depth (SCIENCE.md §3.2):
//!
//! B₂ = 2π ∫₀^∞ [1 − exp(−βu(r))] r² dr,  B₂* = B₂ / (2π d_BH³/3),
//!
//! and B₂* ≈ −1.5 at a critical point (Vliegenthart & Lekkerkerker, J. Chem. Phys. 112, 5364,
//! 2000). A cheap cross-check of the critical depth the P–V loops give: for the paper's
//! potentials (cut and shifted) B₂* = −1.503 at ε/kT = 1.355 for the wide well and −1.5 near
//! 2.76 for the narrow one.
//!
//! Quadrature: composite Simpson over [0, r_max] with [`INTERVALS`] intervals; where
//! βu > 700 the integrand is 1 to machine precision.

use super::error::{positive, ThermoError};

/// Simpson intervals: the narrow well's minimum (width ~0.05σ) gets ~1,500 points at r_max 3σ.
pub const INTERVALS: usize = 100_000;

/// B₂ of the pair energy `u(r)` at inverse temperature `beta`, integrated to `r_max` (beyond
/// which u must vanish: the cut-off).
///
/// # Errors
/// [`ThermoError::OutOfRange`] when `beta` or `r_max` is not finite and positive.
pub fn second_virial(u: impl Fn(f64) -> f64, beta: f64, r_max: f64) -> Result<f64, ThermoError> {
    positive("beta", beta)?;
    positive("r_max", r_max)?;
    let integrand = |r: f64| -> f64 {
        if r <= 0.0 {
            return 0.0;
        }
        let bu = beta * u(r);
        let mayer = if bu.is_nan() || bu > 700.0 {
            1.0
        } else {
            -(-bu).exp_m1()
        };
        mayer * r * r
    };
    let h = r_max / INTERVALS as f64;
    let mut sum = integrand(0.0) + integrand(r_max);
    for k in 1..INTERVALS {
        let w = if k % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * integrand(h * k as f64);
    }
    Ok(2.0 * std::f64::consts::PI * sum * h / 3.0)
}

/// B₂* = B₂ / (2π d³/3) for the effective diameter `diameter` (d_BH).
#[must_use]
pub fn reduced_b2(b2: f64, diameter: f64) -> f64 {
    b2 / (2.0 * std::f64::consts::PI * diameter.powi(3) / 3.0)
}

/// The well depth ε/kT in [`low`, `high`] at which `reduced_b2_at(depth)` = −1.5, by bisection
/// (B₂* falls as the well deepens).
///
/// # Errors
/// [`ThermoError::NotBracketed`] when B₂* does not cross −1.5 in the range; errors of
/// `reduced_b2_at` are passed on.
pub fn critical_depth_estimate(
    reduced_b2_at: impl Fn(f64) -> Result<f64, ThermoError>,
    low: f64,
    high: f64,
) -> Result<f64, ThermoError> {
    const TARGET: f64 = -1.5;
    let (mut lo, mut hi) = (low, high);
    if !(reduced_b2_at(lo)? > TARGET && reduced_b2_at(hi)? < TARGET) {
        return Err(ThermoError::NotBracketed {
            what: "well depth with B2* = -1.5",
            low,
            high,
        });
    }
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if reduced_b2_at(mid)? > TARGET {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::barker_henderson::bh_diameter;
    use crate::model::PairSpec;

    /// B₂* of the paper's L–L pair (σ = 1, ε = 1) at depth ε/kT = `depth`.
    fn b2_star(m: u32, r_cut: f64, depth: f64) -> Result<f64, ThermoError> {
        let mie = PairSpec::mie(1.0, 1.0, 50, m, r_cut).expect("valid pair");
        let d = bh_diameter(&mie, 1.0 / depth).expect("positive kT");
        let b2 = second_virial(|r| mie.energy(r), depth, mie.cutoff())?;
        Ok(reduced_b2(b2, d))
    }

    #[test]
    fn hard_spheres_have_b2_star_one() {
        let b2 = second_virial(|r| if r < 1.0 { f64::INFINITY } else { 0.0 }, 1.0, 2.0).unwrap();
        assert!((reduced_b2(b2, 1.0) - 1.0).abs() < 1e-4);
    }

    #[test]
    fn critical_depths_of_the_paper_wells() {
        // SCIENCE.md §3.2: wide well B₂* = −1.503 at the paper's ε_c/kT = 1.355
        let wide = b2_star(6, 3.0, 1.355).unwrap();
        assert!((wide + 1.503).abs() < 0.01, "wide B2* {wide}");
        // narrow well: B₂* = −1.5 near 2.76, inside the paper's bracket 2.5–2.857
        let narrow = critical_depth_estimate(|x| b2_star(25, 1.5, x), 2.0, 3.5).unwrap();
        assert!((narrow - 2.76).abs() < 0.02, "narrow ε_c/kT {narrow}");
        assert!(critical_depth_estimate(|x| b2_star(25, 1.5, x), 0.5, 1.0).is_err());
    }
}
