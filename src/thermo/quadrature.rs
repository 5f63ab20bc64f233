//! Gauss–Legendre quadrature on an interval, for the λ integral of Frenkel–Ladd
//! (SCIENCE.md §3.1: W = ∫₀¹ ⟨U − U_E⟩_λ dλ with 10–20 points; the integrand is smooth on the
//! linear path).
//!
//! The nodes are the roots of the Legendre polynomial P_n, found by Newton's method from
//! x ≈ cos(π(i − 1/4)/(n + 1/2)); the weights are w_i = 2 / ((1 − x_i²)·P_n′(x_i)²). An
//! n-point rule integrates polynomials of degree 2n − 1 exactly.

use super::error::ThermoError;

/// The most points a rule may have (the recurrence stays accurate far beyond the 10–20 used).
pub const MAX_POINTS: usize = 64;

/// An n-point Gauss–Legendre rule mapped onto `[a, b]`.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussLegendre {
    /// The nodes in increasing order.
    pub nodes: Vec<f64>,
    /// The weights, summing to b − a.
    pub weights: Vec<f64>,
}

/// P_n(x) and P_n′(x) by the three-term recurrence.
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let k = k as f64;
        let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
    }
    let n = n as f64;
    (p1, n * (x * p1 - p0) / (x * x - 1.0))
}

impl GaussLegendre {
    /// The `points`-point rule on `[a, b]`.
    ///
    /// # Errors
    /// [`ThermoError::OutOfRange`] when `points` is 0 or above [`MAX_POINTS`], or the interval
    /// is not finite with `a < b`.
    pub fn new(points: usize, a: f64, b: f64) -> Result<Self, ThermoError> {
        if points == 0 || points > MAX_POINTS {
            return Err(ThermoError::OutOfRange {
                name: "quadrature points",
                value: points as f64,
                allowed: "1 to 64",
            });
        }
        if !(a.is_finite() && b.is_finite() && a < b) {
            return Err(ThermoError::OutOfRange {
                name: "interval length",
                value: b - a,
                allowed: "finite ends with a < b",
            });
        }
        let (half, mid) = (0.5 * (b - a), 0.5 * (a + b));
        let mut nodes = Vec::with_capacity(points);
        let mut weights = Vec::with_capacity(points);
        for i in (1..=points).rev() {
            if points == 1 {
                nodes.push(mid);
                weights.push(b - a);
                break;
            }
            let mut x = (std::f64::consts::PI * (i as f64 - 0.25) / (points as f64 + 0.5)).cos();
            for _ in 0..100 {
                let (p, dp) = legendre(points, x);
                let dx = p / dp;
                x -= dx;
                if dx.abs() < 1e-16 {
                    break;
                }
            }
            let (_, dp) = legendre(points, x);
            nodes.push(mid + half * x);
            weights.push(half * 2.0 / ((1.0 - x * x) * dp * dp));
        }
        Ok(Self { nodes, weights })
    }

    /// Σ w_i f(x_i).
    pub fn integrate(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.nodes
            .iter()
            .zip(&self.weights)
            .map(|(&x, &w)| w * f(x))
            .sum()
    }

    /// Σ w_i y_i for values already measured at the nodes, with the standard error
    /// sqrt(Σ w_i² s_i²) from independent errors `s_i`.
    ///
    /// # Panics
    /// Never for slices of the rule's length; shorter slices are summed as far as they go.
    #[must_use]
    pub fn sum_with_error(&self, values: &[f64], errors: &[f64]) -> (f64, f64) {
        let value = self.weights.iter().zip(values).map(|(w, y)| w * y).sum();
        let var: f64 = self
            .weights
            .iter()
            .zip(errors)
            .map(|(w, s)| w * w * s * s)
            .sum();
        (value, var.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_for_polynomials_up_to_degree_2n_minus_1() {
        for n in 1..=20 {
            let rule = GaussLegendre::new(n, 0.0, 1.0).unwrap();
            assert!((rule.weights.iter().sum::<f64>() - 1.0).abs() < 1e-13);
            for degree in 0..2 * n {
                let exact = 1.0 / (degree as f64 + 1.0);
                let got = rule.integrate(|x| x.powi(degree as i32));
                assert!((got - exact).abs() < 1e-12, "n {n} degree {degree}: {got}");
            }
        }
    }

    #[test]
    fn known_nodes_and_a_smooth_integral() {
        let rule = GaussLegendre::new(2, -1.0, 1.0).unwrap();
        let x = 1.0 / 3f64.sqrt();
        assert!((rule.nodes[0] + x).abs() < 1e-15 && (rule.nodes[1] - x).abs() < 1e-15);
        let rule = GaussLegendre::new(12, 0.0, std::f64::consts::PI).unwrap();
        assert!((rule.integrate(f64::sin) - 2.0).abs() < 1e-13);
        let (v, e) = rule.sum_with_error(&[1.0; 12], &[0.1; 12]);
        assert!((v - std::f64::consts::PI).abs() < 1e-13 && e > 0.0);
    }

    #[test]
    fn bad_rules_are_refused() {
        assert!(GaussLegendre::new(0, 0.0, 1.0).is_err());
        assert!(GaussLegendre::new(65, 0.0, 1.0).is_err());
        assert!(GaussLegendre::new(4, 1.0, 1.0).is_err());
        assert!(GaussLegendre::new(4, 0.0, f64::NAN).is_err());
    }
}
