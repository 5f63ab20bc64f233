//! Drawing a [`Chart`] as SVG with `plotters`.

use super::chart::{Chart, Scale, Style};
use super::error::PlotError;
use super::palette::{series_colour, Rgb};
use super::range::axis_range;
use plotters::coord::combinators::{BindKeyPoints, LogCoord, WithKeyPoints};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Where the data live inside the picture, so a viewer can turn a pixel back into a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotArea {
    /// Left and right edges of the plotting area (px from the picture's left).
    pub px_x: (i32, i32),
    /// Top and bottom edges of the plotting area (px from the picture's top).
    pub px_y: (i32, i32),
    /// Values at the left and right edges.
    pub x: (f64, f64),
    /// Values at the bottom and top edges.
    pub y: (f64, f64),
    /// Scale of the x axis.
    pub x_scale: Scale,
    /// Scale of the y axis.
    pub y_scale: Scale,
}

impl PlotArea {
    /// The x value at horizontal pixel `px` (clamped to the plotting area).
    pub fn x_at(&self, px: f64) -> f64 {
        let (l, r) = (f64::from(self.px_x.0), f64::from(self.px_x.1));
        let f = if r > l {
            ((px - l) / (r - l)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        interpolate(self.x, f, self.x_scale)
    }

    /// The y value at vertical pixel `py` (clamped to the plotting area).
    pub fn y_at(&self, py: f64) -> f64 {
        let (t, b) = (f64::from(self.px_y.0), f64::from(self.px_y.1));
        let f = if b > t {
            ((b - py) / (b - t)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        interpolate(self.y, f, self.y_scale)
    }
}

impl PlotArea {
    /// The pixel (from the picture's top left) where the value (x, y) is drawn; `None` for a
    /// value a log axis cannot show.
    pub fn px_of(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let fx = fraction(self.x, x, self.x_scale)?;
        let fy = fraction(self.y, y, self.y_scale)?;
        let (l, r) = (f64::from(self.px_x.0), f64::from(self.px_x.1));
        let (t, b) = (f64::from(self.px_y.0), f64::from(self.px_y.1));
        Some((l + fx * (r - l), b - fy * (b - t)))
    }

    /// The point of `chart` drawn nearest to pixel (`px`, `py`) and no farther than `max_px`,
    /// as (series index, point index); only points inside the shown ranges count.
    pub fn nearest(&self, chart: &Chart, px: f64, py: f64, max_px: f64) -> Option<(usize, usize)> {
        let mut best: Option<(f64, usize, usize)> = None;
        for (si, series) in chart.series.iter().enumerate() {
            for (pi, p) in series.points.iter().enumerate() {
                if !visible(p, self.x, self.y) {
                    continue;
                }
                let Some((qx, qy)) = self.px_of(p.0, p.1) else {
                    continue;
                };
                let d = (qx - px).hypot(qy - py);
                if d <= max_px && best.is_none_or(|b| d < b.0) {
                    best = Some((d, si, pi));
                }
            }
        }
        best.map(|(_, si, pi)| (si, pi))
    }
}

/// Where `v` lies between `lo` and `hi` as a fraction (log or linear).
fn fraction((lo, hi): (f64, f64), v: f64, scale: Scale) -> Option<f64> {
    let f = match scale {
        Scale::Linear => (v - lo) / (hi - lo),
        Scale::Log if v > 0.0 && lo > 0.0 => (v / lo).ln() / (hi / lo).ln(),
        Scale::Log => return None,
    };
    f.is_finite().then_some(f)
}

fn interpolate((lo, hi): (f64, f64), f: f64, scale: Scale) -> f64 {
    match scale {
        Scale::Linear => lo + f * (hi - lo),
        Scale::Log => lo * (hi / lo).powf(f),
    }
}

/// An SVG picture and where its data live.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The SVG document (text is escaped by the backend).
    pub svg: String,
    /// The plotting area, for zooming by pixel.
    pub area: PlotArea,
}

/// Draws `chart` as a `width`×`height` px SVG: white background, caption, axes with labels,
/// the series in order, the markers as dashed vertical lines with their labels, and a legend
/// when there is more than one named series.
pub fn render_svg(chart: &Chart, width: u32, height: u32) -> Result<Rendered, PlotError> {
    if width < 80 || height < 60 {
        return Err(PlotError::TooSmall { width, height });
    }
    let xs = chart.series.iter().flat_map(|s| {
        s.points.iter().enumerate().flat_map(|(i, p)| {
            let e = s.error_at(i).0.abs();
            [p.0 - e, p.0 + e]
        })
    });
    let ys = chart.series.iter().flat_map(|s| {
        s.points.iter().enumerate().flat_map(|(i, p)| {
            let e = s.error_at(i).1.abs();
            [p.1 - e, p.1 + e]
        })
    });
    let x = axis_range(xs, chart.x.scale, chart.x.range);
    let mut y = axis_range(ys, chart.y.scale, chart.y.range);
    let bars = chart.series.iter().any(|s| s.style == Style::Bars);
    if bars && chart.y.range.is_none() && chart.y.scale == Scale::Linear {
        y.0 = y.0.min(0.0);
    }
    let mut svg = String::new();
    let px = {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        match (chart.x.scale, chart.y.scale) {
            (Scale::Linear, Scale::Linear) => draw(&root, chart, x.0..x.1, y.0..y.1, x, y)?,
            (Scale::Log, Scale::Linear) => draw(&root, chart, log_axis(x), y.0..y.1, x, y)?,
            (Scale::Linear, Scale::Log) => draw(&root, chart, x.0..x.1, log_axis(y), x, y)?,
            (Scale::Log, Scale::Log) => draw(&root, chart, log_axis(x), log_axis(y), x, y)?,
        }
    };
    Ok(Rendered {
        svg,
        area: PlotArea {
            px_x: px.0,
            px_y: px.1,
            x,
            y,
            x_scale: chart.x.scale,
            y_scale: chart.y.scale,
        },
    })
}

/// A log axis over `(lo, hi)` with ticks at 1, 2, 5 × 10ᵏ (every integer multiple when the
/// range spans less than a few of those), so that even a narrow range is labelled.
fn log_axis((lo, hi): (f64, f64)) -> WithKeyPoints<LogCoord<f64>> {
    let ticks = |mantissas: &[f64]| -> Vec<f64> {
        let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        (k0..=k1)
            // m / 10^|k| for negative k keeps decimal ticks exact (8 × 10⁻³ would print as
            // 0.008000000000000001).
            .flat_map(|k| {
                mantissas.iter().map(move |m| {
                    if k < 0 {
                        m / 10f64.powi(-k)
                    } else {
                        m * 10f64.powi(k)
                    }
                })
            })
            .filter(|v| *v >= lo && *v <= hi)
            .collect()
    };
    let mut points = ticks(&[1.0, 2.0, 5.0]);
    if points.len() < 3 {
        points = ticks(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    }
    if points.len() > 12 {
        points = ticks(&[1.0]);
    }
    (lo..hi).log_scale().with_key_points(points)
}

fn colour(rgb: Rgb) -> RGBColor {
    RGBColor(rgb.0, rgb.1, rgb.2)
}

fn visible(p: &(f64, f64), x: (f64, f64), y: (f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite() && p.0 >= x.0 && p.0 <= x.1 && p.1 >= y.0 && p.1 <= y.1
}

type PixelBox = ((i32, i32), (i32, i32));

/// Draws axes, series, markers and legend on `root` with the given coordinate ranges.
fn draw<X, Y>(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &Chart,
    x_coord: X,
    y_coord: Y,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<PixelBox, PlotError>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut ctx = ChartBuilder::on(root)
        .caption(chart.title.as_str(), ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(64)
        .build_cartesian_2d(x_coord, y_coord)?;
    ctx.configure_mesh()
        .x_desc(chart.x.label.as_str())
        .y_desc(chart.y.label.as_str())
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_labels(8)
        .y_labels(7)
        .label_style(("sans-serif", 12))
        .axis_desc_style(("sans-serif", 13))
        .draw()?;

    let mut named = 0;
    for (index, series) in chart.series.iter().enumerate() {
        let rgb = colour(series.colour.unwrap_or_else(|| series_colour(index)));
        let drawable = |p: &(f64, f64)| {
            p.0.is_finite()
                && p.1.is_finite()
                && (chart.x.scale == Scale::Linear || p.0 > 0.0)
                && (chart.y.scale == Scale::Linear || p.1 > 0.0)
        };
        let points: Vec<(f64, f64)> = series.points.iter().copied().filter(drawable).collect();
        let bars: Vec<PathElement<(f64, f64)>> = series
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| drawable(p))
            .flat_map(|(i, p)| error_bar(*p, series.error_at(i), x, y, chart))
            .map(|path| PathElement::new(path, rgb.stroke_width(1)))
            .collect();
        ctx.draw_series(bars)?;
        let drawn = match series.style {
            Style::Line => ctx.draw_series(LineSeries::new(points, rgb.stroke_width(2)))?,
            Style::Dashed => {
                ctx.draw_series(DashedLineSeries::new(points, 6, 4, rgb.stroke_width(2)))?
            }
            Style::LinePoints => {
                ctx.draw_series(LineSeries::new(points.clone(), rgb.stroke_width(2)))?;
                ctx.draw_series(
                    points
                        .into_iter()
                        .filter(|p| visible(p, x, y))
                        .map(|p| Circle::new(p, 2, rgb.filled())),
                )?
            }
            Style::Points => ctx.draw_series(
                points
                    .into_iter()
                    .filter(|p| visible(p, x, y))
                    .map(|p| Circle::new(p, 2, rgb.filled())),
            )?,
            Style::Bars => {
                let base = if chart.y.scale == Scale::Log {
                    y.0
                } else {
                    0.0
                };
                let widths = bar_half_widths(&points);
                ctx.draw_series(points.iter().zip(widths).map(|(p, half)| {
                    Rectangle::new(
                        [(p.0 - half, base.max(y.0)), (p.0 + half, p.1.min(y.1))],
                        rgb.mix(0.7).filled(),
                    )
                }))?
            }
        };
        if !series.name.is_empty() {
            named += 1;
            drawn.label(series.name.as_str()).legend(move |(lx, ly)| {
                Rectangle::new([(lx, ly - 4), (lx + 16, ly + 4)], rgb.filled())
            });
        }
    }
    let grey = RGBColor(120, 120, 120);
    for marker in chart
        .markers
        .iter()
        .filter(|m| m.x.is_finite() && m.x > x.0 && m.x < x.1)
    {
        let top = y.1;
        let bottom = y.0;
        ctx.draw_series(std::iter::once(PathElement::new(
            vec![(marker.x, bottom), (marker.x, top)],
            grey.mix(0.55).stroke_width(1),
        )))?;
        if !marker.label.is_empty() {
            ctx.draw_series(std::iter::once(Text::new(
                marker.label.clone(),
                (marker.x, top),
                ("sans-serif", 10).into_font().color(&grey),
            )))?;
        }
    }

    let (px_x, px_y) = ctx.plotting_area().get_pixel_range();
    if named > 1 {
        let curves: Vec<Vec<(i32, i32)>> = chart
            .series
            .iter()
            .map(|s| {
                s.points
                    .iter()
                    .filter(|p| visible(p, x, y))
                    .map(|p| ctx.backend_coord(p))
                    .collect()
            })
            .collect();
        let longest = chart.series.iter().map(|s| s.name.chars().count()).max();
        let size = (36 + 7 * longest.unwrap_or(0) as i32, 12 + 20 * named);
        let plot = ((px_x.start, px_x.end), (px_y.start, px_y.end));
        ctx.configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .label_font(("sans-serif", 12))
            .position(legend_corner(&curves, plot, size))
            .draw()?;
    }
    Ok(((px_x.start, px_x.end), (px_y.start, px_y.end)))
}

/// The corner of the plot (`plot`, pixels) where a legend of `size` pixels covers the fewest
/// points of the `curves` (pixels; each segment sampled at 8 points), upper right on a tie.
fn legend_corner(
    curves: &[Vec<(i32, i32)>],
    plot: PixelBox,
    size: (i32, i32),
) -> SeriesLabelPosition {
    let ((x0, x1), (y0, y1)) = plot;
    let margin = 10;
    let corners = [
        (
            SeriesLabelPosition::UpperRight,
            x1 - margin - size.0,
            y0 + margin,
        ),
        (SeriesLabelPosition::UpperLeft, x0 + margin, y0 + margin),
        (
            SeriesLabelPosition::LowerRight,
            x1 - margin - size.0,
            y1 - margin - size.1,
        ),
        (
            SeriesLabelPosition::LowerLeft,
            x0 + margin,
            y1 - margin - size.1,
        ),
    ];
    let samples: Vec<(i32, i32)> = curves
        .iter()
        .flat_map(|c| {
            let segments = c.windows(2).flat_map(|w| {
                (0..8).map(move |k| {
                    let t = f64::from(k) / 8.0;
                    let at = |a: i32, b: i32| a + (f64::from(b - a) * t).round() as i32;
                    (at(w[0].0, w[1].0), at(w[0].1, w[1].1))
                })
            });
            segments.chain(c.last().copied())
        })
        .collect();
    let covered = |&(_, left, top): &(SeriesLabelPosition, i32, i32)| {
        let inside = |p: &&(i32, i32)| {
            p.0 >= left && p.0 <= left + size.0 && p.1 >= top && p.1 <= top + size.1
        };
        samples.iter().filter(inside).count()
    };
    let best = corners
        .iter()
        .enumerate()
        .min_by_key(|(k, c)| (covered(c), *k))
        .map_or(0, |(k, _)| k);
    corners
        .into_iter()
        .nth(best)
        .map_or(SeriesLabelPosition::UpperRight, |c| c.0)
}

/// The paths of one point's error bars: a horizontal bar of ±`err.0` and a vertical one of
/// ±`err.1`, each clipped to the shown ranges and capped at both ends (caps are 1 % of the
/// other axis's span). Nothing for zero, negative or non-finite half-widths.
fn error_bar(
    p: (f64, f64),
    err: (f64, f64),
    x: (f64, f64),
    y: (f64, f64),
    chart: &Chart,
) -> Vec<Vec<(f64, f64)>> {
    let mut paths = Vec::new();
    let clip = |v: f64, (lo, hi): (f64, f64), scale: Scale| {
        let v = if scale == Scale::Log && v <= 0.0 {
            lo
        } else {
            v
        };
        v.clamp(lo, hi)
    };
    let cap_x = 0.01 * (x.1 - x.0).abs();
    let cap_y = 0.01 * (y.1 - y.0).abs();
    if err.0.is_finite() && err.0 > 0.0 && p.1 >= y.0 && p.1 <= y.1 {
        let (a, b) = (
            clip(p.0 - err.0, x, chart.x.scale),
            clip(p.0 + err.0, x, chart.x.scale),
        );
        paths.push(vec![(a, p.1), (b, p.1)]);
        for end in [a, b] {
            paths.push(vec![
                (end, clip(p.1 - cap_y, y, chart.y.scale)),
                (end, clip(p.1 + cap_y, y, chart.y.scale)),
            ]);
        }
    }
    if err.1.is_finite() && err.1 > 0.0 && p.0 >= x.0 && p.0 <= x.1 {
        let (a, b) = (
            clip(p.1 - err.1, y, chart.y.scale),
            clip(p.1 + err.1, y, chart.y.scale),
        );
        paths.push(vec![(p.0, a), (p.0, b)]);
        for end in [a, b] {
            paths.push(vec![
                (clip(p.0 - cap_x, x, chart.x.scale), end),
                (clip(p.0 + cap_x, x, chart.x.scale), end),
            ]);
        }
    }
    paths
}

/// Half the bar width at each point: half the distance to the nearer neighbour in x.
fn bar_half_widths(points: &[(f64, f64)]) -> Vec<f64> {
    (0..points.len())
        .map(|i| {
            let left = i.checked_sub(1).map(|j| points[i].0 - points[j].0);
            let right = points.get(i + 1).map(|q| q.0 - points[i].0);
            let gap = match (left, right) {
                (Some(l), Some(r)) => l.abs().min(r.abs()),
                (Some(g), None) | (None, Some(g)) => g.abs(),
                (None, None) => 1.0,
            };
            0.45 * gap
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_goes_to_the_corner_the_curves_leave_free() {
        let plot = ((0, 400), (0, 300));
        let rising = vec![vec![(0, 300), (400, 0)]];
        let corner = legend_corner(&rising, plot, (100, 60));
        assert!(matches!(corner, SeriesLabelPosition::UpperLeft));
        let top = vec![vec![(0, 20), (400, 20)]];
        let corner = legend_corner(&top, plot, (100, 60));
        assert!(matches!(corner, SeriesLabelPosition::LowerRight));
        assert!(matches!(
            legend_corner(&[], plot, (100, 60)),
            SeriesLabelPosition::UpperRight
        ));
    }
    use crate::plot::{Axis, Marker, Series};

    fn sample() -> Chart {
        let mut chart = Chart::new("S(q) <fit>", Axis::new("q (nm⁻¹)"), Axis::new("S(q)"))
            .with(
                Series::line("data", vec![(0.5, 1.0), (1.0, 3.0), (1.5, 2.0)])
                    .styled(Style::Points),
            )
            .with(Series::line(
                "fit & model",
                vec![(0.5, 1.1), (1.0, 2.9), (1.5, 2.1)],
            ));
        chart.markers.push(Marker {
            x: 1.0,
            label: "(100)".into(),
        });
        chart
    }

    #[test]
    fn svg_has_the_series_the_labels_and_escaped_text() {
        let out = render_svg(&sample(), 640, 400).unwrap();
        assert!(out.svg.starts_with("<svg"));
        assert!(out.svg.contains("(100)"));
        assert!(out.svg.contains("fit &amp; model"));
        assert!(out.svg.contains("S(q) &lt;fit&gt;"));
        assert!(!out.svg.contains("<fit>"));
        assert_eq!(out.svg.matches("<circle").count(), 3);
    }

    #[test]
    fn pixels_map_back_to_values() {
        let out = render_svg(&sample(), 640, 400).unwrap();
        let a = out.area;
        assert!(a.px_x.0 < a.px_x.1 && a.px_y.0 < a.px_y.1);
        assert!((a.x_at(f64::from(a.px_x.0)) - a.x.0).abs() < 1e-12);
        assert!((a.x_at(f64::from(a.px_x.1)) - a.x.1).abs() < 1e-12);
        assert!((a.y_at(f64::from(a.px_y.0)) - a.y.1).abs() < 1e-12);
    }

    #[test]
    fn error_bars_widen_the_range_and_dashed_lines_draw() {
        let chart = Chart::new("coexistence", Axis::new("ρσ³"), Axis::new("ε/kT"))
            .with(
                Series::line("gas–solid", vec![(2.0, 1.0), (2.2, 2.0)])
                    .styled(Style::Points)
                    .with_errors(vec![(0.5, 0.0), (0.0, 0.25)]),
            )
            .with(Series::line("ε_c", vec![(1.5, 1.355), (2.7, 1.355)]).styled(Style::Dashed));
        let out = render_svg(&chart, 400, 300).unwrap();
        assert!(out.area.x.0 < 1.5 && out.area.x.1 > 2.5);
        assert!(out.area.y.1 > 2.25);
        // Each bar is one line and two caps; the dashed line is many short segments.
        let plain = render_svg(
            &Chart::new("c", Axis::new("x"), Axis::new("y"))
                .with(Series::line("p", vec![(2.0, 1.0), (2.2, 2.0)]).styled(Style::Points)),
            400,
            300,
        )
        .unwrap();
        let lines = |svg: &str| svg.matches("<polyline").count();
        assert!(lines(&out.svg) >= lines(&plain.svg) + 6 + 3);
        assert_eq!(
            error_bar((1.0, 1.0), (f64::NAN, -1.0), (0.0, 2.0), (0.0, 2.0), &chart).len(),
            0
        );
    }

    #[test]
    fn values_map_to_pixels_and_the_nearest_point_is_found() {
        let chart = sample();
        let a = render_svg(&chart, 640, 400).unwrap().area;
        let (px, py) = a.px_of(1.0, 3.0).unwrap();
        assert!((a.x_at(px) - 1.0).abs() < 1e-9 && (a.y_at(py) - 3.0).abs() < 1e-9);
        assert_eq!(a.nearest(&chart, px + 3.0, py - 2.0, 8.0), Some((0, 1)));
        assert_eq!(a.nearest(&chart, px + 30.0, py + 90.0, 8.0), None);
        let log = PlotArea {
            x_scale: Scale::Log,
            x: (0.1, 10.0),
            ..a
        };
        assert!(log.px_of(-1.0, 1.0).is_none());
        let (mid, _) = log.px_of(1.0, 1.0).unwrap();
        assert!((mid - f64::from(a.px_x.0 + a.px_x.1) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn log_axes_and_bars_and_empty_charts_draw() {
        let mut chart = sample();
        chart.x.scale = Scale::Log;
        chart.y.scale = Scale::Log;
        chart
            .series
            .push(Series::line("neg", vec![(-1.0, -2.0), (2.0, 0.0)]));
        let out = render_svg(&chart, 300, 200).unwrap();
        assert!((out.area.x_at(f64::from(out.area.px_x.0)) - out.area.x.0).abs() < 1e-12);
        let bars = Chart::new("hist", Axis::new("q8"), Axis::new("count"))
            .with(Series::line("", vec![(0.1, 3.0), (0.2, 5.0)]).styled(Style::Bars));
        assert!(render_svg(&bars, 300, 200).unwrap().svg.contains("<rect"));
        let empty = Chart::new("nothing yet", Axis::new("t"), Axis::new("f"));
        assert!(!empty.has_data());
        assert!(render_svg(&empty, 300, 200).is_ok());
        assert_eq!(
            render_svg(&empty, 10, 10),
            Err(PlotError::TooSmall {
                width: 10,
                height: 10
            })
        );
    }
}
