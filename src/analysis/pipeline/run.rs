//! A whole GSD trajectory analysed frame by frame, stage by stage: what the page's worker
//! job and tests drive. Holds the file's bytes (as the browser hands them over) and reads one
//! frame at a time.

use std::io::Cursor;

use super::frame::FrameWork;
use super::report::FrameReport;
use super::settings::AnalysisSettings;
use super::PipelineError;
use crate::io::gsd::HoomdReader;

/// What one call of [`TrajectoryRun::advance`] did.
#[derive(Debug)]
pub enum RunStep {
    /// A stage of a frame finished; more to do.
    Working,
    /// A frame finished: its report.
    Frame(Box<FrameReport>),
    /// Every frame is done (nothing was computed by this call).
    Finished,
}

/// The analysis of a GSD trajectory held in memory.
#[derive(Debug)]
pub struct TrajectoryRun {
    reader: HoomdReader<Cursor<Vec<u8>>>,
    settings: AnalysisSettings,
    frames: u64,
    next: u64,
    current: Option<FrameWork>,
}

impl TrajectoryRun {
    /// Opens the trajectory in `bytes` (ours or HOOMD-blue's) for analysis with `settings`.
    ///
    /// # Errors
    /// [`PipelineError::Settings`] for invalid settings, [`PipelineError::Gsd`] for a file
    /// that is not a readable HOOMD GSD file, [`PipelineError::NoFrames`] for an empty one.
    pub fn open(bytes: Vec<u8>, settings: AnalysisSettings) -> Result<Self, PipelineError> {
        let issues = settings.validate();
        if !issues.is_empty() {
            return Err(PipelineError::Settings(issues));
        }
        let reader = HoomdReader::open(Cursor::new(bytes))?;
        let frames = reader.frame_count();
        if frames == 0 {
            return Err(PipelineError::NoFrames);
        }
        Ok(Self {
            reader,
            settings,
            frames,
            next: 0,
            current: None,
        })
    }

    /// Number of frames in the file.
    #[must_use]
    pub fn frame_count(&self) -> u64 {
        self.frames
    }

    /// Frames finished so far.
    #[must_use]
    pub fn frames_done(&self) -> u64 {
        self.next
    }

    /// Progress in stages: (done, total), over all frames.
    #[must_use]
    pub fn progress(&self) -> (u64, u64) {
        let per = self.settings.classifiers.len() as u64 + 3;
        let within = self.current.as_ref().map_or(0, |w| w.stages_done() as u64);
        (self.next * per + within, self.frames * per)
    }

    /// A note on what comes next, e.g. "frame 3 of 10: AlB2".
    #[must_use]
    pub fn note(&self) -> String {
        if self.next >= self.frames {
            return format!("{} frames analysed", self.frames);
        }
        let stage = self
            .current
            .as_ref()
            .map_or_else(|| "reading".to_owned(), FrameWork::next_stage_name);
        format!("frame {} of {}: {stage}", self.next + 1, self.frames)
    }

    /// Does the next stage of work (reading a frame counts with its first stage).
    ///
    /// # Errors
    /// [`PipelineError::Gsd`] when a frame cannot be read, [`PipelineError::Analysis`] when it
    /// cannot be analysed (the run stays at that frame).
    pub fn advance(&mut self) -> Result<RunStep, PipelineError> {
        if self.next >= self.frames {
            return Ok(RunStep::Finished);
        }
        let work = match self.current.as_mut() {
            Some(w) => w,
            None => {
                let frame = self.reader.read_frame(self.next)?;
                self.current
                    .insert(FrameWork::new(self.next, &frame, &self.settings)?)
            }
        };
        if work.advance()? {
            let done = self.current.take().map(FrameWork::finish);
            self.next += 1;
            if let Some(report) = done {
                return Ok(RunStep::Frame(Box::new(report)));
            }
        }
        Ok(RunStep::Working)
    }
}
