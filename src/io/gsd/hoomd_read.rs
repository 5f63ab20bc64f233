//! Reading HOOMD-schema frames into [`Frame`]s, with HOOMD's frame-0 and default rules (see
//! [`super::schema`]) and strict checks of every chunk's element type, shape and values.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use super::chunk::{Chunk, ChunkValues};
use super::error::GsdError;
use super::reader::GsdFile;
use super::schema::{
    is_per_particle, BOX, DIAMETER, DIMENSIONS, DROPLET_RADIUS, IMAGE, N, POSITION, STEP, TYPEID,
    TYPES, VELOCITY,
};
use crate::model::{Frame, Geometry};

const ALL: [&str; 11] = [
    STEP,
    DIMENSIONS,
    BOX,
    N,
    TYPES,
    TYPEID,
    POSITION,
    DIAMETER,
    VELOCITY,
    IMAGE,
    DROPLET_RADIUS,
];

/// A HOOMD-schema GSD file opened for reading frames.
#[derive(Debug)]
pub struct HoomdReader<R> {
    file: GsdFile<R>,
    /// The chunks frame 0 stores (the source of HOOMD's frame-0 rule).
    frame0: BTreeMap<&'static str, Chunk>,
}

struct Ctx<'a> {
    frame: u64,
    name: &'a str,
}

impl Ctx<'_> {
    fn shape(&self, c: &Chunk, expected: String) -> GsdError {
        GsdError::WrongShape {
            name: self.name.to_string(),
            frame: self.frame,
            n: c.n,
            m: c.m,
            expected,
        }
    }

    fn wrong_type(&self, c: &Chunk, expected: &'static str) -> GsdError {
        GsdError::WrongType {
            name: self.name.to_string(),
            frame: self.frame,
            found: c.values.element_type(),
            expected,
        }
    }

    fn invalid(&self, row: u64, reason: String) -> GsdError {
        GsdError::InvalidValue {
            name: self.name.to_string(),
            frame: self.frame,
            row,
            reason,
        }
    }

    fn expect_shape(&self, c: &Chunk, n: u64, m: u32) -> Result<(), GsdError> {
        if c.n == n && c.m == m {
            Ok(())
        } else {
            Err(self.shape(c, format!("{n}x{m}")))
        }
    }

    fn floats(&self, c: &Chunk) -> Result<Vec<f64>, GsdError> {
        c.values
            .to_f64()
            .ok_or_else(|| self.wrong_type(c, "float32 or float64"))
    }

    fn finite_rows(&self, v: &[f64], m: usize) -> Result<(), GsdError> {
        match v.iter().position(|x| !x.is_finite()) {
            Some(i) => Err(self.invalid((i / m) as u64, format!("non-finite value {}", v[i]))),
            None => Ok(()),
        }
    }
}

fn triples(v: &[f64]) -> Vec<[f64; 3]> {
    v.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect()
}

impl<R: Read + Seek> HoomdReader<R> {
    /// Opens a GSD file and checks that it follows the HOOMD schema (`"hoomd"`, version 1.x or
    /// 2.x, as gsd.hoomd accepts).
    ///
    /// # Errors
    /// The file-layer errors of [`GsdFile::open`], or [`GsdError::NotHoomd`].
    pub fn open(src: R) -> Result<Self, GsdError> {
        let mut file = GsdFile::open(src)?;
        let h = file.header();
        let (major, minor) = h.schema_version;
        if h.schema != "hoomd" || !(1..=2).contains(&major) {
            return Err(GsdError::NotHoomd {
                schema: h.schema.clone(),
                major,
                minor,
            });
        }
        let mut frame0 = BTreeMap::new();
        if file.frame_count() > 0 {
            for name in ALL {
                if let Some(c) = file.read_chunk(0, name)? {
                    frame0.insert(name, c);
                }
            }
        }
        Ok(Self { file, frame0 })
    }

    /// Number of frames.
    #[must_use]
    pub fn frame_count(&self) -> u64 {
        self.file.frame_count()
    }

    /// The file layer underneath, for chunks this reader does not interpret.
    #[must_use]
    pub fn file(&mut self) -> &mut GsdFile<R> {
        &mut self.file
    }

