//! Harmonic springs tying each particle to a site (the Einstein crystal of Frenkel–Ladd,
//! SCIENCE.md §3.1):
//!
//! U_E = Σ_i (k_{t(i)}/2) |r_i − r_i⁰|²,  F_i = −k_{t(i)} (r_i − r_i⁰),
//!
//! with one spring constant per particle type t and r_i − r_i⁰ the minimum image in a periodic
//! box (the sites lie in the box; a box edge longer than twice any displacement keeps the image
//! unique). Summed in index order, so deterministic.

use super::error::MdError;
use super::state::State;
use crate::model::Geometry;

/// Springs from every particle to its site.
#[derive(Clone, Debug, PartialEq)]
pub struct Springs {
    /// Site r_i⁰ of each particle (σ), in particle order.
    pub sites: Vec<[f64; 3]>,
    /// Spring constant k of each particle type (ε/σ²).
    pub k: Vec<f64>,
}

impl Springs {
    /// Springs to the current positions of `state` (its perfect lattice), constant `k[t]` for
    /// type t.
    #[must_use]
    pub fn at_positions(state: &State, k: Vec<f64>) -> Self {
        Self {
            sites: state.pos.clone(),
            k,
        }
    }

    /// Checks the springs against `state`: one site per particle, one finite k ≥ 0 per type.
    ///
    /// # Errors
    /// [`MdError::Length`] or [`MdError::Parameter`] naming what does not fit.
    pub fn check(&self, state: &State) -> Result<(), MdError> {
        if self.sites.len() != state.len() {
            return Err(MdError::Length {
                what: "spring site",
                got: self.sites.len(),
                expected: state.len(),
            });
        }
        if self.k.len() != state.types.len() {
            return Err(MdError::Length {
                what: "spring constant (one per type)",
                got: self.k.len(),
                expected: state.types.len(),
            });
        }
        if let Some(t) = self.k.iter().position(|k| !(k.is_finite() && *k >= 0.0)) {
            return Err(MdError::Parameter {
                what: format!("spring constant of type {t}"),
                value: self.k[t],
                rule: "must be finite and >= 0",
            });
        }
        if let Some(i) = self
            .sites
            .iter()
            .position(|s| s.iter().any(|x| !x.is_finite()))
        {
            return Err(MdError::NonFiniteInput {
                index: i,
                what: "spring site",
                value: self.sites[i],
            });
        }
        Ok(())
    }

    /// Adds the spring forces to `state.force` and returns U_E.
    pub fn add(&self, state: &mut State) -> f64 {
        let l = match state.geometry {
            Geometry::Periodic(l) => Some(l),
            Geometry::Open { .. } => None,
        };
        let mut energy = 0.0;
        for (((p, f), &t), site) in state
            .pos
            .iter()
            .zip(&mut state.force)
            .zip(&state.typeid)
            .zip(&self.sites)
        {
            let d = displacement(*p, *site, l);
            let k = self.k[t as usize];
            energy += 0.5 * k * (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            f[0] -= k * d[0];
            f[1] -= k * d[1];
            f[2] -= k * d[2];
        }
        energy
    }

    /// U_E of `state` without touching its forces.
    #[must_use]
    pub fn energy(&self, state: &State) -> f64 {
        let mut copy = state.clone();
        self.add(&mut copy)
    }
}

/// r − r⁰, the minimum image when `l` is a periodic box.
fn displacement(r: [f64; 3], site: [f64; 3], l: Option<[f64; 3]>) -> [f64; 3] {
    let mut d = [r[0] - site[0], r[1] - site[1], r[2] - site[2]];
    if let Some(l) = l {
        for k in 0..3 {
            d[k] -= l[k] * libm::round(d[k] / l[k]);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_particles(geometry: Geometry) -> State {
        State {
            geometry,
            types: vec!["L".into(), "S".into()],
            type_diameters: vec![1.0, 0.55],
            pos: vec![[0.1, 0.0, 0.0], [-1.9, 0.2, 0.0]],
            vel: vec![[0.0; 3]; 2],
            force: vec![[0.0; 3]; 2],
            typeid: vec![0, 1],
            image: vec![[0; 3]; 2],
            step: 0,
        }
    }

    #[test]
    fn energy_force_and_minimum_image() {
        let mut state = two_particles(Geometry::Periodic([4.0; 3]));
        let springs = Springs {
            sites: vec![[0.0; 3], [1.9, 0.0, 0.0]],
            k: vec![10.0, 40.0],
        };
        springs.check(&state).expect("fits");
        // particle 1 sits 0.2 across the boundary from its site: d = (0.2, 0.2, 0)
        let u = springs.add(&mut state);
        assert!((u - (5.0 * 0.01 + 20.0 * 0.08)).abs() < 1e-12, "{u}");
        assert!((state.force[0][0] + 1.0).abs() < 1e-12);
        assert!((state.force[1][0] + 8.0).abs() < 1e-12 && (state.force[1][1] + 8.0).abs() < 1e-12);
        let open = two_particles(Geometry::Open { radius: None });
        assert!(springs.energy(&open) > 20.0 * 3.8 * 3.8);
        let bad = Springs {
            k: vec![1.0],
            ..springs
        };
        assert!(bad.check(&state).is_err());
    }
}
