//! The Analyse tab's worker job: a GSD trajectory (ours or HOOMD-blue's, handed over as bytes)
//! analysed frame by frame and stage by stage with [`crate::analysis::pipeline`] — crystalline
//! fractions, q_l histograms, Fig. 4 labels, local density, g(r), S(q) (SCIENCE.md §2).
//!
//! Each [`Job::advance`] runs one stage of one frame (a classifier, the local density, g(r) or
//! S(q)) and reports progress; a finished frame is one [`AnalyseOutput`] whose Fig. 4 labels
//! travel as the event's byte attachment (one byte per particle and classifier, see
//! [`label_bytes`]) instead of JSON.

use serde::{Deserialize, Serialize};

use super::{Emit, Job, JobError, JobEvent, JobFuture, JobOutput, Step};
use crate::analysis::pipeline::{AnalysisSettings, FrameReport, RunStep, TrajectoryRun};
use crate::analysis::Label;

/// What to analyse: the settings (the trajectory is the job's byte input).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyseSpec {
    /// Classifiers, local density, g(r) and S(q) parameters.
    pub settings: AnalysisSettings,
}

/// One analysed frame. The report's per-classifier `labels` are empty here: they are the
/// event's attachment ([`label_bytes`], restored with [`restore_labels`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyseOutput {
    /// Number of frames in the file.
    pub frames: u64,
    /// The frame's results.
    pub report: Box<FrameReport>,
}

/// The analysis job.
#[derive(Debug)]
pub struct Analyse {
    run: TrajectoryRun,
}

impl Analyse {
    /// Opens the trajectory `bytes` for analysis.
    ///
    /// # Errors
    /// A message for invalid settings, a file that is not a HOOMD GSD file, or an empty one.
    pub fn new(spec: AnalyseSpec, bytes: Vec<u8>) -> Result<Self, JobError> {
        if bytes.is_empty() {
            return Err(JobError::NoTrajectory);
        }
        let run = TrajectoryRun::open(bytes, spec.settings)?;
        Ok(Self { run })
    }

    fn chunk(&mut self) -> Result<Step, JobError> {
        let step = self.run.advance()?;
        let (done, total) = self.run.progress();
        let mut emits = Vec::new();
        if let RunStep::Frame(report) = step {
            let mut report = report;
            let attachment = label_bytes(&mut report);
            emits.push(Emit {
                event: JobEvent::Output(JobOutput::Analyse(AnalyseOutput {
                    frames: self.run.frame_count(),
                    report,
                })),
                attachment,
            });
        }
        emits.push(Emit::progress(done, total, self.run.note()));
        if done >= total {
            Ok(Step::Done(emits))
        } else {
            Ok(Step::Continue(emits))
        }
    }
}

impl Job for Analyse {
    fn advance(&mut self) -> JobFuture<'_> {
        let step = self.chunk();
        Box::pin(async move { step })
    }
}

/// The byte code of a Fig. 4 label: 0 crystalline, 1 neighbour, 2 other.
#[must_use]
pub fn label_code(label: Label) -> u8 {
    match label {
        Label::Crystalline => 0,
        Label::Neighbor => 1,
        Label::Other => 2,
    }
}

/// Moves every classifier's labels out of `report` into bytes (classifier after classifier,
/// one byte per particle).
pub fn label_bytes(report: &mut FrameReport) -> Vec<u8> {
    let mut out = Vec::with_capacity(report.classifiers.len() * report.particles);
    for c in &mut report.classifiers {
        out.extend(c.labels.drain(..).map(label_code));
    }
    out
}

/// Puts the labels of [`label_bytes`] back into `report`.
///
/// # Errors
/// A message when the bytes do not hold one label per particle and classifier.
pub fn restore_labels(report: &mut FrameReport, bytes: &[u8]) -> Result<(), JobError> {
    let n = report.particles;
    if bytes.len() != n * report.classifiers.len() {
        return Err(JobError::Labels {
            frame: report.frame,
            bytes: bytes.len(),
            classifiers: report.classifiers.len(),
            particles: n,
        });
    }
    for (c, chunk) in report.classifiers.iter_mut().zip(bytes.chunks(n.max(1))) {
        c.labels = chunk
            .iter()
            .map(|&b| match b {
                0 => Label::Crystalline,
                1 => Label::Neighbor,
                _ => Label::Other,
            })
            .collect();
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::jobs::{build, drive, JobSpec};
    use crate::lattice::{crystal, Diameters, UnitCell};

    fn spec() -> JobSpec {
        JobSpec::Analyse(AnalyseSpec {
            settings: AnalysisSettings::default(),
        })
    }

    #[test]
    fn a_trajectory_gives_one_output_per_frame_and_labels_round_trip() {
        let frame = crystal(&UnitCell::alb2(1.05, 1.0), [4, 3, 4], Diameters::PAPER);
        let mut later = frame.clone();
        later.step = 100;
        let bytes = crate::io::gsd::write_trajectory(&[frame.clone(), later]).unwrap();
        let mut job = build(spec(), bytes).unwrap();
        let emits = drive(job.as_mut()).unwrap();
        let mut outputs = Vec::new();
        let mut last = 0.0;
        for e in emits {
            match e.event {
                JobEvent::Progress(p) => {
                    assert!(p.fraction() >= last);
                    last = p.fraction();
                }
                JobEvent::Output(JobOutput::Analyse(mut o)) => {
                    // Through JSON, as between worker and page.
                    let text = serde_json::to_string(&o).unwrap();
                    o = serde_json::from_str(&text).unwrap();
                    restore_labels(&mut o.report, &e.attachment).unwrap();
                    outputs.push(o);
                }
                JobEvent::Output(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(last, 1.0);
        assert_eq!(outputs.len(), 2);
        let r = &outputs[1].report;
        assert_eq!((outputs[1].frames, r.frame), (2, 1));
        assert_eq!(r.classifiers[0].fraction, 1.0);
        assert!(r.classifiers[0]
            .labels
            .iter()
            .zip(&frame.typeid)
            .all(|(&l, &t)| l
                == if t == 0 {
                    Label::Crystalline
                } else {
                    Label::Neighbor
                }));
        assert!(restore_labels(&mut r.clone(), &[0, 1]).is_err());
    }

    #[test]
    fn bad_input_fails_with_a_message() {
        let err = build(spec(), b"GSD? no".to_vec()).err().unwrap();
        assert!(
            err.to_string()
                .contains("cannot be read as a GSD trajectory"),
            "{err}"
        );
        let err = build(spec(), Vec::new()).err().unwrap();
        assert!(err.to_string().contains("no file"), "{err}");
    }
}
