//! One frame of a Simulate run as it travels from the worker to the page (issue #6): a small
//! JSON header ([`FrameMeta`]) and the per-particle arrays as one block of little-endian
//! bytes ([`FrameData::to_bytes`]), sent as the event's transferred attachment. 27,000
//! particles are 702 KB of bytes, moved without copying or number parsing on the page; the
//! page keeps the same bytes (base64) so that a reload shows the last frame again.
//!
//! Layout for `n` particles, in this order: positions x, y, z (3n f32), diameters (n f32),
//! q_l (n f32), type ids (n u32), species (n u8), Fig. 4 labels (n u8):
//! [`BYTES_PER_PARTICLE`] = 26 bytes per particle.

use serde::{Deserialize, Serialize};

use crate::jobs::packed::f32s_from_le_bytes as f32s;
use crate::model::{Frame, Geometry};
use crate::run::Snapshot;
use crate::view::Fig4Label;

/// Bytes per particle in [`FrameData::to_bytes`].
pub const BYTES_PER_PARTICLE: usize = 26;

/// Particles above which a frame's bytes are refused (the recipe's hard cap is 1,000,000).
pub const MAX_FRAME_PARTICLES: u64 = 2_000_000;

/// The JSON part of a frame message; the arrays are in the attachment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameMeta {
    /// Time step.
    pub step: u64,
    /// Box or droplet.
    pub geometry: Geometry,
    /// Names of the engine's (sub-)types.
    pub types: Vec<String>,
    /// The l of the q values.
    pub q_l: u32,
    /// Number of particles (the attachment holds [`BYTES_PER_PARTICLE`] bytes for each).
    pub particles: u64,
}

/// Bytes that do not make a frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameBytesError {
    /// The header asks for more particles than any run has.
    #[error("a frame of {particles} particles is larger than the limit of {MAX_FRAME_PARTICLES}")]
    TooLarge {
        /// Particles the header gives.
        particles: u64,
    },
    /// The byte block has the wrong length for the header's particle count.
    #[error("a frame of {particles} particles needs {expected} bytes, the message has {got}")]
    Length {
        /// Particles the header gives.
        particles: u64,
        /// Bytes they need.
        expected: usize,
        /// Bytes there are.
        got: usize,
    },
}

/// One frame as the page holds it (single precision).
#[derive(Debug, Clone, PartialEq)]
pub struct FrameData {
    /// Time step.
    pub step: u64,
    /// Box or droplet.
    pub geometry: Geometry,
    /// Names of the engine's (sub-)types.
    pub types: Vec<String>,
    /// Positions x, y, z of every particle.
    pub positions: Vec<f32>,
    /// Type id of every particle.
    pub typeid: Vec<u32>,
    /// Diameter of every particle.
    pub diameters: Vec<f32>,
    /// Species index of every particle (0 = L).
    pub species: Vec<u8>,
    /// Fig. 4b,c role of every particle: 0 other, 1 crystalline L, 2 S next to a crystalline L.
    pub labels: Vec<u8>,
    /// q_l of every particle.
    pub q: Vec<f32>,
    /// The l of `q`.
    pub q_l: u32,
}

impl FrameData {
    /// The frame of a run's snapshot.
    #[must_use]
    pub fn of(s: &Snapshot) -> Self {
        let f = &s.frame;
        Self {
            step: f.step,
            geometry: f.geometry,
            types: f.types.clone(),
            positions: f
                .positions
                .iter()
                .flat_map(|p| p.map(|x| x as f32))
                .collect(),
            typeid: f.typeid.clone(),
            diameters: f.diameters.iter().map(|&d| d as f32).collect(),
            species: s.species.iter().map(|&t| t.min(255) as u8).collect(),
            labels: s.labels.iter().map(|&l| label_code(l)).collect(),
            q: s.q.iter().map(|&q| q as f32).collect(),
            q_l: s.q_l,
        }
    }

    /// Number of particles.
    #[must_use]
    pub fn len(&self) -> usize {
        self.typeid.len()
    }