    /// The chunk as frame `k` sees it: stored in `k`, or else stored in frame 0 (per-particle
    /// chunks only when frame 0 has the same N), or else `None` (the schema default applies).
    fn effective(
        &mut self,
        k: u64,
        name: &'static str,
        n_k: u64,
    ) -> Result<Option<Chunk>, GsdError> {
        if let Some(c) = self.file.read_chunk(k, name)? {
            return Ok(Some(c));
        }
        let Some(c0) = self.frame0.get(name) else {
            return Ok(None);
        };
        if is_per_particle(name) && self.n_of_frame0() != n_k {
            return Ok(None);
        }
        Ok(Some(c0.clone()))
    }

    fn n_of_frame0(&self) -> u64 {
        match self.frame0.get(N).map(|c| &c.values) {
            Some(ChunkValues::U32(v)) if v.len() == 1 => u64::from(v[0]),
            _ => 0,
        }
    }

    /// Reads frame `k` into a [`Frame`].
    ///
    /// # Errors
    /// [`GsdError::FrameOutOfRange`]; [`GsdError::WrongType`] / [`GsdError::WrongShape`] for a
    /// chunk that breaks the schema; [`GsdError::InvalidValue`] for a type id out of range, a
    /// non-finite position, diameter or velocity, a bad box length or droplet radius, or
    /// `particles/N > 0` without any `particles/position`; [`GsdError::NonOrthorhombic`] for a
    /// tilted box; [`GsdError::NotThreeDimensional`] for a 2-D frame.
    pub fn read_frame(&mut self, k: u64) -> Result<Frame, GsdError> {
        let count = self.frame_count();
        if k >= count {
            return Err(GsdError::FrameOutOfRange { frame: k, count });
        }
        let ctx = |name| Ctx { frame: k, name };

        let step = match self.effective(k, STEP, 0)? {
            Some(c) => {
                let x = ctx(STEP);
                x.expect_shape(&c, 1, 1)?;
                match c.values {
                    ChunkValues::U64(v) => v[0],
                    _ => return Err(x.wrong_type(&c, "uint64")),
                }
            }
            None => 0,
        };
        if let Some(c) = self.effective(k, DIMENSIONS, 0)? {
            let x = ctx(DIMENSIONS);
            x.expect_shape(&c, 1, 1)?;
            let d = match c.values {
                ChunkValues::U8(v) => v[0],
                _ => return Err(x.wrong_type(&c, "uint8")),
            };
            if d != 3 {
                return Err(GsdError::NotThreeDimensional {
                    frame: k,
                    dimensions: d,
                });
            }
        }
        let lengths = self.read_box(k)?;

        let n = match self.effective(k, N, 0)? {
            Some(c) => {
                let x = ctx(N);
                x.expect_shape(&c, 1, 1)?;
                match c.values {
                    ChunkValues::U32(v) => u64::from(v[0]),
                    _ => return Err(x.wrong_type(&c, "uint32")),
                }
            }
            None => 0,
        };
        let types = self.read_types(k)?;

        let positions = match self.effective(k, POSITION, n)? {
            Some(c) => {
                let x = ctx(POSITION);
                x.expect_shape(&c, n, 3)?;
                let v = x.floats(&c)?;
                x.finite_rows(&v, 3)?;
                triples(&v)
            }
            None if n == 0 => Vec::new(),
            None => {
                return Err(ctx(N).invalid(
                    0,
                    format!(
                        "{n} particles but no particles/position chunk in frame {k} or frame 0"
                    ),
                ))
            }
        };
        // From here on n == positions.len(), which the file's size bounds.
        let count = positions.len();

        let typeid = match self.effective(k, TYPEID, n)? {
            Some(c) => {
                let x = ctx(TYPEID);
                x.expect_shape(&c, n, 1)?;
                let ChunkValues::U32(v) = c.values else {
                    return Err(x.wrong_type(&c, "uint32"));
                };
                if let Some(i) = v.iter().position(|&t| t as usize >= types.len()) {
                    return Err(x.invalid(
                        i as u64,
                        format!(
                            "type id {} but only {} types {:?}",
                            v[i],
                            types.len(),
                            types
                        ),
                    ));
                }
                v
            }
            None => vec![0; count],
        };
        let diameters = match self.effective(k, DIAMETER, n)? {
            Some(c) => {
                let x = ctx(DIAMETER);
                x.expect_shape(&c, n, 1)?;
                let v = x.floats(&c)?;
                if let Some(i) = v.iter().position(|d| !d.is_finite() || *d < 0.0) {
                    return Err(x.invalid(
                        i as u64,
                        format!("diameter {} is not a finite value >= 0", v[i]),
                    ));
                }
                v
            }
            None => vec![1.0; count],
        };
        let velocities = match self.effective(k, VELOCITY, n)? {
            Some(c) => {
                let x = ctx(VELOCITY);
                x.expect_shape(&c, n, 3)?;
                let v = x.floats(&c)?;
                x.finite_rows(&v, 3)?;
                Some(triples(&v))
            }
            None => None,
        };
        let images = match self.effective(k, IMAGE, n)? {
            Some(c) => {
                let x = ctx(IMAGE);
                x.expect_shape(&c, n, 3)?;
                let ChunkValues::I32(v) = c.values else {
                    return Err(x.wrong_type(&c, "int32"));
                };
                Some(v.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect())
            }
            None => None,
        };
        let geometry = match self.read_droplet(k)? {
            Some(radius) => Geometry::Open { radius },
            None => Geometry::Periodic(lengths),
        };
        Ok(Frame {
            step,
            geometry,
            types,
            positions,
            typeid,
            diameters,
            velocities,
            images,
        })
    }

