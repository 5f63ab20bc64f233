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
    /// Whether the pool has at most as many workers as the machine has cores: only then may
    /// a waiting worker spin ([`Threads::install_awake`], [`Threads::each_mut`]) rather than
    /// give its core to a working one.
    #[cfg(not(target_arch = "wasm32"))]
    spin: bool,
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
                spin: n <= available(),
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

    /// [`Threads::install`] for a loop of short parallel regions (the MD steps): while `f`
    /// runs, the other workers stay awake looking for the regions' tasks instead of falling
    /// asleep between them (on a virtual machine a sleeping core took 40–70 µs to start its
    /// task, docs/engine.md "Wall clock, session 11"). Plain `install` when the pool has more
    /// workers than the machine has cores.
    pub fn install_awake<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        #[cfg(not(target_arch = "wasm32"))]
        if let (Some(pool), true) = (&self.pool, self.spin) {
            return pool.install(|| awake(pool.current_num_threads() - 1, f));
        }
        self.install(f)
    }

    /// Calls `f` on every item, the items in parallel on the pool (in order when serial).
    pub fn each_mut<T: Send>(&self, items: &mut [T], f: impl Fn(&mut T) + Sync + Send) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(pool) = &self.pool {
            use rayon::prelude::*;
            if self.spin {
                let gate = Gate::new(items.len());
                pool.install(|| items.par_iter_mut().for_each(|item| gate.run(|| f(item))));
            } else {
                pool.install(|| items.par_iter_mut().for_each(&f));
            }
            return;
        }
        items.iter_mut().for_each(f);
    }
}

/// Runs `f` on this worker while `helpers` jobs keep the other workers of the pool busy
/// taking the pool's pending tasks ([`rayon::yield_now`]) until `f` returns or panics.
#[cfg(not(target_arch = "wasm32"))]
fn awake<R: Send>(helpers: usize, f: impl FnOnce() -> R + Send) -> R {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    /// Sets the stop flag when `f` returns or unwinds, so that the scope can end.
    struct Stop<'a>(&'a AtomicBool);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Release);
        }
    }
    let stop = AtomicBool::new(false);
    let started = AtomicUsize::new(0);
    rayon::scope(|s| {
        for _ in 0..helpers {
            s.spawn(|_| {
                started.fetch_add(1, Ordering::AcqRel);
                while !stop.load(Ordering::Acquire) {
                    if rayon::yield_now() != Some(rayon::Yield::Executed) {
                        std::thread::yield_now();
                    }
                }
            });
        }
        let _stop = Stop(&stop);
        // every helper on its own worker before the first task is queued here: this worker
        // must not take a helper from its own queue while it waits for a task
        while started.load(Ordering::Acquire) < helpers {
            std::thread::yield_now();
        }
        f()
    })
}

/// The tasks of one parallel region, counted so that a worker whose task ends while another
/// still runs waits for it spinning, instead of sleeping and having to be woken (the join's
/// wake-up cost 20–55 µs a region). The wait is bounded ([`Gate::SPIN`]): a task that
/// ends under another task of its region on the same worker's stack cannot deadlock it.
#[cfg(not(target_arch = "wasm32"))]
struct Gate {
    tasks: usize,
    started: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicUsize,
}

#[cfg(not(target_arch = "wasm32"))]
impl Gate {
    /// The longest a worker spins for the others of its region.
    const SPIN: std::time::Duration = std::time::Duration::from_millis(2);

    fn new(tasks: usize) -> Self {
        Self {
            tasks,
            started: 0.into(),
            done: 0.into(),
        }
    }

    /// Runs one task; then, once every task has started (none is left for this worker to
    /// take), waits until all have ended or [`Gate::SPIN`] has passed.
    fn run(&self, task: impl FnOnce()) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        /// Counts the task as ended also when it unwinds, so that no one waits for it.
        struct Ended<'a>(&'a AtomicUsize);
        impl Drop for Ended<'_> {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::Release);
            }
        }
        self.started.fetch_add(1, Ordering::AcqRel);
        {
            let _ended = Ended(&self.done);
            task();
        }
        if self.started.load(Ordering::Acquire) < self.tasks {
            return;
        }
        let since = std::time::Instant::now();
        let mut spins = 0u32;
        while self.done.load(Ordering::Acquire) < self.tasks {
            spins = spins.wrapping_add(1);
            if !spins.is_multiple_of(64) {
                std::hint::spin_loop();
            } else if since.elapsed() > Self::SPIN {
                return;
            } else {
                // a core shared with other work (tests in parallel) goes to it now and then
                std::thread::yield_now();
            }
        }
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

    /// Runs `f` on its own thread and fails instead of hanging when it takes over a minute.
    fn within_a_minute<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(f()).expect("send"));
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("the regions hung")
    }

    /// 200 regions of five uneven tasks, one of which runs a region of its own.
    fn regions(threads: &Threads) -> Vec<u64> {
        (0..200u64)
            .flat_map(|round| {
                let mut items: Vec<u64> = (0..5).map(|k| k * 1_000 + round).collect();
                threads.each_mut(&mut items, |x| {
                    if *x % 1_000 == 7 {
                        let mut nested = [1u64, 2, 3];
                        threads.each_mut(&mut nested, |y| *y *= 2);
                        *x += nested.iter().sum::<u64>();
                    }
                    *x = (0..*x % 5_000).fold(*x, |a, b| a.wrapping_mul(31) ^ b);
                });
                items
            })
            .collect()
    }

    #[test]
    fn awake_workers_take_every_task_nested_or_uneven_and_pass_a_panic_on() {
        let serial = regions(&Threads::new(1).expect("serial"));
        let awake = within_a_minute(|| {
            let threads = Threads::new(2).expect("pool");
            let results = threads.install_awake(|| regions(&threads));
            let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                threads.install_awake(|| {
                    threads.each_mut(&mut [0u8, 1], |x| assert_eq!(*x, 0, "task {x} fails"));
                })
            }));
            assert!(panicked.is_err());
            // the pool still works after the panic
            let mut after = [1u32, 2];
            threads.install_awake(|| threads.each_mut(&mut after, |x| *x += 1));
            assert_eq!(after, [2, 3]);
            results
        });
        assert_eq!(awake.len(), 1_000);
        assert_eq!(awake, serial);
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
