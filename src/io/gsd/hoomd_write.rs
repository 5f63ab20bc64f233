//! Writing [`Frame`]s as a HOOMD-schema trajectory that gsd, HOOMD-blue and OVITO read.
//!
//! Like gsd.hoomd, a chunk is left out of frame k > 0 when it equals frame 0's value (readers
//! take it from frame 0), and out of any frame when it equals the schema default and frame 0
//! did not store it. Velocities and images are written whenever the frame has them (unless
//! equal to frame 0's), so that "known to be zero" survives a round trip.
//!
//! Open-space frames (droplets): HOOMD has no open boundary, so the box written is a cube that
//! encloses the droplet with a margin of 1 σ, `L = 2·(max(R, max|x_i|) + 1)`, and the radius
//! goes into the log chunk [`DROPLET_RADIUS`], which [`super::HoomdReader`] maps back to
//! [`Geometry::Open`].

use std::collections::BTreeMap;
use std::io::{Seek, Write};

use super::chunk::{Chunk, ChunkValues};
use super::error::GsdError;
use super::schema::{
    APPLICATION, BOX, DIAMETER, DIMENSIONS, DROPLET_RADIUS, IMAGE, N, POSITION, SCHEMA_VERSION,
    STEP, TYPEID, TYPES, VELOCITY,
};
use super::writer::GsdFileWriter;
use crate::model::{Frame, Geometry};

/// Floating-point width of the particle and box chunks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precision {
    /// `float32`, as HOOMD-blue writes (the default).
    #[default]
    Single,
    /// `float64` (schema 2.0), for restarts that must keep every bit.
    Double,
}

/// A HOOMD-schema trajectory being written, one frame per [`HoomdWriter::append`].
#[derive(Debug)]
pub struct HoomdWriter<W> {
    file: GsdFileWriter<W>,
    precision: Precision,
    /// The chunks frame 0 stored.
    frame0: BTreeMap<&'static str, Chunk>,
}

fn floats(precision: Precision, values: impl Iterator<Item = f64>) -> ChunkValues {
    match precision {
        // Rounding to the nearest float32 is the intended narrowing here.
        #[allow(clippy::cast_possible_truncation)]
        Precision::Single => ChunkValues::F32(values.map(|x| x as f32).collect()),
        Precision::Double => ChunkValues::F64(values.collect()),
    }
}

/// Checks a frame before anything is written, naming the first bad particle.
fn validate(frame: &Frame, k: u64) -> Result<(), GsdError> {
    let bad = |reason: String| GsdError::InvalidFrame { frame: k, reason };
    let n = frame.positions.len();
    if u32::try_from(n).is_err() {
        return Err(bad(format!(
            "{n} particles, more than a uint32 N can count"
        )));
    }
    if frame.types.is_empty() {
        return Err(bad("no type names".into()));
    }
    if let Some(t) = frame.types.iter().find(|t| t.contains('\0')) {
        return Err(bad(format!("type name {t:?} contains a NUL byte")));
    }
    let lens = [
        ("typeid", frame.typeid.len()),
        ("diameters", frame.diameters.len()),
        ("velocities", frame.velocities.as_ref().map_or(n, Vec::len)),
        ("images", frame.images.as_ref().map_or(n, Vec::len)),
    ];
    if let Some((what, len)) = lens.iter().find(|(_, len)| *len != n) {
        return Err(bad(format!("{what} has {len} entries for {n} particles")));
    }
    if let Some(i) = frame
        .typeid
        .iter()
        .position(|&t| t as usize >= frame.types.len())
    {
        return Err(bad(format!(
            "particle {i} has type id {} but there are {} types",
            frame.typeid[i],
            frame.types.len()
        )));
    }
    if let Some(i) = frame
        .positions
        .iter()
        .position(|p| p.iter().any(|x| !x.is_finite()))
    {
        return Err(bad(format!("particle {i} has a non-finite position")));
    }
    if let Some(i) = frame
        .diameters
        .iter()
        .position(|d| !d.is_finite() || *d < 0.0)
    {
        return Err(bad(format!(
            "particle {i} has diameter {}",
            frame.diameters[i]
        )));
    }
    if let Some(v) = &frame.velocities {
        if let Some(i) = v.iter().position(|p| p.iter().any(|x| !x.is_finite())) {
            return Err(bad(format!("particle {i} has a non-finite velocity")));
        }
    }
    match frame.geometry {
        Geometry::Periodic(l) if l.iter().any(|x| !x.is_finite() || *x <= 0.0) => {
            Err(bad(format!("box lengths {l:?} must be finite and > 0")))
        }
        Geometry::Open { radius: Some(r) } if !r.is_finite() || r <= 0.0 => {
            Err(bad(format!("droplet radius {r} must be finite and > 0")))
        }
        _ => Ok(()),
    }
}

/// The box written for a frame: its own, or a cube enclosing an open-space frame.
#[must_use]
pub fn enclosing_box(frame: &Frame) -> [f64; 3] {
    match frame.geometry {
        Geometry::Periodic(l) => l,
        Geometry::Open { radius } => {
            let reach = frame
                .positions
                .iter()
                .flat_map(|p| p.iter())
                .fold(radius.unwrap_or(0.0), |m, x| m.max(x.abs()));
            let l = 2.0 * (reach + 1.0);
            [l; 3]
        }
    }
}

