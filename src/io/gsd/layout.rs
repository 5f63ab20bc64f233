//! The byte layout of the GSD file layer, version 2 (gsd ≥ 2.0): the 256-byte header, 32-byte
//! index entries and the name list. All integers are little-endian, as every gsd build writes
//! them on the platforms it supports.
//!
//! ```text
//! offset  header field
//!      0  u64 magic 0x65DF65DF65DF65DF
//!      8  u64 index_location              (byte offset of the index block)
//!     16  u64 index_allocated_entries     (index block holds this many 32-byte entries)
//!     24  u64 namelist_location
//!     32  u64 namelist_allocated_entries  (name list block is this × 64 bytes)
//!     40  u32 schema_version              (major << 16 | minor)
//!     44  u32 gsd_version                 (major << 16 | minor)
//!     48  [u8; 64] application, NUL-terminated
//!    112  [u8; 64] schema, NUL-terminated
//!    176  [u8; 80] reserved, zero
//!
//! index entry: u64 frame, u64 N, i64 location, u32 M, u16 id, u8 type, u8 flags (= 0)
//! ```
//!
//! The index holds the used entries first, sorted by (frame, id), followed by zeroed entries
//! (location 0). The name list (v2) is a sequence of NUL-terminated names, the end marked by an
//! empty name; chunk `id` indexes it.

use super::chunk::ElementType;
use super::error::GsdError;

/// The GSD magic number.
pub const MAGIC: u64 = 0x65DF_65DF_65DF_65DF;
/// Size of the file header in bytes.
pub const HEADER_SIZE: u64 = 256;
/// Size of one index entry in bytes.
pub const INDEX_ENTRY_SIZE: u64 = 32;
/// The name list is allocated in blocks of this many bytes.
pub const NAME_BLOCK: u64 = 64;
/// Index entries allocated in a new file (as gsd does).
pub const INITIAL_INDEX_ENTRIES: u64 = 128;
/// Bytes of name list allocated in a new file (as gsd does).
pub const INITIAL_NAMELIST_BYTES: u64 = 1024;
/// The file layer version this crate writes: 2.1, as gsd 3–5 do.
pub const WRITE_VERSION: (u32, u32) = (2, 1);

/// Packs a `major.minor` version as GSD does: `major << 16 | minor`.
#[must_use]
pub fn make_version(major: u32, minor: u32) -> u32 {
    (major << 16) | (minor & 0xFFFF)
}

/// Splits a packed GSD version into `(major, minor)`.
#[must_use]
pub fn split_version(v: u32) -> (u32, u32) {
    (v >> 16, v & 0xFFFF)
}

/// The decoded file header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GsdHeader {
    /// Byte offset of the index block.
    pub index_location: u64,
    /// Number of index entries the index block has room for.
    pub index_allocated_entries: u64,
    /// Byte offset of the name list block.
    pub namelist_location: u64,
    /// Size of the name list block in 64-byte units.
    pub namelist_allocated_entries: u64,
    /// Schema version `(major, minor)`.
    pub schema_version: (u32, u32),
    /// File layer version `(major, minor)`.
    pub gsd_version: (u32, u32),
    /// Name of the program that created the file.
    pub application: String,
    /// Name of the schema (`"hoomd"` for HOOMD-blue files).
    pub schema: String,
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

fn c_string(field: &[u8]) -> String {
    let end = field.iter().position(|&c| c == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

fn put_c_string(out: &mut [u8], s: &str) {
    // At most 63 bytes and a NUL, as gsd truncates.
    let bytes = s.as_bytes();
    let n = bytes.len().min(out.len() - 1);
    out[..n].copy_from_slice(&bytes[..n]);
}

impl GsdHeader {
    /// Decodes and validates a header from its 256 bytes: magic number and a 2.x version.
    ///
    /// # Errors
    /// [`GsdError::BadMagic`] or [`GsdError::UnsupportedVersion`].
    pub fn decode(b: &[u8; HEADER_SIZE as usize]) -> Result<Self, GsdError> {
        let magic = le_u64(b, 0);
        if magic != MAGIC {
            return Err(GsdError::BadMagic { found: magic });
        }
        let gsd_version = split_version(le_u32(b, 44));
        if gsd_version.0 != 2 {
            return Err(GsdError::UnsupportedVersion {
                major: gsd_version.0,
                minor: gsd_version.1,
            });
        }
        Ok(Self {
            index_location: le_u64(b, 8),
            index_allocated_entries: le_u64(b, 16),
            namelist_location: le_u64(b, 24),
            namelist_allocated_entries: le_u64(b, 32),
            schema_version: split_version(le_u32(b, 40)),
            gsd_version,
            application: c_string(&b[48..112]),
            schema: c_string(&b[112..176]),
        })
    }

    /// Encodes the header into its 256 bytes (strings truncated to 63 bytes).
    #[must_use]
    pub fn encode(&self) -> [u8; HEADER_SIZE as usize] {
        let mut b = [0u8; HEADER_SIZE as usize];
        b[0..8].copy_from_slice(&MAGIC.to_le_bytes());
        b[8..16].copy_from_slice(&self.index_location.to_le_bytes());
        b[16..24].copy_from_slice(&self.index_allocated_entries.to_le_bytes());
        b[24..32].copy_from_slice(&self.namelist_location.to_le_bytes());
        b[32..40].copy_from_slice(&self.namelist_allocated_entries.to_le_bytes());
        let (smaj, smin) = self.schema_version;
        b[40..44].copy_from_slice(&make_version(smaj, smin).to_le_bytes());
        let (gmaj, gmin) = self.gsd_version;
        b[44..48].copy_from_slice(&make_version(gmaj, gmin).to_le_bytes());
        put_c_string(&mut b[48..112], &self.application);
        put_c_string(&mut b[112..176], &self.schema);
        b
    }
}

/// One index entry: where a chunk of one frame lies and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    /// Frame the chunk belongs to.
    pub frame: u64,
    /// Number of rows.
    pub n: u64,
    /// Byte offset of the chunk's data.
    pub location: u64,
    /// Number of columns.
    pub m: u32,
    /// Index of the chunk's name in the name list.
    pub id: u16,
    /// Element type.
    pub element_type: ElementType,
}

/// An index entry as stored, before validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawIndexEntry {
    /// Frame.
    pub frame: u64,
    /// Rows.
    pub n: u64,
    /// Location (signed on disk; 0 marks an unused entry).
    pub location: i64,
    /// Columns.
    pub m: u32,
    /// Name id.
    pub id: u16,
    /// Element type code.
    pub type_code: u8,
    /// Flags (must be 0).
    pub flags: u8,
}

