//! Reading scattering data as beamlines and SasView write it (SCIENCE.md §5, "Data").
//!
//! - [`read_pattern`]: one curve, 2–4 columns (q, I or S, error, q resolution), from text
//!   (SasView, pyFAI `.dat`/`.xy`, Fit2D `.chi`, BioXTAS RAW `.dat`, CSV), Anton Paar `.pdh`,
//!   canSAS 1D XML or NXcanSAS HDF5 (which format: [`source`]). The first column may be q, the
//!   angle 2θ (with a wavelength) or a spacing d ([`axis`]); a file with more columns is a
//!   series and is refused with that said ([`ReadError::MultiColumn`]).
//! - [`read_series`]: a time series, wide (q first, one column per time, times in the
//!   header) or long (time, q, S); [`Series::normalized_by_first`] turns raw I(q, t) into
//!   S(q, t) = I(q, t)/I(q, t₀).
//!
//! Text: UTF-8 with or without a byte-order mark; comma, semicolon, tab or whitespace
//! delimited (a semicolon file with decimal commas is understood); comment lines start with
//! `#`, `%`, `!` or `//`; a header row or none. Files larger than [`MAX_INPUT_BYTES`] are
//! refused. Units of q come from the header or comments (`1/nm`, `nm^-1`, `1/A`, `Å⁻¹`, …),
//! else a stated guess from the q range ([`QUnit::guess`]), and the caller may override.
//!
//! Bad rows (non-numbers, NaN, non-positive q, ragged rows) are skipped, duplicate q are
//! dropped (first kept), unsorted rows are sorted; each is reported as a [`ReadWarning`]
//! naming the line, column and value. Reading never panics.

mod axis;
mod cansas_xml;
mod nxcansas;
mod pattern;
mod pdh;
mod series;
mod source;
mod table;
mod time;
mod units;

pub use pattern::{read_pattern, Pattern};
pub use series::{read_series, Series, SeriesLayout};
pub use units::{QUnit, UnitChoice, UnitOrigin};

use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest input accepted, in bytes (64 MiB); larger files get [`ReadError::TooLarge`].
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// At most this many warnings are kept; the rest are counted in a final summary warning.
pub const MAX_WARNINGS: usize = 200;

/// Options shared by the readers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ReadOptions {
    /// The unit of q, overriding what the header says and any guess.
    pub q_unit: Option<QUnit>,
    /// The wavelength in Å, for a 2θ column when the file does not state it (the file's
    /// own wavelength wins only when this is `None`).
    pub wavelength: Option<f64>,
}

/// Something that was wrong with the input but could be worked around.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadWarning {
    /// 1-based line number in the file, when the problem is on one line.
    pub line: Option<usize>,
    /// 1-based column number, when the problem is in one cell.
    pub column: Option<usize>,
    /// What was wrong and what was done about it.
    pub message: String,
}

impl fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    /// Nothing in the file.
    #[error("the file is empty")]
    Empty,
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("the file has {size} bytes; the limit is {limit} bytes (64 MiB): cut the q range or the number of frames")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// UTF-16 text (a UTF-16 byte-order mark).
    #[error("the file is UTF-16 text; save it as UTF-8 (or plain ASCII) and try again")]
    Utf16,
    /// Bytes that are not UTF-8.
    #[error("line {line}: byte {byte} is not valid UTF-8 text; is this a binary file?")]
    NotUtf8 {
        /// 1-based line of the first bad byte.
        line: usize,
        /// 0-based offset of the first bad byte in the file.
        byte: usize,
    },
    /// No rows with numbers in them.
    #[error("no data rows: {detail}")]
    NoData {
        /// What was found instead.
        detail: String,
    },
    /// The data rows have fewer columns than needed.
    #[error("line {line}: found {found} column(s); need at least {need} ({what})")]
    TooFewColumns {
        /// 1-based line of the first data row.
        line: usize,
        /// Columns found.
        found: usize,
        /// Columns needed.
        need: usize,
        /// What the columns should be.
        what: &'static str,
    },
    /// A series that cannot be assembled.
    #[error("time series: {0}")]
    Series(String),
    /// The first column is not q and cannot become q with what is known.
    #[error("column '{column}' cannot be read as q: {why}")]
    Abscissa {
        /// The column's name.
        column: String,
        /// What it is and what is needed.
        why: String,
    },
    /// A structured format (XML, HDF5, PDH) that is broken or not the expected kind.
    #[error("{format}: {detail}")]
    Format {
        /// The format's name.
        format: &'static str,
        /// What is wrong, with its place.
        detail: String,
    },
    /// More intensity columns than one pattern has: a series.
    #[error("{detail}: this is a series (q, then one column per time or sample), not one pattern. Fit it as a series (bnsl fit-series FILE, or the SAXS tab, which reads it as one), or keep the columns q, I, error and resolution only")]
    MultiColumn {
        /// What was seen, with its line.
        detail: String,
    },
}

/// Collects warnings up to [`MAX_WARNINGS`], counting the rest.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    list: Vec<ReadWarning>,
    dropped: usize,
}

impl Warnings {
    pub(crate) fn push(&mut self, line: Option<usize>, column: Option<usize>, message: String) {
        if self.list.len() < MAX_WARNINGS {
            self.list.push(ReadWarning {
                line,
                column,
                message,
            });
        } else {
            self.dropped += 1;
        }
    }

    pub(crate) fn extend(&mut self, other: Vec<ReadWarning>) {
        for w in other {
            self.push(w.line, w.column, w.message);
        }
    }

    pub(crate) fn finish(mut self) -> Vec<ReadWarning> {
        if self.dropped > 0 {
            self.list.push(ReadWarning {
                line: None,
                column: None,
                message: format!("… and {} more warnings", self.dropped),
            });
        }
        self.list
    }

    pub(crate) fn first(&self, n: usize) -> String {
        self.list
            .iter()
            .take(n)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod robustness_tests;
