// The page's Web Worker (src/bin/bnsl-worker.rs, app::worker): loaded from the release build,
// it answers Ready, runs the self-test job with progress, pauses, resumes, stops, reports job
// errors and refuses malformed requests — all through the JSON protocol of bnsl::jobs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSession, openPage } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Runs `script` in a fresh page: it gets `spawn()` returning { post, next(kind) }. */
async function inWorker(script) {
  const { page, problems } = await openPage(session.browser);
  await page.goto(session.url);
  const result = await page.evaluate(
    async (body) => {
      const spawn = () => {
        const w = new Worker("./bnsl-worker_loader.js");
        const inbox = [];
        const waiters = [];
        w.onmessage = (e) => {
          const msg = JSON.parse(e.data.json);
          inbox.push(msg);
          waiters.splice(0).forEach((f) => f());
        };
        const next = async (pred, ms = 20000) => {
          const t0 = performance.now();
          for (;;) {
            const i = inbox.findIndex(pred);
            if (i >= 0) return inbox.splice(0, i + 1).pop();
            if (performance.now() - t0 > ms) throw new Error("timed out; inbox: " + JSON.stringify(inbox.slice(-3)));
            await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
          }
        };
        const post = (req) => w.postMessage({ json: JSON.stringify(req) });
        return { w, post, next, inbox };
      };
      return await new Function("spawn", `return (async () => { ${body} })();`)(spawn);
    },
    script,
  );
  await page.context().close();
  return { result, problems };
}

test("the worker loads, runs the probe job with progress and finishes", async () => {
  const { result, problems } = await inWorker(`
    const k = spawn();
    await k.next((m) => m === "Ready");
    k.post({ Start: { Probe: { chunks: 20, work_per_chunk: 200000, fail_at: null } } });
    await k.next((m) => m === "Finished");
    return "ok";
  `);
  assert.equal(result, "ok");
  assert.deepEqual(problems, []);
});

test("progress comes in order, output carries the checksum", async () => {
  const { result } = await inWorker(`
    const k = spawn();
    await k.next((m) => m === "Ready");
    k.post({ Start: { Probe: { chunks: 5, work_per_chunk: 1000, fail_at: null } } });
    const done = [];
    let output = null;
    for (;;) {
      const m = await k.next(() => true);
      if (m === "Finished") break;
      if (m.Event?.Progress) done.push(m.Event.Progress.done);
      if (m.Event?.Output) output = m.Event.Output.Probe;
    }
    return { done, output };
  `);
  assert.deepEqual(result.done, [1, 2, 3, 4, 5]);
  assert.equal(result.output.chunks, 5);
  assert.ok(Number.isInteger(result.output.checksum));
});

test("pause holds the job, resume continues it, stop ends it", async () => {
  const { result } = await inWorker(`
    const k = spawn();
    await k.next((m) => m === "Ready");
    k.post({ Start: { Probe: { chunks: 100000, work_per_chunk: 100000, fail_at: null } } });
    await k.next((m) => m.Event?.Progress?.done >= 3);
    k.post("Pause");
    await k.next((m) => m === "Paused");
    const at = k.inbox.filter((m) => m.Event).length;
    await new Promise((r) => setTimeout(r, 600));
    const during = k.inbox.filter((m) => m.Event).length - at;
    k.post("Resume");
    await k.next((m) => m === "Resumed");
    const p = await k.next((m) => m.Event?.Progress);
    k.post("Stop");
    await k.next((m) => m === "Stopped");
    return { during, resumedAt: p.Event.Progress.done };
  `);
  assert.ok(result.during <= 1, `events while paused: ${result.during}`);
  assert.ok(result.resumedAt >= 3);
});

test("a failing job and a malformed request get messages, not a crash", async () => {
  const { result, problems } = await inWorker(`
    const k = spawn();
    await k.next((m) => m === "Ready");
    k.w.postMessage({ nonsense: true });
    const bad = await k.next((m) => m.Failed);
    k.post({ Start: { Teleport: {} } });
    const unknown = await k.next((m) => m.Failed);
    k.post({ Start: { Probe: { chunks: 10, work_per_chunk: 10, fail_at: 4 } } });
    const failed = await k.next((m) => m.Failed);
    const k2 = spawn();
    await k2.next((m) => m === "Ready");
    k2.post({ Start: { Probe: { chunks: 0, work_per_chunk: 10, fail_at: null } } });
    const refused = await k2.next((m) => m.Failed);
    return [bad.Failed, unknown.Failed, failed.Failed, refused.Failed];
  `);
  assert.match(result[0], /without its JSON part/);
  assert.match(result[1], /unreadable message/);
  assert.match(result[2], /fail at chunk 4/);
  assert.match(result[3], /chunks = 0/);
  assert.deepEqual(problems, []);
});

test("a panicking job is reported in words, naming the job", async () => {
  const { result, problems } = await inWorker(`
    const k = spawn();
    const errors = [];
    k.w.onerror = (e) => { errors.push(e.message); e.preventDefault(); };
    await k.next((m) => m === "Ready");
    k.post({ Start: { Probe: { chunks: 10, work_per_chunk: 10, fail_at: null, panic_at: 3 } } });
    const failed = await k.next((m) => m.Failed);
    await new Promise((r) => setTimeout(r, 300));
    return { failed: failed.Failed, errors };
  `);
  assert.match(result.failed, /the worker's self-test crashed in the worker: probe: asked to panic at chunk 3/);
  assert.deepEqual(problems, []);
});
