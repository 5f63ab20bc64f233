//! The CSV log against Python: every number formatted as Python's `repr`, and a whole log
//! byte-identical to what Python's `csv` module writes (`tests/reference/csv_log_fixtures.py`).

#![allow(clippy::unwrap_used)]

use bnsl::io::csv_log::{format_f64, CsvLog};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/csv_log/python_csv.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn from_bits(v: &Value) -> f64 {
    f64::from_bits(u64::from_str_radix(v.as_str().unwrap(), 16).unwrap())
}

#[test]
fn numbers_are_formatted_as_python_repr() {
    let json = fixture();
    let values = json["values"].as_array().unwrap();
    assert!(values.len() > 500);
    for v in values {
        let x = from_bits(&v["bits"]);
        assert_eq!(
            format_f64(x),
            v["repr"].as_str().unwrap(),
            "bits {}",
            v["bits"]
        );
    }
}

#[test]
fn whole_log_matches_python_csv_module() {
    let json = fixture();
    let header: Vec<String> = json["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_string())
        .collect();
    let mut log = CsvLog::new(Vec::new(), header).unwrap();
    for row in json["rows"].as_array().unwrap() {
        let r: Vec<f64> = row.as_array().unwrap().iter().map(from_bits).collect();
        log.write_row(&r).unwrap();
    }
    let text = String::from_utf8(log.finish().unwrap()).unwrap();
    assert_eq!(text, json["csv"].as_str().unwrap());
}
