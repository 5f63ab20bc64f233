//! The engine's state, in structure-of-arrays layout.
//!
//! # Layout (the contract with the WebGPU path, `crate::gpu`)
//!
//! For `N` particles, every per-particle quantity is its own contiguous array indexed by the
//! particle index `i ∈ [0, N)`:
//!
//! | array | element | meaning |
//! |---|---|---|
//! | `pos` | `[f64; 3]` (x, y, z) | position (σ); periodic: wrapped into `[-L/2, L/2)` |
//! | `vel` | `[f64; 3]` | velocity (σ/τ); every mass is 1 |
//! | `force` | `[f64; 3]` | force (ε/σ) from the last force evaluation |
//! | `typeid` | `u32` | index into the type list and the pair table |
//! | `image` | `[i32; 3]` | periodic image counters (unwrapped = pos + image·L) |
//!
//! The GPU's pair interactions are one [`crate::model::PairCoeff`] (the two-power form every
//! GPU-capable potential has) per ordered type pair, flattened row-major: entry
//! `ti * ntypes + tj` (symmetric). Each entry is eight numbers:
//! `rep, att, f_rep, f_att, rcut2, shift` (f64) and `n, m` (u32), with
//! U = rep·r⁻ⁿ − att·r⁻ᵐ − shift and F/r = (f_rep·r⁻ⁿ − f_att·r⁻ᵐ)/r² for r² < rcut2.
//! The neighbour list is a half list in CSR form: the partners `j > i` of particle `i` are
//! `list[start[i] .. start[i + 1]]`.

use super::error::MdError;
use crate::model::{wrap_edge, Frame, Geometry};

/// Positions, velocities, forces and types of all particles, plus the space they live in.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Periodic box or droplet (`Open { radius: Some(R) }`) or open space.
    pub geometry: Geometry,
    /// Type names, indexed by `typeid`.
    pub types: Vec<String>,
    /// Diameter of each type (σ).
    pub type_diameters: Vec<f64>,
    /// Positions.
    pub pos: Vec<[f64; 3]>,
    /// Velocities.
    pub vel: Vec<[f64; 3]>,
    /// Forces.
    pub force: Vec<[f64; 3]>,
    /// Type of each particle.
    pub typeid: Vec<u32>,
    /// Periodic image counters.
    pub image: Vec<[i32; 3]>,
    /// Time step count.
    pub step: u64,
}

impl State {
    /// Number of particles.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pos.len()
    }

    /// Whether there are no particles.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    /// Volume of the periodic box or the droplet (`None` in unbounded open space).
    #[must_use]
    pub fn volume(&self) -> Option<f64> {
        self.geometry.volume()
    }

    /// Builds a state from a frame. Per-type diameters are taken from the particles'
    /// diameters (the first particle of each type); velocities default to zero.
    ///
    /// # Errors
    /// [`MdError`] for mismatched array lengths, type ids out of range, or non-finite input.
    pub fn from_frame(frame: &Frame) -> Result<Self, MdError> {
        let n = frame.len();
        let ntypes = frame.types.len();
        for (what, got) in [
            ("typeid", frame.typeid.len()),
            ("diameter", frame.diameters.len()),
        ] {
            if got != n {
                return Err(MdError::Length {
                    what,
                    got,
                    expected: n,
                });
            }
        }
        let mut type_diameters = vec![f64::NAN; ntypes];
        for (i, (&t, &d)) in frame.typeid.iter().zip(&frame.diameters).enumerate() {
            let slot = type_diameters.get_mut(t as usize).ok_or(MdError::TypeId {
                index: i,
                typeid: t,
                ntypes,
            })?;
            if slot.is_nan() {
                *slot = d;
            }
        }
        for d in &mut type_diameters {
            if d.is_nan() {
                *d = 1.0;
            }
        }
        let vel = frame
            .velocities
            .clone()
            .unwrap_or_else(|| vec![[0.0; 3]; n]);
        let image = frame.images.clone().unwrap_or_else(|| vec![[0; 3]; n]);
        if vel.len() != n {
            return Err(MdError::Length {
                what: "velocity",
                got: vel.len(),
                expected: n,
            });
        }
        if image.len() != n {
            return Err(MdError::Length {
                what: "image",
                got: image.len(),
                expected: n,
            });
        }
        let mut state = Self {
            geometry: frame.geometry,
            types: frame.types.clone(),
            type_diameters,
            pos: frame.positions.clone(),
            vel,
            force: vec![[0.0; 3]; n],
            typeid: frame.typeid.clone(),
            image,
            step: frame.step,
        };
        state.check_finite()?;
        state.wrap();
        Ok(state)
    }

    /// The state as a frame (diameters from the types).
    #[must_use]
    pub fn to_frame(&self) -> Frame {
        Frame {
            step: self.step,
            geometry: self.geometry,
            types: self.types.clone(),
            positions: self.pos.clone(),
            typeid: self.typeid.clone(),
            diameters: self
                .typeid
                .iter()
                .map(|&t| self.type_diameters[t as usize])
                .collect(),
            velocities: Some(self.vel.clone()),
            images: Some(self.image.clone()),
        }
    }

    /// Refuses non-finite positions or velocities, naming the first bad particle, and box
    /// edges or a droplet radius that are not finite and positive.
    ///
    /// # Errors
    /// [`MdError::NonFiniteInput`]; [`MdError::Model`] naming the bad edge or the radius.
    pub fn check_finite(&self) -> Result<(), MdError> {
        for (what, arr) in [("position", &self.pos), ("velocity", &self.vel)] {
            if let Some(index) = arr.iter().position(|v| v.iter().any(|x| !x.is_finite())) {
                return Err(MdError::NonFiniteInput {
                    index,
                    what,
                    value: arr[index],
                });
            }
        }
        self.geometry.check()?;
        Ok(())
    }

    /// Wraps positions into the periodic box `[-L/2, L/2)`, updating image counters.
    pub fn wrap(&mut self) {
        if let Geometry::Periodic(l) = self.geometry {
            wrap_into(l, &mut self.pos, &mut self.image);
        }
    }

    /// Total kinetic energy Σ v²/2 (unit masses), in index order.
    #[must_use]
    pub fn kinetic_energy(&self) -> f64 {
        0.5 * self
            .vel
            .iter()
            .map(|v| v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
            .sum::<f64>()
    }

    /// Number of particles of each type.
    #[must_use]
    pub fn type_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.types.len()];
        for &t in &self.typeid {
            if let Some(c) = counts.get_mut(t as usize) {
                *c += 1;
            }
        }
        counts
    }
}

/// Wraps `pos` into the periodic box of edges `l`, `[-L/2, L/2)`, adding the shifts to `image`
/// (any slice of a state's particles: the engine's passes wrap their ranges with it).
pub fn wrap_into(l: [f64; 3], pos: &mut [[f64; 3]], image: &mut [[i32; 3]]) {
    for (p, img) in pos.iter_mut().zip(image) {
        for d in 0..3 {
            let (x, shift) = wrap_edge(p[d], l[d]);
            p[d] = x;
            img[d] += shift;
        }
    }
}
