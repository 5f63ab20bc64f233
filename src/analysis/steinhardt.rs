//! Steinhardt bond-orientational order (SCIENCE.md §2, with freud's conventions):
//!
//! q_lm(i) = (1/N_b) Σ_{j ∈ nb(i)} Y_lm(r̂_ij),  q_l(i) = √( 4π/(2l+1) Σ_m |q_lm(i)|² ),
//!
//! the Lechner–Dellago average q̄_lm(i) = (q_lm(i) + Σ_{j ∈ nb(i)} q_lm(j)) / (N_b + 1) and the
//! third-order invariant w_l(i) = Σ_{m1+m2+m3=0} ( l l l ; m1 m2 m3 ) q_lm1 q_lm2 q_lm3, optionally
//! normalised by (Σ_m |q_lm|²)^{3/2} (freud's `wl_normalize`, off by default as in freud).
//! The neighbourhood is whatever [`NeighborList`] is given, itself excluded.
//! A centre without neighbours gets NaN, as in freud.

use super::error::{AnalysisError, Result};
use super::neighbors::NeighborList;
use super::wigner3j;
use super::ylm::{lm_index, YlmTable, MAX_L};
use crate::md::threads::map_ranges;

/// Parameters of a Steinhardt computation (freud's `Steinhardt(l, average, wl, wl_normalize)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Steinhardt {
    /// Spherical harmonic degree, 0 ≤ l ≤ 12.
    pub l: u32,
    /// Lechner–Dellago averaging over the neighbourhood (and the particle itself).
    pub average: bool,
    /// Also compute w_l.
    pub wl: bool,
    /// Normalise w_l by (Σ_m |q_lm|²)^{3/2}.
    pub wl_normalize: bool,
}

/// Per-centre results, one entry per row of the neighbour list.
#[derive(Clone, Debug, PartialEq)]
pub struct SteinhardtOrder {
    /// q_l of each centre (never averaged).
    pub ql: Vec<f64>,
    /// Averaged q̄_l, when requested.
    pub ql_average: Option<Vec<f64>>,
    /// w_l (from the averaged q̄_lm when averaging), when requested.
    pub wl: Option<Vec<f64>>,
}

impl SteinhardtOrder {
    /// freud's `particle_order`: w_l if computed, else q̄_l if averaged, else q_l.
    #[must_use]
    pub fn particle_order(&self) -> &[f64] {
        self.wl
            .as_deref()
            .or(self.ql_average.as_deref())
            .unwrap_or(&self.ql)
    }
}

impl Steinhardt {
    /// Plain q_l.
    ///
    /// # Errors
    /// [`AnalysisError::BadParameter`] when l > 12.
    pub fn new(l: u32) -> Result<Self> {
        if l > MAX_L {
            return Err(AnalysisError::BadParameter {
                name: "l",
                value: f64::from(l),
                why: "must be between 0 and 12",
            });
        }
        Ok(Self {
            l,
            average: false,
            wl: false,
            wl_normalize: false,
        })
    }

    /// Computes the order of every centre of `nlist`.
    ///
    /// # Errors
    /// l > 12; a bond of length 0 ([`AnalysisError::Coincident`]: coincident particles have
    /// no bond direction); with averaging, a neighbour that is not itself a centre
    /// ([`AnalysisError::NotACentre`]).
    pub fn compute(&self, nlist: &NeighborList) -> Result<SteinhardtOrder> {
        let l = Self::new(self.l)?.l;
        if let Some(b) = nlist.vectors.iter().position(|v| *v == [0.0; 3]) {
            let row = nlist.offsets.partition_point(|&o| o <= b).saturating_sub(1);
            return Err(AnalysisError::Coincident {
                index: nlist.centres.get(row).copied().unwrap_or(0),
                neighbor: nlist.neighbors.get(b).map_or(0, |&j| j as usize),
            });
        }
        let nm = l as usize + 1;
        let qlm = qlm_rows(l, nlist);
        let ql = (0..nlist.len())
            .map(|r| ql_of(l, &qlm[r * nm..(r + 1) * nm]))
            .collect();
        let mut out = SteinhardtOrder {
            ql,
            ql_average: None,
            wl: None,
        };
        let source = if self.average {
            let ave = average_rows(l, nlist, &qlm)?;
            out.ql_average = Some(
                (0..nlist.len())
                    .map(|r| ql_of(l, &ave[r * nm..(r + 1) * nm]))
                    .collect(),
            );
            ave
        } else {
            qlm
        };
        if self.wl {
            let table = wigner3j::table(l);
            let parts = map_ranges(nlist.len(), ROWS_PER_TASK, |rows| {
                rows.map(|r| wl_of(l, &source[r * nm..(r + 1) * nm], &table, self.wl_normalize))
                    .collect::<Vec<_>>()
            });
            out.wl = Some(parts.concat());
        }
        Ok(out)
    }
}

