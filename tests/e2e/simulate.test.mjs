// The Simulate tab (issue #6): a small preset runs to completion in the worker and the
// fraction plot fills; a shared link opened in a fresh browser context reproduces the
// fingerprint `bnsl run --link` prints; the GSD, CSV and PNG downloads hold what they should; a blow-up shows the
// last good state and the downloads stop where the CLI's do; a reload keeps the session; a hostile link is refused
// with a message and safe defaults. Each test uses the 300-particle quick-test preset.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSession, openPage, screenshot, ROOT } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** The native binary: BNSL_BIN, else the `ci` or release build in CARGO_TARGET_DIR or target/. */
function bnslBinary() {
  const targets = [process.env.CARGO_TARGET_DIR, join(ROOT, "target")].filter(Boolean);
  const candidates = [
    process.env.BNSL_BIN,
    ...targets.flatMap((t) => [join(t, "ci", "bnsl"), join(t, "release", "bnsl")]),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no bnsl binary in ${candidates.join(", ")}: run cargo build --release`);
  return found;
}

/** The CPU path: the one whose fingerprint a link reproduces bit for bit (WebGPU is the default where it exists). */
async function chooseCpu(page) {
  await page.context().addInitScript(() => localStorage.setItem("bnsl.engine", "cpu"));
}

async function openSimulate(page, hash = "#/simulate") {
  await chooseCpu(page);
  await page.goto(`${session.url}${hash}`);
  await page.waitForSelector("#panel-simulate h2");
}

async function runQuickTest(page) {
  await page.selectOption("#sim-preset", "quick-test");
  await page.click("#sim-run");
  await page.waitForSelector("#sim-fingerprint", { timeout: 50_000 });
  return (await page.textContent("#sim-fingerprint")).trim();
}

test("a small preset runs to completion and the fraction plot fills", async () => {
  const { page, problems, close } = await openPage(session.browser);
  await openSimulate(page);
  assert.equal((await page.textContent("#panel-simulate h2")).trim(), "Simulate");
  const fp = await runQuickTest(page);
  assert.match(fp, /^fingerprint: [0-9a-f]{16}$/);
  const rows = Number(await page.getAttribute("#sim-plots", "data-rows"));
  assert.equal(rows, 21, "21 log rows (step 0 and every 100 of 2,000 steps)");
  const points = await page.locator("#sim-plots svg").first().locator("path, circle").count();
  assert.ok(points > 0, "the fraction plot has marks");
  assert.match(await page.textContent("#sim-steps"), /step 2000 of 2000/);
  await screenshot(page, "simulate-quick-test");

  // The downloads: a GSD trajectory our reader (which reads HOOMD's files) opens, every log
  // row as CSV, and PNGs of the 3D view and of a plot.
  const gsd = await download(page, "#sim-gsd");
  const info = JSON.parse(execFileSync(bnslBinary(), ["gsd-info", gsd.path], { encoding: "utf8" }));
  assert.equal(info.schema, "hoomd 2.0");
  assert.deepEqual(info.frames.map((f) => f.step), [0, 500, 1000, 1500, 2000], "every frame_every = 500 steps");
  const last = info.frames[info.frames.length - 1];
  assert.equal(last.N, 300);
  assert.equal(last.step, 2000);
  const csv = (await download(page, "#sim-csv")).bytes.toString("utf8").trim().split("\n");
  assert.equal(csv.length, 22, "a header and 21 rows");
  assert.match(csv[0], /^step,/);
  await page.waitForSelector("#panel-simulate canvas.particle-canvas");
  const viewPng = await download(page, "#panel-simulate .particle-view button:has-text('Download PNG')");
  assertPng(viewPng.bytes, "3D view");
  const plotPng = await download(page, "#sim-plots button:has-text('PNG') >> nth=0");
  assertPng(plotPng.bytes, "plot");
  assert.deepEqual(problems, []);
  await close();
});

/** Clicks `selector` and returns the file the page offers: its name, path on disk and bytes. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), page.click(selector)]);
  const path = await file.path();
  return { name: file.suggestedFilename(), path, bytes: readFileSync(path) };
}

/** A PNG signature and a width and height above 100 pixels (IHDR). */
function assertPng(bytes, what) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${what}: PNG signature`);
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  assert.ok(width > 100 && height > 100, `${what}: ${width} × ${height}`);
}

