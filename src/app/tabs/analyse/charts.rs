//! The Analyse tab's plots as [`Chart`] data, built from the frame reports of
//! [`crate::analysis::pipeline`]: crystalline fraction per frame (Fig. 3e style), a rule's
//! histogram against its threshold, g(r), S(q) and the local-density histogram with the
//! "locally dense" thresholds.

use crate::analysis::pipeline::{FrameReport, Histogram};
use crate::plot::{Axis, Chart, Marker, Series, Style};

/// Crystalline fraction of the large particles per frame, one series per classifier, with a
/// marker on the frame shown.
pub fn fraction_chart(reports: &[FrameReport], shown: Option<u64>) -> Chart {
    let mut chart = Chart::new(
        "Crystalline fraction of L per frame",
        Axis::new("frame"),
        Axis::new("N_crystalline(L) / N_L").with_range(0.0, 1.0),
    );
    let names: Vec<String> = reports
        .first()
        .map(|r| r.classifiers.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    for (c, name) in names.iter().enumerate() {
        let points = reports
            .iter()
            .filter_map(|r| r.classifiers.get(c).map(|x| (r.frame as f64, x.fraction)))
            .collect();
        chart
            .series
            .push(Series::line(name.clone(), points).styled(Style::LinePoints));
    }
    if let Some(f) = shown {
        chart.markers.push(Marker {
            x: f as f64,
            label: format!("frame {f}"),
        });
    }
    chart
}

fn normalised(h: &Histogram) -> Vec<(f64, f64)> {
    let total = f64::from(h.total().max(1));
    h.centres()
        .into_iter()
        .zip(&h.counts)
        .map(|(x, &n)| (x, f64::from(n) / total / h.width))
        .collect()
}

/// Histogram of one classifier rule's values on one frame, with its threshold.
pub fn rule_chart(report: &FrameReport, classifier: usize, rule: usize) -> Option<Chart> {
    let c = report.classifiers.get(classifier)?;
    let r = c.rules.get(rule)?;
    let mut chart = Chart::new(
        format!("{}: {} (frame {})", c.name, r.label, report.frame),
        Axis::new(r.label.clone()).with_range(0.0, 1.0),
        Axis::new("probability density"),
    );
    chart.series.push(
        Series::line(
            format!("{} ({} particles)", r.label, r.histogram.total()),
            normalised(&r.histogram),
        )
        .styled(Style::Bars),
    );
    let sign = match r.comparison {
        crate::analysis::Comparison::Greater => ">",
        crate::analysis::Comparison::Less => "<",
    };
    chart.markers.push(Marker {
        x: r.threshold,
        label: format!("{sign} {}: {:.1} % pass", r.threshold, 100.0 * r.passing),
    });
    Some(chart)
}

/// Total and partial g(r) of one frame.
pub fn rdf_chart(report: &FrameReport) -> Chart {
    let mut chart = Chart::new(
        format!("g(r), frame {}", report.frame),
        Axis::new("r (σ)"),
        Axis::new("g(r)"),
    );
    for curve in &report.rdf {
        chart.series.push(Series::line(
            curve.name.clone(),
            curve
                .x
                .iter()
                .copied()
                .zip(curve.y.iter().copied())
                .collect(),
        ));
    }
    chart
}

/// S(q) of one frame.
pub fn sq_chart(report: &FrameReport) -> Chart {
    let curve = &report.structure_factor;
    Chart::new(
        format!("S(q), frame {}", report.frame),
        Axis::new("q (σ⁻¹)"),
        Axis::new("S(q)"),
    )
    .with(
        Series::line(
            "S(q)",
            curve
                .x
                .iter()
                .copied()
                .zip(curve.y.iter().copied())
                .collect(),
        )
        .styled(Style::LinePoints),
    )
}

/// Local-density histogram of one frame with the "locally dense" thresholds.
pub fn density_chart(report: &FrameReport) -> Chart {
    let d = &report.density;
    let mut chart = Chart::new(
        format!(
            "Local density, frame {} (mean {:.3} σ⁻³)",
            report.frame, d.mean
        ),
        Axis::new("local density (σ⁻³)"),
        Axis::new("probability density"),
    );
    chart.series.push(
        Series::line(
            format!("all {} particles", d.histogram.total()),
            normalised(&d.histogram),
        )
        .styled(Style::Bars),
    );
    for (name, value, dense) in &d.dense {
        chart.markers.push(Marker {
            x: *value,
            label: format!("{name} {value}: {:.1} % dense", 100.0 * dense),
        });
    }
    chart
}
