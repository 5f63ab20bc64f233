//! Anton Paar's PDH text (SAXSess, SAXSpace): line 1 a title, line 2 key words, line 3 eight
//! integers (the first the number of points), lines 4 and 5 five reals each (the fifth of
//! line 4 the wavelength in nm), then the points as q, I, error, then an optional XML footer
//! whose `<column key="X">` names the unit of q. q is in nm⁻¹ (the footer's `n_m^-1`; sasdata's
//! own reader labels it Å⁻¹, which is wrong by a factor of 10).

use super::axis::Abscissa;
use super::source::{Kind, Source};
use super::table::{parse_number, Row, Table};
use super::{QUnit, ReadError, Warnings};

fn numbers(line: &str) -> Option<Vec<f64>> {
    line.split_whitespace()
        .map(|c| parse_number(c, false))
        .collect()
}

/// The unit of q from the XML footer (`<value key="unit">n_m^-1</value>` under `X`).
fn footer_unit(text: &str) -> Option<QUnit> {
    let x = text.find("<column key=\"X\">")?;
    let rest = &text[x..];
    let end = rest.find("</column>").unwrap_or(rest.len());
    let column = &rest[..end];
    let at = column.find("key=\"unit\">")? + "key=\"unit\">".len();
    let unit = &column[at..];
    let unit = &unit[..unit.find('<')?];
    QUnit::parse(&unit.replace('_', ""))
}

/// Reads a PDH file; `Ok(None)` when the text is not laid out as one.
///
/// # Errors
/// [`ReadError::Format`] when the header announces more points than the file has rows of
/// numbers for, or a footer names a unit of q that is not nm⁻¹ or Å⁻¹.
pub(crate) fn read(text: &str, warnings: &mut Warnings) -> Result<Option<Source>, ReadError> {
    let lines: Vec<&str> = text.lines().take(6).collect();
    if lines.len() < 6 {
        return Ok(None);
    }
    let counts: Option<Vec<u64>> = lines[2]
        .split_whitespace()
        .map(|c| c.parse::<u64>().ok())
        .collect();
    let (Some(counts), Some(l4), Some(l5)) = (counts, numbers(lines[3]), numbers(lines[4])) else {
        return Ok(None);
    };
    if counts.len() != 8 || l4.len() != 5 || l5.len() != 5 {
        return Ok(None);
    }
    let n = usize::try_from(counts[0]).unwrap_or(usize::MAX);
    let mut rows = Vec::with_capacity(n.min(1 << 20));
    for (i, line) in text.lines().enumerate().skip(5) {
        if rows.len() == n {
            break;
        }
        let cells: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if cells.is_empty() || parse_number(&cells[0], false).is_none() {
            break;
        }
        rows.push(Row { line: i + 1, cells });
    }
    if rows.len() < n {
        return Err(ReadError::Format {
            format: Kind::AntonPaarPdh.name(),
            detail: format!(
                "line 3 announces {n} points but only {} rows of numbers follow (from line 6)",
                rows.len()
            ),
        });
    }
    let unit = match footer_unit(text) {
        Some(u) => u,
        None if text.contains("<column key=\"X\">") => {
            return Err(ReadError::Format {
                format: Kind::AntonPaarPdh.name(),
                detail: "the XML footer names a unit of q that is neither nm⁻¹ nor Å⁻¹".into(),
            })
        }
        None => QUnit::InverseNm,
    };
    let lambda_nm = l4[4];
    let mut comments = vec![lines[0].trim().to_string(), lines[1].trim().to_string()];
    if lambda_nm > 0.0 {
        comments.push(format!("wavelength {lambda_nm} nm"));
    }
    if n == 0 {
        warnings.push(Some(3), Some(1), "the file announces 0 points".into());
    }
    Ok(Some(Source {
        table: Table {
            header: Some(Row {
                line: 3,
                cells: vec![format!("q ({unit})"), "I".into(), "error".into()],
            }),
            comments,
            rows,
            decimal_comma: false,
        },
        kind: Kind::AntonPaarPdh,
        abscissa: Some(Abscissa::Q(Some(unit))),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "\nSAXS BOX\n      3         0         0         0         0         0         0         0\n  0.000000E+00   2.6E+02   0.0E+00   1.37E-05   1.542000E-01\n  2.5E+01   1.55E+00   0.0E+00   0.0E+00   0.0E+00\n  6.6E-02   1.8E-01   7.5E-03\n  7.2E-02   1.9E+00   6.0E-02\n  7.9E-02   7.8E+00   2.1E-01\n";

    #[test]
    fn reads_the_layout_and_stops_at_the_count() {
        let mut w = Warnings::default();
        let text = format!("{SMALL}<?xml version=\"1.0\"?>\n<fileinfo/>\n");
        let s = read(&text, &mut w).unwrap().expect("a PDH file");
        assert_eq!(s.table.rows.len(), 3);
        assert_eq!(s.table.rows[0].line, 6);
        assert_eq!(s.abscissa, Some(Abscissa::Q(Some(QUnit::InverseNm))));
        assert!(s.table.comments.iter().any(|c| c.contains("0.1542 nm")));
    }

    #[test]
    fn short_files_are_refused_and_other_text_passed_on() {
        let mut w = Warnings::default();
        let cut: String = SMALL.lines().take(7).collect::<Vec<_>>().join("\n");
        let e = read(&cut, &mut w).unwrap_err();
        assert!(e.to_string().contains("announces 3 points"), "{e}");
        assert!(read("q I\n0.1 1\n0.2 2\n0.3 3\n0.4 4\n0.5 5\n", &mut w)
            .unwrap()
            .is_none());
    }
}
