//! The SAXS tab's series fit as a worker job (issue #5): [`crate::saxs::SeriesFitter`] — the
//! last frame fitted from scratch, every earlier frame seeded by its neighbour in time
//! (SCIENCE.md §5, Fig. 1d and 2d) — one frame per [`Job::advance`], with progress after
//! every frame and the fits of the frames done so far (in time order, with the series
//! quantities) as [`FitSeriesOutput`], so a stopped run keeps what it has.

use serde::{Deserialize, Serialize};

use super::{Emit, Job, JobError, JobFuture, JobOutput, Step};
use crate::lattice::{CoreDiameters, Crystal};
use crate::saxs::peaks::WidthMode;
use crate::saxs::read::{QUnit, Series, UnitChoice, UnitOrigin};
use crate::saxs::{FitOptions, FormFactor, FrameFit, ModelChoice, SeriesFitter};
use std::sync::Arc;

/// What to fit: the series (already read, and normalised if wanted) and the fit settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitSeriesSpec {
    /// Scattering vector, strictly increasing, > 0.
    pub q: Vec<f64>,
    /// Time of each frame, increasing.
    pub times: Vec<f64>,
    /// `frames[t][i]`: intensity at time `times[t]` and `q[i]`.
    pub frames: Vec<Vec<f64>>,
    /// Unit of q.
    pub unit: QUnit,
    /// Lattice model (auto or forced; not the sphere model).
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

impl FitSeriesSpec {
    /// The spec for fitting `series` with `options` (the options' model, widths and cores;
    /// the other settings are [`FitOptions::default`]).
    #[must_use]
    pub fn new(series: &Series, options: &FitOptions) -> Self {
        Self {
            q: series.q.clone(),
            times: series.times.clone(),
            frames: series.frames.clone(),
            unit: series.unit.unit,
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

    fn series(&self) -> Series {
        Series {
            q: self.q.clone(),
            times: self.times.clone(),
            time_unit: None,
            frames: self.frames.clone(),
            unit: UnitChoice {
                unit: self.unit,
                origin: UnitOrigin::User,
                reason: format!("{} as sent to the worker", self.unit),
            },
            warnings: Vec::new(),
        }
    }
}

/// The fits of the frames done so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitSeriesOutput {
    /// Frames fitted.
    pub done: u64,
    /// Frames in the series.
    pub total: u64,
    /// The fitted frames in time order (the last `done` frames of the series).
    pub fits: Vec<FrameFit>,
}

/// The series fit job.
#[derive(Debug)]
pub struct FitSeries {
    spec: FitSeriesSpec,
    fitter: Option<SeriesFitter>,
}

impl FitSeries {
    /// Checks the spec; the fitting starts with the first [`Job::advance`].
    ///
    /// # Errors
    /// A message when the series has no frames, a frame's length differs from q's, or the
    /// sphere model is asked for.
    pub fn new(spec: FitSeriesSpec) -> Result<Self, JobError> {
        if spec.frames.is_empty() || spec.times.len() != spec.frames.len() {
            return Err(JobError::SeriesShape {
                frames: spec.frames.len(),
                times: spec.times.len(),
            });
        }
        if let Some(t) = spec.frames.iter().position(|f| f.len() != spec.q.len()) {
            return Err(JobError::SeriesFrame {
                frame: t,
                values: spec.frames[t].len(),
                q: spec.q.len(),
            });
        }
        if spec.model == ModelChoice::Sphere {
            return Err(JobError::SeriesModel);
        }
        Ok(Self { spec, fitter: None })
    }

    fn chunk(&mut self) -> Result<Step, JobError> {
        let (fitter, finished) = match self.fitter.take() {
            None => {
                let fitter = SeriesFitter::new(self.spec.series(), self.spec.options())
                    .map_err(JobError::SeriesStart)?;
                let finished = fitter.done() >= fitter.total();
                (fitter, finished)
            }
            Some(mut fitter) => {
                let finished = fitter.step(1).map_err(JobError::FitSeries)?;
                (fitter, finished)
            }
        };
        let fitter = self.fitter.insert(fitter);
        let (done, total) = (fitter.done() as u64, fitter.total() as u64);
        let mut emits = vec![Emit::progress(
            done,
            total,
            format!("frame {done} of {total}"),
        )];
        let every = (total / 25).max(1);
        if finished || done % every == 0 {
            emits.push(Emit::output(JobOutput::FitSeries(FitSeriesOutput {
                done,
                total,
                fits: fitter.results(),
            })));
        }
        Ok(if finished {
            Step::Done(emits)
        } else {
            Step::Continue(emits)
        })
    }
}

impl Job for FitSeries {
    fn advance(&mut self) -> JobFuture<'_> {
        let step = self.chunk();
        Box::pin(async move { step })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::jobs::{build, drive, JobEvent, JobSpec};
    use crate::saxs::fit_series;
    use crate::saxs::read::{read_series, ReadOptions, SeriesLayout};

    /// The last five frames of the example series (AlB₂ crystallising).
    fn example() -> Result<Series, crate::saxs::read::ReadError> {
        let bytes = include_bytes!("../../www/examples/saxs_alb2_series.csv");
        let mut s = read_series(bytes, &ReadOptions::default(), SeriesLayout::Auto)?;
        let n = s.frames.len();
        assert!(n >= 5);
        s.frames.drain(..n - 5);
        s.times.drain(..n - 5);
        Ok(s)
    }

    #[test]
    fn job_matches_fit_series_and_reports_every_frame() {
        let series = example().unwrap();
        let options = FitOptions::default();
        let spec = FitSeriesSpec::new(&series, &options);
        let mut job = build(JobSpec::FitSeries(spec.clone()), Vec::new()).unwrap();
        let emits = drive(job.as_mut()).unwrap();
        let progress: Vec<(u64, u64)> = emits
            .iter()
            .filter_map(|e| match &e.event {
                JobEvent::Progress(p) => Some((p.done, p.total)),
                JobEvent::Output(_) => None,
            })
            .collect();
        assert_eq!(progress, (1..=5).map(|d| (d, 5)).collect::<Vec<_>>());
        let last = emits
            .iter()
            .rev()
            .find_map(|e| match &e.event {
                JobEvent::Output(JobOutput::FitSeries(o)) => Some(o.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!((last.done, last.total), (5, 5));
        let direct = fit_series(&series, &spec.options()).unwrap();
        assert_eq!(last.fits, direct);
        assert_eq!(last.fits.len(), 5);
        assert_eq!(last.fits[0].time, series.times[0]);
    }

    #[test]
    fn bad_series_are_refused_with_a_reason() {
        let mut spec = FitSeriesSpec::new(&example().unwrap(), &FitOptions::default());
        spec.frames[2].pop();
        let e = FitSeries::new(spec.clone()).unwrap_err();
        assert!(e.to_string().contains("frame 2"), "{e}");
        spec.frames.clear();
        spec.times.clear();
        assert!(FitSeries::new(spec).is_err());
    }
}
