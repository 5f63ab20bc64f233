//! Wigner 3j symbols ( l l l ; m1 m2 m3 ) by Racah's formula, for the w_l invariants
//! (Steinhardt, Nelson & Ronchetti 1983; freud's `Steinhardt(wl=True)`).

/// n! as f64 for n ≤ 3·MAX_L + 1.
fn factorial(n: i64) -> f64 {
    (1..=n).fold(1.0, |acc, k| acc * k as f64)
}

/// ( j1 j2 j3 ; m1 m2 m3 ) for integer arguments (0 outside the selection rules).
#[must_use]
pub fn wigner3j(j: [i64; 3], m: [i64; 3]) -> f64 {
    let [j1, j2, j3] = j;
    let [m1, m2, m3] = m;
    if m1 + m2 + m3 != 0
        || j1 + j2 < j3
        || j1 + j3 < j2
        || j2 + j3 < j1
        || m1.abs() > j1
        || m2.abs() > j2
        || m3.abs() > j3
    {
        return 0.0;
    }
    let triangle = factorial(j1 + j2 - j3) * factorial(j1 - j2 + j3) * factorial(-j1 + j2 + j3)
        / factorial(j1 + j2 + j3 + 1);
    let pre = (triangle
        * factorial(j1 + m1)
        * factorial(j1 - m1)
        * factorial(j2 + m2)
        * factorial(j2 - m2)
        * factorial(j3 + m3)
        * factorial(j3 - m3))
    .sqrt();
    let kmin = 0.max(j2 - j3 - m1).max(j1 - j3 + m2);
    let kmax = (j1 + j2 - j3).min(j1 - m1).min(j2 + m2);
    let mut sum = 0.0;
    for k in kmin..=kmax {
        let den = factorial(k)
            * factorial(j3 - j2 + k + m1)
            * factorial(j3 - j1 + k - m2)
            * factorial(j1 + j2 - j3 - k)
            * factorial(j1 - k - m1)
            * factorial(j2 - k + m2);
        let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
        sum += sign / den;
    }
    let phase = if (j1 - j2 - m3).rem_euclid(2) == 0 {
        1.0
    } else {
        -1.0
    };
    phase * pre * sum
}

/// The coefficients ( l l l ; m1 m2 −m1−m2 ) in freud's order: m1 from −l to l, m2 from
/// max(−l, −l−m1) to min(l, l−m1).
#[must_use]
pub fn table(l: u32) -> Vec<(i64, i64, f64)> {
    let l = i64::from(l);
    let mut out = Vec::new();
    for m1 in -l..=l {
        for m2 in (-l).max(-l - m1)..=l.min(l - m1) {
            out.push((m1, m2, wigner3j([l, l, l], [m1, m2, -m1 - m2])));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Tabulated values (e.g. freud's Wigner3j.cc, Mathematica ThreeJSymbol).
        assert!((wigner3j([4, 4, 4], [-4, 0, 4]) - 0.10429770312912398).abs() < 1e-14);
        assert!((wigner3j([6, 6, 6], [0, 0, 0]) - (-0.09305950021129075)).abs() < 1e-14);
        assert!((wigner3j([2, 2, 2], [-2, 0, 2]) - 0.23904572186687872).abs() < 1e-14);
        assert!((wigner3j([1, 1, 1], [-1, 0, 1]) - 0.408248290463863).abs() < 1e-14);
        // Orthogonality: Σ_{m1,m2} (l l l; m1 m2 m3)² = 1/(2l+1) for fixed m3.
        for l in [4i64, 8, 12] {
            let s: f64 = table(l as u32)
                .iter()
                .filter(|(m1, m2, _)| -m1 - m2 == 0)
                .map(|(_, _, w)| w * w)
                .sum();
            assert!((s - 1.0 / (2 * l + 1) as f64).abs() < 1e-12, "l={l}: {s}");
        }
    }
}
