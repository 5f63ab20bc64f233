//! The SAXS tab's single-pattern fit as a worker job (issue #18): the page's main thread never
//! fits. The first [`Job::advance`] says how many points will be fitted (progress 0 of 1), the
//! second runs [`crate::saxs::fit_pattern`] — the same function as `bnsl fit` — on the pattern,
//! binned to at most [`MAX_FIT_POINTS`] ([`Pattern::binned`]), and reports the fit with the
//! pattern it was made on ([`FitPatternOutput`]). The fit itself is one call; the page stops it
//! by ending the worker.

use serde::{Deserialize, Serialize};

use super::{Emit, Job, JobError, JobFuture, JobOutput, Step};
use crate::lattice::{CoreDiameters, Crystal};
use crate::saxs::peaks::WidthMode;
use crate::saxs::read::Pattern;
use crate::saxs::{fit_pattern, FitOptions, FormFactor, ModelChoice, PatternFit};
use std::sync::Arc;

/// Most points a pattern is fitted with; denser patterns are binned to this many first
/// (about a second of fitting in the browser; a 10⁵-row file took 23 s unbinned).
pub const MAX_FIT_POINTS: usize = 4000;

/// What to fit: the pattern as read and the fit settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitPatternSpec {
    /// The pattern (its unit decides the length unit of the results).
    pub pattern: Pattern,
    /// Lattice model, automatic choice or dilute spheres.
    pub model: ModelChoice,
    /// Shared or per-peak widths.
    pub widths: WidthMode,
    /// Core diameters σ_L, σ_S in the length unit of the data, when given.
    pub cores: Option<CoreDiameters>,
    /// User-defined crystals (structure files), candidates besides the catalogue.
    #[serde(default)]
    pub user_crystals: Vec<Arc<Crystal>>,
    /// The cores' form factor when the data are I(q) (fitted as scale·P·S + background).
    #[serde(default)]
    pub form_factor: Option<FormFactor>,
}

impl FitPatternSpec {
    /// The spec for fitting `pattern` with `options` (their model, widths and cores; the
    /// other settings are [`FitOptions::default`]).
    #[must_use]
    pub fn new(pattern: &Pattern, options: &FitOptions) -> Self {
        Self {
            pattern: pattern.clone(),
            model: options.model,
            widths: options.widths,
            cores: options.cores,
            user_crystals: options.user_crystals.clone(),
            form_factor: options.form_factor.clone(),
        }
    }

    /// The fit settings the job uses.
    #[must_use]
    pub fn options(&self) -> FitOptions {
        FitOptions {
            model: self.model,
            widths: self.widths,
            cores: self.cores,
            user_crystals: self.user_crystals.clone(),
            form_factor: self.form_factor.clone(),
            ..FitOptions::default()
        }
    }
}

/// The fit and the pattern it was made on (binned when the input had more than
/// [`MAX_FIT_POINTS`] points; its warnings say so).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitPatternOutput {
    /// The pattern fitted.
    pub pattern: Pattern,
    /// The fit.
    pub fit: PatternFit,
}

/// The single-pattern fit job.
#[derive(Debug)]
pub struct FitPattern {
    spec: FitPatternSpec,
    announced: bool,
}

impl FitPattern {
    /// Checks the spec; the fit runs in the second [`Job::advance`].
    ///
    /// # Errors
    /// A message when the arrays of the pattern differ in length or hold fewer than 3 points.
    pub fn new(spec: FitPatternSpec) -> Result<Self, JobError> {
        let p = &spec.pattern;
        let n = p.q.len();
        let arrays = [
            ("intensities", Some(p.intensity.len())),
            ("errors", p.error.as_ref().map(Vec::len)),
            ("resolutions", p.dq.as_ref().map(Vec::len)),
        ];
        for (what, len) in arrays {
            if let Some(other) = len.filter(|&len| len != n) {
                return Err(JobError::PatternShape { q: n, other, what });
            }
        }
        if n < 3 {
            return Err(JobError::PatternTooShort(n));
        }
        Ok(Self {
            spec,
            announced: false,
        })
    }

    fn chunk(&mut self) -> Result<Step, JobError> {
        let n = self.spec.pattern.len();
        if !self.announced {
            self.announced = true;
            let note = if n > MAX_FIT_POINTS {
                format!("fitting {n} points binned to at most {MAX_FIT_POINTS}")
            } else {
                format!("fitting {n} points")
            };
            return Ok(Step::Continue(vec![Emit::progress(0, 1, note)]));
        }
        let pattern = self.spec.pattern.binned(MAX_FIT_POINTS);
        let fit = fit_pattern(&pattern, &self.spec.options()).map_err(JobError::FitPattern)?;
        Ok(Step::Done(vec![
            Emit::progress(1, 1, "fitted"),
            Emit::output(JobOutput::FitPattern(Box::new(FitPatternOutput {
                pattern,
                fit,
            }))),
        ]))
    }
}

impl Job for FitPattern {
    fn advance(&mut self) -> JobFuture<'_> {
        let step = self.chunk();
        Box::pin(async move { step })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::jobs::{build, drive, JobEvent, JobSpec};
    use crate::saxs::read::{read_pattern, ReadOptions};

    fn example() -> Pattern {
        let bytes = include_bytes!("../../www/examples/saxs_alb2_single.csv");
        read_pattern(bytes, &ReadOptions::default()).expect("the example reads")
    }

    fn outputs(spec: FitPatternSpec) -> (Vec<(u64, u64)>, FitPatternOutput) {
        let mut job = build(JobSpec::FitPattern(Box::new(spec)), Vec::new()).expect("job");
        let emits = drive(job.as_mut()).expect("fit");
        let progress = emits
            .iter()
            .filter_map(|e| match &e.event {
                JobEvent::Progress(p) => Some((p.done, p.total)),
                JobEvent::Output(_) => None,
            })
            .collect();
        let out = emits
            .into_iter()
            .find_map(|e| match e.event {
                JobEvent::Output(JobOutput::FitPattern(o)) => Some(*o),
                _ => None,
            })
            .expect("an output");
        (progress, out)
    }

    #[test]
    fn job_matches_the_direct_fit() {
        let pattern = example();
        let spec = FitPatternSpec::new(&pattern, &FitOptions::default());
        let (progress, out) = outputs(spec.clone());
        assert_eq!(progress, vec![(0, 1), (1, 1)]);
        assert_eq!(out.pattern, pattern);
        let direct = fit_pattern(&pattern, &spec.options()).expect("fit");
        assert_eq!(out.fit, direct);
    }

    #[test]
    fn dense_patterns_are_binned_and_bad_ones_refused() {
        let n = 3 * MAX_FIT_POINTS + 7;
        let q: Vec<f64> = (0..n).map(|i| 0.2 + 1e-4 * i as f64).collect();
        let intensity = q.iter().map(|q| 1.0 + 0.1 * q).collect();
        let mut pattern = Pattern::from_arrays(q, intensity, example().unit);
        let spec = FitPatternSpec::new(
            &pattern,
            &FitOptions {
                model: ModelChoice::Sphere,
                ..FitOptions::default()
            },
        );
        assert!(FitPattern::new(spec.clone()).is_ok());
        let binned = pattern.binned(MAX_FIT_POINTS);
        assert!(binned.len() <= MAX_FIT_POINTS && binned.len() > MAX_FIT_POINTS / 2);
        pattern.intensity.pop();
        let e = FitPattern::new(FitPatternSpec::new(&pattern, &spec.options())).unwrap_err();
        assert!(e.to_string().contains("intensities"), "{e}");
    }
}
