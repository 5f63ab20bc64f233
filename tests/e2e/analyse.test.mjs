// The Analyse tab (src/app/tabs/analyse): load the lattice example and an uploaded GSD file,
// watch the worker fill the crystalline-fraction plot frame by frame, move the frame slider,
// drop a file that is not GSD (a clear message, the previous results stay) and type an invalid
// threshold (explained in place, nothing lost). Screenshots in test-artifacts/e2e/analyse-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startSession, openPage, screenshot, ROOT } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Waits until the run's note says every frame is analysed. */
async function waitDone(page, frames) {
  await page.waitForFunction(
    (n) => document.querySelector(".run-note")?.textContent.includes(`${n} frames analysed`),
    frames,
    { timeout: 120000 },
  );
}

test("the lattice example fills the fraction plot and the slider changes the frame", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  await page.goto(`${session.url}#/analyse`);
  assert.equal(await page.locator("#panel-analyse h2").first().textContent(), "Analyse");
  await page.click("button.example-melting");
  await page.waitForSelector(".fraction-plot svg", { timeout: 60000 });
  await waitDone(page, 12);
  assert.match(await page.textContent(".run-note"), /done: 12 frames/);
  // One point per frame and classifier: the fraction CSV has 12 rows per series.
  const slider = page.locator(".frame-slider");
  assert.equal(await slider.getAttribute("max"), "11");
  await slider.fill("0");
  assert.match(await page.textContent(".frame-label"), /^frame 0 of 12/);
  assert.match(await page.textContent(".fractions"), /AlB2 100\.0 %/);
  assert.match(await page.textContent(".fractions"), /NaZn13 0\.0 %/);
  await slider.fill("11");
  assert.match(await page.textContent(".frame-label"), /^frame 11 of 12/);
  const last = await page.textContent(".fractions");
  const alb2 = Number(last.match(/AlB2 ([\d.]+) %/)[1]);
  assert.ok(alb2 < 20, `AlB2 fraction of the noisiest frame: ${alb2} %`);
  // Plots: fraction, two AlB2 rule histograms, g(r), S(q), local density; the 3D view.
  assert.equal(await page.locator(".rule-plot").count(), 2);
  for (const sel of [".fraction-plot", ".rdf-plot", ".sq-plot", ".density-plot"]) {
    assert.ok((await page.locator(`${sel} svg path, ${sel} svg polyline`).count()) > 0, `${sel} draws`);
  }
  await page.waitForSelector(".view3d-box canvas", { timeout: 30000 });
  await page.waitForTimeout(1500);
  await screenshot(page, "analyse-melting");
  assert.deepEqual(problems, []);
  await close();
});

test("an uploaded GSD is analysed; a bad file is explained and the results stay", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  await page.goto(`${session.url}#/analyse`);
  const gsd = join(ROOT, "www/examples/analyse_seeded_alb2.gsd");
  await page.setInputFiles("input[type=file]", gsd);
  await page.waitForSelector(".fraction-plot svg", { timeout: 60000 });
  const frames = Number((await page.textContent(".source")).match(/(\d+) frames/)[1]);
  assert.ok(frames >= 2);
  await waitDone(page, frames);
  assert.match(await page.textContent(".source"), /analyse_seeded_alb2\.gsd/);
  const before = await page.textContent(".fractions");
  await page.waitForTimeout(1000);
  await screenshot(page, "analyse-seeded");
  // Not a GSD file: a message, and the previous trajectory and results stay.
  await page.setInputFiles("input[type=file]", {
    name: "notes.gsd",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("these are my notes, not a trajectory"),
  });
  await page.waitForSelector(".analyse-error", { timeout: 10000 });
  const message = await page.textContent(".analyse-error");
  assert.match(message, /notes\.gsd: this file cannot be read as a GSD trajectory/);
  assert.match(message, /not a GSD file|truncated/);
  assert.match(await page.textContent(".source"), /analyse_seeded_alb2\.gsd/);
  assert.equal(await page.textContent(".fractions"), before);
  assert.equal(await page.locator(".fraction-plot svg").count(), 1);
  await screenshot(page, "analyse-bad-file");
  assert.deepEqual(problems, []);
  await close();
});

test("an invalid threshold is explained in place and kept; the run can be stopped", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  await page.goto(`${session.url}#/analyse`);
  await page.click("button.example-melting");
  await page.waitForSelector(".run progress", { timeout: 60000 });
  await page.click(".analyse-settings summary");
  const threshold = page.locator('[data-field="classifiers[0].rules[0].threshold"] input');
  await threshold.fill("0.4x");
  const error = page.locator('[data-field="classifiers[0].rules[0].threshold"] .field-error');
  assert.match(await error.textContent(), /"0\.4x" is not a number/);
  assert.equal(await threshold.inputValue(), "0.4x");
  assert.ok(await page.locator("button.apply").isDisabled());
  await threshold.fill("0.45");
  assert.equal(await error.count(), 0);
  assert.ok(!(await page.locator("button.apply").isDisabled()));
  await page.click("button.apply");
  await page.waitForSelector("button.stop", { timeout: 30000 });
  // The button is re-drawn with every progress message, so Playwright's wait for a stable
  // element can outlast a fast run; a click event at once is what a user's click sends.
  await page.evaluate(() => document.querySelector("button.stop")?.click());
  await page.waitForFunction(
    () => /stopped after|done:/.test(document.querySelector(".run-note")?.textContent ?? ""),
    null,
    { timeout: 60000 },
  );
  await screenshot(page, "analyse-settings");
  assert.deepEqual(problems, []);
  await close();
});
