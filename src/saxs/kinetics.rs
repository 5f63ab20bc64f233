//! Time series fitted frame by frame (SCIENCE.md §5, Fig. 1d and 2d): the most developed
//! frame (the last) is fitted from scratch, then every earlier frame is refitted seeded by
//! the fit of its neighbour in time, giving a(t), gaps d(t), ξ(t), φ(t) and the phase
//! fractions against time.
//!
//! Fractions per frame: `fraction` is the phase's share of the summed peak areas π·A·w;
//! `growth` is the phase's area divided by its largest area over the series, which is
//! f_NaZn₁₃(t)/(1 − max f_AlB₂) of SCIENCE.md §5 (the absolute AlB₂ fraction needs a pure
//! 1:2 reference sample, which one series does not contain). φ_eff(t) uses the gaps of the
//! last frame, as the paper does.

use super::derived::{effective_packing_fraction, gaps, propagate, Quantity};
use super::fit::{fit_lattice, refit_lattice, FitError, FitOptions, LatticeFit};
use super::read::Series;
use serde::{Deserialize, Serialize};

/// One phase in one frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseAtTime {
    /// The structure's short name ("alb2").
    pub structure: String,
    /// Area of the phase divided by its largest area over the series.
    pub growth: f64,
    /// φ_eff with the gaps of the last frame (when cores are given).
    pub phi_eff_last_gaps: Option<Quantity>,
}

/// The fit of one frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameFit {
    /// Time of the frame (the unit of the file's header).
    pub time: f64,
    /// The lattice fit (phases majority first, derived quantities with errors).
    pub fit: LatticeFit,
    /// Series-level quantities of each phase, in the order of `fit.phases`.
    pub phases: Vec<PhaseAtTime>,
}

/// Fits every frame of `series`, last frame first and each earlier frame seeded by the
/// next one. The model (auto or forced) is chosen on the last frame and kept.
///
/// # Errors
/// [`FitError`] when the last frame cannot be fitted, or a frame is invalid.
pub fn fit_series(series: &Series, options: &FitOptions) -> Result<Vec<FrameFit>, FitError> {
    let mut fitter = SeriesFitter::new(series.clone(), options.clone())?;
    while !fitter.step(usize::MAX)? {}
    Ok(fitter.finish())
}

/// [`fit_series`] in steps of a few frames, for a page or worker that must stay responsive
/// and show progress.
#[derive(Debug)]
pub struct SeriesFitter {
    series: Series,
    options: FitOptions,
    /// Fits from the last frame backwards.
    fits: Vec<LatticeFit>,
}

impl SeriesFitter {
    /// Fits the last frame from scratch.
    ///
    /// # Errors
    /// [`FitError`] when the series is empty or its last frame cannot be fitted.
    pub fn new(series: Series, options: FitOptions) -> Result<Self, FitError> {
        let n = series.frames.len();
        let Some(last) = series.frame(n.wrapping_sub(1)) else {
            return Err(FitError::InvalidData(
                "the series has no frames".to_string(),
            ));
        };
        let first = fit_lattice(&last, &options)?;
        Ok(Self {
            series,
            options,
            fits: vec![first],
        })
    }

    /// Frames fitted so far.
    #[must_use]
    pub fn done(&self) -> usize {
        self.fits.len()
    }

    /// Frames in the series.
    #[must_use]
    pub fn total(&self) -> usize {
        self.series.frames.len()
    }

    /// Fits up to `frames` more frames; `true` when every frame is fitted.
    ///
    /// # Errors
    /// [`FitError`] when a frame is invalid.
    pub fn step(&mut self, frames: usize) -> Result<bool, FitError> {
        for _ in 0..frames {
            let n = self.total();
            if self.fits.len() >= n {
                break;
            }
            let t = n - 1 - self.fits.len();
            let pattern = self
                .series
                .frame(t)
                .ok_or_else(|| FitError::InvalidData(format!("frame {t} missing")))?;
            let previous = &self.fits[self.fits.len() - 1];
            let next = refit_lattice(&pattern, previous, &self.options)?;
            self.fits.push(next);
        }
        Ok(self.fits.len() >= self.total())
    }

    /// The fits of the frames done so far, in time order, with the series quantities
    /// (growth, φ_eff with the last frame's gaps).
    #[must_use]
    pub fn finish(self) -> Vec<FrameFit> {
        let n = self.total();
        let mut fits = self.fits;
        let done = fits.len();
        fits.reverse();
        with_series_quantities(&self.series.times[n - done..], fits, &self.options)
    }

    /// The fits of the frames done so far, like [`SeriesFitter::finish`], without ending.
    #[must_use]
    pub fn results(&self) -> Vec<FrameFit> {
        let n = self.total();
        let mut fits = self.fits.clone();
        let done = fits.len();
        fits.reverse();
        with_series_quantities(&self.series.times[n - done..], fits, &self.options)
    }
}

fn with_series_quantities(
    times: &[f64],
    fits: Vec<LatticeFit>,
    options: &FitOptions,
) -> Vec<FrameFit> {
    let n_phases = fits.last().map_or(0, |f| f.model.phases.len());
    // Largest area of each model phase over the series.
    let max_area: Vec<f64> = (0..n_phases)
        .map(|i| {
            fits.iter()
                .filter_map(|f| f.phases.iter().find(|p| p.model_index == i))
                .map(|p| p.area.value)
                .fold(0.0, f64::max)
        })
        .collect();
    let last_gaps: Vec<Option<[f64; 3]>> = (0..n_phases)
        .map(|i| {
            let f = fits.last()?;
            let ph = f.phases.iter().find(|p| p.model_index == i)?;
            let cores = options.cores.as_ref()?;
            let rho = ph.c_over_a.map_or(1.0, |q| q.value);
            Some(gaps(&f.model.phases[i].crystal, ph.a.value, rho, cores))
        })
        .collect();
    times
        .iter()
        .zip(fits)
        .map(|(&time, fit)| {
            let phases = fit
                .phases
                .iter()
                .map(|ph| {
                    let i = ph.model_index;
                    let lay = &fit.model.layout[i];
                    let crystal = &fit.model.phases[i].crystal;
                    let phi_eff_last_gaps = match (options.cores.as_ref(), last_gaps[i]) {
                        (Some(cores), Some(g)) => Some(propagate(
                            &|p: &[f64]| {
                                let rho = lay.rho.map_or(1.0, |j| p[j]);
                                effective_packing_fraction(crystal, p[lay.a], rho, cores, g)
                            },
                            &fit.params,
                            fit.covariance.as_deref(),
                        )),
                        _ => None,
                    };
                    PhaseAtTime {
                        structure: ph.structure.clone(),
                        growth: if max_area[i] > 0.0 {
                            ph.area.value / max_area[i]
                        } else {
                            0.0
                        },
                        phi_eff_last_gaps,
                    }
                })
                .collect();
            FrameFit { time, fit, phases }
        })
        .collect()
}
