//! canSAS 1D XML (the `urn:cansas1d:1.0`/`1.1` schema that SasView, Mantid and Nika write):
//! `SASroot / SASentry / SASdata / Idata` with `Q`, `I`, `Idev` and `Qdev` elements, each with a
//! `unit` attribute. The first `SASdata` is read; more are reported. A small scanner, not a
//! general XML parser: elements, attributes, text and namespace prefixes, which is all the
//! schema uses; comments, processing instructions and CDATA are skipped.

use super::axis::Abscissa;
use super::source::{Kind, Source};
use super::table::{Row, Table};
use super::{QUnit, ReadError, Warnings};

/// One tag: its local name (prefix dropped), whether it closes, and its `unit` attribute.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    unit: Option<&'a str>,
}

fn parse_tag(inner: &str) -> Tag<'_> {
    let closing = inner.starts_with('/');
    let body = inner.trim_start_matches('/');
    let self_closing = body.ends_with('/');
    let body = body.trim_end_matches('/');
    let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
    let full = &body[..name_end];
    let name = full.rsplit(':').next().unwrap_or(full);
    let unit = body[name_end..].find("unit=").and_then(|at| {
        let rest = &body[name_end + at + 5..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = &rest[1..];
        rest.find(quote).map(|end| &rest[..end])
    });
    Tag {
        name,
        closing,
        self_closing,
        unit,
    }
}

fn line_of(text: &str, at: usize) -> usize {
    1 + text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn format_error(detail: String) -> ReadError {
    ReadError::Format {
        format: Kind::CanSasXml.name(),
        detail,
    }
}

/// Reads the first `SASdata` block.
///
/// # Errors
/// [`ReadError::Format`] when there is no `SASdata` with `Idata` points, a tag is not closed,
/// or the unit of q is not nm⁻¹ or Å⁻¹.
pub(crate) fn read(text: &str, warnings: &mut Warnings) -> Result<Source, ReadError> {
    const FIELDS: [&str; 4] = ["Q", "I", "Idev", "Qdev"];
    let mut rows: Vec<Row> = Vec::new();
    let mut blocks = 0usize;
    let mut in_block = false;
    let mut point: Option<(usize, [String; 4])> = None;
    let mut field: Option<usize> = None;
    let mut q_unit: Option<String> = None;
    let mut pos = 0;
    while let Some(open) = text[pos..].find('<').map(|i| pos + i) {
        if let Some(f) = field {
            if let Some((_, cells)) = point.as_mut() {
                cells[f].push_str(text[pos..open].trim());
            }
        }
        let rest = &text[open..];
        let skip_to = |end: &str| rest.find(end).map(|i| open + i + end.len());
        let next = if rest.starts_with("<!--") {
            skip_to("-->")
        } else if rest.starts_with("<![CDATA[") {
            skip_to("]]>")
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            skip_to(">")
        } else {
            let Some(close) = rest.find('>') else {
                return Err(format_error(format!(
                    "line {}: a tag is not closed",
                    line_of(text, open)
                )));
            };
            let tag = parse_tag(&rest[1..close]);
            match (tag.name, tag.closing) {
                ("SASdata", false) if !tag.self_closing => {
                    blocks += 1;
                    in_block = blocks == 1;
                }
                ("SASdata", true) => in_block = false,
                ("Idata", false) if in_block => {
                    point = Some((line_of(text, open), Default::default()));
                }
                ("Idata", true) if in_block => {
                    if let Some((line, cells)) = point.take() {
                        let width = if cells[3].is_empty() {
                            if cells[2].is_empty() {
                                2
                            } else {
                                3
                            }
                        } else {
                            4
                        };
                        rows.push(Row {
                            line,
                            cells: cells[..width].to_vec(),
                        });
                    }
                }
                (name, closing) if point.is_some() => {
                    let f = FIELDS.iter().position(|&n| n == name);
                    if closing || tag.self_closing {
                        field = None;
                    } else {
                        field = f;
                        if f == Some(0) && q_unit.is_none() {
                            q_unit = tag.unit.map(str::to_string);
                        }
                    }
                }
                _ => {}
            }
            Some(open + close + 1)
        };
        let Some(next) = next else {
            return Err(format_error(format!(
                "line {}: a comment, CDATA or declaration is not closed",
                line_of(text, open)
            )));
        };
        pos = next;
    }
    if blocks == 0 {
        return Err(format_error(
            "no <SASdata> element: is this a canSAS 1D file?".into(),
        ));
    }
    if blocks > 1 {
        warnings.push(
            None,
            None,
            format!("the file holds {blocks} SASdata blocks; the first is read"),
        );
    }
    if rows.is_empty() {
        return Err(format_error(
            "the first <SASdata> has no <Idata> points".into(),
        ));
    }
    let unit = match q_unit.as_deref() {
        None | Some("") => None,
        Some(u) => Some(QUnit::parse(u).ok_or_else(|| {
            format_error(format!(
                "the unit of Q is '{u}'; nm⁻¹ (1/nm) and Å⁻¹ (1/A) are understood"
            ))
        })?),
    };
    Ok(Source {
        table: Table {
            header: Some(Row {
                line: rows[0].line,
                cells: FIELDS.iter().map(|s| (*s).to_string()).collect(),
            }),
            comments: Vec::new(),
            rows,
            decimal_comma: false,
        },
        kind: Kind::CanSasXml,
        abscissa: Some(Abscissa::Q(unit)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_points_units_and_prefixes() {
        let text = r#"<?xml version="1.0"?>
<!-- a comment with <Idata> in it -->
<cs:SASroot xmlns:cs="urn:cansas1d:1.1"><cs:SASentry><cs:SASdata>
  <cs:Idata><cs:Q unit="1/nm">0.1</cs:Q><cs:I unit="1/cm">5</cs:I><cs:Idev unit="1/cm">0.5</cs:Idev></cs:Idata>
  <cs:Idata><cs:Q unit="1/nm">0.2</cs:Q><cs:I unit="1/cm">4</cs:I><cs:Idev unit="1/cm">0.4</cs:Idev></cs:Idata>
</cs:SASdata><cs:SASdata><cs:Idata><cs:Q>9</cs:Q><cs:I>9</cs:I></cs:Idata></cs:SASdata></cs:SASentry></cs:SASroot>"#;
        let mut w = Warnings::default();
        let s = read(text, &mut w).expect("readable");
        assert_eq!(s.abscissa, Some(Abscissa::Q(Some(QUnit::InverseNm))));
        assert_eq!(s.table.rows.len(), 2);
        assert_eq!(s.table.rows[1].cells, vec!["0.2", "4", "0.4"]);
        assert_eq!(s.table.rows[0].line, 4);
        assert!(w.first(1).contains("2 SASdata blocks"));
    }

    #[test]
    fn broken_files_say_what_is_missing() {
        let mut w = Warnings::default();
        let e = |t: &str| read(t, &mut Warnings::default()).unwrap_err().to_string();
        assert!(e("<?xml version=\"1.0\"?><root/>").contains("no <SASdata>"));
        assert!(e("<SASdata></SASdata>").contains("no <Idata>"));
        assert!(e("<SASdata><Idata><Q unit=\"mm\">1</Q></Idata></SASdata>").contains("'mm'"));
        assert!(e("<SASdata><Idata").contains("line 1: a tag is not closed"));
        assert!(read("<SASdata><!-- open", &mut w).is_err());
    }
}
