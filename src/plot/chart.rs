//! The data a line plot is made of.

use super::palette::Rgb;
use serde::{Deserialize, Serialize};

/// How an axis maps values to pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Scale {
    /// Evenly spaced values.
    #[default]
    Linear,
    /// Evenly spaced decades; values ≤ 0 are left out of the picture (not of the CSV).
    Log,
}

/// One axis: its label (with units), scale and an optional fixed range.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Axis {
    /// Label under (or beside) the axis, units included, e.g. `q (nm⁻¹)`.
    pub label: String,
    /// Linear or logarithmic.
    pub scale: Scale,
    /// Shown range `(low, high)`; from the data when `None`.
    pub range: Option<(f64, f64)>,
}

impl Axis {
    /// A linear axis with automatic range.
    pub fn new(label: impl Into<String>) -> Self {
        Axis {
            label: label.into(),
            scale: Scale::Linear,
            range: None,
        }
    }

    /// The same axis with a fixed range.
    pub fn with_range(mut self, low: f64, high: f64) -> Self {
        self.range = Some((low, high));
        self
    }

    /// The same axis on a logarithmic scale.
    pub fn log(mut self) -> Self {
        self.scale = Scale::Log;
        self
    }
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Style {
    /// Straight segments between consecutive points.
    #[default]
    Line,
    /// A small circle at each point (measured data).
    Points,
    /// Both segments and circles.
    LinePoints,
    /// Histogram bars centred on each x, as wide as the spacing of the x values.
    Bars,
    /// A dashed line through the points (a threshold or an estimate, e.g. ε_c in Fig. 3c,d).
    Dashed,
}

/// One named curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Legend entry and CSV column value.
    pub name: String,
    /// The (x, y) points, in drawing order. Non-finite points are skipped when drawing.
    pub points: Vec<(f64, f64)>,
    /// How the points are drawn.
    pub style: Style,
    /// Colour; the palette's next colour when `None`.
    pub colour: Option<Rgb>,
    /// One standard error per point as (x, y) half-widths, drawn as error bars with caps;
    /// empty for none, otherwise as long as `points` (a zero half-width draws no bar).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<(f64, f64)>,
}

impl Series {
    /// A line series in the palette's colour.
    pub fn line(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            name: name.into(),
            points,
            style: Style::Line,
            colour: None,
            errors: Vec::new(),
        }
    }

    /// The same series with (x, y) error half-widths, one per point.
    pub fn with_errors(mut self, errors: Vec<(f64, f64)>) -> Self {
        self.errors = errors;
        self
    }

    /// The error half-widths of point `index`, (0, 0) when the series has none.
    pub fn error_at(&self, index: usize) -> (f64, f64) {
        self.errors.get(index).copied().unwrap_or((0.0, 0.0))
    }

    /// The same series drawn another way.
    pub fn styled(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// The same series in a given colour.
    pub fn coloured(mut self, colour: Rgb) -> Self {
        self.colour = Some(colour);
        self
    }
}

/// A labelled vertical line: a reflection's hkl at its q, a classifier's threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Position on the x axis.
    pub x: f64,
    /// Text written beside the line (may be empty).
    pub label: String,
}

/// A line plot: title, axes, series and markers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Chart {
    /// Caption above the plot.
    pub title: String,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// The curves, drawn in order (later ones on top).
    pub series: Vec<Series>,
    /// Vertical marker lines.
    pub markers: Vec<Marker>,
}

impl Chart {
    /// An empty chart with a title and axis labels.
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Self {
        Chart {
            title: title.into(),
            x,
            y,
            series: Vec::new(),
            markers: Vec::new(),
        }
    }

    /// Adds a series (builder style).
    pub fn with(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// Whether there is any finite point to draw.
    pub fn has_data(&self) -> bool {
        self.series
            .iter()
            .any(|s| s.points.iter().any(|(x, y)| x.is_finite() && y.is_finite()))
    }
}
