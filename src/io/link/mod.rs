//! Share links (issue #6): a whole recipe — any serde type, e.g. the simulation parameters and
//! seed, or SAXS fit settings — packed into a URL fragment such as
//! `https://…/#/simulate?r=<payload>`, and unpacked again with clear errors for anything
//! malformed, truncated, outdated or hostile.
//!
//! Payload format, version [`LINK_VERSION`]:
//!
//! ```text
//! base64url without padding of:
//!   byte 0      format version (1)
//!   bytes 1..5  FNV-1a 32-bit hash of the JSON text, little-endian (detects corruption)
//!   bytes 5..   raw DEFLATE (RFC 1951, miniz_oxide level 9) of the value's JSON text
//! ```
//!
//! Bounds: a payload longer than [`MAX_PAYLOAD_CHARS`] is refused before decoding, and the
//! JSON may inflate to at most [`MAX_JSON_BYTES`] (a zip bomb stops there); serde_json's
//! nesting limit (128) bounds recursion. Floats round-trip bit-exactly (serde_json's
//! `float_roundtrip`), so a link reproduces a run bit for bit.
//!
//! Decoded strings are plain data: nothing here interprets them as HTML or code; the page
//! must still escape them when it displays them (Yew's text nodes do). Error messages can quote
//! parts of the link (e.g. an unknown field name) and must be shown as text too.
//!
//! [`content_hash_hex`] names data too large to embed (SAXS curves over 8 KB compressed): the
//! link then carries the hash and the page asks for the same file and checks it.

mod codec;
mod fragment;
mod hash;

pub use codec::{decode, decode_bytes, encode, encode_bytes};
pub use fragment::{build_fragment, decode_link, parse_fragment, share_link, ShareFragment};
pub use hash::{content_hash, content_hash_hex};

/// The payload format version this build writes and reads.
pub const LINK_VERSION: u8 = 1;
/// Longest payload (base64url characters) accepted or produced: 48 KiB, well inside what
/// browsers accept in a URL.
pub const MAX_PAYLOAD_CHARS: usize = 48 * 1024;
/// Largest JSON text a payload may inflate to: 1 MiB.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// Why a link could not be made or read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkError {
    /// The payload is empty.
    #[error("the link carries no data")]
    Empty,
    /// The payload or the link is longer than allowed.
    #[error("the link data is {len} characters long, more than the {limit} allowed")]
    TooLong {
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A character outside base64url, or a damaged end.
    #[error("the link data is damaged: {0}")]
    BadEncoding(String),
    /// The payload is shorter than its fixed header.
    #[error("the link data is truncated (only {0} bytes)")]
    Truncated(usize),
    /// The format version is not this build's.
    #[error("the link was made by {} version of BNSL Studio (link format {found}, this page reads {supported})", if *found > *supported { "a newer" } else { "an older" })]
    Version {
        /// Version in the link.
        found: u8,
        /// Version this build reads.
        supported: u8,
    },
    /// The compressed data does not inflate.
    #[error("the link data is corrupted or truncated: {0}")]
    Corrupt(String),
    /// The data inflates to more than [`MAX_JSON_BYTES`].
    #[error("the link data expands to more than {limit} bytes and was refused")]
    Inflated {
        /// The limit.
        limit: usize,
    },
    /// The checksum does not match the data.
    #[error("the link data is corrupted (checksum mismatch)")]
    Checksum,
    /// The JSON does not describe the expected value.
    #[error("the link's content is not valid at line {line}, column {column}: {message}")]
    Content {
        /// Line in the JSON text.
        line: usize,
        /// Column in the JSON text.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// The value could not be turned into JSON (e.g. a map with non-string keys).
    #[error("cannot put this value into a link: {0}")]
    Serialize(String),
    /// The fragment is not of the form `#/route?r=payload`.
    #[error("not a share link: {0}")]
    BadFragment(String),
}
