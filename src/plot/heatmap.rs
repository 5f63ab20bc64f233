//! S(q, t) maps (the paper's Fig. 1a): a grid of values coloured by viridis, with a colour bar.

use super::chart::Axis;
use super::error::PlotError;
use super::palette::viridis;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Most cells drawn along each axis; larger grids are averaged in blocks first so the SVG
/// stays small (a 500-frame series of 1000-point patterns is 5·10⁵ values).
pub const MAX_CELLS: usize = 240;

/// A map of values on an (x, y) grid, e.g. S(q, t): `z[row][column]` belongs to
/// `(x[column], y[row])`. Both axes are drawn linear.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Heatmap {
    /// Caption above the map.
    pub title: String,
    /// Horizontal axis (label; its range is the data's).
    pub x: Axis,
    /// Vertical axis (label; its range is the data's).
    pub y: Axis,
    /// Column positions, increasing.
    pub x_values: Vec<f64>,
    /// Row positions, increasing.
    pub y_values: Vec<f64>,
    /// Values, one row per y.
    pub z: Vec<Vec<f64>>,
    /// Label of the colour bar.
    pub z_label: String,
    /// Colour by log10 of positive values.
    pub z_log: bool,
}

/// Edges of the cells around increasing centres (midpoints, extended half a step outside).
fn edges(centres: &[f64]) -> Vec<f64> {
    match centres.len() {
        0 => vec![0.0, 1.0],
        1 => vec![centres[0] - 0.5, centres[0] + 0.5],
        n => {
            let mut e = Vec::with_capacity(n + 1);
            e.push(centres[0] - 0.5 * (centres[1] - centres[0]));
            e.extend(centres.windows(2).map(|w| 0.5 * (w[0] + w[1])));
            e.push(centres[n - 1] + 0.5 * (centres[n - 1] - centres[n - 2]));
            e
        }
    }
}

/// Groups of consecutive indices, at most `MAX_CELLS` groups of equal size (the last may be shorter).
fn blocks(n: usize) -> Vec<std::ops::Range<usize>> {
    let size = n.div_ceil(MAX_CELLS).max(1);
    (0..n).step_by(size).map(|s| s..(s + size).min(n)).collect()
}

/// Block-averages `map` to at most [`MAX_CELLS`]² cells: (x centres, y centres, values).
type Grid = (Vec<f64>, Vec<f64>, Vec<Vec<f64>>);

fn reduce(map: &Heatmap) -> Grid {
    let mean = |v: &mut dyn Iterator<Item = f64>| {
        let (s, n) = v
            .filter(|x| x.is_finite())
            .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
        if n == 0 {
            f64::NAN
        } else {
            s / n as f64
        }
    };
    let cols = blocks(map.x_values.len());
    let rows = blocks(map.y_values.len());
    let xc = cols
        .iter()
        .map(|c| mean(&mut map.x_values[c.clone()].iter().copied()))
        .collect();
    let yc = rows
        .iter()
        .map(|r| mean(&mut map.y_values[r.clone()].iter().copied()))
        .collect();
    let z = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| {
                    mean(&mut map.z[r.clone()].iter().flat_map(|row| {
                        row[c.clone()].iter().map(|v| {
                            if map.z_log {
                                if *v > 0.0 {
                                    v.log10()
                                } else {
                                    f64::NAN
                                }
                            } else {
                                *v
                            }
                        })
                    }))
                })
                .collect()
        })
        .collect();
    (xc, yc, z)
}

