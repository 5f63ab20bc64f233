//! The Simulate tab's live plots (Fig. 3e style): crystalline fraction of L against time and
//! against density, temperature, potential energy per particle, pressure and packing fraction.
//! Long runs are thinned for the picture to at most [`MAX_POINTS`] evenly spaced rows (the
//! last always kept): a 480 px chart cannot show more, and thousands of SVG marks would
//! block the page while it draws them. The "Download CSV log" button has every row.

use crate::jobs::simulate::SampleRow;
use crate::plot::{Axis, Chart, Series, Style};

fn series(rows: &[SampleRow], name: &str, f: impl Fn(&SampleRow) -> Option<(f64, f64)>) -> Series {
    Series::line(
        name,
        rows.iter()
            .filter_map(f)
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect(),
    )
}

/// Most rows a chart shows.
pub const MAX_POINTS: usize = 1_500;

/// At most [`MAX_POINTS`] rows of `rows`, evenly spaced, the first and last included.
fn thinned(rows: &[SampleRow]) -> Vec<SampleRow> {
    if rows.len() <= MAX_POINTS {
        return rows.to_vec();
    }
    let last = rows.len() - 1;
    (0..MAX_POINTS)
        .map(|i| rows[i * last / (MAX_POINTS - 1)])
        .collect()
}

/// Number of charts.
pub const CHART_COUNT: usize = 6;

/// The charts with their download stems.
pub fn charts(rows: &[SampleRow]) -> Vec<(&'static str, Chart)> {
    let all: Vec<usize> = (0..CHART_COUNT).collect();
    numbered_charts(&all, rows)
        .into_iter()
        .map(|(_, stem, chart)| (stem, chart))
        .collect()
}

/// Charts `indices` (each 0 to [`CHART_COUNT`] − 1) with their index and download stem, the
/// rows thinned once: during a run the tab redraws one chart at a time and builds only that.
pub fn numbered_charts(indices: &[usize], rows: &[SampleRow]) -> Vec<(usize, &'static str, Chart)> {
    let rows = &thinned(rows)[..];
    indices
        .iter()
        .filter_map(|&i| build(i, rows).map(|(stem, chart)| (i, stem, chart)))
        .collect()
}

fn build(index: usize, rows: &[SampleRow]) -> Option<(&'static str, Chart)> {
    let t = |r: &SampleRow| r.time;
    Some(match index {
        0 => (
            "fraction-vs-time",
            Chart::new(
                "Crystalline fraction of L",
                Axis::new("time (τ)"),
                Axis::new("N_crystalline(L) / N_L"),
            )
            .with(
                series(rows, "fraction", |r| Some((t(r), r.crystalline_fraction)))
                    .styled(Style::LinePoints),
            ),
        ),
        1 => (
            "fraction-vs-density",
            Chart::new(
                "Crystalline fraction against density (Fig. 3e)",
                Axis::new("ρσ³"),
                Axis::new("N_crystalline(L) / N_L"),
            )
            .with(
                series(rows, "fraction", |r| {
                    Some((r.density, r.crystalline_fraction))
                })
                .styled(Style::LinePoints),
            ),
        ),
        2 => (
            "temperature",
            Chart::new("Temperature", Axis::new("time (τ)"), Axis::new("kT (ε)")).with(series(
                rows,
                "kT",
                |r| Some((t(r), r.temperature)),
            )),
        ),
        3 => (
            "potential-energy",
            Chart::new(
                "Potential energy per particle",
                Axis::new("time (τ)"),
                Axis::new("U / N (ε)"),
            )
            .with(series(rows, "U/N", |r| Some((t(r), r.potential_energy)))),
        ),
        4 => (
            "pressure",
            Chart::new(
                "Pressure (periodic box only)",
                Axis::new("time (τ)"),
                Axis::new("P (ε/σ³)"),
            )
            .with(series(rows, "P", |r| r.pressure.map(|p| (t(r), p)))),
        ),
        5 => (
            "packing-fraction",
            Chart::new(
                "Effective packing fraction (Barker–Henderson)",
                Axis::new("time (τ)"),
                Axis::new("φ_eff"),
            )
            .with(series(rows, "φ", |r| Some((t(r), r.packing_fraction)))),
        ),
        _ => return None,
    })
}
