//! What the GPU path simulates: particles in a periodic box, a droplet or open space, and the
//! Mie pair table (SCIENCE.md §1). Plain f64 data; the engine's structure-of-arrays state
//! converts to this at the edge.

use super::GpuError;

/// Mie parameters of one type pair (SCIENCE.md §1):
/// U(r) = ε C [(σ/r)^n − (σ/r)^m] (− U(r_cut) when shifted) for r < r_cut σ,
/// C = (n/(n−m)) (n/m)^(m/(n−m)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MiePair {
    /// Well depth ε (energy units).
    pub epsilon: f64,
    /// Length scale σ_ij (σ).
    pub sigma: f64,
    /// Repulsive exponent n.
    pub n: u32,
    /// Attractive exponent m (n > m ≥ 1).
    pub m: u32,
    /// Cut-off in units of σ_ij.
    pub r_cut: f64,
    /// Shift the energy to zero at the cut-off.
    pub shift: bool,
}

impl MiePair {
    /// The Mie prefactor C = (n/(n−m)) (n/m)^(m/(n−m)).
    #[must_use]
    pub fn prefactor(&self) -> f64 {
        let (n, m) = (f64::from(self.n), f64::from(self.m));
        n / (n - m) * libm::pow(n / m, m / (n - m))
    }

    /// Unshifted energy at distance `r`, in f64 (no cut-off applied).
    #[must_use]
    pub fn raw_energy(&self, r: f64) -> f64 {
        let s = self.sigma / r;
        self.epsilon * self.prefactor() * (powi(s, self.n) - powi(s, self.m))
    }

    /// The constant subtracted from the energy inside the cut-off (0 when not shifted).
    #[must_use]
    pub fn energy_shift(&self) -> f64 {
        if self.shift {
            self.raw_energy(self.r_cut * self.sigma)
        } else {
            0.0
        }
    }

    /// Energy and r·F (= −r dU/dr) at distance `r` inside the cut-off, in f64; `None` beyond it.
    #[must_use]
    pub fn energy_and_virial(&self, r: f64) -> Option<(f64, f64)> {
        if r >= self.r_cut * self.sigma {
            return None;
        }
        let s = self.sigma / r;
        let ec = self.epsilon * self.prefactor();
        let (an, am) = (powi(s, self.n), powi(s, self.m));
        let u = ec * (an - am) - self.energy_shift();
        let rf = ec * (f64::from(self.n) * an - f64::from(self.m) * am);
        Some((u, rf))
    }

    fn validate(&self, a: usize, b: usize) -> Result<(), GpuError> {
        let finite = [self.epsilon, self.sigma, self.r_cut]
            .iter()
            .all(|x| x.is_finite());
        if !finite || self.epsilon < 0.0 || self.sigma <= 0.0 || self.r_cut <= 0.0 {
            return Err(GpuError::InvalidInput(format!(
                "pair ({a},{b}): epsilon {} sigma {} r_cut {} must be finite, epsilon >= 0, sigma and r_cut > 0",
                self.epsilon, self.sigma, self.r_cut
            )));
        }
        if self.m == 0 || self.n <= self.m || self.n > 200 {
            return Err(GpuError::InvalidInput(format!(
                "pair ({a},{b}): exponents n {} m {} need 200 >= n > m >= 1",
                self.n, self.m
            )));
        }
        Ok(())
    }
}

/// `x^k` by binary powering.
fn powi(x: f64, k: u32) -> f64 {
    let mut r = 1.0;
    let mut b = x;
    let mut e = k;
    while e > 0 {
        if e & 1 == 1 {
            r *= b;
        }
        b *= b;
        e >>= 1;
    }
    r
}

/// Pair parameters for every type pair, flattened row-major `ntypes × ntypes`.
#[derive(Clone, Debug, PartialEq)]
pub struct PairTable {
    ntypes: usize,
    pairs: Vec<MiePair>,
}

