//! The threads of the CPU engine (docs/engine.md "Threads"): natively a pool of `--threads N`
//! workers (rayon), in wasm32 always one thread.
//!
//! One thread is the serial engine, unchanged. With more, the per-particle loops and the pair
//! loop are cut into contiguous ranges of particles ([`ranges`]) and each range runs on its
//! own worker; every range does the serial arithmetic for its particles in the serial order
//! ([`super::forces`] explains how the pair sums keep it), so every bit of a run is the same
//! on any number of threads.

use std::ops::Range;

use super::error::MdError;

/// The engine's threads: serial, or a pool of workers (native only).
#[derive(Clone, Debug, Default)]
pub struct Threads {
    #[cfg(not(target_arch = "wasm32"))]
    pool: Option<std::sync::Arc<rayon::ThreadPool>>,
}

impl Threads {
    /// `n` threads (0 or 1: serial). In wasm32 every `n` runs serially.
    ///
    /// # Errors
    /// [`MdError::Init`] when the operating system refuses to start the workers.
    pub fn new(n: usize) -> Result<Self, MdError> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            if n <= 1 {
                return Ok(Self::default());
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|k| format!("bnsl-md-{k}"))
                .build()
                .map_err(|e| MdError::Init(format!("cannot start {n} threads: {e}")))?;
            Ok(Self {
                pool: Some(std::sync::Arc::new(pool)),
            })
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = n;
            Ok(Self::default())
        }
    }

    /// How many threads run the engine.
    #[must_use]
    pub fn count(&self) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.pool.as_ref().map_or(1, |p| p.current_num_threads())
        }
        #[cfg(target_arch = "wasm32")]
        {
            1
        }
    }

    /// Whether the engine runs on one thread (the serial code paths).
    #[must_use]
    pub fn is_serial(&self) -> bool {
        self.count() == 1
    }

    /// Runs `f` on one of the pool's workers (so that the parallel loops inside it start
    /// without waking the caller's thread), or here when serial.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(pool) = &self.pool {
            return pool.install(f);
        }
        f()
    }

    /// Calls `f` on every item, the items in parallel on the pool (in order when serial).
    pub fn each_mut<T: Send>(&self, items: &mut [T], f: impl Fn(&mut T) + Sync + Send) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(pool) = &self.pool {
            use rayon::prelude::*;
            pool.install(|| items.par_iter_mut().for_each(&f));
            return;
        }
        items.iter_mut().for_each(f);
    }
}

/// `f` on `0..n` cut into consecutive ranges of `chunk` (the last one shorter), the results in
/// order: on the threads of the pool this is called in (inside [`Threads::install`] of
/// several threads), else serially (outside any pool, in wasm32). The ranges do not depend on
/// the number of threads, so per-range results combined in order give the same bits on any.
pub fn map_ranges<U: Send>(
    n: usize,
    chunk: usize,
    f: impl Fn(Range<usize>) -> U + Sync + Send,
) -> Vec<U> {
    let chunk = chunk.max(1);
    let range = move |k: usize| k * chunk..((k + 1) * chunk).min(n);
    #[cfg(not(target_arch = "wasm32"))]
    if in_pool() {
        use rayon::prelude::*;
        return (0..n.div_ceil(chunk))
            .into_par_iter()
            .map(|k| f(range(k)))
            .collect();
    }
    (0..n.div_ceil(chunk)).map(|k| f(range(k))).collect()
}

/// Whether [`map_ranges`] runs in parallel here: on a worker of a pool (natively).
#[must_use]
pub fn in_pool() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        rayon::current_thread_index().is_some()
    }
    #[cfg(target_arch = "wasm32")]
    {
        false
    }
}

/// The cores of this machine (1 in wasm32): the default of `--threads`.
#[must_use]
pub fn available() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

/// `0..n` cut into `parts` contiguous ranges of nearly equal length (fewer when `n < parts`).
#[must_use]
pub fn ranges(n: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.clamp(1, n.max(1));
    (0..parts)
        .map(|k| n * k / parts..n * (k + 1) / parts)
        .collect()
}

/// Splits `items` into the pieces `ranges` (contiguous, in order, covering a prefix).
pub fn split_mut<'a, T>(mut items: &'a mut [T], ranges: &[Range<usize>]) -> Vec<&'a mut [T]> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut at = 0;
    for r in ranges {
        let rest = std::mem::take(&mut items);
        let (piece, tail) = rest[r.start - at..].split_at_mut(r.len());
        out.push(piece);
        items = tail;
        at = r.end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_map_in_order_on_any_pool() {
        let sums = |r: Range<usize>| r.map(|x| x as u64).sum::<u64>();
        let serial = map_ranges(1000, 64, sums);
        assert_eq!(serial.len(), 16);
        assert_eq!(serial.iter().sum::<u64>(), 999 * 1000 / 2);
        assert!(!in_pool());
        for n in [2, 3] {
            let threads = Threads::new(n).expect("pool");
            assert!(threads.install(in_pool));
            assert_eq!(threads.install(|| map_ranges(1000, 64, sums)), serial);
        }
    }

    #[test]
    fn ranges_cover_in_order() {
        assert_eq!(ranges(10, 3), vec![0..3, 3..6, 6..10]);
        assert_eq!(ranges(2, 4), vec![0..1, 1..2]);
        assert_eq!(ranges(0, 4), vec![0..0]);
        let mut v: Vec<u32> = (0..10).collect();
        let pieces = split_mut(&mut v, &ranges(10, 3));
        assert_eq!(pieces[2], &[6, 7, 8, 9]);
    }
}
