//! The centre of mass held fixed (SCIENCE.md §3.1, "zero total momentum and zero net
//! thermostat force"). With unit masses the centre of mass moves with the mean velocity and
//! accelerates with the mean force; taking the mean off the velocities once, off the forces
//! after every evaluation and off the Langevin update (friction plus noise) after every O step
//! keeps it where it started (up to rounding). The constrained system has 3N − 3 degrees of
//! freedom, which the kinetic temperature then counts.

/// Subtracts the mean vector from every entry (in index order; deterministic).
pub fn remove_mean(v: &mut [[f64; 3]]) {
    let mean = mean(v);
    for x in v.iter_mut() {
        x[0] -= mean[0];
        x[1] -= mean[1];
        x[2] -= mean[2];
    }
}

/// The mean of the entries (zero for none).
#[must_use]
pub fn mean(v: &[[f64; 3]]) -> [f64; 3] {
    let mut sum = [0.0; 3];
    for x in v {
        sum[0] += x[0];
        sum[1] += x[1];
        sum[2] += x[2];
    }
    let n = v.len().max(1) as f64;
    [sum[0] / n, sum[1] / n, sum[2] / n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_is_removed() {
        let mut v = vec![[1.0, 2.0, -3.0], [3.0, -2.0, 0.5], [0.5, 0.0, 0.0]];
        remove_mean(&mut v);
        let m = mean(&v);
        assert!(m.iter().all(|x| x.abs() < 1e-15), "{m:?}");
        assert!((v[0][0] - (1.0 - 1.5)).abs() < 1e-15);
        remove_mean(&mut []);
    }
}