    fn read_box(&mut self, k: u64) -> Result<[f64; 3], GsdError> {
        let Some(c) = self.effective(k, BOX, 0)? else {
            return Ok([1.0; 3]);
        };
        let x = Ctx {
            frame: k,
            name: BOX,
        };
        if c.n.checked_mul(u64::from(c.m)) != Some(6) {
            return Err(x.shape(&c, "6x1 (Lx Ly Lz xy xz yz)".into()));
        }
        let b = x.floats(&c)?;
        if b[3] != 0.0 || b[4] != 0.0 || b[5] != 0.0 {
            return Err(GsdError::NonOrthorhombic {
                frame: k,
                xy: b[3],
                xz: b[4],
                yz: b[5],
            });
        }
        for (i, l) in b[..3].iter().enumerate() {
            if !l.is_finite() || *l <= 0.0 {
                return Err(x.invalid(
                    i as u64,
                    format!("box length {l} is not a finite value > 0"),
                ));
            }
        }
        Ok([b[0], b[1], b[2]])
    }

    fn read_types(&mut self, k: u64) -> Result<Vec<String>, GsdError> {
        let Some(c) = self.effective(k, TYPES, 0)? else {
            return Ok(vec!["A".to_string()]);
        };
        let x = Ctx {
            frame: k,
            name: TYPES,
        };
        let bytes: Vec<u8> = match &c.values {
            ChunkValues::U8(v) | ChunkValues::Char(v) => v.clone(),
            ChunkValues::I8(v) => v.iter().map(|b| b.to_le_bytes()[0]).collect(),
            _ => return Err(x.wrong_type(&c, "uint8, int8 or char")),
        };
        if c.n == 0 || c.m == 0 {
            return Err(x.shape(&c, "at least one row (type name) and one column".into()));
        }
        let width = c.m as usize;
        let mut types = Vec::with_capacity(c.n as usize);
        for (row, r) in bytes.chunks_exact(width).enumerate() {
            let end = r.iter().position(|&b| b == 0).unwrap_or(width);
            let name = std::str::from_utf8(&r[..end])
                .map_err(|_| x.invalid(row as u64, "type name is not valid UTF-8".into()))?;
            types.push(name.to_string());
        }
        Ok(types)
    }

    fn read_droplet(&mut self, k: u64) -> Result<Option<Option<f64>>, GsdError> {
        let Some(c) = self.effective(k, DROPLET_RADIUS, 0)? else {
            return Ok(None);
        };
        let x = Ctx {
            frame: k,
            name: DROPLET_RADIUS,
        };
        x.expect_shape(&c, 1, 1)?;
        let r = x.floats(&c)?[0];
        if r == 0.0 {
            Ok(None)
        } else if r == f64::INFINITY {
            Ok(Some(None))
        } else if r.is_finite() && r > 0.0 {
            Ok(Some(Some(r)))
        } else {
            Err(x.invalid(
                0,
                format!("droplet radius {r} is not > 0 (or 0 for periodic)"),
            ))
        }
    }
}
