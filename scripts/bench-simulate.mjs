// Benchmark (not a test) of the Simulate tab during a 27,000-particle run (issue #6):
//  1. the longest main-thread task (PerformanceObserver "longtask", tasks > 50 ms) while the
//     worker runs the paper-size Fig. 3e preset for DURATION seconds;
//  2. the steps per second the page reports;
//  3. the 3D view's redraw rate for the 27,000 particles: arrow-key rotations of the canvas,
//     each awaited until the next animation frame has been painted.
// The engine is the page's choice in localStorage `bnsl.engine`: "gpu" (the default: WebGPU,
// here SwiftShader, when an adapter exists) or "cpu". Long tasks are reported for the observed
// window after the first frame (the measure of docs/simulate.md) and, apart, for the start-up
// from the Run click to the first frame.
// PRESET (paper size) is fig3e-narrow-2.5 by default; its MTK thermostat runs on the CPU only,
// so the WebGPU path needs a Langevin preset such as seed-alb2-narrow (27,000 particles too).
// Usage: node scripts/bench-simulate.mjs [DURATION_S=60] [gpu|cpu] [PRESET]
//        (needs dist/ from trunk build --release)
import { startSession, openPage } from "../tests/e2e/harness.mjs";

const duration = Number(process.argv[2] ?? 60) * 1000;
const engine = process.argv[3] ?? "gpu";
const presetId = process.argv[4] ?? "fig3e-narrow-2.5";
if (!["gpu", "cpu"].includes(engine)) throw new Error(`engine must be gpu or cpu, not ${engine}`);
const session = await startSession();
const { page } = await openPage(session.browser);
await page.context().addInitScript((e) => localStorage.setItem("bnsl.engine", e), engine);
await page.goto(`${session.url}#/simulate`);
await page.waitForSelector("#panel-simulate h2");
if (engine === "gpu") {
  // The page runs on the CPU until its WebGPU probe has answered: wait for the status bar.
  await page.waitForFunction(() => /WebGPU/.test(document.querySelector("#status-engine")?.textContent ?? ""),
    null, { timeout: 30_000 }).catch(() => console.error("no WebGPU adapter: the run goes to the CPU"));
}
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push(e.duration);
  }).observe({ type: "longtask", buffered: true });
  // Below the 50 ms of the long-task API: the largest delay of a 10 ms timer loop, i.e.
  // about the longest time the main thread could not run a task.
  window.__gap = 0;
  let last = performance.now();
  const tick = () => {
    const t = performance.now();
    window.__gap = Math.max(window.__gap, t - last - 10);
    last = t;
    setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
});
await page.selectOption("#sim-preset", presetId);
await page.selectOption("#sim-size", "paper");
await page.waitForTimeout(500);
await page.evaluate(() => (window.__long = []));
const t0 = Date.now();
await page.click("#sim-run");
await page.waitForSelector("canvas", { timeout: 600_000 });
const tFrame = Date.now() - t0;
const startup = await page.evaluate(() => window.__long.splice(0));
const startupGap = await page.evaluate(() => { const g = window.__gap; window.__gap = 0; return g; });
const ran = (await page.textContent("#sim-engine").catch(() => "")).trim();
const tRun = Date.now();
while (Date.now() - tRun < duration) await page.waitForTimeout(1000);
const long = await page.evaluate(() => window.__long);
const gap = await page.evaluate(() => window.__gap);
const engineEnd = (await page.textContent("#sim-engine").catch(() => "")).trim();
const notices = (await page.textContent("#sim-notices").catch(() => "")).trim();
const rate = (await page.textContent("#sim-rate")).trim();
const steps = (await page.textContent("#sim-steps")).trim();

const canvas = page.locator("canvas").first();
await canvas.focus();
const frames = 10;
const fps = await page.evaluate(async (n) => {
  const c = document.querySelector("canvas");
  const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
  await raf();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    c.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true }));
    await raf();
    await raf();
  }
  return n / ((performance.now() - start) / 1000);
}, frames);
console.log(JSON.stringify({
  preset: presetId,
  particles: Number(await page.locator("#panel-simulate .view-status").textContent()
    .then((t) => t.match(/of (\d+) particles/)?.[1]).catch(() => NaN)),
  engine_choice: engine,
  engine_at_first_frame: ran,
  engine_at_end: engineEnd,
  notices,
  startup_long_tasks_over_50ms: startup.length,
  startup_longest_task_ms: startup.length ? Math.max(...startup) : 0,
  first_frame_after_run_ms: tFrame,
  observed_ms: duration,
  long_tasks_over_50ms: long.length,
  longest_task_ms: long.length ? Math.max(...long) : 0,
  max_timer_delay_ms: Math.round(gap),
  startup_max_timer_delay_ms: Math.round(startupGap),
  page_rate: rate,
  page_steps: steps,
  view_redraws_per_second: Number(fps.toFixed(2)),
}));
await page.click("#sim-stop").catch(() => {});
await session.close();
