//! The Einstein crystal with its centre of mass fixed: the reference state of Frenkel–Ladd
//! (SCIENCE.md §3.1).
//!
//! Per particle, with the thermal wavelength Λ = 1 (σ units) and equal masses,
//!
//! βF_E/N = (1/N)·Σ_i (3/2)·ln(βk_i/2π) − (1/N)·ln p_E(0) − (1/N)·ln(V/N_cells),
//!
//! p_E(0) = [2π·Σ_i 1/(βk_i) / N²]^(−3/2) (the centre-of-mass density of the Einstein crystal at
//! its anchor). The crystal's free energy is then βF/N = βF_E/N + βW/N with
//! W = ∫₀¹ ⟨U − U_E⟩_λ dλ along H(λ) = (1−λ)·U + λ·U_E.
//!
//! The last term counts each configuration once per lattice translation ([`TranslationCount`]);
//! codes such as calphy use ln V instead, lower by (ln N_cells)/N.

use super::error::{positive, ThermoError};

/// How the configurational integral counts the crystal's translations (the last term above).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TranslationCount {
    /// −(1/N)·ln(V/N_cells): once per lattice translation (the convention this product reports).
    LatticePoints,
    /// −(1/N)·ln V: the centre of mass anywhere in the box (calphy's convention).
    Volume,
}

impl TranslationCount {
    /// The convention in words, for reports.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::LatticePoints => {
                "-(1/N) ln(V/N_cells): one configuration per lattice translation"
            }
            Self::Volume => "-(1/N) ln V: centre of mass anywhere in the box (as calphy)",
        }
    }
}

/// βF_E/N of the Einstein crystal with springs `springs` (k_i, one per particle, energy/σ²) at
/// inverse temperature `beta`, in volume `volume` with `lattice_points` lattice points.
///
/// # Errors
/// [`ThermoError::OutOfRange`] when β, V or a spring constant is not finite and positive, or
/// there are no springs or no lattice points.
pub fn einstein_reference(
    beta: f64,
    springs: &[f64],
    volume: f64,
    lattice_points: usize,
    convention: TranslationCount,
) -> Result<f64, ThermoError> {
    positive("beta", beta)?;
    positive("volume", volume)?;
    positive("particles", springs.len() as f64)?;
    positive("lattice points", lattice_points as f64)?;
    let n = springs.len() as f64;
    let two_pi = 2.0 * std::f64::consts::PI;
    let mut log_sum = 0.0;
    let mut inv_sum = 0.0;
    for &k in springs {
        positive("spring constant", k)?;
        log_sum += 1.5 * (beta * k / two_pi).ln();
        inv_sum += 1.0 / (beta * k);
    }
    // −ln p_E(0) = (3/2)·ln(2π·Σ 1/(βk_i) / N²)
    let minus_ln_p0 = 1.5 * (two_pi * inv_sum / (n * n)).ln();
    let translations = match convention {
        TranslationCount::LatticePoints => (volume / lattice_points as f64).ln(),
        TranslationCount::Volume => volume.ln(),
    };
    Ok((log_sum + minus_ln_p0 - translations) / n)
}

/// The spring constant k = `stiffness`·3kT/⟨Δr²⟩ from a measured mean squared displacement
/// ⟨Δr²⟩ about the lattice sites (SCIENCE.md §3.1: for these steep cores about three times the
/// equipartition value cut the switching noise six-fold).
///
/// # Errors
/// [`ThermoError::OutOfRange`] when an argument is not finite and positive.
pub fn spring_constant(kt: f64, msd: f64, stiffness: f64) -> Result<f64, ThermoError> {
    positive("kT", kt)?;
    positive("mean squared displacement", msd)?;
    positive("stiffness factor", stiffness)?;
    Ok(stiffness * 3.0 * kt / msd)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SCIENCE.md §3.1, single species: βF/N = (3/2)(1 − 1/N)·ln(βk/2π) − (3/(2N))·ln N − (1/N)·ln(V/N).
    fn single_species(beta: f64, k: f64, n: usize, volume: f64) -> f64 {
        let nf = n as f64;
        1.5 * (1.0 - 1.0 / nf) * (beta * k / (2.0 * std::f64::consts::PI)).ln()
            - 1.5 / nf * nf.ln()
            - (volume / nf).ln() / nf
    }

    #[test]
    fn equals_the_single_species_closed_form() {
        for &(beta, k, n, v) in &[(1.0, 500.0, 500, 480.0), (2.5, 1200.0, 108, 100.0)] {
            let got = einstein_reference(beta, &vec![k; n], v, n, TranslationCount::LatticePoints)
                .unwrap();
            assert!((got - single_species(beta, k, n, v)).abs() < 1e-12, "{got}");
        }
    }

    #[test]
    fn conventions_differ_by_ln_cells_over_n() {
        let springs = vec![800.0; 500];
        let a =
            einstein_reference(1.0, &springs, 480.0, 500, TranslationCount::LatticePoints).unwrap();
        let b = einstein_reference(1.0, &springs, 480.0, 500, TranslationCount::Volume).unwrap();
        // 0.012 kT at N = 500 (SCIENCE.md §3.1)
        assert!((a - b - 500f64.ln() / 500.0).abs() < 1e-12);
        assert!((a - b - 0.0124).abs() < 1e-4);
    }

    #[test]
    fn two_species_weigh_each_spring() {
        // Stiffening the springs of one species raises F by (3/2)·ln(ratio) per such particle,
        // less the centre-of-mass correction, which depends on Σ 1/k.
        let (n_l, n_s) = (100, 200);
        let mut springs = vec![600.0; n_l];
        springs.extend(vec![1200.0; n_s]);
        let got =
            einstein_reference(2.0, &springs, 150.0, n_l, TranslationCount::LatticePoints).unwrap();
        let n = (n_l + n_s) as f64;
        let two_pi = 2.0 * std::f64::consts::PI;
        let logs = n_l as f64 * 1.5 * (2.0 * 600.0 / two_pi).ln()
            + n_s as f64 * 1.5 * (2.0 * 1200.0 / two_pi).ln();
        let inv = n_l as f64 / 1200.0 + n_s as f64 / 2400.0;
        let expect = (logs + 1.5 * (two_pi * inv / (n * n)).ln() - (150.0 / n_l as f64).ln()) / n;
        assert!((got - expect).abs() < 1e-12);
    }

    #[test]
    fn refuses_nonsense() {
        assert!(einstein_reference(1.0, &[], 1.0, 1, TranslationCount::Volume).is_err());
        assert!(einstein_reference(1.0, &[0.0], 1.0, 1, TranslationCount::Volume).is_err());
        assert!(einstein_reference(f64::NAN, &[1.0], 1.0, 1, TranslationCount::Volume).is_err());
        assert!(spring_constant(0.4, 0.0, 3.0).is_err());
        assert!((spring_constant(1.0, 0.01, 3.0).unwrap() - 900.0).abs() < 1e-9);
    }
}
