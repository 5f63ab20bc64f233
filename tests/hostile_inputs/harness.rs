//! A mutation fuzzer on proptest (issue #18), on the stable toolchain: each case is a seed of
//! the committed corpus (tests/fixtures/hostile) or plain random bytes, changed by a few edits
//! — bit flips, byte and token insertions (a per-target dictionary of dangerous tokens: NaN,
//! 1e400, brackets, separators), deletions, truncations, repeated slices (huge headers and
//! rows) and splices with another seed. A panic or a broken invariant fails the test with the
//! input proptest shrank it to.
//!
//! Every seed is run unchanged first. Each target then runs batches of 128 cases until its time budget is spent (2 s, or
//! `BNSL_FUZZ_SECONDS`), and reports its executions on stderr (`-- --nocapture` shows them).
//! Batch `b` of target `name` draws from a ChaCha generator seeded by (name, b), so a run of
//! the same length repeats exactly.

use std::cell::Cell;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// One change to an input.
#[derive(Clone, Debug)]
enum Edit {
    /// XOR one byte with a non-zero mask.
    Flip(Index, u8),
    /// Insert a few random bytes.
    Insert(Index, Vec<u8>),
    /// Insert a token of the dictionary.
    Token(Index, Index),
    /// Overwrite bytes with a token of the dictionary.
    Overwrite(Index, Index),
    /// Delete up to 64 bytes.
    Delete(Index, usize),
    /// Cut the input.
    Truncate(Index),
    /// Repeat a slice of up to 64 bytes up to 200 times.
    Repeat(Index, usize, usize),
    /// Replace the tail with the tail of another seed.
    Splice(Index, Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), 1..=255u8).prop_map(|(i, m)| Edit::Flip(i, m)),
        2 => (any::<Index>(), vec(any::<u8>(), 1..8)).prop_map(|(i, b)| Edit::Insert(i, b)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Edit::Token(i, t)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Edit::Overwrite(i, t)),
        2 => (any::<Index>(), 1..64usize).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => (any::<Index>(), 1..64usize, 2..200usize).prop_map(|(i, n, k)| Edit::Repeat(i, n, k)),
        1 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(i, s, j)| Edit::Splice(i, s, j)),
    ]
}

fn apply(seeds: &[Vec<u8>], dictionary: &[&[u8]], base: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = base.to_vec();
    let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    for e in edits {
        match e {
            Edit::Flip(i, m) if !b.is_empty() => {
                let k = i.index(b.len());
                b[k] ^= m;
            }
            Edit::Insert(i, bytes) => {
                let k = at(i, b.len());
                b.splice(k..k, bytes.iter().copied());
            }
            Edit::Token(i, t) if !dictionary.is_empty() => {
                let k = at(i, b.len());
                b.splice(k..k, dictionary[t.index(dictionary.len())].iter().copied());
            }
            Edit::Overwrite(i, t) if !dictionary.is_empty() => {
                let token = dictionary[t.index(dictionary.len())];
                let k = at(i, b.len());
                let end = (k + token.len()).min(b.len());
                b.splice(k..end, token.iter().copied());
            }
            Edit::Delete(i, n) if !b.is_empty() => {
                let k = i.index(b.len());
                let end = (k + n).min(b.len());
                b.drain(k..end);
            }
            Edit::Truncate(i) => {
                let k = at(i, b.len());
                b.truncate(k);
            }
            Edit::Repeat(i, n, times) if !b.is_empty() => {
                let k = i.index(b.len());
                let slice = b[k..(k + n).min(b.len())].to_vec();
                let repeated: Vec<u8> = slice
                    .iter()
                    .copied()
                    .cycle()
                    .take(slice.len() * times)
                    .collect();
                b.splice(k..k, repeated);
            }
            Edit::Splice(i, s, j) if !seeds.is_empty() => {
                let other = &seeds[s.index(seeds.len())];
                let k = at(i, b.len());
                let from = at(j, other.len());
                b.truncate(k);
                b.extend_from_slice(&other[from..]);
            }
            _ => {}
        }
    }
    b
}

/// The inputs of a target: a corpus seed with up to six edits, or random bytes.
fn inputs(
    seeds: Vec<Vec<u8>>,
    dictionary: &'static [&'static [u8]],
) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    prop_oneof![
        9 => (0..n.max(1), vec(edit(), 0..6)).prop_map(move |(s, edits)| {
            let base = seeds.get(s).cloned().unwrap_or_default();
            apply(&seeds, dictionary, &base, &edits)
        }),
        1 => vec(any::<u8>(), 0..512),
    ]
}

/// The time budget of one target: `BNSL_FUZZ_SECONDS` (a longer run), else 2 s.
fn budget() -> Duration {
    let secs = std::env::var("BNSL_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

/// Runs `property` on mutated `seeds` for the time budget; panics with the shrunk input when
/// the property fails or panics. Returns the number of executions.
pub fn fuzz(
    name: &str,
    seeds: Vec<Vec<u8>>,
    dictionary: &'static [&'static [u8]],
    property: impl Fn(&[u8]) -> Result<(), TestCaseError>,
) -> u64 {
    assert!(!seeds.is_empty(), "{name}: no seeds in the corpus");
    for (k, seed) in seeds.iter().enumerate() {
        if let Err(e) = property(seed) {
            panic!("fuzz {name}: corpus seed {k} itself fails: {e}");
        }
    }
    let n_seeds = seeds.len();
    let strategy = inputs(seeds, dictionary);
    let executions = Cell::new(0u64);
    let started = Instant::now();
    let budget = budget();
    let mut batch = 0u64;
    while started.elapsed() < budget {
        let mut key = [0u8; 32];
        for (k, b) in name.bytes().chain(batch.to_le_bytes()).enumerate() {
            key[k % 32] ^= b.wrapping_add(k as u8);
        }
        let config = Config {
            cases: 128,
            failure_persistence: None,
            max_shrink_iters: 2048,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &key));
        let result = runner.run(&strategy, |input| {
            executions.set(executions.get() + 1);
            property(&input)
        });
        if let Err(e) = result {
            panic!("fuzz {name}, batch {batch}: {e}");
        }
        batch += 1;
    }
    let n = executions.get();
    eprintln!(
        "fuzz {name}: {n} executions in {:.1} s from {n_seeds} corpus seeds",
        started.elapsed().as_secs_f64()
    );
    assert!(n >= 128, "fuzz {name}: only {n} executions");
    n
}
