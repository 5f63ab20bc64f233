//! What can go wrong while drawing a plot.

/// A plot could not be drawn.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum PlotError {
    /// The requested picture has no area.
    #[error("plot size {width}×{height} px is too small (at least 80×60 px)")]
    TooSmall {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },
    /// A heatmap's grid does not match its axes.
    #[error("heatmap row {row} has {found} values, the q axis has {expected}")]
    RaggedHeatmap {
        /// Index of the offending row.
        row: usize,
        /// Number of values in that row.
        found: usize,
        /// Number of x values.
        expected: usize,
    },
    /// The drawing backend failed.
    #[error("drawing failed: {0}")]
    Draw(String),
}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for PlotError
{
    fn from(err: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        PlotError::Draw(err.to_string())
    }
}
