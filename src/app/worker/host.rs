//! The page's side of the worker: start a job, pause, resume, stop, hear events.

use super::envelope::{pack, unpack};
use crate::jobs::{JobEvent, JobSpec, WorkerReply, WorkerRequest};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

/// The worker's loader script as Trunk writes it (`data-type="worker" data-loader-shim`).
pub const WORKER_SCRIPT: &str = "./bnsl-worker_loader.js";

/// What the page hears from a running job.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerMessage {
    /// An event of the job, with the bytes attached to it (empty when none).
    Event(JobEvent, Vec<u8>),
    /// The job is paused.
    Paused,
    /// The job goes on.
    Resumed,
    /// The job ended on a stop request.
    Stopped,
    /// The job finished.
    Finished,
    /// The job, the request or the worker failed; in words for the user.
    Failed(String),
}

struct Shared {
    ready: bool,
    queue: Vec<(WorkerRequest, Vec<u8>)>,
    ended: bool,
}

/// A job running in its own Web Worker. Dropping the handle ends the worker.
pub struct WorkerHandle {
    worker: Worker,
    shared: Rc<RefCell<Shared>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl WorkerHandle {
    /// Starts `spec` in a fresh worker with `input` attached; `on_message` hears every event.
    pub fn start(
        spec: &JobSpec,
        input: Vec<u8>,
        on_message: Callback<WorkerMessage>,
    ) -> Result<Self, String> {
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| format!("the browser could not start the worker: {e:?}"))?;
        let shared = Rc::new(RefCell::new(Shared {
            ready: false,
            queue: vec![(WorkerRequest::Start(spec.clone()), input)],
            ended: false,
        }));

        let (w, s, cb) = (worker.clone(), shared.clone(), on_message.clone());
        let on_message_closure = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let (reply, bytes) = match unpack::<WorkerReply>(&e.data()) {
                Ok(r) => r,
                Err(m) => {
                    cb.emit(WorkerMessage::Failed(format!("the worker sent {m}")));
                    return;
                }
            };
            let message = match reply {
                WorkerReply::Ready => {
                    let queued = {
                        let mut st = s.borrow_mut();
                        st.ready = true;
                        std::mem::take(&mut st.queue)
                    };
                    for (request, bytes) in queued {
                        if let Err(m) = send(&w, &request, &bytes) {
                            cb.emit(WorkerMessage::Failed(m));
                        }
                    }
                    return;
                }
                WorkerReply::Event(event) => WorkerMessage::Event(event, bytes),
                WorkerReply::Paused => WorkerMessage::Paused,
                WorkerReply::Resumed => WorkerMessage::Resumed,
                WorkerReply::Stopped => WorkerMessage::Stopped,
                WorkerReply::Finished => WorkerMessage::Finished,
                WorkerReply::Failed(m) => WorkerMessage::Failed(m),
            };
            if matches!(
                message,
                WorkerMessage::Stopped | WorkerMessage::Finished | WorkerMessage::Failed(_)
            ) {
                s.borrow_mut().ended = true;
            }
            cb.emit(message);
        });
        worker.set_onmessage(Some(on_message_closure.as_ref().unchecked_ref()));

        let s = shared.clone();
        let job = spec.describe();
        let on_error_closure = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            // A panic has already said what happened (the worker's panic hook); the trap that
            // follows adds nothing.
            if std::mem::replace(&mut s.borrow_mut().ended, true) {
                return;
            }
            let what = if e.message().is_empty() {
                "it could not be loaded or crashed".to_string()
            } else {
                e.message()
            };
            on_message.emit(WorkerMessage::Failed(format!(
                "{job} stopped: its worker failed ({what}). The page is fine; start it again to retry"
            )));
        });
        worker.set_onerror(Some(on_error_closure.as_ref().unchecked_ref()));

        Ok(WorkerHandle {
            worker,
            shared,
            _on_message: on_message_closure,
            _on_error: on_error_closure,
        })
    }

    fn request(&self, request: WorkerRequest) {
        let mut st = self.shared.borrow_mut();
        if st.ended {
            return;
        }
        if st.ready {
            drop(st);
            let _ = send(&self.worker, &request, &[]);
        } else {
            st.queue.push((request, Vec::new()));
        }
    }

    /// Pauses the job after its current chunk.
    pub fn pause(&self) {
        self.request(WorkerRequest::Pause);
    }

    /// Resumes a paused job.
    pub fn resume(&self) {
        self.request(WorkerRequest::Resume);
    }

    /// Asks the job to stop after its current chunk (it answers `Stopped`).
    pub fn stop(&self) {
        self.request(WorkerRequest::Stop);
    }

    /// Whether the job has ended (finished, stopped or failed).
    pub fn ended(&self) -> bool {
        self.shared.borrow().ended
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

fn send(worker: &Worker, request: &WorkerRequest, bytes: &[u8]) -> Result<(), String> {
    let (object, transfer) = pack(request, bytes)?;
    worker
        .post_message_with_transfer(&object, &transfer)
        .map_err(|e: JsValue| format!("could not reach the worker: {e:?}"))
}
