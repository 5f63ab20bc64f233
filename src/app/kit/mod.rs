//! Pieces every tab uses: the plot view with its exports, and file downloads.

pub mod download;
mod plot_view;
mod png;

pub use plot_view::{PlotView, PlotViewProps};
pub use png::svg_to_png;
