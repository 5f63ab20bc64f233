//! The worker's side: listen for requests, run the job chunk by chunk, yield between chunks so
//! that pause and stop are heard, report every event.

use super::envelope::{pack, unpack};
use crate::jobs::{build, Emit, Job, Step, WorkerReply, WorkerRequest};
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

thread_local! {
    /// What the worker runs, for the panic message ("the SAXS fit").
    static JOB: std::cell::Cell<&'static str> = const { std::cell::Cell::new("the worker") };
}

/// Says a panic in words before the module traps: the page hears `Failed` naming the job and
/// the panic's message, not only the browser's "Uncaught RuntimeError: unreachable".
fn report_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        let place = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let job = JOB.with(std::cell::Cell::get);
        reply(
            &WorkerReply::Failed(format!(
                "{job} crashed in the worker: {what}{place}. The page is fine; start it again to retry"
            )),
            &[],
        );
    }));
}

#[derive(Default)]
struct Control {
    started: bool,
    paused: bool,
    stop: bool,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn reply(reply: &WorkerReply, bytes: &[u8]) {
    if let Ok((object, transfer)) = pack(reply, bytes) {
        let _ = scope().post_message_with_transfer(&object, &transfer);
    }
}

/// Gives the event loop a turn without the 4 ms clamp of `setTimeout` (a message to ourselves).
async fn yield_now(channel: &MessageChannel) {
    let promise = Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        let _ = channel.port2().post_message(&JsValue::NULL);
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds (while paused).
async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

fn emit_all(emits: Vec<Emit>) {
    for e in emits {
        reply(&WorkerReply::Event(e.event), &e.attachment);
    }
}

async fn run(mut job: Box<dyn Job>, control: Rc<RefCell<Control>>) {
    let channel = match MessageChannel::new() {
        Ok(c) => c,
        Err(_) => {
            reply(
                &WorkerReply::Failed("no MessageChannel in this worker".into()),
                &[],
            );
            return;
        }
    };
    let mut was_paused = false;
    loop {
        let (paused, stop) = {
            let c = control.borrow();
            (c.paused, c.stop)
        };
        if stop {
            reply(&WorkerReply::Stopped, &[]);
            return;
        }
        if paused != was_paused {
            was_paused = paused;
            let r = if paused {
                WorkerReply::Paused
            } else {
                WorkerReply::Resumed
            };
            reply(&r, &[]);
        }
        if paused {
            sleep(50).await;
            continue;
        }
        match job.advance().await {
            Ok(Step::Continue(emits)) => emit_all(emits),
            Ok(Step::Done(emits)) => {
                emit_all(emits);
                reply(&WorkerReply::Finished, &[]);
                return;
            }
            Err(e) => {
                reply(&WorkerReply::Failed(e.to_string()), &[]);
                return;
            }
        }
        yield_now(&channel).await;
    }
}

fn on_request(data: JsValue, control: &Rc<RefCell<Control>>) {
    let (request, input) = match unpack::<WorkerRequest>(&data) {
        Ok(r) => r,
        Err(m) => {
            reply(&WorkerReply::Failed(format!("the page sent {m}")), &[]);
            return;
        }
    };
    match request {
        WorkerRequest::Start(spec) => {
            if std::mem::replace(&mut control.borrow_mut().started, true) {
                reply(
                    &WorkerReply::Failed("this worker already runs a job".into()),
                    &[],
                );
                return;
            }
            JOB.with(|j| j.set(spec.describe()));
            match build(spec, input) {
                Ok(job) => wasm_bindgen_futures::spawn_local(run(job, control.clone())),
                Err(e) => reply(&WorkerReply::Failed(e.to_string()), &[]),
            }
        }
        WorkerRequest::Pause => control.borrow_mut().paused = true,
        WorkerRequest::Resume => control.borrow_mut().paused = false,
        WorkerRequest::Stop => control.borrow_mut().stop = true,
    }
}

/// The worker's entry point: installs the message handler and says `Ready`.
pub fn run_worker() {
    report_panics();
    let control = Rc::new(RefCell::new(Control::default()));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        on_request(e.data(), &control);
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    reply(&WorkerReply::Ready, &[]);
}
