//! Reading a whole input with a size limit checked while reading (issue #18): the read stops
//! one byte past the limit, so an endless stream (`/dev/zero`, a pipe that never closes) or a
//! huge file costs at most `limit` bytes of memory and the time to read them, never more.

use std::io::Read;

/// Why an input could not be read whole.
#[derive(Debug, thiserror::Error)]
pub enum BoundedReadError {
    /// The input has more than `limit` bytes (the read stopped there).
    #[error("it is larger than {limit} bytes ({}), the limit for {what}; reading stopped there", human_size(*limit))]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// What the input was read as ("a SAXS table", "a run configuration").
        what: &'static str,
    },
    /// The reader failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Reads `reader` to its end, refusing it as soon as it yields more than `limit` bytes;
/// `what` names the kind of input in the error.
///
/// # Errors
/// [`BoundedReadError::TooLarge`] past `limit`; [`BoundedReadError::Io`] when a read fails.
pub fn read_bounded<R: Read>(
    reader: R,
    limit: usize,
    what: &'static str,
) -> Result<Vec<u8>, BoundedReadError> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(BoundedReadError::TooLarge { limit, what });
    }
    Ok(bytes)
}

/// `bytes` in the largest binary unit that keeps a whole number ("64 MiB", "1 KiB", "100 bytes").
fn human_size(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = bytes;
    let mut unit = 0;
    while unit + 1 < UNITS.len() && value >= 1024 && value.is_multiple_of(1024) {
        value /= 1024;
        unit += 1;
    }
    format!("{value} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_stream_stops_one_byte_past_the_limit() {
        let endless = std::io::repeat(0);
        let err = read_bounded(endless, 4096, "a test input").expect_err("too large");
        assert_eq!(
            err.to_string(),
            "it is larger than 4096 bytes (4 KiB), the limit for a test input; reading stopped there"
        );
    }

    #[test]
    fn inputs_up_to_the_limit_are_read_whole() {
        let data = vec![7u8; 1000];
        assert_eq!(read_bounded(&data[..], 1000, "x").expect("fits"), data);
        assert!(read_bounded(&data[..], 999, "x").is_err());
        assert!(read_bounded(&[][..], 0, "x").expect("empty").is_empty());
        assert_eq!(human_size(64 * 1024 * 1024), "64 MiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }
}
