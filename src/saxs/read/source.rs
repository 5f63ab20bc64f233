//! Which kind of file this is, and its numbers as a [`Table`] of q, I, error, resolution.
//!
//! Recognised by content, never by file name (the page gets bytes, the name may lie):
//!
//! | format | recognised by | q |
//! |---|---|---|
//! | NXcanSAS HDF5 ([`super::nxcansas`]) | the HDF5 signature | `units` attribute |
//! | canSAS 1D XML ([`super::cansas_xml`]) | `<?xml`, or `<` and closing tags | `unit` attribute |
//! | Anton Paar PDH ([`super::pdh`]) | line 3 a point count, lines 4–5 five numbers each | nm⁻¹ |
//! | Fit2D `.chi` | line 2 an axis label, line 3 a label, line 4 the point count | from line 2 |
//! | BioXTAS RAW `.dat` | a `### DATA:` section | Å⁻¹ (RAW's unit) |
//! | text (pyFAI `.dat`/`.xy`, SasView, CSV …) | anything else | header or comments |

use super::axis::Abscissa;
use super::table::{decode, parse_number, tabulate, Row, Table};
use super::{cansas_xml, nxcansas, pdh, QUnit, ReadError, Warnings};

/// The kinds of file [`open`] understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Columns of text with optional header and comments.
    Text,
    /// Fit2D's `.chi`.
    Fit2dChi,
    /// BioXTAS RAW's `.dat`.
    BioxtasRaw,
    /// Anton Paar's `.pdh`.
    AntonPaarPdh,
    /// canSAS 1D XML.
    CanSasXml,
    /// NXcanSAS in HDF5.
    NxCanSas,
}

impl Kind {
    /// The format's name for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Text => "text columns",
            Kind::Fit2dChi => "Fit2D chi",
            Kind::BioxtasRaw => "BioXTAS RAW dat",
            Kind::AntonPaarPdh => "Anton Paar PDH",
            Kind::CanSasXml => "canSAS 1D XML",
            Kind::NxCanSas => "NXcanSAS HDF5",
        }
    }
}

/// A file's numbers and what the format says about them.
#[derive(Debug)]
pub(crate) struct Source {
    /// Header, comments and rows (q or the abscissa first).
    pub table: Table,
    /// The format.
    pub kind: Kind,
    /// What the format says the first column is, when it says.
    pub abscissa: Option<Abscissa>,
}

const HDF5_SIGNATURE: &[u8] = b"\x89HDF\r\n\x1a\n";

/// Whether the bytes are an HDF5 file (signature at 0 or after a user block of 512·2ᵏ bytes).
fn is_hdf5(bytes: &[u8]) -> bool {
    bytes.starts_with(HDF5_SIGNATURE)
        || [512usize, 1024, 2048, 4096].iter().any(|&at| {
            bytes
                .get(at..at + HDF5_SIGNATURE.len())
                .is_some_and(|s| s == HDF5_SIGNATURE)
        })
}

/// Reads the bytes as whichever format they are in.
///
/// # Errors
/// [`ReadError`] when the bytes are not text in a known layout, or a structured format is
/// broken (the message names the format and what is missing).
pub(crate) fn open(bytes: &[u8], warnings: &mut Warnings) -> Result<Source, ReadError> {
    if bytes.len() > super::MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: super::MAX_INPUT_BYTES,
        });
    }
    if is_hdf5(bytes) {
        return nxcansas::read(bytes, warnings);
    }
    let text = decode(bytes)?;
    let head = text.trim_start();
    // SasView's text header "<X> <Y> <dY>" also starts with '<'; XML closes its elements.
    if head.starts_with("<?xml") || (head.starts_with('<') && text.contains("</")) {
        return cansas_xml::read(text, warnings);
    }
    if let Some(source) = pdh::read(text, warnings)? {
        return Ok(source);
    }
    if let Some(table) = fit2d_chi(text) {
        let abscissa = table
            .header
            .as_ref()
            .and_then(|h| h.cells.first())
            .and_then(|name| Abscissa::from_name(name));
        return Ok(Source {
            table,
            kind: Kind::Fit2dChi,
            abscissa,
        });
    }
    if let Some(section) = raw_data_section(text) {
        let table = tabulate(&section, warnings)?;
        return Ok(Source {
            table,
            kind: Kind::BioxtasRaw,
            abscissa: Some(Abscissa::Q(Some(QUnit::InverseAngstrom))),
        });
    }
    Ok(Source {
        table: tabulate(text, warnings)?,
        kind: Kind::Text,
        abscissa: None,
    })
}

