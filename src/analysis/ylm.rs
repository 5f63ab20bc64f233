//! Spherical harmonics Y_lm(θ, φ) for m ≥ 0 and l ≤ [`MAX_L`], by the stable three-term
//! recurrence of the fully normalised associated Legendre functions, with the Condon–Shortley
//! phase (the convention of freud and of most physics texts):
//!
//! Y_lm = ȳ_l^m(cos θ) e^{imφ},  ȳ_0^0 = 1/√(4π),
//! ȳ_m^m = −√((2m+1)/(2m)) sin θ ȳ_{m−1}^{m−1},  ȳ_{m+1}^m = √(2m+3) cos θ ȳ_m^m,
//! ȳ_l^m = a_lm (cos θ ȳ_{l−1}^m − ȳ_{l−2}^m / a_{l−1,m}),  a_lm = √((4l²−1)/(l²−m²)).
//!
//! Negative m follow from Y_{l,−m} = (−1)^m conj(Y_lm). Angles are never formed: cos θ, sin θ
//! and e^{iφ} come straight from the bond vector, so only square roots are needed.

/// Largest l supported by the analyses.
pub const MAX_L: u32 = 12;

/// Index of (l, m ≥ 0) in a triangular table.
#[inline]
#[must_use]
pub fn lm_index(l: u32, m: u32) -> usize {
    (l * (l + 1) / 2 + m) as usize
}

/// Precomputed recurrence coefficients up to some l_max.
#[derive(Clone, Debug)]
pub struct YlmTable {
    lmax: u32,
    /// √((2m+1)/(2m)) for m ≥ 1 (index m).
    diag: Vec<f64>,
    /// √(2m+3) (index m).
    sub: Vec<f64>,
    /// a_lm, triangular.
    a: Vec<f64>,
    /// 1/a_{l−1,m}, triangular at (l, m).
    inv_a_prev: Vec<f64>,
}

impl YlmTable {
    /// Coefficients for l ≤ `lmax` (clamped to [`MAX_L`]).
    #[must_use]
    pub fn new(lmax: u32) -> Self {
        let lmax = lmax.min(MAX_L);
        let n = lm_index(lmax, lmax) + 1;
        let mut a = vec![0.0; n];
        let mut inv_a_prev = vec![0.0; n];
        for l in 0..=lmax {
            for m in 0..=l {
                let (lf, mf) = (f64::from(l), f64::from(m));
                if l > m {
                    a[lm_index(l, m)] = ((4.0 * lf * lf - 1.0) / (lf * lf - mf * mf)).sqrt();
                }
            }
        }
        for l in 0..=lmax {
            for m in 0..=l {
                if l >= m + 2 {
                    inv_a_prev[lm_index(l, m)] = 1.0 / a[lm_index(l - 1, m)];
                }
            }
        }
        let diag = (0..=lmax)
            .map(|m| {
                let m = f64::from(m);
                if m == 0.0 {
                    0.0
                } else {
                    ((2.0 * m + 1.0) / (2.0 * m)).sqrt()
                }
            })
            .collect();
        let sub = (0..=lmax)
            .map(|m| (2.0 * f64::from(m) + 3.0).sqrt())
            .collect();
        Self {
            lmax,
            diag,
            sub,
            a,
            inv_a_prev,
        }
    }

    /// Largest l of the table.
    #[must_use]
    pub fn lmax(&self) -> u32 {
        self.lmax
    }

    /// Writes Y_lm(v̂) for every l ≤ lmax and 0 ≤ m ≤ l into `out` (as [re, im], indexed by
    /// [`lm_index`]). A zero vector is taken along +z (θ = 0), as freud does.
    pub fn evaluate(&self, v: [f64; 3], out: &mut [[f64; 2]]) {
        let rho2 = v[0] * v[0] + v[1] * v[1];
        let r = (rho2 + v[2] * v[2]).sqrt();
        let (cos_t, sin_t) = if r > 0.0 {
            (v[2] / r, rho2.sqrt() / r)
        } else {
            (1.0, 0.0)
        };
        let (c1, s1) = if rho2 > 0.0 {
            let rho = rho2.sqrt();
            (v[0] / rho, v[1] / rho)
        } else {
            (1.0, 0.0)
        };
        // e^{imφ}, ȳ_m^m running along the diagonal.
        let (mut ce, mut se) = (1.0, 0.0);
        let mut ymm = 0.5 / std::f64::consts::PI.sqrt();
        for m in 0..=self.lmax {
            if m > 0 {
                ymm *= -self.diag[m as usize] * sin_t;
                let t = ce * c1 - se * s1;
                se = ce * s1 + se * c1;
                ce = t;
            }
            let mut prev2 = 0.0;
            let mut prev = ymm;
            out[lm_index(m, m)] = [ymm * ce, ymm * se];
            if m < self.lmax {
                let y = self.sub[m as usize] * cos_t * ymm;
                out[lm_index(m + 1, m)] = [y * ce, y * se];
                prev2 = prev;
                prev = y;
            }
            for l in (m + 2)..=self.lmax {
                let k = lm_index(l, m);
                let y = self.a[k] * (cos_t * prev - prev2 * self.inv_a_prev[k]);
                out[k] = [y * ce, y * se];
                prev2 = prev;
                prev = y;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn matches_closed_forms() {
        let t = YlmTable::new(12);
        let mut out = vec![[0.0; 2]; lm_index(12, 12) + 1];
        let v: [f64; 3] = [0.3, -0.5, 0.7];
        t.evaluate(v, &mut out);
        let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
        let (x, y, z) = (v[0] / r, v[1] / r, v[2] / r);
        // Y_2^1 = −√(15/8π) sinθ cosθ e^{iφ} = −√(15/8π) z (x + iy)
        let c = -(15.0 / (8.0 * PI)).sqrt() * z;
        assert!((out[lm_index(2, 1)][0] - c * x).abs() < 1e-14);
        assert!((out[lm_index(2, 1)][1] - c * y).abs() < 1e-14);
        // Y_3^3 = −(1/8)√(35/π) (x + iy)³
        let c = -(35.0 / PI).sqrt() / 8.0;
        let re = x * x * x - 3.0 * x * y * y;
        let im = 3.0 * x * x * y - y * y * y;
        assert!((out[lm_index(3, 3)][0] - c * re).abs() < 1e-14);
        assert!((out[lm_index(3, 3)][1] - c * im).abs() < 1e-14);
        // Addition theorem: Σ_m |Y_lm|² = (2l+1)/4π.
        for l in 0..=12 {
            let mut s = out[lm_index(l, 0)][0].powi(2);
            for m in 1..=l {
                let [a, b] = out[lm_index(l, m)];
                s += 2.0 * (a * a + b * b);
            }
            assert!(
                (s - f64::from(2 * l + 1) / (4.0 * PI)).abs() < 1e-12,
                "l={l}"
            );
        }
    }
}
