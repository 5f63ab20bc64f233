//! One scattering curve: q, I (or S), optional error and q resolution.

use super::axis::{Abscissa, Axis};
use super::source::{open, Kind};
use super::table::{modal_width, parse_number, Row, Table};
use super::time::time_in;
use super::{ReadError, ReadOptions, ReadWarning, UnitChoice, Warnings};
use serde::{Deserialize, Serialize};

/// A scattering curve, sorted by q with unique positive q.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pattern {
    /// Scattering vector, strictly increasing, > 0.
    pub q: Vec<f64>,
    /// Intensity or structure factor at each q.
    pub intensity: Vec<f64>,
    /// One-sigma error of the intensity, when the file has a usable third column.
    pub error: Option<Vec<f64>>,
    /// q resolution, when the file has a usable fourth column.
    pub dq: Option<Vec<f64>>,
    /// Unit of q and where it came from.
    pub unit: UnitChoice,
    /// Column names from the header (empty without a header).
    pub columns: Vec<String>,
    /// What was wrong with the input and how it was handled.
    pub warnings: Vec<ReadWarning>,
}

impl Pattern {
    /// A pattern from arrays (already sorted, unique, positive q), as generated data is.
    #[must_use]
    pub fn from_arrays(q: Vec<f64>, intensity: Vec<f64>, unit: UnitChoice) -> Self {
        Self {
            q,
            intensity,
            error: None,
            dq: None,
            unit,
            columns: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Number of points.
    #[must_use]
    pub fn len(&self) -> usize {
        self.q.len()
    }

    /// Whether there are no points.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
    }

    /// The pattern with at most `max_points` points: runs of k = ⌈n/max⌉ neighbours replaced
    /// by their mean q, mean I, error √(Σσ²)/k and mean resolution, said in a warning. A
    /// pattern that small already comes back unchanged. Dense detector data oversample
    /// peaks many times, so the binned pattern keeps their positions and widths.
    #[must_use]
    pub fn binned(&self, max_points: usize) -> Pattern {
        let n = self.len();
        if n <= max_points || max_points == 0 {
            return self.clone();
        }
        let k = n.div_ceil(max_points);
        let mean = |v: &[f64]| -> Vec<f64> {
            v.chunks(k)
                .map(|c| c.iter().sum::<f64>() / c.len() as f64)
                .collect()
        };
        let mut warnings = Warnings::default();
        warnings.extend(self.warnings.clone());
        let binned_n = n.div_ceil(k);
        warnings.push(
            None,
            None,
            format!("{n} points binned by {k} to {binned_n} (mean q and I of {k} neighbours) to bound the fit's time"),
        );
        Pattern {
            q: mean(&self.q),
            intensity: mean(&self.intensity),
            error: self.error.as_ref().map(|e| {
                e.chunks(k)
                    .map(|c| c.iter().map(|s| s * s).sum::<f64>().sqrt() / c.len() as f64)
                    .collect()
            }),
            dq: self.dq.as_ref().map(|d| mean(d)),
            unit: self.unit.clone(),
            columns: self.columns.clone(),
            warnings: warnings.finish(),
        }
    }
}

/// A parsed data row: line and up to four values.
struct Point {
    line: usize,
    values: [f64; 4],
}

/// Whether a column name says "uncertainty of I" (`Idev`, `sigma`, `Error`, `dI`, `<dY>`, `err`).
fn names_an_error(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "err", "sig", "dev", "unc", "std", "σ", "δ", "di", "dy", "ds",
    ]
    .iter()
    .any(|p| n.contains(p))
}

/// The column names: the header row, else (pyFAI) the last comment line with one name per
/// column whose first name is an abscissa.
fn column_names(table: &Table, width: usize) -> Vec<String> {
    if let Some(h) = &table.header {
        return h.cells.clone();
    }
    table
        .comments
        .iter()
        .rev()
        .map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .find(|names| {
            names.len() == width
                && names.iter().all(|n| parse_number(n, false).is_none())
                && Abscissa::from_name(&names[0]).is_some()
        })
        .unwrap_or_default()
}

