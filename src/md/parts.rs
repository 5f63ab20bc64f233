//! The pair loop's parts: the half neighbour list cut into one range of particles per thread
//! ([`super::forces`] runs one task per part).
//!
//! A pair (i, j) of the half list (j > i) whose j lies in a later part than i *crosses*: i is a
//! *tail* of its part, which adds the term to i's force and energy block, and j's part
//! computes the same term again to subtract its force from j before anything else touches j,
//! so that every particle's force is the serial chain of terms. (Sharing the term between the
//! two cores instead was measured slower: moving it costs more than computing it.) The parts
//! depend only on the list, the number of threads and the previous cut, never on timing, and
//! the sums they give are the serial ones on any number of threads.

use std::ops::Range;

use super::forces::BLOCK;
use super::threads::Threads;

/// One thread's share of the pair loop.
#[derive(Clone, Debug, Default)]
pub struct Part {
    /// The particles, starting at a multiple of [`BLOCK`], ending at one or at N.
    pub range: Range<usize>,
    /// The particles j with outside partners, ascending, each with the end of its partners in
    /// `cross` (they start where the previous one's end).
    pub crossing: Vec<(u32, u32)>,
    /// Outside partners, particle by particle, each particle's ascending.
    pub cross: Vec<u32>,
    /// The particles i of the part with later partners beyond it, ascending, each with how
    /// many of its partners lie inside the part (a half list is ascending: those come first).
    pub tails: Vec<(u32, u32)>,
}

/// How much a crossing pair weighs against a pair of the part's own loop when cutting: j's
/// part computes it again, branch-free like the own loop but without Newton's third law's
/// partner update, and i's part computes it once more than the serial loop would.
const CROSS_WEIGHT: (u64, u64) = (1, 2);

/// Cuts the half list (`start`, `list` in CSR form) into one part per thread, each with about
/// the same work: its own pairs plus [`CROSS_WEIGHT`] of its crossing pairs, counted on the
/// previous cut (`parts` on entry, when it had as many parts; else none). Boundary k goes where
/// the prefix sum of pairs passes k·(pairs + wΣc)/threads − wΣ_{t<k} c_t, rounded to
/// [`BLOCK`] particles. Nothing on one thread or for a list of at most one block.
pub fn cut(parts: &mut Vec<Part>, start: &[u32], list: &[u32], threads: &Threads) {
    let count = threads.count();
    let n = start.len().saturating_sub(1);
    let before: Vec<u64> = if parts.len() == count {
        parts.iter().map(|p| p.cross.len() as u64).collect()
    } else {
        vec![0; count]
    };
    parts.clear();
    if count <= 1 || n <= BLOCK {
        return;
    }
    let weight = |c: u64| c * CROSS_WEIGHT.0 / CROSS_WEIGHT.1;
    let total = u64::from(start[n]) + before.iter().map(|&c| weight(c)).sum::<u64>();
    let mut crossing = 0;
    let targets = (1..count).map(|k| {
        crossing += weight(before[k - 1]);
        (total * k as u64 / count as u64).saturating_sub(crossing)
    });
    let bounds = bounds_at(start, targets, BLOCK);
    if bounds.len() < 3 {
        return;
    }
    *parts = bounds
        .windows(2)
        .map(|w| Part {
            range: w[0]..w[1],
            ..Part::default()
        })
        .collect();
    threads.each_mut(parts, |part| find_tails(part, start, list));
    let tails: Vec<Vec<(u32, u32)>> = parts.iter().map(|p| p.tails.clone()).collect();
    let mut tasks: Vec<_> = parts.iter_mut().zip(0..).collect();
    threads.each_mut(&mut tasks, |(part, q)| {
        find_crossing(part, &tails[..*q], start, list);
    });
}

/// Part boundaries `0, b_1, …, n` for the `n = start.len() − 1` particles: b_k is where the
/// prefix sum of pairs (`start`, CSR offsets) passes the k-th target, rounded to a multiple
/// of `round` particles; empty parts are dropped.
fn bounds_at(start: &[u32], targets: impl Iterator<Item = u64>, round: usize) -> Vec<usize> {
    let n = start.len() - 1;
    let mut bounds = vec![0];
    for target in targets {
        let i = start[..n].partition_point(|&s| u64::from(s) < target);
        let i = ((i + round / 2) / round * round).min(n);
        if i > *bounds.last().unwrap_or(&0) && i < n {
            bounds.push(i);
        }
    }
    bounds.push(n);
    bounds
}

/// Pieces of a parallel list build per thread: the threads take them as they finish (the cost
/// of a particle's list varies across the box more than its pairs tell).
const BUILD_PIECES: usize = 8;

