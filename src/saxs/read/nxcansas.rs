//! NXcanSAS (canSAS in NeXus/HDF5), read with the pure-Rust `hdf5-pure` crate (MIT/Apache-2.0,
//! builds for wasm32). The first group marked as SAS data (`canSAS_class` or `NX_class` equal
//! to `SASdata`, or an `NXdata` with a `signal`) gives I from its `signal` attribute (default
//! `I`), q from `I_axes` (default `Q`), the error from `I_uncertainties`/`I_uncertainty` or the
//! signal's `uncertainties`/`uncertainty` attribute (default `Idev`) and the q resolution from
//! `Qdev`; units from each data set's `units` (or `unit`) attribute. Only 1D data are read.
//! A point's "line" in warnings is its 1-based index in the data sets.

use super::axis::Abscissa;
use super::source::{Kind, Source};
use super::table::{Row, Table};
use super::{QUnit, ReadError, Warnings};
use hdf5_pure::{AttrValue, File, Group};
use std::collections::HashMap;

/// Groups deeper than this are not searched (NXcanSAS puts SASdata at depth 2).
const MAX_DEPTH: usize = 6;

fn format_error(detail: String) -> ReadError {
    ReadError::Format {
        format: Kind::NxCanSas.name(),
        detail,
    }
}

fn text(attrs: &HashMap<String, AttrValue>, name: &str) -> Option<String> {
    let v = attrs.get(name)?;
    v.as_str()
        .map(str::to_string)
        .or_else(|| v.as_strings().and_then(|s| s.first().cloned()))
}

fn is_sas_data(attrs: &HashMap<String, AttrValue>) -> bool {
    let class = |k| text(attrs, k).unwrap_or_default();
    class("canSAS_class") == "SASdata"
        || class("NX_class") == "SASdata"
        || (class("NX_class") == "NXdata" && attrs.contains_key("signal"))
}

/// The path of the first SAS data group, depth first in name order.
fn find_data(group: &Group, path: &str, depth: usize) -> Result<Option<String>, ReadError> {
    if depth > MAX_DEPTH {
        return Ok(None);
    }
    let attrs = group
        .attrs()
        .map_err(|e| format_error(format!("group '{path}': {e}")))?;
    if depth > 0 && is_sas_data(&attrs) {
        return Ok(Some(path.to_string()));
    }
    let mut names = group
        .groups()
        .map_err(|e| format_error(format!("group '{path}': {e}")))?;
    names.sort();
    for name in names {
        let child_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}/{name}")
        };
        let child = group
            .group(&name)
            .map_err(|e| format_error(format!("group '{child_path}': {e}")))?;
        if let Some(found) = find_data(&child, &child_path, depth + 1)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// A 1D data set's values and its unit attribute.
fn column(group: &Group, path: &str, name: &str) -> Result<(Vec<f64>, Option<String>), ReadError> {
    let ds = group
        .dataset(name)
        .map_err(|e| format_error(format!("'{path}/{name}': {e}")))?;
    let shape = ds
        .shape()
        .map_err(|e| format_error(format!("'{path}/{name}': {e}")))?;
    if shape.iter().filter(|&&n| n > 1).count() > 1 {
        return Err(format_error(format!(
            "'{path}/{name}' has shape {shape:?}: only 1D data (I(q)) are read, not 2D images"
        )));
    }
    let values = ds
        .read_f64()
        .map_err(|e| format_error(format!("'{path}/{name}': {e}")))?;
    let attrs = ds.attrs().unwrap_or_default();
    Ok((
        values,
        text(&attrs, "units").or_else(|| text(&attrs, "unit")),
    ))
}

/// Reads the first SAS data group of an NXcanSAS file.
///
/// # Errors
/// [`ReadError::Format`] when the bytes are not a readable HDF5 file, there is no SAS data
/// group, its data sets are missing, 2D, of different lengths, or q has a unit other than
/// nm⁻¹ or Å⁻¹.
pub(crate) fn read(bytes: &[u8], warnings: &mut Warnings) -> Result<Source, ReadError> {
    let file = File::from_bytes(bytes.to_vec())
        .map_err(|e| format_error(format!("not a readable HDF5 file: {e}")))?;
    let root = file.root();
    let Some(path) = find_data(&root, "", 0)? else {
        return Err(format_error(
            "no group marked as SAS data (canSAS_class or NX_class = SASdata): is this an NXcanSAS file?".into(),
        ));
    };
    let group = file
        .group(&path)
        .map_err(|e| format_error(format!("group '{path}': {e}")))?;
    let attrs = group.attrs().unwrap_or_default();
    let signal = text(&attrs, "signal").unwrap_or_else(|| "I".into());
    let axis = text(&attrs, "I_axes")
        .map(|a| a.split(',').next_back().unwrap_or("Q").trim().to_string())
        .unwrap_or_else(|| "Q".into());
    let (q, q_unit) = column(&group, &path, &axis)?;
    let (intensity, _) = column(&group, &path, &signal)?;
    let signal_attrs = group
        .dataset(&signal)
        .ok()
        .and_then(|d| d.attrs().ok())
        .unwrap_or_default();
    let error_name = ["I_uncertainties", "I_uncertainty"]
        .iter()
        .find_map(|k| text(&attrs, k))
        .or_else(|| text(&signal_attrs, "uncertainties"))
        .or_else(|| text(&signal_attrs, "uncertainty"))
        .unwrap_or_else(|| "Idev".into());
    let datasets = group.datasets().unwrap_or_default();
    let optional = |name: &str, warnings: &mut Warnings| -> Option<Vec<f64>> {
        if !datasets.iter().any(|d| d == name) {
            return None;
        }
        match column(&group, &path, name) {
            Ok((v, _)) if v.len() == q.len() => Some(v),
            Ok((v, _)) => {
                warnings.push(
                    None,
                    None,
                    format!(
                        "'{path}/{name}' has {} values for {} q: ignored",
                        v.len(),
                        q.len()
                    ),
                );
                None
            }
            Err(e) => {
                warnings.push(None, None, format!("{e}: ignored"));
                None
            }
        }
    };
    let error = optional(&error_name, warnings);
    let dq = optional("Qdev", warnings);
    if intensity.len() != q.len() {
        return Err(format_error(format!(
            "'{path}': {} values of {signal} for {} values of {axis}",
            intensity.len(),
            q.len()
        )));
    }
    let unit = match q_unit.as_deref() {
        None | Some("") => None,
        Some(u) => Some(QUnit::parse(u).ok_or_else(|| {
            format_error(format!(
                "'{path}/{axis}' has units '{u}'; nm⁻¹ (1/nm) and Å⁻¹ (1/angstrom) are understood"
            ))
        })?),
    };
    let mut cells = vec![axis.clone(), signal.clone()];
    if error.is_some() {
        cells.push(error_name);
        if dq.is_some() {
            cells.push("Qdev".into());
        }
    }
    let width = cells.len();
    let rows = (0..q.len())
        .map(|i| {
            let mut row = vec![q[i].to_string(), intensity[i].to_string()];
            if let Some(e) = &error {
                row.push(e[i].to_string());
                if let Some(d) = &dq {
                    row.push(d[i].to_string());
                }
            }
            debug_assert_eq!(row.len(), width);
            Row {
                line: i + 1,
                cells: row,
            }
        })
        .collect();
    Ok(Source {
        table: Table {
            header: Some(Row { line: 0, cells }),
            comments: Vec::new(),
            rows,
            decimal_comma: false,
        },
        kind: Kind::NxCanSas,
        abscissa: Some(Abscissa::Q(unit)),
    })
}
