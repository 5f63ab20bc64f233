//! Typed data chunks: the N×M arrays a GSD frame is made of, and their element types
//! (`enum gsd_type` in gsd.h).

use serde::Serialize;

/// Element type of a chunk, with the codes gsd uses on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ElementType {
    /// `uint8` (code 1).
    U8,
    /// `uint16` (code 2).
    U16,
    /// `uint32` (code 3).
    U32,
    /// `uint64` (code 4).
    U64,
    /// `int8` (code 5).
    I8,
    /// `int16` (code 6).
    I16,
    /// `int32` (code 7).
    I32,
    /// `int64` (code 8).
    I64,
    /// `float32` (code 9).
    F32,
    /// `float64` (code 10).
    F64,
    /// 8-bit character (code 11).
    Char,
}

impl ElementType {
    /// The type for an on-disk code, or `None` for an unknown code.
    #[must_use]
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => Self::U8,
            2 => Self::U16,
            3 => Self::U32,
            4 => Self::U64,
            5 => Self::I8,
            6 => Self::I16,
            7 => Self::I32,
            8 => Self::I64,
            9 => Self::F32,
            10 => Self::F64,
            11 => Self::Char,
            _ => return None,
        })
    }

    /// The on-disk code.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::U8 => 1,
            Self::U16 => 2,
            Self::U32 => 3,
            Self::U64 => 4,
            Self::I8 => 5,
            Self::I16 => 6,
            Self::I32 => 7,
            Self::I64 => 8,
            Self::F32 => 9,
            Self::F64 => 10,
            Self::Char => 11,
        }
    }

    /// Size of one element in bytes.
    #[must_use]
    pub fn size(self) -> u64 {
        match self {
            Self::U8 | Self::I8 | Self::Char => 1,
            Self::U16 | Self::I16 => 2,
            Self::U32 | Self::I32 | Self::F32 => 4,
            Self::U64 | Self::I64 | Self::F64 => 8,
        }
    }
}

/// The values of a chunk, row-major, in their element type.
#[derive(Clone, Debug, PartialEq)]
pub enum ChunkValues {
    /// `uint8` values.
    U8(Vec<u8>),
    /// `uint16` values.
    U16(Vec<u16>),
    /// `uint32` values.
    U32(Vec<u32>),
    /// `uint64` values.
    U64(Vec<u64>),
    /// `int8` values.
    I8(Vec<i8>),
    /// `int16` values.
    I16(Vec<i16>),
    /// `int32` values.
    I32(Vec<i32>),
    /// `int64` values.
    I64(Vec<i64>),
    /// `float32` values.
    F32(Vec<f32>),
    /// `float64` values.
    F64(Vec<f64>),
    /// Character values.
    Char(Vec<u8>),
}

macro_rules! decode_le {
    ($bytes:expr, $t:ty) => {
        $bytes
            .chunks_exact(std::mem::size_of::<$t>())
            .map(|c| {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(c);
                <$t>::from_le_bytes(a)
            })
            .collect()
    };
}

macro_rules! encode_le {
    ($v:expr) => {
        $v.iter().flat_map(|x| x.to_le_bytes()).collect()
    };
}

impl ChunkValues {
    /// The element type.
    #[must_use]
    pub fn element_type(&self) -> ElementType {
        match self {
            Self::U8(_) => ElementType::U8,
            Self::U16(_) => ElementType::U16,
            Self::U32(_) => ElementType::U32,
            Self::U64(_) => ElementType::U64,
            Self::I8(_) => ElementType::I8,
            Self::I16(_) => ElementType::I16,
            Self::I32(_) => ElementType::I32,
            Self::I64(_) => ElementType::I64,
            Self::F32(_) => ElementType::F32,
            Self::F64(_) => ElementType::F64,
            Self::Char(_) => ElementType::Char,
        }
    }

