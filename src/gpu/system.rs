//! What the GPU path simulates: particles in a periodic box, a droplet or open space (the
//! crate's one [`Geometry`]), and the Mie pair table (SCIENCE.md §1). Plain f64 data; the CPU
//! engine's [`State`] and [`PairTable`] convert to this at the edge
//! ([`GpuSystem::from_state`]), so both paths take the same inputs.

use super::GpuError;
use crate::md::State;
use crate::model::{Geometry, PairTable};

/// The input of the GPU path: one configuration and its force field, in f64.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuSystem {
    /// Periodic box, droplet or open space. A droplet's wall repels particle i with a WCA
    /// potential of range σ_i/2 and energy `wall_epsilon` (SCIENCE.md §1).
    pub geometry: Geometry,
    /// WCA energy scale of the droplet wall (unused without a droplet radius).
    pub wall_epsilon: f64,
    /// Positions (σ); in a periodic box anywhere (they are wrapped).
    pub positions: Vec<[f64; 3]>,
    /// Velocities (σ/τ); empty means all zero.
    pub velocities: Vec<[f64; 3]>,
    /// Type of each particle, an index into the pair table.
    pub typeid: Vec<u32>,
    /// Diameter of each type (σ), used by the droplet wall.
    pub type_diameter: Vec<f64>,
    /// Mass of each type (w).
    pub type_mass: Vec<f64>,
    /// Pair parameters: the CPU engine's table.
    pub pairs: PairTable,
}

impl GpuSystem {
    /// The GPU input for the CPU engine's state and pair table: same positions, velocities,
    /// types and diameters; every mass 1 (as in the engine); a droplet (`Geometry::Open` with a
    /// radius) gets the WCA wall of energy `wall_epsilon` (`SimOptions::wall_epsilon`).
    ///
    /// # Errors
    /// [`GpuError::InvalidInput`] when the state does not fit the table (see [`GpuSystem::validate`]).
    pub fn from_state(
        state: &State,
        pairs: &PairTable,
        wall_epsilon: f64,
    ) -> Result<Self, GpuError> {
        let system = Self {
            geometry: state.geometry,
            wall_epsilon,
            positions: state.pos.clone(),
            velocities: state.vel.clone(),
            typeid: state.typeid.clone(),
            type_diameter: state.type_diameters.clone(),
            type_mass: vec![1.0; pairs.ntypes()],
            pairs: pairs.clone(),
        };
        system.validate()?;
        Ok(system)
    }
}

impl GpuSystem {
    /// Number of particles.
    #[must_use]
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether there are no particles.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Checks lengths, types and finiteness, naming the first bad particle.
    ///
    /// # Errors
    /// [`GpuError::InvalidInput`] describing the first problem found.
    pub fn validate(&self) -> Result<(), GpuError> {
        let n = self.positions.len();
        let k = self.pairs.ntypes();
        let bad = |msg: String| Err(GpuError::InvalidInput(msg));
        if n == 0 || n > (1 << 24) {
            return bad(format!("{n} particles; the GPU path takes 1 to 2^24"));
        }
        if !self.pairs.has_power_law() {
            return bad(format!(
                "the {} pair potential has no GPU kernel (the GPU runs the two-power form)",
                self.pairs.potential().name()
            ));
        }
        if self.typeid.len() != n || (!self.velocities.is_empty() && self.velocities.len() != n) {
            return bad(format!(
                "{n} positions but {} types and {} velocities",
                self.typeid.len(),
                self.velocities.len()
            ));
        }
        if self.type_diameter.len() != k || self.type_mass.len() != k {
            return bad(format!(
                "{k} types in the pair table but {} diameters and {} masses",
                self.type_diameter.len(),
                self.type_mass.len()
            ));
        }
        if let Some(t) = self
            .type_mass
            .iter()
            .position(|m| !(m.is_finite() && *m > 0.0))
        {
            return bad(format!("mass of type {t} is {}", self.type_mass[t]));
        }
        if let Some(t) = self
            .type_diameter
            .iter()
            .position(|d| !(d.is_finite() && *d > 0.0))
        {
            return bad(format!("diameter of type {t} is {}", self.type_diameter[t]));
        }
        for i in 0..n {
            if self.typeid[i] as usize >= k {
                return bad(format!("particle {i} has type {} of {k}", self.typeid[i]));
            }
            if self.positions[i].iter().any(|x| !x.is_finite()) {
                return bad(format!(
                    "particle {i} has a non-finite position {:?}",
                    self.positions[i]
                ));
            }
            if let Some(v) = self.velocities.get(i) {
                if v.iter().any(|x| !x.is_finite()) {
                    return bad(format!("particle {i} has a non-finite velocity {v:?}"));
                }
            }
        }
        match self.geometry {
            Geometry::Periodic(l) => {
                if let Err(e) = self.geometry.check() {
                    return bad(e.to_string());
                }
                let rc = self.pairs.max_cutoff();
                if l.iter().any(|x| *x < 2.0 * rc) {
                    return bad(format!(
                        "box lengths {l:?} must be at least twice the largest cut-off {rc}"
                    ));
                }
            }
            Geometry::Open {
                radius: Some(radius),
            } => {
                let wall_epsilon = self.wall_epsilon;
                if !(radius.is_finite()
                    && radius > 0.0
                    && wall_epsilon.is_finite()
                    && wall_epsilon >= 0.0)
                {
                    return bad(format!(
                        "droplet radius {radius} and wall energy {wall_epsilon} must be positive"
                    ));
                }
                for (i, x) in self.positions.iter().enumerate() {
                    let r = libm::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
                    if r >= radius {
                        return bad(format!("particle {i} at distance {r} is outside the droplet of radius {radius}"));
                    }
                }
            }
            Geometry::Open { radius: None } => {}
        }
        Ok(())
    }
}
