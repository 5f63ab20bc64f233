//! Big float arrays in JSON messages: little-endian f32 bytes as base64 (4/3 bytes per byte
//! instead of ~10 characters per number, and no float parsing on the page).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `Vec<f32>` that serialises as a base64 string of its little-endian bytes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PackedF32(pub Vec<f32>);

impl Serialize for PackedF32 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|v| v.to_le_bytes()).collect();
        serializer.serialize_str(&STANDARD.encode(bytes))
    }
}

impl<'de> Deserialize<'de> for PackedF32 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = STANDARD
            .decode(text.as_bytes())
            .map_err(|e| serde::de::Error::custom(format!("packed floats: {e}")))?;
        if bytes.len() % 4 != 0 {
            return Err(serde::de::Error::custom(format!(
                "packed floats: {} bytes is not a whole number of f32",
                bytes.len()
            )));
        }
        Ok(PackedF32(f32s_from_le_bytes(&bytes)))
    }
}

/// The f32 values of little-endian bytes (a trailing partial value is ignored).
#[must_use]
pub fn f32s_from_le_bytes(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly_and_refuses_odd_lengths() {
        let v = PackedF32(vec![1.5, -0.0, f32::MAX, 1e-30, f32::NAN]);
        let json = serde_json::to_string(&v).unwrap();
        let back: PackedF32 = serde_json::from_str(&json).unwrap();
        assert_eq!(back.0.len(), 5);
        assert!(back.0[4].is_nan());
        assert_eq!(&back.0[..4], &v.0[..4]);
        assert!(serde_json::from_str::<PackedF32>("\"AAA=\"").is_err());
        assert!(serde_json::from_str::<PackedF32>("\"!!\"").is_err());
    }
}