/// Rows per task on a pool's threads ([`map_ranges`]; each row's arithmetic is its own).
const ROWS_PER_TASK: usize = 512;

/// q_lm (m = 0..=l) of every row, row-major.
fn qlm_rows(l: u32, nlist: &NeighborList) -> Vec<[f64; 2]> {
    let nm = l as usize + 1;
    let table = YlmTable::new(l);
    let base = lm_index(l, 0);
    let parts = map_ranges(nlist.len(), ROWS_PER_TASK, |rows| {
        let mut ylm = vec![[0.0; 2]; lm_index(l, l) + 1];
        let mut out = vec![[0.0; 2]; rows.len() * nm];
        for (acc, row) in out.chunks_exact_mut(nm).zip(rows) {
            qlm_row(nlist, row, &table, base, &mut ylm, acc);
        }
        out
    });
    parts.concat()
}

/// q_lm (m = 0..=l) of row `row` into `acc`; `ylm` is scratch for [`YlmTable::evaluate`].
fn qlm_row(
    nlist: &NeighborList,
    row: usize,
    table: &YlmTable,
    base: usize,
    ylm: &mut [[f64; 2]],
    acc: &mut [[f64; 2]],
) {
    let nm = acc.len();
    let range = nlist.row(row);
    let nb = range.len();
    for b in range {
        table.evaluate(nlist.vectors[b], ylm);
        for (a, y) in acc.iter_mut().zip(&ylm[base..base + nm]) {
            a[0] += y[0];
            a[1] += y[1];
        }
    }
    let inv = 1.0 / nb as f64; // NaN rows for nb = 0, as freud
    for a in acc.iter_mut() {
        a[0] *= inv;
        a[1] *= inv;
    }
}

/// √(4π/(2l+1) Σ_{m=−l}^{l} |q_lm|²) from the m ≥ 0 half.
fn ql_of(l: u32, qlm: &[[f64; 2]]) -> f64 {
    (4.0 * std::f64::consts::PI / f64::from(2 * l + 1) * sum_sq(qlm)).sqrt()
}

/// Σ_{m=−l}^{l} |q_lm|² = |q_l0|² + 2 Σ_{m>0} |q_lm|².
fn sum_sq(qlm: &[[f64; 2]]) -> f64 {
    let mut s = 0.0;
    for (m, q) in qlm.iter().enumerate() {
        let w = if m == 0 { 1.0 } else { 2.0 };
        s += w * (q[0] * q[0] + q[1] * q[1]);
    }
    s
}

fn average_rows(l: u32, nlist: &NeighborList, qlm: &[[f64; 2]]) -> Result<Vec<[f64; 2]>> {
    let nm = l as usize + 1;
    let n = nlist
        .centres
        .iter()
        .copied()
        .chain(nlist.neighbors.iter().map(|&j| j as usize))
        .max()
        .map_or(0, |m| m + 1);
    let row_of = nlist.row_of_particle(n);
    let parts = map_ranges(nlist.len(), ROWS_PER_TASK, |rows| {
        let mut out = vec![[0.0; 2]; rows.len() * nm];
        for (o, row) in out.chunks_exact_mut(nm).zip(rows) {
            average_row(nlist, &row_of, qlm, row, o)?;
        }
        Ok(out)
    });
    Ok(parts.into_iter().collect::<Result<Vec<_>>>()?.concat())
}