test("a shared link reproduces the fingerprint of bnsl run --link in a fresh context", async () => {
  const a = await openPage(session.browser);
  await openSimulate(a.page);
  await a.page.selectOption("#sim-preset", "quick-test");
  await a.page.fill("#sim-run-seed", "4242");
  await a.page.click("#sim-share");
  const link = await a.page.inputValue("#sim-share-link");
  assert.match(link, /#\/simulate\?r=[A-Za-z0-9_-]+$/);
  await a.close();

  const b = await openPage(session.browser);
  await chooseCpu(b.page);
  await b.page.goto(link);
  await b.page.waitForSelector("#panel-simulate h2");
  assert.match(await b.page.textContent("#sim-message"), /restored from the link/);
  assert.equal(await b.page.inputValue("#sim-run-seed"), "4242");
  await b.page.click("#sim-run");
  await b.page.waitForSelector("#sim-fingerprint", { timeout: 50_000 });
  const page = (await b.page.textContent("#sim-fingerprint")).trim();
  const cli = execFileSync(bnslBinary(), ["run", "--link", link], { encoding: "utf8" });
  const line = cli.split("\n").find((l) => l.startsWith("fingerprint: "));
  assert.equal(page, line, `page ${page} vs bnsl ${line}`);
  assert.deepEqual(b.problems, []);
  await b.close();
});

test("a reload keeps the session", async () => {
  const { page, problems, close } = await openPage(session.browser);
  await openSimulate(page);
  const fp = await runQuickTest(page);
  assert.equal(await page.locator("#sim-group-dynamics #sim-run-kt").count(), 1, "kT sits in its fieldset");
  assert.equal(await page.locator("#sim-group-species #sim-run-species-0--count").count(), 1);
  await page.fill("#sim-run-kt", "0.4abc");
  assert.equal(await page.getAttribute("#sim-run-kt", "aria-invalid"), "true");
  assert.ok(await page.isDisabled("#sim-run"), "a typo blocks Run");
  await page.reload();
  await page.waitForSelector("#panel-simulate h2");
  assert.equal(await page.inputValue("#sim-run-kt"), "0.4abc", "the typo is kept");
  assert.equal((await page.textContent("#sim-fingerprint")).trim(), fp);
  assert.equal((await page.textContent("#sim-engine")).trim(), "Running on the CPU", "where it ran is kept");
  assert.equal(Number(await page.getAttribute("#sim-plots", "data-rows")), 21);
  assert.ok((await page.locator("#sim-plots svg").first().locator("path, circle").count()) > 0,
    "the fraction plot shows the stored rows");
  // The last frame (step 2,000, all 300 particles) is back in the 3D view.
  await page.waitForSelector("#panel-simulate canvas.particle-canvas", { timeout: 10_000 });
  assert.match(await page.textContent("#sim-frame-step"), /frame at step 2000/);
  await page.waitForFunction(
    () => /300 of 300 particles shown/.test(document.querySelector("#panel-simulate .view-status")?.textContent ?? ""),
    null, { timeout: 20_000 });
  assert.equal(await page.locator("#sim-storage").count(), 0, "no storage complaint for 300 particles");
  await screenshot(page, "simulate-after-reload");
  assert.deepEqual(problems, []);
  await close();
});

test("a blow-up shows the last good state and both downloads stop where the CLI's do", async () => {
  const { page, close } = await openPage(session.browser);
  await openSimulate(page);
  await page.selectOption("#sim-preset", "quick-test");
  await page.fill("#sim-run-dt", "0.01");
  await page.click("#sim-share");
  const link = await page.inputValue("#sim-share-link");
  await page.click("#sim-run");
  await page.waitForFunction(() => /The run failed/.test(document.querySelector("#sim-message")?.textContent ?? ""),
    null, { timeout: 50_000 });
  const message = await page.textContent("#sim-message");
  assert.match(message, /smaller time step dt/);
  const kept = Number(/last good state is step (\d+)/.exec(message)[1]);
  assert.match(await page.textContent("#sim-steps"), new RegExp(`step ${kept} of 2000`));
  assert.match(await page.textContent("#sim-frame-step"), new RegExp(`frame at step ${kept}$`));
  const gsd = await download(page, "#sim-gsd");
  const pageFrames = JSON.parse(execFileSync(bnslBinary(), ["gsd-info", gsd.path], { encoding: "utf8" }))
    .frames.map((f) => f.step);
  const pageRows = (await download(page, "#sim-csv")).bytes.toString("utf8").trim().split("\n").slice(1)
    .map((l) => Number(l.split(",")[0]));
  const dir = mkdtempSync(join(tmpdir(), "bnsl-blowup-"));
  try {
    execFileSync(bnslBinary(), ["run", "--link", link, "--log", join(dir, "log.csv"), "--trajectory", join(dir, "run.gsd")],
      { stdio: "pipe" });
    assert.fail("the CLI run should fail");
  } catch (e) {
    assert.match(String(e.stderr), new RegExp(`last good state is step ${kept}`));
  }
  const cliFrames = JSON.parse(execFileSync(bnslBinary(), ["gsd-info", join(dir, "run.gsd")], { encoding: "utf8" }))
    .frames.map((f) => f.step);
  const cliRows = readFileSync(join(dir, "log.csv"), "utf8").trim().split("\n").slice(1).map((l) => Number(l.split(",")[0]));
  assert.deepEqual(pageFrames, cliFrames);
  assert.deepEqual(pageRows, cliRows);
  assert.equal(pageFrames.at(-1), kept);
  await close();
});

test("a hostile link is refused with a message and safe defaults", async () => {
  const { page, problems, close } = await openPage(session.browser);
  await openSimulate(page, "#/simulate?r=<img src=x onerror=alert(1)>");
  const message = await page.textContent("#sim-message");
  assert.match(message, /could not be opened/);
  assert.match(message, /default set-up/);
  assert.equal(await page.locator("#panel-simulate img").count(), 0, "nothing injected");
  assert.equal(await page.inputValue("#sim-preset"), "seed-alb2-narrow");
  await screenshot(page, "simulate-hostile-link");
  assert.deepEqual(problems, []);
  await close();
});