/// The ranges of a parallel list build: [`BUILD_PIECES`] per thread, of the `n` particles,
/// with about the same number of pairs in the previous list (`start`, CSR offsets), or of
/// particles when that list was of another size.
#[must_use]
pub fn build_ranges(start: &[u32], n: usize, threads: usize) -> Vec<Range<usize>> {
    let pieces = threads * BUILD_PIECES;
    if start.len() != n + 1 || threads <= 1 {
        return super::threads::ranges(n, pieces);
    }
    let total = u64::from(start[n]);
    let targets = (1..pieces).map(|k| total * k as u64 / pieces as u64);
    let bounds = bounds_at(start, targets, 1);
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
}

/// The part's tails.
fn find_tails(part: &mut Part, start: &[u32], list: &[u32]) {
    let r = part.range.clone();
    part.tails = r
        .clone()
        .filter_map(|i| {
            let partners = &list[start[i] as usize..start[i + 1] as usize];
            let beyond = partners.last().is_some_and(|&j| j as usize >= r.end);
            beyond.then(|| {
                let inside = partners.partition_point(|&j| (j as usize) < r.end);
                (i as u32, inside as u32)
            })
        })
        .collect();
}

/// The part's crossing particles and their outside partners, from the tails of the earlier
/// parts (in order, so each j's partners come ascending).
fn find_crossing(part: &mut Part, earlier: &[Vec<(u32, u32)>], start: &[u32], list: &[u32]) {
    let r = part.range.clone();
    let mut count = vec![0u32; r.len() + 1];
    let mut found = Vec::new();
    for &(i, inside) in earlier.iter().flatten() {
        let beyond =
            &list[start[i as usize] as usize + inside as usize..start[i as usize + 1] as usize];
        let lo = beyond.partition_point(|&j| (j as usize) < r.start);
        let hi = beyond.partition_point(|&j| (j as usize) < r.end);
        for &j in &beyond[lo..hi] {
            count[j as usize - r.start + 1] += 1;
            found.push((j, i));
        }
    }
    for k in 0..r.len() {
        count[k + 1] += count[k];
    }
    part.cross = vec![0; found.len()];
    let mut fill = count[..r.len()].to_vec();
    // `found` is in ascending i: a stable scatter keeps it per j
    for (j, i) in found {
        let slot = &mut fill[j as usize - r.start];
        part.cross[*slot as usize] = i;
        *slot += 1;
    }
    part.crossing = count
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[1] > w[0])
        .map(|(k, w)| ((r.start + k) as u32, w[1]))
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ring of 2,048 particles, each with the partners i+1 … i+3 (mod N) in a half list.
    fn ring() -> (Vec<u32>, Vec<u32>) {
        let n = 2048u32;
        let mut start = vec![0];
        let mut list = Vec::new();
        for i in 0..n {
            let mut p: Vec<u32> = (1..=3).map(|d| (i + d) % n).filter(|&j| j > i).collect();
            // the wrap pairs of the last particles are held by the first ones
            if i < 3 {
                p.extend(n - 3 + i..n);
            }
            p.sort_unstable();
            list.extend(p);
            start.push(list.len() as u32);
        }
        (start, list)
    }

    #[test]
    fn each_part_finds_every_outside_partner_of_its_particles_in_order() {
        let (start, list) = ring();
        for threads in [2, 3] {
            let pool = Threads::new(threads).expect("pool");
            let mut parts = Vec::new();
            cut(&mut parts, &start, &list, &pool);
            assert_eq!(parts.len(), threads);
            for part in &parts {
                let r = part.range.clone();
                let expected: Vec<(u32, u32)> = (0..r.start)
                    .flat_map(|i| {
                        list[start[i] as usize..start[i + 1] as usize]
                            .iter()
                            .filter(|&&j| r.contains(&(j as usize)))
                            .map(move |&j| (j, i as u32))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let mut got = Vec::new();
                let mut from = 0;
                for &(j, to) in &part.crossing {
                    got.extend(part.cross[from..to as usize].iter().map(|&i| (j, i)));
                    from = to as usize;
                }
                let mut sorted = expected.clone();
                sorted.sort_unstable();
                assert_eq!(got, sorted);
                assert!(part.tails.iter().all(|&(i, inside)| {
                    let i = i as usize;
                    let partners = &list[start[i] as usize..start[i + 1] as usize];
                    partners[..inside as usize]
                        .iter()
                        .all(|&j| (j as usize) < r.end)
                        && partners[inside as usize..]
                            .iter()
                            .all(|&j| (j as usize) >= r.end)
                }));
            }
            // the next cut weighs the crossing pairs of this one
            let again = parts.clone();
            cut(&mut parts, &start, &list, &pool);
            assert_eq!(parts.len(), again.len());
        }
    }
}