/// The q_lm of row `row` averaged with its neighbours' into `out`.
fn average_row(
    nlist: &NeighborList,
    row_of: &[Option<u32>],
    qlm: &[[f64; 2]],
    row: usize,
    out: &mut [[f64; 2]],
) -> Result<()> {
    let nm = out.len();
    let mut acc = qlm[row * nm..(row + 1) * nm].to_vec();
    let range = nlist.row(row);
    let count = range.len() + 1;
    for b in range {
        let j = nlist.neighbors[b] as usize;
        let jr = row_of[j].ok_or(AnalysisError::NotACentre {
            index: nlist.centres[row],
            neighbor: j,
        })? as usize;
        for (a, q) in acc.iter_mut().zip(&qlm[jr * nm..(jr + 1) * nm]) {
            a[0] += q[0];
            a[1] += q[1];
        }
    }
    let inv = 1.0 / count as f64;
    for (o, a) in out.iter_mut().zip(acc) {
        *o = [a[0] * inv, a[1] * inv];
    }
    Ok(())
}

/// q_lm for any m, from the m ≥ 0 half: q_{l,−m} = (−1)^m conj(q_lm).
fn full(qlm: &[[f64; 2]], m: i64) -> [f64; 2] {
    let q = qlm[m.unsigned_abs() as usize];
    if m >= 0 {
        q
    } else if m % 2 == 0 {
        [q[0], -q[1]]
    } else {
        [-q[0], q[1]]
    }
}

fn wl_of(l: u32, qlm: &[[f64; 2]], table: &[(i64, i64, f64)], normalize: bool) -> f64 {
    let mut w = 0.0;
    for &(m1, m2, c) in table {
        let a = full(qlm, m1);
        let b = full(qlm, m2);
        let d = full(qlm, -m1 - m2);
        let ab = [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
        w += c * (ab[0] * d[0] - ab[1] * d[1]);
    }
    if normalize {
        w / sum_sq(qlm).powf(1.5)
    } else {
        let _ = l;
        w
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::analysis::neighbors::{NeighborQuery, TypeFilter};
    use crate::model::Geometry;

    fn fcc_list(k: usize) -> NeighborList {
        let frame = crate::lattice::crystal(
            &crate::lattice::UnitCell::fcc(1.5),
            [3, 3, 3],
            crate::lattice::Diameters::PAPER,
        );
        let q = NeighborQuery::from_frame(&frame).unwrap();
        q.nearest(k, &TypeFilter::all()).unwrap()
    }

    #[test]
    fn perfect_fcc_has_the_textbook_values() {
        let list = fcc_list(12);
        let q6 = Steinhardt::new(6).unwrap().compute(&list).unwrap();
        let q4 = Steinhardt::new(4).unwrap().compute(&list).unwrap();
        for (&a, &b) in q6.ql.iter().zip(&q4.ql) {
            assert!((a - 0.574_524).abs() < 1e-5, "{a}");
            assert!((b - 0.190_941).abs() < 1e-5, "{b}");
        }
        let mut s = Steinhardt::new(6).unwrap();
        s.wl = true;
        s.wl_normalize = true;
        s.average = true;
        let w = s.compute(&list).unwrap();
        // ŵ_6(fcc) = −0.013161
        assert!(w.wl.unwrap().iter().all(|&x| (x + 0.013_161).abs() < 1e-5));
        assert!(w
            .ql_average
            .unwrap()
            .iter()
            .all(|&x| (x - 0.574_524).abs() < 1e-5));
    }

    #[test]
    fn isolated_centre_is_nan_and_bad_l_is_an_error() {
        let q =
            NeighborQuery::new(Geometry::UNBOUNDED, &[[0.0; 3], [5.0, 0.0, 0.0]], &[0, 0]).unwrap();
        let list = q.within(1.0, &TypeFilter::all()).unwrap();
        let out = Steinhardt::new(6).unwrap().compute(&list).unwrap();
        assert!(out.ql[0].is_nan());
        assert!(Steinhardt::new(13).is_err());
    }
}
