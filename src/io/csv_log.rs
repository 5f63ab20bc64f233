//! The observable log as CSV: a header row of named columns, then one row per sample
//! (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a comma, quote, CR
//! or LF, quotes inside doubled).
//!
//! Numbers are written exactly as Python's `repr(float)` writes them — the shortest text that
//! reads back to the same `f64`, fixed notation for decimal exponents -4 ≤ e < 16, otherwise
//! `1.5e-07` / `2e+16`; `nan`, `inf`, `-inf` for non-finite values — so a log is byte-identical
//! on every platform and reads back bit-exactly with Python, numpy or pandas
//! (`tests/reference/csv_log_fixtures.py` checks the formatting against Python itself).

use std::borrow::Cow;
use std::io::Write;

/// An error writing the log.
#[derive(Debug, thiserror::Error)]
pub enum CsvLogError {
    /// The destination failed.
    #[error("CSV log I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The log was created without columns.
    #[error("a CSV log needs at least one column")]
    NoColumns,
    /// Two columns have the same name.
    #[error("column {name:?} appears twice in the CSV log header")]
    DuplicateColumn {
        /// The repeated name.
        name: String,
    },
    /// A row with the wrong number of values.
    #[error("CSV log row {row} has {found} values but the header has {expected} columns")]
    ColumnCount {
        /// Row number (0 = first sample).
        row: u64,
        /// Columns in the header.
        expected: usize,
        /// Values given.
        found: usize,
    },
    /// A named value for a column the header does not have.
    #[error("CSV log row {row}: no column named {name:?}")]
    UnknownColumn {
        /// Row number.
        row: u64,
        /// The name given.
        name: String,
    },
    /// A column without a value in a named row.
    #[error("CSV log row {row}: no value for column {name:?}")]
    MissingColumn {
        /// Row number.
        row: u64,
        /// The column left out.
        name: String,
    },
}

