// End-to-end test of the status bar's compute-engine switch against the release build: the
// label follows the choice, the choice survives a reload (localStorage "bnsl.engine"), and no
// page logs an error. Run with `bash scripts/test.sh` or `node --test tests/e2e/`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { engineKnown, screenshot, startSession, withPage } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test("the engine switch chooses CPU or WebGPU and remembers the choice", async () => {
  await withPage(session.browser, async (page) => {
    await page.goto(`${session.url}#/simulate`);
    await engineKnown(page);
    const label = async () => (await page.textContent("#status-engine")).trim();
    // Chromium runs with --enable-unsafe-webgpu: SwiftShader gives an adapter.
    assert.match(await label(), /^compute: WebGPU \(.+\)$/);
    assert.equal(await page.isDisabled("#engine-choice"), false);
    await page.selectOption("#engine-choice", "cpu");
    assert.equal(await label(), "compute: CPU (chosen in the status bar; WebGPU is available)");
    assert.equal(await page.evaluate(() => localStorage.getItem("bnsl.engine")), "cpu");
    await page.reload();
    await engineKnown(page);
    assert.equal(await page.inputValue("#engine-choice"), "cpu");
    assert.match(await label(), /^compute: CPU \(chosen/);
    await screenshot(page, "engine-switch-cpu");
    await page.selectOption("#engine-choice", "gpu");
    assert.match(await label(), /^compute: WebGPU \(.+\)$/);
  });
});