impl PairTable {
    /// A table from its row-major entries; it must be symmetric and valid.
    ///
    /// # Errors
    /// [`GpuError::InvalidInput`] for a wrong length, an asymmetric table or bad parameters.
    pub fn new(ntypes: usize, pairs: Vec<MiePair>) -> Result<Self, GpuError> {
        if ntypes == 0 || pairs.len() != ntypes * ntypes {
            return Err(GpuError::InvalidInput(format!(
                "pair table has {} entries, {ntypes} types need {}",
                pairs.len(),
                ntypes * ntypes
            )));
        }
        for a in 0..ntypes {
            for b in 0..ntypes {
                let p = pairs[a * ntypes + b];
                p.validate(a, b)?;
                if p != pairs[b * ntypes + a] {
                    return Err(GpuError::InvalidInput(format!(
                        "pair table is not symmetric at ({a},{b})"
                    )));
                }
            }
        }
        Ok(Self { ntypes, pairs })
    }

    /// The same Mie form for every pair, σ_ij = (d_i + d_j)/2 from the type diameters.
    ///
    /// # Errors
    /// [`GpuError::InvalidInput`] for bad parameters.
    pub fn uniform(
        diameters: &[f64],
        epsilon: f64,
        n: u32,
        m: u32,
        r_cut: f64,
        shift: bool,
    ) -> Result<Self, GpuError> {
        let k = diameters.len();
        let mut pairs = Vec::with_capacity(k * k);
        for a in diameters {
            for b in diameters {
                pairs.push(MiePair {
                    epsilon,
                    sigma: 0.5 * (a + b),
                    n,
                    m,
                    r_cut,
                    shift,
                });
            }
        }
        Self::new(k, pairs)
    }

    /// Number of types.
    #[must_use]
    pub fn ntypes(&self) -> usize {
        self.ntypes
    }

    /// The parameters of pair `(a, b)`; `None` for a type out of range.
    #[must_use]
    pub fn get(&self, a: usize, b: usize) -> Option<&MiePair> {
        if a < self.ntypes && b < self.ntypes {
            self.pairs.get(a * self.ntypes + b)
        } else {
            None
        }
    }

    /// The row-major entries.
    #[must_use]
    pub fn pairs(&self) -> &[MiePair] {
        &self.pairs
    }

    /// Largest cut-off distance r_cut σ_ij over all pairs.
    #[must_use]
    pub fn max_cutoff(&self) -> f64 {
        self.pairs
            .iter()
            .map(|p| p.r_cut * p.sigma)
            .fold(0.0, f64::max)
    }
}

/// Where the particles live.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Space {
    /// A periodic orthorhombic box with edges `[Lx, Ly, Lz]`, centred on the origin.
    Periodic([f64; 3]),
    /// A spherical droplet of radius `radius` centred on the origin; its wall repels particle i
    /// with a WCA potential of range σ_i/2 and energy `wall_epsilon` (SCIENCE.md §1).
    Droplet {
        /// Wall radius (σ).
        radius: f64,
        /// WCA energy scale of the wall.
        wall_epsilon: f64,
    },
    /// Unbounded open space (a free cluster).
    Open,
}

/// The input of the GPU path: one configuration and its force field, in f64.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuSystem {
    /// Periodic box, droplet or open space.
    pub space: Space,
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
    /// Pair parameters.
    pub pairs: PairTable,
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
        match self.space {
            Space::Periodic(l) => {
                if l.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                    return bad(format!("box lengths {l:?} must be positive"));
                }
                let rc = self.pairs.max_cutoff();
                if l.iter().any(|x| *x < 2.0 * rc) {
                    return bad(format!(
                        "box lengths {l:?} must be at least twice the largest cut-off {rc}"
                    ));
                }
            }
            Space::Droplet {
                radius,
                wall_epsilon,
            } => {
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
            Space::Open => {}
        }
        Ok(())
    }
}