/// Refuses a file whose columns are a series: more than four, or columns after q that are
/// all named as times or samples. A third column named otherwise than as an error is dropped.
fn check_columns(
    table: &Table,
    names: &[String],
    width: usize,
    warnings: &mut Warnings,
) -> Result<usize, ReadError> {
    let line = table.rows.first().map_or(0, |r| r.line);
    if let Some(first) = names.first() {
        let f = first.trim().to_lowercase();
        let time = f == "t"
            || ["time", "t (", "t[", "t_", "frame", "scan"]
                .iter()
                .any(|p| f.starts_with(p));
        if time && width >= 3 {
            return Err(ReadError::MultiColumn {
                detail: format!(
                    "the first column is named '{first}': a series in long form (time, q, I)"
                ),
            });
        }
    }
    if width > 4 {
        return Err(ReadError::MultiColumn {
            detail: format!("line {line}: {width} columns"),
        });
    }
    if width >= 3 {
        if let Some(third) = names.get(2) {
            if !names_an_error(third) {
                let timed = names[1..]
                    .iter()
                    .all(|n| time_in(n, table.decimal_comma).is_some());
                if timed {
                    return Err(ReadError::MultiColumn {
                        detail: format!(
                            "the columns after q are named '{}': times or samples",
                            names[1..].join("', '")
                        ),
                    });
                }
                warnings.push(
                    table.header.as_ref().map(|h| h.line),
                    Some(3),
                    format!("column 3 '{third}' is not named as an error of I (err, sigma, dev, dI): ignored, points weighted alike"),
                );
                return Ok(2);
            }
        }
    }
    Ok(width)
}

/// Reads one curve from file bytes. See the module docs of [`super`] for what is accepted.
///
/// # Errors
/// [`ReadError`] when nothing usable is in the file (empty, too large, not text nor a known
/// format, fewer than two numeric columns, fewer than three valid rows), when its first
/// column cannot become q ([`ReadError::Abscissa`]) or when it is a series
/// ([`ReadError::MultiColumn`]).
pub fn read_pattern(bytes: &[u8], options: &ReadOptions) -> Result<Pattern, ReadError> {
    let mut warnings = Warnings::default();
    let source = open(bytes, &mut warnings)?;
    let table = &source.table;
    let width = modal_width(&table.rows);
    if table.rows.is_empty() {
        return Err(ReadError::NoData {
            detail: "only a header".to_string(),
        });
    }
    if width < 2 {
        return Err(ReadError::TooFewColumns {
            line: table.rows[0].line,
            found: width,
            need: 2,
            what: "q and intensity",
        });
    }
    let names = column_names(table, width);
    let used = check_columns(table, &names, width, &mut warnings)?;
    let header = header_text(table);
    let axis = Axis::decide(
        options.q_unit,
        options.wavelength,
        source.abscissa,
        names.first().map(String::as_str),
        &header,
    )?;
    let mut points = Vec::with_capacity(table.rows.len());
    let mut keep_error = used >= 3;
    let mut keep_dq = used >= 4;
    for row in &table.rows {
        if let Some(mut p) = parse_row(table, row, used, &mut warnings) {
            let q = axis.to_q(p.values[0]);
            if q > 0.0 && q.is_finite() {
                p.values[0] = q;
                points.push(p);
            } else {
                warnings.push(
                    Some(row.line),
                    Some(1),
                    format!("{} gives no positive q: row skipped", p.values[0]),
                );
            }
        }
    }
    if axis.reverses() {
        points.reverse();
    }
    // Error and resolution columns are usable only if every kept row has a positive value.
    if keep_error {
        if let Some(p) = points
            .iter()
            .find(|p| p.values[2].is_nan() || p.values[2] <= 0.0 || p.values[2].is_infinite())
        {
            warnings.push(
                Some(p.line),
                Some(3),
                format!("error column has value {} (must be positive): errors ignored for the whole file", p.values[2]),
            );
            keep_error = false;
        }
    }
    if keep_dq {
        if let Some(p) = points
            .iter()
            .find(|p| p.values[3].is_nan() || p.values[3] < 0.0 || p.values[3].is_infinite())
        {
            warnings.push(
                Some(p.line),
                Some(4),
                format!(
                    "q-resolution column has value {} (must be ≥ 0): resolution ignored",
                    p.values[3]
                ),
            );
            keep_dq = false;
        }
    }
    sort_and_dedup(&mut points, &mut warnings);
    if points.len() < 3 {
        return Err(ReadError::NoData {
            detail: format!(
                "{} valid row(s) (need 3); {}",
                points.len(),
                warnings.first(3)
            ),
        });
    }
    let q: Vec<f64> = points.iter().map(|p| p.values[0]).collect();
    let q_max = q.last().copied().unwrap_or(0.0);
    let mut unit = axis.unit_choice(q_max);
    if source.kind != Kind::Text {
        unit.reason = format!("{} ({} file)", unit.reason, source.kind.name());
    }
    Ok(Pattern {
        intensity: points.iter().map(|p| p.values[1]).collect(),
        error: keep_error.then(|| points.iter().map(|p| p.values[2]).collect()),
        dq: keep_dq.then(|| points.iter().map(|p| p.values[3]).collect()),
        unit,
        q,
        columns: names,
        warnings: warnings.finish(),
    })
}

