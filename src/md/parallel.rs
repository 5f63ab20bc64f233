//! Data parallelism of the CPU engine: every core natively (rayon's pool: `--threads N`
//! sizes it), one thread in wasm32. Each helper hands out disjoint pieces whose results do
//! not depend on which thread ran them, so the engine's numbers are independent of the
//! thread count (the force kernel's fixed blocks: [`super::forces`]).

#[cfg(not(target_arch = "wasm32"))]
use rayon::prelude::*;

/// Calls `f(index, item)` for every item, in parallel natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn each_mut<T: Send>(items: &mut [T], f: impl Fn(usize, &mut T) + Sync + Send) {
    items.par_iter_mut().enumerate().for_each(|(i, t)| f(i, t));
}

/// Calls `f(index, item)` for every item (wasm32: one thread).
#[cfg(target_arch = "wasm32")]
pub fn each_mut<T: Send>(items: &mut [T], f: impl Fn(usize, &mut T) + Sync + Send) {
    for (i, t) in items.iter_mut().enumerate() {
        f(i, t);
    }
}

/// Calls `f(offset, a_chunk, b_chunk)` for matching chunks of `chunk` elements of `a` and
/// `b` (equal lengths), `offset` being the chunk's first index; in parallel natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn chunks2_mut<A: Send, B: Send>(
    a: &mut [A],
    b: &mut [B],
    chunk: usize,
    f: impl Fn(usize, &mut [A], &mut [B]) + Sync + Send,
) {
    a.par_chunks_mut(chunk)
        .zip(b.par_chunks_mut(chunk))
        .enumerate()
        .for_each(|(k, (x, y))| f(k * chunk, x, y));
}

/// Calls `f(offset, a_chunk, b_chunk)` for matching chunks of `a` and `b` (wasm32: one thread).
#[cfg(target_arch = "wasm32")]
pub fn chunks2_mut<A: Send, B: Send>(
    a: &mut [A],
    b: &mut [B],
    chunk: usize,
    f: impl Fn(usize, &mut [A], &mut [B]) + Sync + Send,
) {
    for (k, (x, y)) in a.chunks_mut(chunk).zip(b.chunks_mut(chunk)).enumerate() {
        f(k * chunk, x, y);
    }
}

/// Calls `f(offset, chunk)` for the chunks of `chunk` elements of `a`; in parallel natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn chunks_mut<A: Send>(a: &mut [A], chunk: usize, f: impl Fn(usize, &mut [A]) + Sync + Send) {
    a.par_chunks_mut(chunk)
        .enumerate()
        .for_each(|(k, x)| f(k * chunk, x));
}

/// Calls `f(offset, chunk)` for the chunks of `a` (wasm32: one thread).
#[cfg(target_arch = "wasm32")]
pub fn chunks_mut<A: Send>(a: &mut [A], chunk: usize, f: impl Fn(usize, &mut [A]) + Sync + Send) {
    for (k, x) in a.chunks_mut(chunk).enumerate() {
        f(k * chunk, x);
    }
}

/// Whether `f(i)` holds for every `i < n`; in parallel natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn all(n: usize, f: impl Fn(usize) -> bool + Sync + Send) -> bool {
    (0..n).into_par_iter().all(f)
}

/// Whether `f(i)` holds for every `i < n` (wasm32: one thread).
#[cfg(target_arch = "wasm32")]
pub fn all(n: usize, f: impl Fn(usize) -> bool + Sync + Send) -> bool {
    (0..n).all(f)
}

/// `f(i)` for every `i < n`, collected in index order; in parallel natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn map<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync + Send) -> Vec<R> {
    (0..n).into_par_iter().map(f).collect()
}

/// `f(i)` for every `i < n`, in index order (wasm32: one thread).
#[cfg(target_arch = "wasm32")]
pub fn map<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync + Send) -> Vec<R> {
    (0..n).map(f).collect()
}

/// Sizes the native pool to `threads` (0: every core). Only the first call takes effect.
///
/// # Errors
/// rayon's error when the pool was already built.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_threads(threads: usize) -> Result<(), rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
}

/// The number of threads the engine runs on (1 in wasm32).
#[must_use]
pub fn threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        rayon::current_num_threads()
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}
