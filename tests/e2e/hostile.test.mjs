// Hostile input to every tab that takes it (issue #18): a binary file and a 10⁵-row CSV to the
// SAXS tab, a file that is not a trajectory to the Analyse tab, a forged link to the Simulate
// tab. Each time a timer on the page keeps ticking (the main thread is never blocked for long),
// the page says why in words, and what was shown before stays.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openPage, screenshot, startSession } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Starts a 50 ms timer on the page that records the longest gap between its ticks. */
async function startTicker(page) {
  await page.evaluate(() => {
    window.__ticks = { n: 0, last: performance.now(), gap: 0 };
    setInterval(() => {
      const now = performance.now();
      window.__ticks.gap = Math.max(window.__ticks.gap, now - window.__ticks.last);
      window.__ticks.last = now;
      window.__ticks.n += 1;
    }, 50);
  });
}

/** The ticker's count and longest gap (ms) so far; resets the gap. */
async function ticks(page) {
  return page.evaluate(() => {
    const t = { ...window.__ticks };
    window.__ticks.gap = 0;
    return t;
  });
}

test("SAXS: a binary file and a 10⁵-row file leave the page answering and the fit in place", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1400, height: 1000 });
  try {
    await page.goto(`${session.url}/#/saxs`);
    await page.waitForSelector("#panel-saxs h2");
    await startTicker(page);
    await page.getByRole("button", { name: "AlB₂ (Fe₃O₄/PbS)" }).click();
    await page.locator(".saxs-table").first().waitFor({ timeout: 60_000 });
    const table = await page.locator(".saxs-table").first().textContent();
    const timing = await page.locator(".saxs-timing").textContent();

    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 151 + 7) % 256;
    await page.setInputFiles('.saxs-pick input[type="file"]', { name: "image.png", mimeType: "image/png", buffer: binary });
    const error = page.locator(".saxs-error");
    await error.waitFor();
    assert.match(await error.textContent(), /image\.png could not be read: .*(UTF-8|binary).*kept/);
    assert.equal(await page.locator(".saxs-table").first().textContent(), table, "the fit stays");
    assert.equal(await page.locator(".saxs-timing").textContent(), timing, "the status stays");

    const rows = ["q (nm^-1),S"];
    for (let i = 0; i < 100_000; i++) {
      const q = 0.3 + 1.2e-5 * i;
      rows.push(`${q.toFixed(6)},${(1 + 3 / (1 + ((q - 0.9) / 0.01) ** 2)).toFixed(5)}`);
    }
    await ticks(page);
    await page.setInputFiles('.saxs-pick input[type="file"]', { name: "dense.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
    await page.locator(".saxs-warnings").waitFor({ timeout: 20_000 });
    assert.match(await page.locator(".saxs-warnings").textContent(), /100000 points binned by 25 to 4000/);
    const during = await ticks(page);
    await page.locator(".saxs-timing").waitFor({ timeout: 60_000 });
    const fitting = await ticks(page);
    assert.ok(during.gap < 3000, `the page stalled ${during.gap.toFixed(0)} ms reading 10⁵ rows`);
    assert.ok(fitting.gap < 1000, `the page stalled ${fitting.gap.toFixed(0)} ms while fitting`);
    await screenshot(page, "hostile-saxs");
  } finally {
    await close();
  }
  assert.deepEqual(problems, []);
});

test("Analyse: a file that is not a trajectory is explained while the page answers", async () => {
  const { page, problems, close } = await openPage(session.browser);
  try {
    await page.goto(`${session.url}#/analyse`);
    await startTicker(page);
    await page.setInputFiles("input[type=file]", {
      name: "huge-header.gsd",
      mimeType: "application/octet-stream",
      buffer: Buffer.concat([Buffer.from([0x65, 0x65, 0x01, 0x00]), Buffer.alloc(60_000, 0xff)]),
    });
    await page.waitForSelector(".analyse-error", { timeout: 10_000 });
    assert.match(await page.textContent(".analyse-error"), /huge-header\.gsd: this file cannot be read/);
    const t = await ticks(page);
    assert.ok(t.n > 0 && t.gap < 1000, `longest stall ${t.gap.toFixed(0)} ms`);
  } finally {
    await close();
  }
  assert.deepEqual(problems, []);
});

test("Simulate: a forged link is refused with a message while the page answers", async () => {
  const { page, problems, close } = await openPage(session.browser);
  try {
    const payload = "A".repeat(50_000);
    await page.goto(`${session.url}/#/simulate?r=${payload}`);
    await page.waitForSelector("#panel-simulate h2");
    await startTicker(page);
    assert.match(await page.textContent("#sim-message"), /could not be opened/);
    await page.waitForTimeout(300);
    const t = await ticks(page);
    assert.ok(t.n >= 3 && t.gap < 1000, `ticks ${t.n}, longest stall ${t.gap.toFixed(0)} ms`);
  } finally {
    await close();
  }
  assert.deepEqual(problems, []);
});