/// Formats an `f64` as Python's `repr` does (see the module docs).
#[must_use]
pub fn format_f64(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digit count k ("-1.2345e-7": k = 5). Python
    // picks, among the k-digit strings that round-trip, the one nearest x with ties to even;
    // that is x correctly rounded to k digits, which Rust's exact mode (`{:.*e}`, half-even)
    // gives. The two differ only on exact ties, e.g. -2056217313812043.25.
    let shortest = format!("{x:e}");
    let k = shortest
        .split_once('e')
        .map_or(1, |(m, _)| m.chars().filter(char::is_ascii_digit).count());
    let sci = format!("{x:.*e}", k.saturating_sub(1));
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let ndig = digits.len() as i32;
    let decpt = exp + 1; // position of the decimal point relative to the digit string
    if (-4 < decpt) && (decpt <= 16) {
        if decpt <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
        } else if decpt >= ndig {
            format!("{sign}{digits}{}.0", "0".repeat((decpt - ndig) as usize))
        } else {
            let (a, b) = digits.split_at(decpt as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
    }
}

/// Quotes a field when RFC 4180 requires it.
#[must_use]
pub fn quote_field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV log being written: the header on creation, then one row per sample.
#[derive(Debug)]
pub struct CsvLog<W> {
    out: W,
    columns: Vec<String>,
    rows: u64,
}

impl<W: Write> CsvLog<W> {
    /// Starts a log with the given column names and writes the header row.
    ///
    /// # Errors
    /// [`CsvLogError::NoColumns`], [`CsvLogError::DuplicateColumn`] or [`CsvLogError::Io`].
    pub fn new<I, S>(mut out: W, columns: I) -> Result<Self, CsvLogError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let columns: Vec<String> = columns.into_iter().map(Into::into).collect();
        if columns.is_empty() {
            return Err(CsvLogError::NoColumns);
        }
        for (i, c) in columns.iter().enumerate() {
            if columns[..i].contains(c) {
                return Err(CsvLogError::DuplicateColumn { name: c.clone() });
            }
        }
        let header: Vec<Cow<'_, str>> = columns.iter().map(|c| quote_field(c)).collect();
        write!(out, "{}\r\n", header.join(","))?;
        Ok(Self {
            out,
            columns,
            rows: 0,
        })
    }

    /// The column names.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Number of sample rows written.
    #[must_use]
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Writes one row, values in column order.
    ///
    /// # Errors
    /// [`CsvLogError::ColumnCount`] or [`CsvLogError::Io`].
    pub fn write_row(&mut self, values: &[f64]) -> Result<(), CsvLogError> {
        if values.len() != self.columns.len() {
            return Err(CsvLogError::ColumnCount {
                row: self.rows,
                expected: self.columns.len(),
                found: values.len(),
            });
        }
        let line: Vec<String> = values.iter().map(|&v| format_f64(v)).collect();
        write!(self.out, "{}\r\n", line.join(","))?;
        self.rows += 1;
        Ok(())
    }

    /// Writes one row from named values, in any order; every column needs exactly one value.
    ///
    /// # Errors
    /// [`CsvLogError::UnknownColumn`], [`CsvLogError::MissingColumn`],
    /// [`CsvLogError::ColumnCount`] (a name given twice) or [`CsvLogError::Io`].
    pub fn write_named(&mut self, values: &[(&str, f64)]) -> Result<(), CsvLogError> {
        let mut row = vec![None; self.columns.len()];
        for &(name, v) in values {
            let i = self.columns.iter().position(|c| c == name).ok_or_else(|| {
                CsvLogError::UnknownColumn {
                    row: self.rows,
                    name: name.to_string(),
                }
            })?;
            if row[i].replace(v).is_some() {
                return Err(CsvLogError::ColumnCount {
                    row: self.rows,
                    expected: self.columns.len(),
                    found: values.len(),
                });
            }
        }
        let row: Vec<f64> = row
            .iter()
            .zip(&self.columns)
            .map(|(v, c)| {
                v.ok_or_else(|| CsvLogError::MissingColumn {
                    row: self.rows,
                    name: c.clone(),
                })
            })
            .collect::<Result<_, _>>()?;
        self.write_row(&row)
    }

    /// Flushes and gives the destination back.
    ///
    /// # Errors
    /// [`CsvLogError::Io`].
    pub fn finish(mut self) -> Result<W, CsvLogError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn python_repr_formatting() {
        let cases = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123456.789, "123456.789"),
            (1e16, "1e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (1e300, "1e+300"),
            (f64::from_bits(0xc31d_3879_9a48_792d), "-2056217313812043.2"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (x, want) in cases {
            assert_eq!(format_f64(x), want, "{x:e}");
        }
    }

    #[test]
    fn formatting_round_trips_bit_exactly() {
        let mut x = 0.123_456_789_f64;
        for _ in 0..2000 {
            x = (x * 1.618_033_988_749_895 + 0.377).fract() * 10f64.powi((x * 600.0) as i32 - 300);
            let s = format_f64(x);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{s}");
        }
    }

    #[test]
    fn rfc4180_header_quoting_and_rows() {
        let mut log =
            CsvLog::new(Vec::new(), ["step", "T, kinetic", "say \"hi\"", "a\nb"]).unwrap();
        log.write_row(&[0.0, 1.5, -2.0, 3.0]).unwrap();
        log.write_named(&[
            ("a\nb", 4.0),
            ("step", 10.0),
            ("say \"hi\"", 1e-9),
            ("T, kinetic", 0.5),
        ])
        .unwrap();
        let text = String::from_utf8(log.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "step,\"T, kinetic\",\"say \"\"hi\"\"\",\"a\nb\"\r\n0.0,1.5,-2.0,3.0\r\n10.0,0.5,1e-09,4.0\r\n"
        );
    }

    #[test]
    fn bad_rows_and_headers_are_refused() {
        assert!(matches!(
            CsvLog::new(Vec::new(), Vec::<String>::new()),
            Err(CsvLogError::NoColumns)
        ));
        assert!(matches!(
            CsvLog::new(Vec::new(), ["a", "a"]),
            Err(CsvLogError::DuplicateColumn { .. })
        ));
        let mut log = CsvLog::new(Vec::new(), ["a", "b"]).unwrap();
        assert!(matches!(
            log.write_row(&[1.0]),
            Err(CsvLogError::ColumnCount {
                row: 0,
                expected: 2,
                found: 1
            })
        ));
        assert!(matches!(
            log.write_named(&[("a", 1.0)]),
            Err(CsvLogError::MissingColumn { .. })
        ));
        assert!(matches!(
            log.write_named(&[("a", 1.0), ("c", 2.0)]),
            Err(CsvLogError::UnknownColumn { .. })
        ));
        assert!(matches!(
            log.write_named(&[("a", 1.0), ("a", 2.0)]),
            Err(CsvLogError::ColumnCount { .. })
        ));
        assert_eq!(log.rows(), 0);
    }
}