    /// Number of elements.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::U8(v) | Self::Char(v) => v.len(),
            Self::U16(v) => v.len(),
            Self::U32(v) => v.len(),
            Self::U64(v) => v.len(),
            Self::I8(v) => v.len(),
            Self::I16(v) => v.len(),
            Self::I32(v) => v.len(),
            Self::I64(v) => v.len(),
            Self::F32(v) => v.len(),
            Self::F64(v) => v.len(),
        }
    }

    /// Whether there are no elements.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decodes little-endian bytes (whose length is a multiple of the element size).
    #[must_use]
    pub fn decode(t: ElementType, bytes: &[u8]) -> Self {
        match t {
            ElementType::U8 => Self::U8(bytes.to_vec()),
            ElementType::Char => Self::Char(bytes.to_vec()),
            ElementType::I8 => Self::I8(bytes.iter().map(|&b| i8::from_le_bytes([b])).collect()),
            ElementType::U16 => Self::U16(decode_le!(bytes, u16)),
            ElementType::U32 => Self::U32(decode_le!(bytes, u32)),
            ElementType::U64 => Self::U64(decode_le!(bytes, u64)),
            ElementType::I16 => Self::I16(decode_le!(bytes, i16)),
            ElementType::I32 => Self::I32(decode_le!(bytes, i32)),
            ElementType::I64 => Self::I64(decode_le!(bytes, i64)),
            ElementType::F32 => Self::F32(decode_le!(bytes, f32)),
            ElementType::F64 => Self::F64(decode_le!(bytes, f64)),
        }
    }

    /// Encodes the values as little-endian bytes.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Self::U8(v) | Self::Char(v) => v.clone(),
            Self::I8(v) => encode_le!(v),
            Self::U16(v) => encode_le!(v),
            Self::U32(v) => encode_le!(v),
            Self::U64(v) => encode_le!(v),
            Self::I16(v) => encode_le!(v),
            Self::I32(v) => encode_le!(v),
            Self::I64(v) => encode_le!(v),
            Self::F32(v) => encode_le!(v),
            Self::F64(v) => encode_le!(v),
        }
    }

    /// The values as `f64` when they are floating point (`float32` widens exactly).
    #[must_use]
    pub fn to_f64(&self) -> Option<Vec<f64>> {
        match self {
            Self::F32(v) => Some(v.iter().map(|&x| f64::from(x)).collect()),
            Self::F64(v) => Some(v.clone()),
            _ => None,
        }
    }
}

/// One chunk: an `n`×`m` array of values.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// Rows.
    pub n: u64,
    /// Columns.
    pub m: u32,
    /// `n·m` values, row-major.
    pub values: ChunkValues,
}

impl Chunk {
    /// An `n`×`m` chunk; `None` when the number of values is not `n·m`.
    #[must_use]
    pub fn new(n: u64, m: u32, values: ChunkValues) -> Option<Self> {
        let count = n.checked_mul(u64::from(m))?;
        (u64::try_from(values.len()).ok()? == count).then_some(Self { n, m, values })
    }

    /// A single-column chunk holding `values`.
    #[must_use]
    pub fn column(values: ChunkValues) -> Self {
        Self {
            n: values.len() as u64,
            m: 1,
            values,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_none() {
        for code in 1..=11u8 {
            let t = ElementType::from_code(code).unwrap();
            assert_eq!(t.code(), code);
        }
        assert!(ElementType::from_code(0).is_none());
        assert!(ElementType::from_code(12).is_none());
    }

    #[test]
    fn values_round_trip_through_bytes() {
        let all = [
            ChunkValues::U8(vec![1, 255]),
            ChunkValues::U16(vec![1, 65535]),
            ChunkValues::U32(vec![7, u32::MAX]),
            ChunkValues::U64(vec![u64::MAX, 3]),
            ChunkValues::I8(vec![-1, 5]),
            ChunkValues::I16(vec![-300, 5]),
            ChunkValues::I32(vec![-7, i32::MIN]),
            ChunkValues::I64(vec![i64::MIN, 9]),
            ChunkValues::F32(vec![1.5, -0.25]),
            ChunkValues::F64(vec![1e300, -2.5]),
            ChunkValues::Char(b"ab".to_vec()),
        ];
        for v in all {
            let bytes = v.encode();
            assert_eq!(bytes.len() as u64, 2 * v.element_type().size());
            assert_eq!(ChunkValues::decode(v.element_type(), &bytes), v);
        }
        assert_eq!(ChunkValues::U32(vec![1]).encode(), vec![1, 0, 0, 0]);
    }

    #[test]
    fn chunk_shape_is_checked() {
        assert!(Chunk::new(2, 3, ChunkValues::F32(vec![0.0; 6])).is_some());
        assert!(Chunk::new(2, 3, ChunkValues::F32(vec![0.0; 5])).is_none());
        assert!(Chunk::new(u64::MAX, 2, ChunkValues::F32(vec![])).is_none());
    }
}
