//! Running one planned run piece by piece through the one run loop ([`crate::run::Run`]), each
//! piece writing its CSV log and GSD frames and ending at a checkpoint: the state at its last
//! step in double precision (positions, velocities, images, step), from which the next piece
//! starts. A run stopped anywhere resumes from its last checkpoint; the Langevin noise is
//! keyed by (seed, step, particle), so the pieces are the same run as one long one. The MTK
//! thermostat's chain starts afresh at every piece (its variables are not in the state).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::error::ReproduceError;
use super::plan::{Piece, PlannedRun};
use crate::gpu::Device;
use crate::io::gsd::{HoomdReader, HoomdWriter, Precision};
use crate::md::config::{InitialConfig, StageConfig};
use crate::model::Frame;
use crate::run::{Crystal, CsvLog, GsdTrajectory, Moment, MomentKind, Output, Run, RunError};

/// Steps between two progress reports inside a piece.
const REPORT_EVERY: u64 = 5_000;

/// What a run's folder says about it (`record.json`, rewritten after every checkpoint).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Pieces finished (each with its log, frames and checkpoint).
    pub pieces_done: usize,
    /// Steps finished.
    pub steps_done: u64,
    /// Wall-clock seconds spent on the finished pieces, over every invocation.
    pub wall_s: f64,
}

/// The files of one run.
#[derive(Clone, Debug)]
pub struct RunFolder {
    dir: PathBuf,
}

impl RunFolder {
    /// The folder of `run` under `out/runs/`.
    #[must_use]
    pub fn new(out: &Path, run: &PlannedRun) -> Self {
        Self {
            dir: out.join("runs").join(&run.id),
        }
    }

    /// The CSV log of piece `k`.
    #[must_use]
    pub fn log(&self, k: usize) -> PathBuf {
        self.dir.join(format!("piece-{k:03}.csv"))
    }

    /// The GSD frames of piece `k`.
    #[must_use]
    pub fn frames(&self, k: usize) -> PathBuf {
        self.dir.join(format!("piece-{k:03}.gsd"))
    }

    fn checkpoint(&self, k: usize) -> PathBuf {
        self.dir.join(format!("checkpoint-{k:03}.gsd"))
    }

    fn record_path(&self) -> PathBuf {
        self.dir.join("record.json")
    }

    /// The run's record (all zero before its first checkpoint).
    ///
    /// # Errors
    /// [`ReproduceError::Content`] for a damaged record.
    pub fn record(&self) -> Result<Record, ReproduceError> {
        let path = self.record_path();
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| ReproduceError::Content {
                path,
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Record::default()),
            Err(source) => Err(ReproduceError::File { path, source }),
        }
    }

    fn save(&self, record: &Record) -> Result<(), ReproduceError> {
        let path = self.record_path();
        let tmp = self.dir.join("record.json.tmp");
        let text = serde_json::to_string_pretty(record).map_err(|e| ReproduceError::Content {
            path: path.clone(),
            message: e.to_string(),
        })?;
        std::fs::write(&tmp, text).map_err(ReproduceError::file(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(ReproduceError::file(&path))
    }
}

/// Where a run is, for progress reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunProgress {
    /// Steps of the run done.
    pub step: u64,
    /// Steps of the run in all.
    pub steps: u64,
    /// Wall seconds this invocation has spent on the run so far.
    pub elapsed_s: f64,
}

/// Keeps the state at the end of a piece.
#[derive(Default)]
struct Checkpoint {
    frame: Option<Frame>,
}

impl Output for Checkpoint {
    fn every(&self) -> u64 {
        0
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        if moment.kind == MomentKind::End {
            self.frame = Some(moment.state.to_frame());
        }
        Ok(())
    }
}

