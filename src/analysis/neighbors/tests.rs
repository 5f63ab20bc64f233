#![allow(clippy::unwrap_used)]

use super::*;
use crate::model::Geometry;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_points(n: usize, l: f64, seed: u64) -> (Vec<[f64; 3]>, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let p = (0..n)
        .map(|_| [0, 1, 2].map(|_| rng.gen_range(-0.5 * l..0.5 * l)))
        .collect();
    let t = (0..n).map(|_| rng.gen_range(0..2)).collect();
    (p, t)
}

/// Brute force: every candidate's (distance², index), sorted.
fn brute(q: &NeighborQuery, i: usize, cands: &[u32]) -> Vec<(f64, u32)> {
    let p = q.positions();
    let mut v: Vec<(f64, u32)> = cands
        .iter()
        .filter(|&&j| j as usize != i)
        .map(|&j| {
            let d = q.geometry().delta(p[i], p[j as usize]);
            (d[0] * d[0] + d[1] * d[1] + d[2] * d[2], j)
        })
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v
}

#[test]
fn nearest_matches_brute_force_periodic_and_open() {
    for (space, seed) in [
        (Geometry::Periodic([6.0, 7.0, 5.0]), 1),
        (Geometry::UNBOUNDED, 2),
    ] {
        let (pos, types) = random_points(700, 6.0, seed);
        let q = NeighborQuery::new(space, &pos, &types).unwrap();
        for filter in [
            TypeFilter::all(),
            TypeFilter::only(&[0]),
            TypeFilter {
                centres: Some(vec![1]),
                neighbors: Some(vec![0]),
            },
        ] {
            for k in [1, 6, 20] {
                let list = q.nearest(k, &filter).unwrap();
                let cands = q.select(filter.neighbors.as_deref());
                assert_eq!(
                    list.centres,
                    q.select(filter.centres.as_deref())
                        .iter()
                        .map(|&i| i as usize)
                        .collect::<Vec<_>>()
                );
                for row in 0..list.len() {
                    let i = list.centres[row];
                    let want = brute(&q, i, &cands);
                    let got = list.neighbors_of(row);
                    assert_eq!(got.len(), k);
                    for (n, &j) in got.iter().enumerate() {
                        assert_eq!(j, want[n].1, "{space:?} k={k} row={row}");
                        let r = list.distances[list.offsets[row] + n];
                        assert!((r * r - want[n].0).abs() < 1e-12);
                    }
                }
            }
        }
    }
}

#[test]
fn within_matches_brute_force() {
    for space in [Geometry::Periodic([5.0, 5.0, 6.0]), Geometry::UNBOUNDED] {
        let (pos, types) = random_points(500, 5.0, 7);
        let q = NeighborQuery::new(space, &pos, &types).unwrap();
        let list = q.within(1.1, &TypeFilter::all()).unwrap();
        let all = q.select(None);
        for row in 0..list.len() {
            let want: Vec<u32> = brute(&q, row, &all)
                .into_iter()
                .filter(|x| x.0 < 1.21)
                .map(|x| x.1)
                .collect();
            assert_eq!(list.neighbors_of(row), &want[..]);
        }
        let v = list.vectors[0];
        let d = list.distances[0];
        assert!(((v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt() - d).abs() < 1e-12);
    }
}

#[test]
fn ties_are_broken_by_index() {
    // A simple cubic lattice: 6 neighbours at distance 1, any 4 of them are a tie.
    let mut pos = Vec::new();
    for x in 0..4 {
        for y in 0..4 {
            for z in 0..4 {
                pos.push([x as f64 - 2.0, y as f64 - 2.0, z as f64 - 2.0]);
            }
        }
    }
    let types = vec![0; pos.len()];
    let q = NeighborQuery::new(Geometry::Periodic([4.0; 3]), &pos, &types).unwrap();
    let list = q.nearest(4, &TypeFilter::all()).unwrap();
    let q0 = list.neighbors_of(0);
    // Neighbours of particle 0 (at -2,-2,-2): 1 (z+1), 3 (z-1 wrapped), 4 (y+1), 12 (y-1).
    assert_eq!(q0, &[1, 3, 4, 12]);
}

#[test]
fn errors_are_reported() {
    let (pos, types) = random_points(10, 3.0, 3);
    let q = NeighborQuery::new(Geometry::Periodic([3.0; 3]), &pos, &types).unwrap();
    assert!(matches!(
        q.nearest(12, &TypeFilter::all()),
        Err(crate::analysis::AnalysisError::TooFewCandidates { k: 12, .. })
    ));
    assert!(q.within(1.6, &TypeFilter::all()).is_err());
    let bad = vec![[0.0, f64::NAN, 0.0]];
    assert!(NeighborQuery::new(Geometry::UNBOUNDED, &bad, &[0]).is_err());
}

#[test]
fn outliers_change_no_neighbour_and_cost_little() {
    let (mut pos, mut types) = random_points(600, 5.0, 11);
    // Far points: a close pair at x = 1e5, one on another axis, one beyond every cell.
    for p in [
        [1e5, 0.0, 0.0],
        [1e5 + 0.5, 0.3, 0.0],
        [0.0, -3e4, 2.0],
        [-1e7, 1e7, -1e7],
    ] {
        pos.push(p);
        types.push(0);
    }
    let q = NeighborQuery::new(Geometry::UNBOUNDED, &pos, &types).unwrap();
    let all = q.select(None);
    let start = std::time::Instant::now();
    let near = q.nearest(8, &TypeFilter::all()).unwrap();
    let ball = q.within(1.1, &TypeFilter::all()).unwrap();
    let took = start.elapsed().as_secs_f64();
    for row in 0..near.len() {
        let want = brute(&q, row, &all);
        let got: Vec<u32> = want.iter().take(8).map(|x| x.1).collect();
        assert_eq!(near.neighbors_of(row), &got[..], "nearest of {row}");
        let got: Vec<u32> = want.iter().filter(|x| x.0 < 1.21).map(|x| x.1).collect();
        assert_eq!(ball.neighbors_of(row), &got[..], "within of {row}");
    }
    assert_eq!(ball.neighbors_of(600), &[601]);
    // Before the bulk grid the far points' ring searches ran for minutes.
    assert!(took < 1.0, "{took} s");
}
