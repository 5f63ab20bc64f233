// Benchmark (not a test) of the Simulate tab during a 27,000-particle run (issue #6):
//  1. the longest main-thread task (PerformanceObserver "longtask", tasks > 50 ms) while the
//     worker runs the paper-size Fig. 3e preset for DURATION seconds;
//  2. the steps per second the page reports;
//  3. the 3D view's redraw rate for the 27,000 particles: arrow-key rotations of the canvas,
//     each awaited until the next animation frame has been painted.
// Usage: node scripts/bench-simulate.mjs [DURATION_S=60]   (needs dist/ from trunk build --release)
import { startSession, openPage } from "../tests/e2e/harness.mjs";

const duration = Number(process.argv[2] ?? 60) * 1000;
const session = await startSession();
const { page } = await openPage(session.browser);
await page.goto(`${session.url}#/simulate`);
await page.waitForSelector("#panel-simulate h2");
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push(e.duration);
  }).observe({ type: "longtask", buffered: true });
});
await page.selectOption("#sim-preset", "fig3e-narrow-2.5");
await page.selectOption("#sim-size", "paper");
const t0 = Date.now();
await page.click("#sim-run");
await page.waitForSelector("canvas", { timeout: 600_000 });
const tFrame = Date.now() - t0;
await page.evaluate(() => (window.__long = []));
const tRun = Date.now();
while (Date.now() - tRun < duration) await page.waitForTimeout(1000);
const long = await page.evaluate(() => window.__long);
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
  particles: 27000,
  first_frame_after_run_ms: tFrame,
  observed_ms: duration,
  long_tasks_over_50ms: long.length,
  longest_task_ms: long.length ? Math.max(...long) : 0,
  page_rate: rate,
  page_steps: steps,
  view_redraws_per_second: Number(fps.toFixed(2)),
}));
await page.click("#sim-stop").catch(() => {});
await session.close();
