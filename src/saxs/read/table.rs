//! Text to rows of cells: encoding, comments, delimiter and header detection.

use super::{ReadError, Warnings, MAX_INPUT_BYTES};

/// How cells are separated on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delimiter {
    Comma,
    Semicolon,
    Tab,
    Whitespace,
}

/// One non-comment, non-empty line split into cells.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    /// 1-based line number.
    pub line: usize,
    /// Trimmed cells.
    pub cells: Vec<String>,
}

/// A file split into header, comments and data rows.
#[derive(Debug)]
pub(crate) struct Table {
    /// The header row (line, cells), when the first row is not numeric.
    pub header: Option<Row>,
    /// The text of all comment lines (without the comment marker).
    pub comments: Vec<String>,
    /// All rows after the header.
    pub rows: Vec<Row>,
    /// Whether commas are decimal separators (semicolon files from European locales).
    pub decimal_comma: bool,
}

impl Table {
    /// Parses one cell as a number (decimal commas understood where detected).
    pub(crate) fn number(&self, cell: &str) -> Option<f64> {
        parse_number(cell, self.decimal_comma)
    }
}

/// Parses a number as Rust does, also accepting a Fortran `D` exponent and, if asked, a
/// decimal comma.
pub(crate) fn parse_number(cell: &str, decimal_comma: bool) -> Option<f64> {
    let cell = cell.trim().trim_matches('"');
    if cell.is_empty() {
        return None;
    }
    if let Ok(v) = cell.parse::<f64>() {
        return Some(v);
    }
    let mut s = cell.replace(['D', 'd'], "E");
    if decimal_comma {
        s = s.replace(',', ".");
    }
    s.parse::<f64>().ok()
}

/// Decodes bytes to text: size limit, BOM, UTF-16 detection, UTF-8 validation.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, ReadError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if text.trim().is_empty() => Err(ReadError::Empty),
        Ok(text) => Ok(text),
        Err(e) => {
            let byte = e.valid_up_to();
            let line = 1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count();
            Err(ReadError::NotUtf8 { line, byte })
        }
    }
}

fn strip_comment(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for marker in ["//", "#", "%", "!"] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some(rest);
        }
    }
    None
}

fn detect_delimiter(lines: &[&str]) -> (Delimiter, bool) {
    let has = |c: char| lines.iter().any(|l| l.contains(c));
    if has('\t') {
        (Delimiter::Tab, false)
    } else if has(';') {
        // "0,12;3,4": commas are decimal separators when no line has a point.
        let decimal_comma = has(',') && !has('.');
        (Delimiter::Semicolon, decimal_comma)
    } else if has(',') {
        (Delimiter::Comma, false)
    } else {
        (Delimiter::Whitespace, false)
    }
}

fn split(line: &str, delimiter: Delimiter) -> Vec<String> {
    let cells: Vec<String> = match delimiter {
        Delimiter::Comma => line.split(',').map(|c| c.trim().to_string()).collect(),
        Delimiter::Semicolon => line.split(';').map(|c| c.trim().to_string()).collect(),
        Delimiter::Tab => line.split('\t').map(|c| c.trim().to_string()).collect(),
        Delimiter::Whitespace => line.split_whitespace().map(str::to_string).collect(),
    };
    // A trailing delimiter ("1,2,") leaves an empty last cell: not a column.
    let mut cells = cells;
    while cells.last().is_some_and(String::is_empty) && cells.len() > 1 {
        cells.pop();
    }
    cells
}

/// Splits decoded text into a [`Table`].
pub(crate) fn tabulate(text: &str, warnings: &mut Warnings) -> Result<Table, ReadError> {
    let mut comments = Vec::new();
    let mut body: Vec<(usize, &str)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if let Some(c) = strip_comment(line) {
            comments.push(c.trim().to_string());
        } else {
            body.push((i + 1, line));
        }
    }
    if body.is_empty() {
        return Err(ReadError::NoData {
            detail: format!("{} comment line(s) and nothing else", comments.len()),
        });
    }
    let sample: Vec<&str> = body.iter().take(64).map(|(_, l)| *l).collect();
    let (delimiter, decimal_comma) = detect_delimiter(&sample);
    let mut rows: Vec<Row> = body
        .iter()
        .map(|&(line, l)| Row {
            line,
            cells: split(l, delimiter),
        })
        .collect();
    let first_numeric = |row: &Row| {
        !row.cells.is_empty()
            && row
                .cells
                .iter()
                .all(|c| parse_number(c, decimal_comma).is_some())
    };
    let header = if rows.first().is_some_and(|r| !first_numeric(r)) {
        let h = rows.remove(0);
        // A second text row right after the header (units row) is a header continuation.
        if rows.first().is_some_and(|r| {
            r.cells
                .iter()
                .all(|c| parse_number(c, decimal_comma).is_none())
        }) {
            let units = rows.remove(0);
            comments.push(units.cells.join(" "));
            warnings.push(
                Some(units.line),
                None,
                "second text row read as part of the header".to_string(),
            );
        }
        Some(h)
    } else {
        None
    };
    Ok(Table {
        header,
        comments,
        rows,
        decimal_comma,
    })
}

/// The most common number of cells among rows (ties: the larger count).
pub(crate) fn modal_width(rows: &[Row]) -> usize {
    let mut counts = std::collections::BTreeMap::new();
    for r in rows {
        *counts.entry(r.cells.len()).or_insert(0usize) += 1;
    }
    let mut best = (0usize, 0usize);
    for (&n, &c) in &counts {
        if c >= best.1 {
            best = (n, c);
        }
    }
    best.0
}
