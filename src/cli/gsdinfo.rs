//! `bnsl gsd-info FILE`: what a GSD trajectory holds, as JSON (frames, N, types, box).

use std::path::Path;
use std::process::ExitCode;

/// Prints the summary of the GSD file at `path` as pretty JSON, or the error on stderr.
pub fn run(path: &Path) -> ExitCode {
    let result = std::fs::File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| {
            crate::io::gsd::summarize(std::io::BufReader::new(f)).map_err(|e| e.to_string())
        })
        .and_then(|s| serde_json::to_string_pretty(&s).map_err(|e| e.to_string()));
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bnsl gsd-info: {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}
