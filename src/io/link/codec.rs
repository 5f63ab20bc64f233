//! The payload codec: JSON → raw DEFLATE → base64url, with version byte and checksum (format
//! in the module docs of [`super`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::hash::fnv1a32;
use super::{LinkError, LINK_VERSION, MAX_JSON_BYTES, MAX_PAYLOAD_CHARS};

const HEADER: usize = 5;

/// Packs raw bytes (normally JSON text) into a payload.
///
/// # Errors
/// [`LinkError::TooLong`] when the payload would exceed [`MAX_PAYLOAD_CHARS`] or the bytes
/// exceed [`MAX_JSON_BYTES`].
pub fn encode_bytes(json: &[u8]) -> Result<String, LinkError> {
    if json.len() > MAX_JSON_BYTES {
        return Err(LinkError::TooLong {
            len: json.len(),
            limit: MAX_JSON_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(HEADER + json.len() / 2);
    bytes.push(LINK_VERSION);
    bytes.extend_from_slice(&fnv1a32(json).to_le_bytes());
    bytes.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(json, 9));
    let payload = URL_SAFE_NO_PAD.encode(&bytes);
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(LinkError::TooLong {
            len: payload.len(),
            limit: MAX_PAYLOAD_CHARS,
        });
    }
    Ok(payload)
}

/// Unpacks a payload into the bytes it carries (normally JSON text), checking size, version
/// and checksum.
///
/// # Errors
/// [`LinkError::Empty`], [`LinkError::TooLong`], [`LinkError::BadEncoding`],
/// [`LinkError::Truncated`], [`LinkError::Version`], [`LinkError::Corrupt`],
/// [`LinkError::Inflated`] or [`LinkError::Checksum`].
pub fn decode_bytes(payload: &str) -> Result<Vec<u8>, LinkError> {
    let payload = payload.trim();
    if payload.is_empty() {
        return Err(LinkError::Empty);
    }
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(LinkError::TooLong {
            len: payload.len(),
            limit: MAX_PAYLOAD_CHARS,
        });
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|e| {
        LinkError::BadEncoding(match e {
            base64::DecodeError::InvalidByte(at, b) => {
                format!(
                    "character {:?} at position {at} is not allowed",
                    char::from(b)
                )
            }
            base64::DecodeError::InvalidLength(_) => "its length is impossible (cut off?)".into(),
            base64::DecodeError::InvalidLastSymbol(at, _) => {
                format!("the last character (position {at}) is wrong")
            }
            base64::DecodeError::InvalidPadding => "unexpected padding".into(),
        })
    })?;
    if bytes.len() <= HEADER {
        return Err(LinkError::Truncated(bytes.len()));
    }
    if bytes[0] != LINK_VERSION {
        return Err(LinkError::Version {
            found: bytes[0],
            supported: LINK_VERSION,
        });
    }
    let mut sum = [0u8; 4];
    sum.copy_from_slice(&bytes[1..HEADER]);
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes[HEADER..], MAX_JSON_BYTES)
        .map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => LinkError::Inflated {
                limit: MAX_JSON_BYTES,
            },
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                LinkError::Corrupt("the compressed data ends too early".into())
            }
            _ => LinkError::Corrupt("the compressed data is invalid".into()),
        })?;
    if fnv1a32(&json) != u32::from_le_bytes(sum) {
        return Err(LinkError::Checksum);
    }
    Ok(json)
}

/// Encodes any serde value as a link payload.
///
/// # Errors
/// [`LinkError::Serialize`] when the value has no JSON form; [`LinkError::TooLong`] when the
/// payload would exceed [`MAX_PAYLOAD_CHARS`].
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, LinkError> {
    let json = serde_json::to_vec(value).map_err(|e| LinkError::Serialize(e.to_string()))?;
    encode_bytes(&json)
}

/// Decodes a link payload into a value.
///
/// # Errors
/// Every error of [`decode_bytes`], and [`LinkError::Content`] when the JSON is not a valid
/// `T` (with line and column).
pub fn decode<T: DeserializeOwned>(payload: &str) -> Result<T, LinkError> {
    let json = decode_bytes(payload)?;
    serde_json::from_slice(&json).map_err(|e| LinkError::Content {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_header_only_payloads() {
        assert_eq!(decode_bytes(""), Err(LinkError::Empty));
        assert_eq!(decode_bytes("AQ"), Err(LinkError::Truncated(1)));
        let newer = URL_SAFE_NO_PAD.encode([2u8, 0, 0, 0, 0, 3, 0]);
        assert_eq!(
            decode_bytes(&newer),
            Err(LinkError::Version {
                found: 2,
                supported: 1
            })
        );
        assert!(decode_bytes(&newer)
            .unwrap_err()
            .to_string()
            .contains("newer"));
    }
}