/// The header row and comments as one text, for unit detection (the q column first).
pub(crate) fn header_text(table: &Table) -> String {
    let mut text = String::new();
    if let Some(h) = &table.header {
        if let Some(first) = h.cells.first() {
            text.push_str(first);
            text.push('\n');
        }
    }
    for c in &table.comments {
        text.push_str(c);
        text.push('\n');
    }
    text
}

fn parse_row(table: &Table, row: &Row, used: usize, warnings: &mut Warnings) -> Option<Point> {
    let n = row.cells.len();
    if n < 2 {
        warnings.push(
            Some(row.line),
            None,
            format!("{n} column(s) where {used} were expected: row skipped"),
        );
        return None;
    }
    if n < used {
        warnings.push(
            Some(row.line),
            None,
            format!("{n} columns where {used} were expected (ragged row)"),
        );
    }
    let mut values = [f64::NAN; 4];
    for (c, cell) in row.cells.iter().take(used).enumerate() {
        match table.number(cell) {
            Some(v) => values[c] = v,
            None => {
                warnings.push(
                    Some(row.line),
                    Some(c + 1),
                    format!("'{}' is not a number: row skipped", clip(cell)),
                );
                return None;
            }
        }
    }
    for (c, &v) in values.iter().take(2).enumerate() {
        if !v.is_finite() {
            warnings.push(
                Some(row.line),
                Some(c + 1),
                format!("{v} is not a finite number: row skipped"),
            );
            return None;
        }
    }
    Some(Point {
        line: row.line,
        values,
    })
}

fn clip(cell: &str) -> String {
    let mut s: String = cell.chars().take(24).collect();
    if cell.chars().count() > 24 {
        s.push('…');
    }
    s
}