/// Runs the unfinished pieces of `run` in `folder` (creating it), calling `report` every few
/// thousand steps; returns the run's record.
///
/// # Errors
/// [`ReproduceError`] naming the run, the piece's file or the engine's fault.
pub fn execute(
    folder: &RunFolder,
    run: &PlannedRun,
    report: &mut dyn FnMut(RunProgress),
) -> Result<Record, ReproduceError> {
    std::fs::create_dir_all(&folder.dir).map_err(ReproduceError::file(&folder.dir))?;
    let mut record = folder.record()?;
    if record.pieces_done > run.pieces.len() {
        return Err(ReproduceError::Content {
            path: folder.record_path(),
            message: format!(
                "{} pieces done but the run has {}",
                record.pieces_done,
                run.pieces.len()
            ),
        });
    }
    let steps = run.steps();
    let started = Instant::now();
    for k in record.pieces_done..run.pieces.len() {
        let begin = Instant::now();
        let before = record.steps_done;
        let frame = run_piece(folder, run, k, &mut |done| {
            report(RunProgress {
                step: before + done,
                steps,
                elapsed_s: started.elapsed().as_secs_f64(),
            });
        })?;
        let path = folder.checkpoint(k);
        write_checkpoint(&path, &frame)?;
        record.pieces_done = k + 1;
        record.steps_done += run.pieces[k].steps;
        record.wall_s += begin.elapsed().as_secs_f64();
        folder.save(&record)?;
        if k > 0 {
            let old = folder.checkpoint(k - 1);
            std::fs::remove_file(&old).map_err(ReproduceError::file(&old))?;
        }
    }
    Ok(record)
}

/// Runs piece `k` of `run` from the previous checkpoint (or the run's own initial state) and
/// returns its last state.
fn run_piece(
    folder: &RunFolder,
    run: &PlannedRun,
    k: usize,
    report: &mut dyn FnMut(u64),
) -> Result<Frame, ReproduceError> {
    let Piece {
        steps, compress_to, ..
    } = run.pieces[k];
    let mut config = run.config.clone();
    let start = if k == 0 {
        None
    } else {
        let path = folder.checkpoint(k - 1);
        config.initial = InitialConfig::Gsd {
            path: path.display().to_string(),
            frame: -1,
        };
        Some(read_checkpoint(&path)?)
    };
    let setup = |source| ReproduceError::Setup {
        run: run.id.clone(),
        source: Box::new(source),
    };
    let failed = |source| ReproduceError::Run {
        run: run.id.clone(),
        source: Box::new(source),
    };
    let sim = config.build(start).map_err(setup)?;
    let crystal = Crystal::new(&config, run.structure).map_err(failed)?;
    let stages = vec![StageConfig { steps, compress_to }];
    let mut engine =
        pollster::block_on(Run::start(sim, Device::Cpu, stages, crystal)).map_err(failed)?;
    let log_path = folder.log(k);
    let frames_path = folder.frames(k);
    let log_file = File::create(&log_path).map_err(ReproduceError::file(&log_path))?;
    let mut log = CsvLog::new(
        BufWriter::new(log_file),
        log_path.display().to_string(),
        config.output.log_every.max(1),
    );
    let frames_file = File::create(&frames_path).map_err(ReproduceError::file(&frames_path))?;
    let mut frames = GsdTrajectory::new(
        frames_file,
        frames_path.display().to_string(),
        config.output.frame_every.max(1),
    )
    .map_err(failed)?;
    let mut checkpoint = Checkpoint::default();
    while !engine.has_ended() {
        pollster::block_on(
            engine.advance(REPORT_EVERY, &mut [&mut log, &mut frames, &mut checkpoint]),
        )
        .map_err(failed)?;
        report(engine.progress().0);
    }
    checkpoint.frame.ok_or_else(|| ReproduceError::Content {
        path: log_path,
        message: "the piece ended without a last state".into(),
    })
}

fn write_checkpoint(path: &Path, frame: &Frame) -> Result<(), ReproduceError> {
    let gsd = |source| ReproduceError::Gsd {
        path: path.to_owned(),
        source,
    };
    let tmp = path.with_extension("gsd.tmp");
    let file = File::create(&tmp).map_err(ReproduceError::file(&tmp))?;
    let mut writer = HoomdWriter::with_precision(file, Precision::Double).map_err(gsd)?;
    writer.append(frame).map_err(gsd)?;
    writer.finish().map_err(gsd)?;
    std::fs::rename(&tmp, path).map_err(ReproduceError::file(path))
}

fn read_checkpoint(path: &Path) -> Result<Frame, ReproduceError> {
    let gsd = |source| ReproduceError::Gsd {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(ReproduceError::file(path))?;
    let mut reader = HoomdReader::open(std::io::BufReader::new(file)).map_err(gsd)?;
    let last = reader
        .frame_count()
        .checked_sub(1)
        .ok_or_else(|| ReproduceError::Content {
            path: path.to_owned(),
            message: "the checkpoint holds no frame".into(),
        })?;
    reader.read_frame(last).map_err(gsd)
}
