//! Pieces every tab uses: the plot view with its exports, and file downloads.

pub mod download;
mod heatmap_view;
mod plot_view;
mod png;

pub use heatmap_view::{HeatmapView, HeatmapViewProps};
pub use plot_view::{PlotView, PlotViewProps};
pub use png::svg_to_png;
