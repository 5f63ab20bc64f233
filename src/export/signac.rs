//! A signac workspace (signac 2, schema version 2): `DIR/.signac/config`, and per job
//! `DIR/workspace/<id>/signac_statepoint.json`, where the job id is signac's `calc_id`: the
//! MD5 of `json.dumps(statepoint, sort_keys=True)` (Python's defaults: separators `", "` and
//! `": "`, ASCII only, floats as `repr`). [`python_json`] writes exactly that text, so that
//! signac and signac-flow open the folder as their own project.

use serde_json::Value;

use md5::{Digest, Md5};

/// The project configuration file signac 2 looks for.
pub const CONFIG: &str = ".signac/config";
/// Its contents: the schema version signac 2 reads.
pub const CONFIG_TEXT: &str = "schema_version = 2\n";
/// The workspace folder (signac's default).
pub const WORKSPACE: &str = "workspace";
/// The state point file in each job folder.
pub const STATEPOINT: &str = "signac_statepoint.json";

/// A float as Python's `repr` writes it: the shortest digits that read back to the same
/// double, positional for decimal exponents −4 ≤ e < 16 (with `.0` when integral), else
/// `d.ddde±XX`. `None` for NaN and infinities (signac state points cannot hold them).
#[must_use]
pub fn python_float(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1;
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else {
            let point = point as usize;
            if digits.len() <= point {
                format!("{digits}{}.0", "0".repeat(point - digits.len()))
            } else {
                format!("{}.{}", &digits[..point], &digits[point..])
            }
        };
        Some(format!("{sign}{text}"))
    } else {
        let (head, tail) = digits.split_at(1);
        let mantissa = if tail.is_empty() {
            head.to_owned()
        } else {
            format!("{head}.{tail}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        Some(format!("{sign}{mantissa}e{esign}{:02}", exp.abs()))
    }
}

fn python_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// `value` as Python's `json.dumps(value, sort_keys=True)` writes it; `None` when it holds a
/// non-finite number.
#[must_use]
pub fn python_json(value: &Value) -> Option<String> {
    let mut out = String::new();
    write_value(value, &mut out)?;
    Some(out)
}

fn write_value(value: &Value, out: &mut String) -> Option<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                out.push_str(&python_float(n.as_f64()?)?);
            }
        }
        Value::String(s) => python_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (k, key) in keys.into_iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                python_string(key, out);
                out.push_str(": ");
                write_value(&map[key], out)?;
            }
            out.push('}');
        }
    }
    Some(())
}

/// signac's job id of a state point: the MD5 of its [`python_json`] text; `None` when it
/// holds a non-finite number.
#[must_use]
pub fn job_id(statepoint: &Value) -> Option<String> {
    python_json(statepoint).map(|text| {
        Md5::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_written_as_python_repr() {
        for (x, repr) in [
            (0.0, "0.0"),
            (1.0, "1.0"),
            (2.3, "2.3"),
            (-0.5, "-0.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123456789.0, "123456789.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (2.5e300, "2.5e+300"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(python_float(x).as_deref(), Some(repr), "{x}");
        }
        assert_eq!(python_float(f64::NAN), None);
    }

    #[test]
    fn json_is_sorted_with_python_separators() {
        let v = serde_json::json!({"well": "narrow", "depth": 2.0, "seed": 3, "a": [1, "é"]});
        assert_eq!(
            python_json(&v).as_deref(),
            Some(r#"{"a": [1, "\u00e9"], "depth": 2.0, "seed": 3, "well": "narrow"}"#)
        );
    }
}
