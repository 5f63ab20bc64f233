//! Fetches the reproduced compressions' summary ([`crate::plot::paper_runs`]).

use crate::app::tabs::analyse::load::fetch_bytes;
use crate::plot::paper_runs::{ReproducedRun, ReproducedSummary};

/// Where the page finds the summary (copied by `scripts/copy-phase-data.sh`).
pub const REPRODUCED_URL: &str = "phase-diagrams/reproduced-compressions.json";

/// Fetches the summary.
///
/// # Errors
/// The fetch's message, or where the JSON is wrong.
pub async fn load() -> Result<Vec<ReproducedRun>, String> {
    let bytes = fetch_bytes(REPRODUCED_URL).await?;
    serde_json::from_slice::<ReproducedSummary>(&bytes)
        .map(|s| s.runs)
        .map_err(|e| {
            format!(
                "{REPRODUCED_URL}: line {}, column {}: {e}",
                e.line(),
                e.column()
            )
        })
}