/// Draws `map` as a `width`×`height` px SVG with a colour bar on the right.
pub fn render_heatmap_svg(map: &Heatmap, width: u32, height: u32) -> Result<String, PlotError> {
    if width < 160 || height < 60 {
        return Err(PlotError::TooSmall { width, height });
    }
    if map.z.len() != map.y_values.len() {
        return Err(PlotError::RaggedHeatmap {
            row: map.z.len().min(map.y_values.len()),
            found: map.z.len(),
            expected: map.y_values.len(),
        });
    }
    if let Some((row, r)) = map
        .z
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != map.x_values.len())
    {
        return Err(PlotError::RaggedHeatmap {
            row,
            found: r.len(),
            expected: map.x_values.len(),
        });
    }
    let (xc, yc, z) = reduce(map);
    let (xe, ye) = (edges(&xc), edges(&yc));
    let finite = z.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if lo < hi {
        (lo, hi)
    } else if lo.is_finite() {
        (lo - 0.5, lo + 0.5)
    } else {
        (0.0, 1.0)
    };

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (main, bar) = root.split_horizontally(width.saturating_sub(90));
        let x_lim = (xe[0], xe[xe.len() - 1]);
        let y_lim = (ye[0], ye[ye.len() - 1]);
        let mut ctx = ChartBuilder::on(&main)
            .caption(map.title.as_str(), ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(64)
            .build_cartesian_2d(x_lim.0..x_lim.1, y_lim.0..y_lim.1)?;
        ctx.configure_mesh()
            .disable_mesh()
            .x_desc(map.x.label.as_str())
            .y_desc(map.y.label.as_str())
            .label_style(("sans-serif", 12))
            .draw()?;
        ctx.draw_series(z.iter().enumerate().flat_map(|(r, row)| {
            let (y0, y1) = (ye[r], ye[r + 1]);
            let xe = &xe;
            row.iter().enumerate().map(move |(c, v)| {
                let rgb = if v.is_finite() {
                    viridis((v - lo) / (hi - lo))
                } else {
                    super::palette::Rgb(255, 255, 255)
                };
                Rectangle::new(
                    [(xe[c], y0), (xe[c + 1], y1)],
                    RGBColor(rgb.0, rgb.1, rgb.2).filled(),
                )
            })
        }))?;

        let label = if map.z_log {
            format!("log₁₀ {}", map.z_label)
        } else {
            map.z_label.clone()
        };
        let mut scale = ChartBuilder::on(&bar)
            .margin_top(40)
            .margin_bottom(54)
            .margin_right(8)
            .y_label_area_size(52)
            .build_cartesian_2d(0.0..1.0, lo..hi)?;
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_desc(label.as_str())
            .label_style(("sans-serif", 11))
            .draw()?;
        let steps = 64;
        scale.draw_series((0..steps).map(|i| {
            let a = lo + (hi - lo) * i as f64 / steps as f64;
            let b = lo + (hi - lo) * (i + 1) as f64 / steps as f64;
            let rgb = viridis((i as f64 + 0.5) / steps as f64);
            Rectangle::new([(0.0, a), (1.0, b)], RGBColor(rgb.0, rgb.1, rgb.2).filled())
        }))?;
        root.present()?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(nx: usize, ny: usize) -> Heatmap {
        Heatmap {
            title: "S(q, t)".into(),
            x: Axis::new("q (nm⁻¹)"),
            y: Axis::new("t (s)"),
            x_values: (0..nx).map(|i| 0.5 + i as f64 * 0.01).collect(),
            y_values: (0..ny).map(|i| i as f64).collect(),
            z: (0..ny)
                .map(|r| (0..nx).map(|c| (r + c) as f64).collect())
                .collect(),
            z_label: "S(q)".into(),
            z_log: false,
        }
    }

    #[test]
    fn large_grids_are_reduced_and_small_ones_kept() {
        let big = map(1000, 500);
        let (xc, yc, z) = reduce(&big);
        assert!(xc.len() <= MAX_CELLS && yc.len() <= MAX_CELLS);
        assert_eq!(z.len(), yc.len());
        let small = map(10, 4);
        let (xc, _, z) = reduce(&small);
        assert_eq!(xc.len(), 10);
        assert_eq!(z[3][9], 12.0);
        let svg = render_heatmap_svg(&big, 800, 500).unwrap();
        let cells = svg.matches("<rect").count();
        assert!(
            cells > 1000 && cells < MAX_CELLS * MAX_CELLS + 200,
            "{cells}"
        );
    }

    #[test]
    fn ragged_grids_are_refused() {
        let mut m = map(5, 3);
        m.z[1].pop();
        assert_eq!(
            render_heatmap_svg(&m, 400, 300),
            Err(PlotError::RaggedHeatmap {
                row: 1,
                found: 4,
                expected: 5
            })
        );
    }

    #[test]
    fn edges_surround_centres() {
        assert_eq!(edges(&[1.0, 2.0, 4.0]), vec![0.5, 1.5, 3.0, 5.0]);
        assert_eq!(edges(&[]), vec![0.0, 1.0]);
    }
}