fn types_chunk(types: &[String]) -> Chunk {
    let width = types.iter().map(String::len).max().unwrap_or(0) + 1;
    let mut bytes = vec![0u8; types.len() * width];
    for (row, t) in types.iter().enumerate() {
        bytes[row * width..row * width + t.len()].copy_from_slice(t.as_bytes());
    }
    Chunk {
        n: types.len() as u64,
        m: width as u32,
        values: ChunkValues::U8(bytes),
    }
}

impl<W: Write + Seek> HoomdWriter<W> {
    /// Starts a trajectory in `dst` with `float32` particle data, as HOOMD-blue writes.
    ///
    /// # Errors
    /// [`GsdError::Io`] when writing fails.
    pub fn create(dst: W) -> Result<Self, GsdError> {
        Self::with_precision(dst, Precision::Single)
    }

    /// Starts a trajectory in `dst` with the given floating-point precision.
    ///
    /// # Errors
    /// [`GsdError::Io`] when writing fails.
    pub fn with_precision(dst: W, precision: Precision) -> Result<Self, GsdError> {
        Ok(Self {
            file: GsdFileWriter::create(dst, APPLICATION, "hoomd", SCHEMA_VERSION)?,
            precision,
            frame0: BTreeMap::new(),
        })
    }

    /// Number of frames written.
    #[must_use]
    pub fn frame_count(&self) -> u64 {
        self.file.frame_count()
    }

    /// Appends one frame.
    ///
    /// # Errors
    /// [`GsdError::InvalidFrame`] for an inconsistent frame (array lengths, type ids, non-finite
    /// values, box or radius), checked before anything is written; [`GsdError::Io`].
    pub fn append(&mut self, frame: &Frame) -> Result<(), GsdError> {
        let k = self.frame_count();
        validate(frame, k)?;
        let p = self.precision;
        let n = frame.positions.len() as u64;
        let l = enclosing_box(frame);
        let flat = |v: &[[f64; 3]]| v.iter().flat_map(|x| x.iter().copied()).collect::<Vec<_>>();

        // (name, chunk, schema default for this frame if the default-skip rule applies)
        let mut chunks: Vec<(&'static str, Chunk, Option<Chunk>)> = vec![
            (
                STEP,
                Chunk::column(ChunkValues::U64(vec![frame.step])),
                Some(Chunk::column(ChunkValues::U64(vec![0]))),
            ),
            (
                DIMENSIONS,
                Chunk::column(ChunkValues::U8(vec![3])),
                Some(Chunk::column(ChunkValues::U8(vec![3]))),
            ),
            (
                BOX,
                Chunk::column(floats(p, [l[0], l[1], l[2], 0.0, 0.0, 0.0].into_iter())),
                Some(Chunk::column(floats(
                    p,
                    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0].into_iter(),
                ))),
            ),
            (
                N,
                Chunk::column(ChunkValues::U32(vec![n as u32])),
                Some(Chunk::column(ChunkValues::U32(vec![0]))),
            ),
            (
                TYPES,
                types_chunk(&frame.types),
                Some(types_chunk(&["A".to_string()])),
            ),
        ];
        if n > 0 {
            let pos = flat(&frame.positions);
            chunks.push((
                POSITION,
                Chunk {
                    n,
                    m: 3,
                    values: floats(p, pos.into_iter()),
                },
                Some(Chunk {
                    n,
                    m: 3,
                    values: floats(p, std::iter::repeat_n(0.0, 3 * n as usize)),
                }),
            ));
            chunks.push((
                TYPEID,
                Chunk::column(ChunkValues::U32(frame.typeid.clone())),
                Some(Chunk::column(ChunkValues::U32(vec![0; n as usize]))),
            ));
            chunks.push((
                DIAMETER,
                Chunk::column(floats(p, frame.diameters.iter().copied())),
                Some(Chunk::column(floats(
                    p,
                    std::iter::repeat_n(1.0, n as usize),
                ))),
            ));
            if let Some(v) = &frame.velocities {
                let v = flat(v);
                chunks.push((
                    VELOCITY,
                    Chunk {
                        n,
                        m: 3,
                        values: floats(p, v.into_iter()),
                    },
                    None,
                ));
            }
            if let Some(im) = &frame.images {
                let im: Vec<i32> = im.iter().flat_map(|x| x.iter().copied()).collect();
                chunks.push((
                    IMAGE,
                    Chunk {
                        n,
                        m: 3,
                        values: ChunkValues::I32(im),
                    },
                    None,
                ));
            }
        }
        // Always offered (0 = periodic) so that frame 0 stores it: gsd.hoomd fails on a log
        // chunk that a later frame stores but frame 0 does not.
        let droplet = match frame.geometry {
            Geometry::Open { radius } => radius.unwrap_or(f64::INFINITY),
            Geometry::Periodic(_) => 0.0,
        };
        chunks.push((
            DROPLET_RADIUS,
            Chunk::column(ChunkValues::F64(vec![droplet])),
            None,
        ));

        for (name, chunk, default) in chunks {
            let in_frame0 = self.frame0.get(name);
            let same_as_frame0 = k > 0 && in_frame0 == Some(&chunk);
            let is_default = in_frame0.is_none() && default.as_ref() == Some(&chunk);
            if same_as_frame0 || is_default {
                continue;
            }
            self.file.write_chunk(name, &chunk)?;
            if k == 0 {
                self.frame0.insert(name, chunk);
            }
        }
        self.file.end_frame()
    }

    /// Finishes the file and gives the destination back.
    ///
    /// # Errors
    /// [`GsdError::Io`] when writing fails.
    pub fn finish(self) -> Result<W, GsdError> {
        self.file.finish()
    }
}
