//! The outputs every face shares: the CSV log (observables and crystalline fraction, one row
//! per moment, flushed as it goes so that a killed run keeps its rows), the GSD trajectory
//! (one frame per moment; the GSD writer leaves a valid file after every frame) and the
//! summary of the last moment (sample and fingerprint).

use std::io::{Seek, Write};

use super::crystal::Sample;
use super::error::RunError;
use super::output::{Moment, Output};
use crate::io::gsd::HoomdWriter;
use crate::md::fingerprint;

/// The CSV log: [`Sample::CSV_HEADER`], then one row at the start, every `every` steps, at
/// the end and at the last good state.
#[derive(Debug)]
pub struct CsvLog<W: Write> {
    out: W,
    name: String,
    every: u64,
    header: bool,
}

impl<W: Write> CsvLog<W> {
    /// A log written to `out` (called `name` in messages) every `every` steps.
    pub fn new(out: W, name: impl Into<String>, every: u64) -> Self {
        Self {
            out,
            name: name.into(),
            every,
            header: false,
        }
    }

    fn line(&mut self, text: &str) -> Result<(), RunError> {
        writeln!(self.out, "{text}")
            .and_then(|()| self.out.flush())
            .map_err(|source| RunError::Write {
                name: self.name.clone(),
                source,
            })
    }
}

impl<W: Write> Output for CsvLog<W> {
    fn every(&self) -> u64 {
        self.every
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        if !self.header {
            self.header = true;
            self.line(Sample::CSV_HEADER)?;
        }
        let row = moment.sample()?.csv_row();
        self.line(&row)
    }
}

/// The GSD trajectory (HOOMD schema, single precision): one frame at the start, every `every`
/// steps, at the end and at the last good state.
#[derive(Debug)]
pub struct GsdTrajectory<W: Write + Seek> {
    writer: Option<HoomdWriter<W>>,
    name: String,
    every: u64,
}

impl<W: Write + Seek> GsdTrajectory<W> {
    /// A trajectory written to `out` (called `name` in messages) every `every` steps.
    ///
    /// # Errors
    /// [`RunError::Trajectory`] when the file header cannot be written.
    pub fn new(out: W, name: impl Into<String>, every: u64) -> Result<Self, RunError> {
        let name = name.into();
        let writer = HoomdWriter::create(out).map_err(|source| RunError::Trajectory {
            name: name.clone(),
            source,
        })?;
        Ok(Self {
            writer: Some(writer),
            name,
            every,
        })
    }
}

impl<W: Write + Seek> Output for GsdTrajectory<W> {
    fn every(&self) -> u64 {
        self.every
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        writer
            .append(&moment.state.to_frame())
            .map_err(|source| RunError::Trajectory {
                name: self.name.clone(),
                source,
            })
    }

    fn finish(&mut self) -> Result<(), RunError> {
        match self.writer.take() {
            Some(writer) => writer
                .finish()
                .map(drop)
                .map_err(|source| RunError::Trajectory {
                    name: self.name.clone(),
                    source,
                }),
            None => Ok(()),
        }
    }
}

/// The last moment a run reached: its sample and the fingerprint of its positions (taken at
/// the start and at the end or the last good state).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Summary {
    /// The sample of the last moment.
    pub sample: Option<Sample>,
    /// The fingerprint of its positions ([`crate::md::fingerprint`]).
    pub fingerprint: Option<u64>,
}

impl Output for Summary {
    fn every(&self) -> u64 {
        0
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        self.sample = Some(moment.sample()?);
        self.fingerprint = Some(fingerprint(&moment.state.pos));
        Ok(())
    }
}
