//! The droplet's wall (SCIENCE.md §1, Fig. 4): a sphere of radius R centred on the origin
//! that repels particle i with a WCA potential whose range is scaled by σ_i/2.
//!
//! Exact form: with h = R − |r_i| the distance from particle i to the wall and s_i = σ_i/2,
//!
//! U_wall(h) = 4 ε_w [(s_i/h)^12 − (s_i/h)^6] + ε_w  for h < 2^(1/6) s_i, else 0,
//!
//! the force acting along −r̂_i (towards the centre). A particle on or beyond the wall
//! (h ≤ 0) is an error of the caller.

/// A spherical WCA wall.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WcaWall {
    /// Radius R of the wall sphere (σ).
    pub radius: f64,
    /// Energy scale ε_w of the wall.
    pub epsilon: f64,
}

/// 2^(1/6).
pub const WCA_CUT: f64 = 1.122_462_048_309_373;

impl WcaWall {
    /// Energy and the magnitude of the inward force on a particle of diameter `diameter` at
    /// distance `h` (> 0) from the wall; zero beyond the WCA range.
    #[inline]
    #[must_use]
    pub fn energy_force(&self, h: f64, diameter: f64) -> (f64, f64) {
        let s = 0.5 * diameter;
        if h >= WCA_CUT * s {
            return (0.0, 0.0);
        }
        let x2 = (s * s) / (h * h);
        let x6 = x2 * x2 * x2;
        let x12 = x6 * x6;
        let e = 4.0 * self.epsilon * (x12 - x6) + self.epsilon;
        let f = 24.0 * self.epsilon * (2.0 * x12 - x6) / h;
        (e, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wca_wall_zero_at_range_and_force_is_gradient() {
        let wall = WcaWall {
            radius: 10.0,
            epsilon: 1.0,
        };
        let (e, f) = wall.energy_force(WCA_CUT * 0.5 * 0.55 * (1.0 - 1e-9), 0.55);
        assert!(e.abs() < 1e-7 && f.abs() < 1e-6);
        let h = 0.3;
        let d = 1e-7;
        let num = -(wall.energy_force(h + d, 1.0).0 - wall.energy_force(h - d, 1.0).0) / (2.0 * d);
        assert!((num - wall.energy_force(h, 1.0).1).abs() < 1e-5 * num.abs());
    }
}
