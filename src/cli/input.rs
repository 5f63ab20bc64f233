//! Files the command line reads whole (SAXS tables, run configurations, recipes, classifier
//! rules) go through [`read_file`] or [`read_text`]: the size limit is checked while reading
//! ([`crate::io::bounded`]), so `bnsl fit /dev/zero` stops after the limit instead of reading
//! until the machine runs out of memory. GSD trajectories are read by offset, chunk by chunk,
//! and never whole.

use std::path::Path;

use super::error::CliError;
use crate::io::bounded::{read_bounded, BoundedReadError};

/// Largest run configuration (TOML), recipe or classifier file (JSON): 1 MiB, the most a
/// share link may inflate to ([`crate::io::link::MAX_JSON_BYTES`]).
pub(super) const MAX_CONFIG_BYTES: usize = crate::io::link::MAX_JSON_BYTES;

/// The bytes of the file at `path`, at most `limit` of them; `what` names the kind of file
/// in the error.
pub(super) fn read_file(
    path: &Path,
    limit: usize,
    what: &'static str,
) -> Result<Vec<u8>, CliError> {
    let file = std::fs::File::open(path).map_err(CliError::file(path))?;
    read_bounded(file, limit, what).map_err(|e| match e {
        BoundedReadError::Io(source) => CliError::File {
            path: path.to_owned(),
            source,
        },
        too_large => CliError::input(path, too_large.to_string()),
    })
}

/// As [`read_file`], as UTF-8 text; an invalid byte is named by its line and offset.
pub(super) fn read_text(path: &Path, limit: usize, what: &'static str) -> Result<String, CliError> {
    let bytes = read_file(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
        CliError::input(
            path,
            format!("line {line}: byte {at} is not valid UTF-8 text; is this a binary file?"),
        )
    })
}
