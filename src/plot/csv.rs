//! The numbers behind a plot, as CSV (long form: one row per point).

use super::chart::Chart;
use super::heatmap::Heatmap;
use std::fmt::Write;

/// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// `chart` as CSV: a comment line per axis, then `series,x,y` rows for every point of every
/// series in order (all points, also those a log axis hides). When any series has error bars,
/// two more columns `x_error,y_error` hold each point's half-widths (0 where none).
pub fn chart_csv(chart: &Chart) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", chart.title.replace(['\n', '\r'], " "));
    let _ = writeln!(out, "# x: {}", chart.x.label.replace(['\n', '\r'], " "));
    let _ = writeln!(out, "# y: {}", chart.y.label.replace(['\n', '\r'], " "));
    let errors = chart.series.iter().any(|s| !s.errors.is_empty());
    out.push_str(if errors {
        "series,x,y,x_error,y_error\n"
    } else {
        "series,x,y\n"
    });
    for series in &chart.series {
        let name = field(&series.name);
        for (i, (x, y)) in series.points.iter().enumerate() {
            if errors {
                let (ex, ey) = series.error_at(i);
                let _ = writeln!(out, "{name},{x},{y},{ex},{ey}");
            } else {
                let _ = writeln!(out, "{name},{x},{y}");
            }
        }
    }
    out
}

/// `map` as CSV: first row `y\x` then the x values, then one row per y with its values.
pub fn heatmap_csv(map: &Heatmap) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", map.title.replace(['\n', '\r'], " "));
    let _ = writeln!(
        out,
        "# rows: {}; columns: {}; values: {}",
        map.y.label, map.x.label, map.z_label
    );
    out.push_str("y\\x");
    for x in &map.x_values {
        let _ = write!(out, ",{x}");
    }
    out.push('\n');
    for (y, row) in map.y_values.iter().zip(&map.z) {
        let _ = write!(out, "{y}");
        for v in row {
            let _ = write!(out, ",{v}");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{Axis, Series};

    #[test]
    fn chart_rows_round_trip_and_names_are_quoted() {
        let chart = Chart::new("g(r)", Axis::new("r (σ)"), Axis::new("g"))
            .with(Series::line("L,L", vec![(1.0, 0.5), (1.5, 2.25)]))
            .with(Series::line("say \"hi\"", vec![(2.0, 1.0)]));
        let csv = chart_csv(&chart);
        let rows: Vec<&str> = csv.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(rows[0], "series,x,y");
        assert_eq!(rows[1], "\"L,L\",1,0.5");
        assert_eq!(rows[2], "\"L,L\",1.5,2.25");
        assert_eq!(rows[3], "\"say \"\"hi\"\"\",2,1");
    }

    #[test]
    fn error_columns_appear_only_with_errors() {
        let chart = Chart::new("P", Axis::new("v"), Axis::new("βP"))
            .with(Series::line("fluid", vec![(0.5, 3.0)]).with_errors(vec![(0.0, 0.125)]))
            .with(Series::line("fit", vec![(0.5, 3.1)]));
        let csv = chart_csv(&chart);
        let rows: Vec<&str> = csv.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            rows,
            vec![
                "series,x,y,x_error,y_error",
                "fluid,0.5,3,0,0.125",
                "fit,0.5,3.1,0,0"
            ]
        );
    }

    #[test]
    fn heatmap_rows_hold_every_value() {
        let map = Heatmap {
            x_values: vec![0.1, 0.2],
            y_values: vec![0.0, 5.0],
            z: vec![vec![1.0, 2.0], vec![3.0, 4.0]],
            ..Heatmap::default()
        };
        let csv = heatmap_csv(&map);
        let rows: Vec<&str> = csv.lines().skip(2).collect();
        assert_eq!(rows, vec!["y\\x,0.1,0.2", "0,1,2", "5,3,4"]);
    }
}
