//! `bnsl gsd-info FILE`: what a GSD trajectory holds, as JSON (frames, N, types, box).

use std::io::Write;
use std::path::Path;

use super::error::CliError;

/// Prints the summary of the GSD file at `path` as pretty JSON.
///
/// # Errors
/// [`CliError`] when the file cannot be opened or read as GSD.
pub fn run(path: &Path) -> Result<(), CliError> {
    let file = std::fs::File::open(path).map_err(CliError::file(path))?;
    let summary =
        crate::io::gsd::summarize(std::io::BufReader::new(file)).map_err(CliError::gsd(path))?;
    let json = serde_json::to_string_pretty(&summary).map_err(|source| CliError::Json {
        path: path.to_owned(),
        source,
    })?;
    writeln!(std::io::stdout().lock(), "{json}")?;
    Ok(())
}
