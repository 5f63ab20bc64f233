// The Simulate tab on WebGPU (issue #7), against the release build: with the engine switch on
// WebGPU (headless Chromium's SwiftShader gives an adapter) the quick-test preset runs in the
// simulation Web Worker on WebGPU to the end; and a GPU device lost mid-run (fault injection
// through the debug localStorage key "bnsl.debug.loseGpuAtStep", which the page reads into
// SimulateSpec.lose_gpu_after_steps) falls back to the CPU from the last good state, says so
// on the page, and still finishes. SwiftShader runs the WGSL on the CPU (≈ 2 × 10⁴
// particle-steps/s), so the 300-particle, 2,000-step run takes tens of seconds here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { engineKnown, screenshot, startSession, withPage } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Slow software GPU on 2 shared cores: generous waits. */
const RUN_TIMEOUT = 240_000;

/** Opens the Simulate tab with the engine on WebGPU and, if given, the device-loss step. */
async function openOnWebGpu(page, loseGpuAtStep) {
  await page.context().addInitScript((at) => {
    localStorage.setItem("bnsl.engine", "gpu");
    if (at !== null) localStorage.setItem("bnsl.debug.loseGpuAtStep", String(at));
  }, loseGpuAtStep ?? null);
  await page.goto(`${session.url}#/simulate`);
  await page.waitForSelector("#panel-simulate h2");
  await engineKnown(page);
  const status = (await page.textContent("#status-engine")).trim();
  const adapter = status.match(/^compute: WebGPU \((.+)\)$/)?.[1];
  assert.ok(adapter, `the status bar offers WebGPU: ${status}`);
  return adapter;
}

async function startQuickTest(page) {
  await page.selectOption("#sim-preset", "quick-test");
  await page.click("#sim-run");
}

async function finished(page) {
  await page.waitForSelector("#sim-fingerprint", { timeout: RUN_TIMEOUT });
  return (await page.textContent("#sim-fingerprint")).trim();
}

async function assertPlotsFilled(page) {
  const rows = Number(await page.getAttribute("#sim-plots", "data-rows"));
  assert.equal(rows, 21, "21 log rows (step 0 and every 100 of 2,000 steps)");
  const marks = await page.locator("#sim-plots svg").first().locator("path, circle").count();
  assert.ok(marks > 0, "the fraction plot has marks");
  assert.match(await page.textContent("#sim-steps"), /step 2000 of 2000/);
}

const GPU_FINGERPRINT =
  /^fingerprint: [0-9a-f]{16} \(GPU run, single precision: not the share link's CPU fingerprint\)$/;

test("the quick-test preset runs on WebGPU in the worker to the end", async () => {
  await withPage(session.browser, async (page) => {
    const adapter = await openOnWebGpu(page, null);
    await startQuickTest(page);
    await page.waitForSelector("#sim-engine", { timeout: 60_000 });
    // The worker's wgpu device is on the adapter the status bar names (SwiftShader here).
    const onGpu = `Running on WebGPU (${adapter})`;
    assert.equal((await page.textContent("#sim-engine")).trim(), onGpu);
    const fp = await finished(page);
    assert.match(fp, GPU_FINGERPRINT);
    // It stayed on WebGPU: no fall-back, no notice.
    assert.equal((await page.textContent("#sim-engine")).trim(), onGpu);
    assert.equal(await page.locator("#sim-notices").count(), 0, "no notice on a clean GPU run");
    await assertPlotsFilled(page);
    await screenshot(page, "gpu-run-webgpu");
  });
});

test("a WebGPU device lost mid-run falls back to the CPU with a message and finishes", async () => {
  await withPage(session.browser, async (page) => {
    const adapter = await openOnWebGpu(page, 600);
    await startQuickTest(page);
    await page.waitForSelector("#sim-engine", { timeout: 60_000 });
    // The worker's wgpu device is on the adapter the status bar names (SwiftShader here).
    const onGpu = `Running on WebGPU (${adapter})`;
    assert.equal((await page.textContent("#sim-engine")).trim(), onGpu);
    await page.waitForSelector("#sim-notices li", { timeout: RUN_TIMEOUT });
    const notice = (await page.textContent("#sim-notices")).trim();
    assert.match(notice, /^WebGPU failed at step \d+ \(.+\); continuing on the CPU from step \d+, the last good state$/);
    const [, failedAt, from] = notice.match(/at step (\d+) .*from step (\d+)/).map(Number);
    assert.ok(failedAt >= 600 && from <= failedAt, `lost at ${failedAt}, resumed from ${from}`);
    await page.waitForFunction(
      () => document.querySelector("#sim-engine")?.textContent.trim() === "Running on the CPU",
    );
    const fp = await finished(page);
    assert.match(fp, GPU_FINGERPRINT, "part of the run was on the GPU");
    assert.equal((await page.textContent("#sim-engine")).trim(), "Running on the CPU");
    await assertPlotsFilled(page);
    await page.locator("#sim-notices").scrollIntoViewIfNeeded();
    await screenshot(page, "gpu-device-lost-notice");
  });
});