    /// Whether the frame has no particles.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.typeid.is_empty()
    }

    /// The JSON header of the frame.
    #[must_use]
    pub fn meta(&self) -> FrameMeta {
        FrameMeta {
            step: self.step,
            geometry: self.geometry,
            types: self.types.clone(),
            q_l: self.q_l,
            particles: self.len() as u64,
        }
    }

    /// The per-particle arrays as one byte block (layout in the module docs). Arrays shorter
    /// than the particle count are padded (position 0, diameter 1, q 0, type 0, labels 0).
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.len();
        let mut out = Vec::with_capacity(n * BYTES_PER_PARTICLE);
        let f = |v: &[f32], i: usize, default: f32| v.get(i).copied().unwrap_or(default);
        for i in 0..3 * n {
            out.extend_from_slice(&f(&self.positions, i, 0.0).to_le_bytes());
        }
        for i in 0..n {
            out.extend_from_slice(&f(&self.diameters, i, 1.0).to_le_bytes());
        }
        for i in 0..n {
            out.extend_from_slice(&f(&self.q, i, 0.0).to_le_bytes());
        }
        for &t in &self.typeid {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend((0..n).map(|i| self.species.get(i).copied().unwrap_or(0)));
        out.extend((0..n).map(|i| self.labels.get(i).copied().unwrap_or(0)));
        out
    }

    /// The frame of a header and its byte block.
    ///
    /// # Errors
    /// A header above [`MAX_FRAME_PARTICLES`], or bytes of the wrong length.
    pub fn from_parts(meta: FrameMeta, bytes: &[u8]) -> Result<Self, FrameBytesError> {
        let particles = meta.particles;
        if particles > MAX_FRAME_PARTICLES {
            return Err(FrameBytesError::TooLarge { particles });
        }
        let n = particles as usize;
        let expected = n * BYTES_PER_PARTICLE;
        if bytes.len() != expected {
            return Err(FrameBytesError::Length {
                particles,
                expected,
                got: bytes.len(),
            });
        }
        let (positions, rest) = bytes.split_at(12 * n);
        let (diameters, rest) = rest.split_at(4 * n);
        let (q, rest) = rest.split_at(4 * n);
        let (typeid, rest) = rest.split_at(4 * n);
        let (species, labels) = rest.split_at(n);
        Ok(Self {
            step: meta.step,
            geometry: meta.geometry,
            types: meta.types,
            positions: f32s(positions),
            typeid: typeid
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            diameters: f32s(diameters),
            species: species.to_vec(),
            labels: labels.to_vec(),
            q: f32s(q),
            q_l: meta.q_l,
        })
    }

    /// The configuration as a [`Frame`] (single precision positions).
    #[must_use]
    pub fn frame(&self) -> Frame {
        let n = self.len();
        Frame {
            step: self.step,
            geometry: self.geometry,
            types: self.types.clone(),
            positions: (0..n)
                .map(|i| {
                    let p =
                        |k: usize| f64::from(self.positions.get(3 * i + k).copied().unwrap_or(0.0));
                    [p(0), p(1), p(2)]
                })
                .collect(),
            typeid: self.typeid.clone(),
            diameters: (0..n)
                .map(|i| f64::from(self.diameters.get(i).copied().unwrap_or(1.0)))
                .collect(),
            velocities: None,
            images: None,
        }
    }

    /// The Fig. 4b,c labels.
    #[must_use]
    pub fn fig4_labels(&self) -> Vec<Fig4Label> {
        self.labels.iter().map(|&c| label_of(c)).collect()
    }
}

/// The code of a Fig. 4 label in [`FrameData::labels`].
#[must_use]
pub fn label_code(label: Fig4Label) -> u8 {
    match label {
        Fig4Label::Other => 0,
        Fig4Label::CrystallineLarge => 1,
        Fig4Label::SmallNextToCrystalline => 2,
    }
}

/// The Fig. 4 label of a code in [`FrameData::labels`] (unknown codes are "other").
#[must_use]
pub fn label_of(code: u8) -> Fig4Label {
    match code {
        1 => Fig4Label::CrystallineLarge,
        2 => Fig4Label::SmallNextToCrystalline,
        _ => Fig4Label::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FrameData {
        FrameData {
            step: 1_234,
            geometry: Geometry::Periodic([10.0, 11.0, 12.5]),
            types: vec!["L".into(), "S".into(), "S_1".into()],
            positions: vec![0.5, -1.25, 3.0, 4.0, 5.0, -6.0, f32::MAX, 1e-30, -0.0],
            typeid: vec![0, 1, 2],
            diameters: vec![1.0, 0.55, 0.6],
            species: vec![0, 1, 1],
            labels: vec![1, 2, 0],
            q: vec![0.45, 0.1, f32::NAN],
            q_l: 8,
        }
    }

    #[test]
    fn bytes_round_trip_exactly_through_json_and_the_block() {
        let f = sample();
        let bytes = f.to_bytes();
        assert_eq!(bytes.len(), 3 * BYTES_PER_PARTICLE);
        let json = serde_json::to_string(&f.meta()).unwrap();
        let back = FrameData::from_parts(serde_json::from_str(&json).unwrap(), &bytes).unwrap();
        assert!(back.q[2].is_nan());
        assert_eq!(back.positions, f.positions);
        assert_eq!(back.typeid, f.typeid);
        assert_eq!(back.diameters, f.diameters);
        assert_eq!(back.species, f.species);
        assert_eq!(back.labels, f.labels);
        assert_eq!(back.q[..2], f.q[..2]);
        assert_eq!((back.step, back.geometry, back.q_l), (1_234, f.geometry, 8));
        assert_eq!(back.types, f.types);
        assert_eq!(back.frame().positions[1], [4.0, 5.0, -6.0]);
        assert_eq!(
            back.fig4_labels(),
            vec![
                Fig4Label::CrystallineLarge,
                Fig4Label::SmallNextToCrystalline,
                Fig4Label::Other
            ]
        );
    }

    #[test]
    fn wrong_lengths_and_huge_headers_are_refused() {
        let f = sample();
        let bytes = f.to_bytes();
        let err = FrameData::from_parts(f.meta(), &bytes[..bytes.len() - 1]).unwrap_err();
        assert_eq!(
            err,
            FrameBytesError::Length {
                particles: 3,
                expected: 78,
                got: 77
            }
        );
        assert!(err.to_string().contains("needs 78 bytes"), "{err}");
        let mut meta = f.meta();
        meta.particles = u64::MAX;
        assert!(matches!(
            FrameData::from_parts(meta, &bytes),
            Err(FrameBytesError::TooLarge { .. })
        ));
    }
}
