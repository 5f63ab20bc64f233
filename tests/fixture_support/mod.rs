//! Reading the JSON fixtures that `tests/reference/*.py` write from other people's codes.
#![allow(dead_code, clippy::unwrap_used)]

use serde_json::Value;

/// The numbers of a JSON array, rows of a nested array one after another
/// (`[[x, y, z], …]` → `[x, y, z, …]`), as gsd and freud arrays are dumped.
pub fn flat_floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|x| match x {
            Value::Array(a) => a.iter().map(|y| y.as_f64().unwrap()).collect::<Vec<_>>(),
            _ => vec![x.as_f64().unwrap()],
        })
        .collect()
}
