//! Small dense linear algebra for the fits: Cholesky solve and inverse of symmetric
//! positive-definite matrices (row-major), in a fixed summation order.

/// Cholesky factor L (lower, row-major) of a symmetric matrix, or `None` when it is not
/// positive definite.
pub(crate) fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if s.is_nan() || s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves L·Lᵀ·x = b given the Cholesky factor.
pub(crate) fn cholesky_solve(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * y[k];
        }
        y[i] = s / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= l[k * n + i] * x[k];
        }
        x[i] = s / l[i * n + i];
    }
    x
}

/// Inverse of a symmetric positive-definite matrix, or `None`.
pub(crate) fn spd_inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let l = cholesky(a, n)?;
    let mut inv = vec![0.0; n * n];
    let mut e = vec![0.0; n];
    for j in 0..n {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        let col = cholesky_solve(&l, n, &e);
        for i in 0..n {
            inv[i * n + j] = col[i];
        }
    }
    Some(inv)
}

/// Solves the normal equations (AᵀWA)x = AᵀWy for a small linear least-squares problem
/// given column-major design columns; returns the coefficients or `None` when singular.
pub(crate) fn least_squares(columns: &[Vec<f64>], y: &[f64], weights: &[f64]) -> Option<Vec<f64>> {
    let p = columns.len();
    let mut ata = vec![0.0; p * p];
    let mut aty = vec![0.0; p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = 0.0;
            for k in 0..y.len() {
                s += columns[i][k] * columns[j][k] * weights[k];
            }
            ata[i * p + j] = s;
            ata[j * p + i] = s;
        }
        let mut s = 0.0;
        for k in 0..y.len() {
            s += columns[i][k] * y[k] * weights[k];
        }
        aty[i] = s;
    }
    // A tiny ridge keeps nearly collinear columns solvable.
    for i in 0..p {
        ata[i * p + i] *= 1.0 + 1e-12;
    }
    let l = cholesky(&ata, p)?;
    Some(cholesky_solve(&l, p, &aty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_known_matrix() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];
        let inv = spd_inverse(&a, 3).expect("positive definite");
        for i in 0..3 {
            for j in 0..3 {
                let s: f64 = (0..3).map(|k| a[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((s - f64::from(u8::from(i == j))).abs() < 1e-12);
            }
        }
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }

    #[test]
    fn straight_line_fit() {
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| 2.0 + 0.5 * v).collect();
        let c = least_squares(&[vec![1.0; 10], x], &y, &[1.0; 10]).expect("solvable");
        assert!((c[0] - 2.0).abs() < 1e-9 && (c[1] - 0.5).abs() < 1e-9);
    }
}
