//! Plots as SVG: the one place the page (and the command line) turns curves into pictures.
//!
//! A [`Chart`] is plain data — axes, series, vertical markers — so a tab builds it from its
//! results, [`render_svg`] draws it with `plotters`' SVG backend, and [`chart_csv`] writes the
//! very same numbers as CSV. [`Heatmap`] does the same for S(q, t) maps (the paper's Fig. 1a).
//! [`phase_charts`] builds the phase diagram's charts (Fig. 3c,d, S17, S19, S21) from a
//! [`crate::thermo::PhaseDiagram`].
//! Nothing here touches the browser: the page shows the SVG and turns it into PNG itself
//! (`app::kit::PlotView`).

mod chart;
mod csv;
mod error;
mod heatmap;
mod palette;
pub mod paper_runs;
pub mod phase_charts;
mod range;
mod render;

pub use chart::{Axis, Chart, Marker, Scale, Series, Style};
pub use csv::{chart_csv, heatmap_csv};
pub use error::PlotError;
pub use heatmap::{render_heatmap_svg, Heatmap};
pub use palette::{series_colour, viridis, Rgb};
pub use render::{render_svg, PlotArea, Rendered};