impl RawIndexEntry {
    /// Decodes a 32-byte index entry.
    #[must_use]
    pub fn decode(b: &[u8]) -> Self {
        let mut id = [0u8; 2];
        id.copy_from_slice(&b[28..30]);
        Self {
            frame: le_u64(b, 0),
            n: le_u64(b, 8),
            location: i64::from_le_bytes(le_u64(b, 16).to_le_bytes()),
            m: le_u32(b, 24),
            id: u16::from_le_bytes(id),
            type_code: b[30],
            flags: b[31],
        }
    }
}

impl IndexEntry {
    /// Encodes the entry into its 32 bytes.
    #[must_use]
    pub fn encode(&self) -> [u8; INDEX_ENTRY_SIZE as usize] {
        let mut b = [0u8; INDEX_ENTRY_SIZE as usize];
        b[0..8].copy_from_slice(&self.frame.to_le_bytes());
        b[8..16].copy_from_slice(&self.n.to_le_bytes());
        b[16..24].copy_from_slice(&self.location.to_le_bytes());
        b[24..28].copy_from_slice(&self.m.to_le_bytes());
        b[28..30].copy_from_slice(&self.id.to_le_bytes());
        b[30] = self.element_type.code();
        b
    }

    /// Size of the chunk's data in bytes, or `None` on overflow.
    #[must_use]
    pub fn byte_len(&self) -> Option<u64> {
        self.n
            .checked_mul(u64::from(self.m))?
            .checked_mul(self.element_type.size())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip() {
        let h = GsdHeader {
            index_location: 256,
            index_allocated_entries: 128,
            namelist_location: 4352,
            namelist_allocated_entries: 16,
            schema_version: (2, 0),
            gsd_version: (2, 1),
            application: "BNSL Studio".into(),
            schema: "hoomd".into(),
        };
        let b = h.encode();
        assert_eq!(&b[0..8], &[0xDF, 0x65, 0xDF, 0x65, 0xDF, 0x65, 0xDF, 0x65]);
        assert_eq!(le_u32(&b, 44), 0x0002_0001);
        assert_eq!(GsdHeader::decode(&b).unwrap(), h);
    }

    #[test]
    fn header_rejects_magic_and_version() {
        let mut h = GsdHeader {
            index_location: 256,
            index_allocated_entries: 128,
            namelist_location: 4352,
            namelist_allocated_entries: 16,
            schema_version: (2, 0),
            gsd_version: (1, 0),
            application: String::new(),
            schema: "hoomd".into(),
        };
        assert!(matches!(
            GsdHeader::decode(&h.encode()),
            Err(GsdError::UnsupportedVersion { major: 1, minor: 0 })
        ));
        h.gsd_version = (2, 0);
        let mut b = h.encode();
        b[0] = 0;
        assert!(matches!(
            GsdHeader::decode(&b),
            Err(GsdError::BadMagic { .. })
        ));
    }

    #[test]
    fn long_application_names_are_truncated_to_63_bytes() {
        let h = GsdHeader {
            index_location: 0,
            index_allocated_entries: 0,
            namelist_location: 0,
            namelist_allocated_entries: 0,
            schema_version: (0, 0),
            gsd_version: (2, 1),
            application: "x".repeat(100),
            schema: String::new(),
        };
        let back = GsdHeader::decode(&h.encode()).unwrap();
        assert_eq!(back.application.len(), 63);
    }
}