fn sort_and_dedup(points: &mut Vec<Point>, warnings: &mut Warnings) {
    if let Some(w) = points.windows(2).find(|w| w[1].values[0] < w[0].values[0]) {
        warnings.push(
            Some(w[1].line),
            Some(1),
            format!(
                "q = {} after q = {}: rows are not sorted by q; sorted",
                w[1].values[0], w[0].values[0]
            ),
        );
        // Stable: equal q keep file order, so the first occurrence survives deduplication.
        points.sort_by(|a, b| a.values[0].total_cmp(&b.values[0]));
    }
    let mut kept: Vec<Point> = Vec::with_capacity(points.len());
    for p in points.drain(..) {
        match kept.last() {
            Some(last) if last.values[0] == p.values[0] => warnings.push(
                Some(p.line),
                Some(1),
                format!(
                    "q = {} repeats line {}: row dropped (first kept)",
                    p.values[0], last.line
                ),
            ),
            _ => kept.push(p),
        }
    }
    *points = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saxs::read::{QUnit, UnitOrigin};

    fn read(text: &str) -> Pattern {
        read_pattern(text.as_bytes(), &ReadOptions::default()).expect("readable")
    }

    #[test]
    fn reads_sasview_style_text() {
        let p = read("<X>   <Y>   <dY>\n0.01 10.0 0.5\n0.02 8.0 0.4\n0.03 6.0 0.3\n");
        assert_eq!(p.q, vec![0.01, 0.02, 0.03]);
        assert_eq!(p.error.as_deref(), Some(&[0.5, 0.4, 0.3][..]));
        assert_eq!(p.unit.origin, UnitOrigin::Guess);
        assert_eq!(p.unit.unit, QUnit::InverseAngstrom);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn delimiters_comments_bom_and_units() {
        let csv = "\u{feff}# sample A\n// beamline X\nq (1/nm),S\n0.5,1.0\n0.6,1.2\n0.7,1.1\n";
        let p = read(csv);
        assert_eq!(p.len(), 3);
        assert_eq!(p.unit.unit, QUnit::InverseNm);
        assert_eq!(p.unit.origin, UnitOrigin::Header);
        let semi = "% q;I\n0,5;1,0\n0,6;1,5\n0,7;2,0\n";
        assert_eq!(read(semi).q, vec![0.5, 0.6, 0.7]);
        let tab = "! q [A^-1]\tI\terr\tdq\n0.01\t1\t0.1\t0.001\n0.02\t2\t0.1\t0.001\n0.03\t3\t0.1\t0.001\n";
        let p = read(tab);
        assert_eq!(p.unit.unit, QUnit::InverseAngstrom);
        assert!(p.dq.is_some());
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_column() {
        let text = "q I\n0.1 1\n0.2 abc\n0.3 NaN\n-0.1 4\n0.5 5\n0.4 6\n0.5 7\n0.6\n0.7 8\n";
        let p = read(text);
        assert_eq!(p.q, vec![0.1, 0.4, 0.5, 0.7]);
        assert_eq!(p.intensity, vec![1.0, 6.0, 5.0, 8.0]);
        let msgs: Vec<String> = p.warnings.iter().map(ToString::to_string).collect();
        let all = msgs.join("\n");
        assert!(
            all.contains("line 3, column 2: 'abc' is not a number"),
            "{all}"
        );
        assert!(all.contains("line 4, column 2: NaN"), "{all}");
        assert!(
            all.contains("line 5, column 1: -0.1 gives no positive q"),
            "{all}"
        );
        assert!(
            all.contains("line 7, column 1: q = 0.4 after q = 0.5"),
            "{all}"
        );
        assert!(
            all.contains("line 8, column 1: q = 0.5 repeats line 6"),
            "{all}"
        );
        assert!(all.contains("line 9: 1 column(s)"), "{all}");
    }

    #[test]
    fn clear_errors_for_unusable_files() {
        let o = ReadOptions::default();
        assert_eq!(read_pattern(b"", &o), Err(ReadError::Empty));
        assert_eq!(read_pattern(b"  \n\n", &o), Err(ReadError::Empty));
        assert!(matches!(
            read_pattern(b"# only\n", &o),
            Err(ReadError::NoData { .. })
        ));
        assert!(matches!(
            read_pattern(b"1\n2\n3\n", &o),
            Err(ReadError::TooFewColumns { line: 1, .. })
        ));
        assert_eq!(read_pattern(&[0xFF, 0xFE, 0x31], &o), Err(ReadError::Utf16));
        assert_eq!(
            read_pattern(b"0.1 1\n0.2 \xC3\x28\n", &o),
            Err(ReadError::NotUtf8 { line: 2, byte: 10 })
        );
        let big = vec![b'1'; crate::saxs::read::MAX_INPUT_BYTES + 1];
        assert!(matches!(
            read_pattern(&big, &o),
            Err(ReadError::TooLarge { .. })
        ));
        let msg = read_pattern(b"q I\n0.1 x\n0.2 y\n", &o)
            .expect_err("no numbers")
            .to_string();
        assert!(
            msg.contains("line 2, column 2: 'x' is not a number"),
            "{msg}"
        );
    }

    #[test]
    fn bad_error_column_is_dropped_with_a_warning() {
        let p = read("0.1 1 0.1\n0.2 2 0\n0.3 3 0.1\n");
        assert!(p.error.is_none());
        assert!(p.warnings[0].to_string().contains("line 2, column 3"));
    }

    #[test]
    fn binning_keeps_means_and_combines_errors() {
        let mut p = read("q I err\n1 1 3\n2 3 4\n3 5 1\n4 7 1\n5 9 1\n");
        assert_eq!(p.binned(10), p);
        let b = p.binned(3);
        assert_eq!(b.q, vec![1.5, 3.5, 5.0]);
        assert_eq!(b.intensity, vec![2.0, 6.0, 9.0]);
        assert_eq!(b.error.as_deref(), Some(&[2.5, 2f64.sqrt() / 2.0, 1.0][..]));
        assert!(b
            .warnings
            .last()
            .unwrap()
            .message
            .contains("5 points binned by 2 to 3"));
        p.error = None;
        assert!(p.binned(2).error.is_none());
    }

    #[test]
    fn user_unit_overrides_header() {
        let o = ReadOptions {
            q_unit: Some(QUnit::InverseAngstrom),
            ..ReadOptions::default()
        };
        let p = read_pattern(b"q(1/nm) I\n1 1\n2 2\n3 3\n", &o).expect("readable");
        assert_eq!(p.unit.unit, QUnit::InverseAngstrom);
        assert_eq!(p.unit.origin, UnitOrigin::User);
    }
}
