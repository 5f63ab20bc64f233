//! The page's Web Worker: [`WorkerHandle`] on the page starts a job in a fresh worker and hears
//! its events; [`run_worker`] is the worker's side (the `bnsl-worker` binary calls it).
//!
//! Each message is a plain object `{ json, bytes }`: `json` a [`crate::jobs::WorkerRequest`] or
//! [`crate::jobs::WorkerReply`] as JSON, `bytes` an optional `Uint8Array` (a file to analyse, a
//! trajectory to download) whose buffer is transferred, not copied. The worker says
//! `Ready` once it listens; the page holds its requests until then.

mod envelope;
mod host;
mod runtime;

pub use host::{WorkerHandle, WorkerMessage, WORKER_SCRIPT};
pub use runtime::run_worker;
