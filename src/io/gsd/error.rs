//! What can go wrong reading or writing a GSD file, with the chunk, frame and particle named.

use super::chunk::ElementType;

/// An error from the GSD file layer or the HOOMD schema layer.
///
/// Every variant says where the problem is (byte range, index entry, chunk name, frame, particle
/// index) so that a user holding a damaged or foreign file knows what to look at.
#[derive(Debug, thiserror::Error)]
pub enum GsdError {
    /// The underlying reader or writer failed.
    #[error("GSD I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The file is shorter than a structure it declares.
    #[error("GSD file truncated: {what} needs bytes {start}..{end} but the file has {size} bytes")]
    Truncated {
        /// The structure that does not fit (header, index, name list, chunk name).
        what: String,
        /// First byte of the structure.
        start: u64,
        /// One past its last byte.
        end: u64,
        /// Size of the file.
        size: u64,
    },
    /// The first eight bytes are not the GSD magic number.
    #[error("not a GSD file: magic number {found:#018x}, expected 0x65df65df65df65df")]
    BadMagic {
        /// The eight bytes found, read as a little-endian integer.
        found: u64,
    },
    /// The file layer version is one this reader does not understand.
    #[error("unsupported GSD file layer version {major}.{minor} (this reader handles 2.x, as written by gsd >= 2.0)")]
    UnsupportedVersion {
        /// Major version.
        major: u32,
        /// Minor version.
        minor: u32,
    },
    /// The file does not follow the HOOMD schema.
    #[error("GSD schema \"{schema}\" version {major}.{minor} is not a supported HOOMD schema (need \"hoomd\" 1.x or 2.x)")]
    NotHoomd {
        /// Schema name in the header.
        schema: String,
        /// Schema major version.
        major: u32,
        /// Schema minor version.
        minor: u32,
    },
    /// The name list is damaged.
    #[error("GSD name list corrupt: {0}")]
    CorruptNamelist(String),
    /// An index entry is damaged.
    #[error("GSD index entry {entry} corrupt: {reason}")]
    CorruptIndex {
        /// Position of the entry in the index.
        entry: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A frame number past the end of the file was asked for.
    #[error("frame {frame} out of range: the file has {count} frames")]
    FrameOutOfRange {
        /// Requested frame.
        frame: u64,
        /// Number of frames in the file.
        count: u64,
    },
    /// A chunk has an element type the schema does not allow.
    #[error("chunk {name} in frame {frame} has element type {found:?}, expected {expected}")]
    WrongType {
        /// Chunk name.
        name: String,
        /// Frame.
        frame: u64,
        /// Type found in the file.
        found: ElementType,
        /// Types the schema allows.
        expected: &'static str,
    },
    /// A chunk has a shape the schema does not allow.
    #[error("chunk {name} in frame {frame} has shape {n}x{m}, expected {expected}")]
    WrongShape {
        /// Chunk name.
        name: String,
        /// Frame.
        frame: u64,
        /// Rows found.
        n: u64,
        /// Columns found.
        m: u32,
        /// The shape the schema wants.
        expected: String,
    },
    /// A value in a chunk is out of its allowed range.
    #[error("chunk {name} in frame {frame}, row {row}: {reason}")]
    InvalidValue {
        /// Chunk name.
        name: String,
        /// Frame.
        frame: u64,
        /// Row (particle index for per-particle chunks).
        row: u64,
        /// What is wrong.
        reason: String,
    },
    /// A triclinic box: the engine and analyses work in orthorhombic boxes only.
    #[error("frame {frame}: triclinic box with tilt factors xy={xy}, xz={xz}, yz={yz} is not supported (only orthorhombic boxes)")]
    NonOrthorhombic {
        /// Frame.
        frame: u64,
        /// Tilt factor xy.
        xy: f64,
        /// Tilt factor xz.
        xz: f64,
        /// Tilt factor yz.
        yz: f64,
    },
    /// A two-dimensional frame: the engine is three-dimensional.
    #[error("frame {frame}: {dimensions}-dimensional system is not supported (only 3-D)")]
    NotThreeDimensional {
        /// Frame.
        frame: u64,
        /// The `configuration/dimensions` value.
        dimensions: u8,
    },
    /// A frame handed to the writer is inconsistent.
    #[error("cannot write frame {frame}: {reason}")]
    InvalidFrame {
        /// Index the frame would get in the file.
        frame: u64,
        /// What is inconsistent.
        reason: String,
    },
    /// A chunk handed to the file-layer writer is unusable.
    #[error("cannot write chunk {name:?}: {reason}")]
    InvalidChunk {
        /// Chunk name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A whole trajectory too large to hold in memory at once.
    #[error("trajectory too large to load at once: more than {limit} particles in frames 0..={frame}; read it frame by frame")]
    TooLarge {
        /// Frame at which the limit was passed.
        frame: u64,
        /// The limit (particles summed over frames).
        limit: usize,
    },
}