/// Fit2D's `.chi`: title, axis label, intensity label, point count, then x y rows.
fn fit2d_chi(text: &str) -> Option<Table> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .take(5)
        .collect();
    if lines.len() < 5 {
        return None;
    }
    let numeric = |l: &str| {
        l.split_whitespace()
            .all(|c| parse_number(c, false).is_some())
    };
    let count_line = lines[3].1.parse::<usize>().is_ok();
    let first_row = lines[4].1.split_whitespace().count() >= 2 && numeric(lines[4].1);
    if numeric(lines[1].1) || numeric(lines[2].1) || !count_line || !first_row {
        return None;
    }
    let start = lines[3].0;
    let rows = text
        .lines()
        .enumerate()
        .skip(start)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Row {
            line: i + 1,
            cells: l.split_whitespace().map(str::to_string).collect(),
        })
        .collect();
    Some(Table {
        header: Some(Row {
            line: lines[1].0,
            cells: vec![lines[1].1.to_string(), lines[2].1.to_string()],
        }),
        comments: vec![lines[0].1.to_string()],
        rows,
        decimal_comma: false,
    })
}

/// BioXTAS RAW's data section: the lines after `### DATA:` up to the next `###` section,
/// the other lines blanked so that line numbers stay those of the file.
fn raw_data_section(text: &str) -> Option<String> {
    let mut inside = false;
    let mut found = false;
    let mut out = String::with_capacity(text.len() / 2);
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("###") {
            inside = t.to_ascii_uppercase().starts_with("### DATA");
            found |= inside;
        } else if inside {
            out.push_str(line);
        }
        out.push('\n');
    }
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_text(text: &str) -> Source {
        let mut w = Warnings::default();
        open(text.as_bytes(), &mut w).expect("readable")
    }

    #[test]
    fn fit2d_chi_is_recognised() {
        let s = open_text(
            " sample 12\n Q (Inverse Nanometres)\n Intensity\n       3\n  0.1E+00  0.5E+03\n  0.2E+00  0.4E+03\n  0.3E+00  0.3E+03\n",
        );
        assert_eq!(s.kind, Kind::Fit2dChi);
        assert_eq!(s.abscissa, Some(Abscissa::Q(Some(QUnit::InverseNm))));
        assert_eq!(s.table.rows.len(), 3);
        assert_eq!(s.table.rows[0].line, 5);
    }

    #[test]
    fn raw_data_section_is_recognised() {
        let s = open_text(
            "### HEADER:\n\n{\n \"q_range\": [0.01, 0.3],\n \"wavelength\": 1.03\n}\n\n### DATA:\n\n   Q   I   Error\n 0.01 5 0.1\n 0.02 4 0.1\n 0.03 3 0.1\n",
        );
        assert_eq!(s.kind, Kind::BioxtasRaw);
        assert_eq!(s.table.rows.len(), 3);
        assert_eq!(s.table.rows[0].line, 11);
        assert_eq!(s.table.header.as_ref().map(|h| h.cells.len()), Some(3));
    }

    #[test]
    fn hdf5_signature_is_recognised_and_broken_files_refused() {
        let mut bytes = HDF5_SIGNATURE.to_vec();
        bytes.extend_from_slice(&[0u8; 64]);
        let mut w = Warnings::default();
        let e = open(&bytes, &mut w).unwrap_err();
        assert!(e.to_string().contains("NXcanSAS"), "{e}");
    }
}
