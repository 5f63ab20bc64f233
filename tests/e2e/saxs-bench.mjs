// Browser benchmark of the SAXS fit (issues #5 and #17): the automatic fit of the 1000-point
// AlB₂ example (14 reflections in range; model auto: the whole catalogue of 12 crystals, pruned
// by the peaks present, mixtures only when peaks stay unexplained) timed in the Web Worker around
// the wasm fit (median of 7 clicks), and a 500-frame series (1000 points per frame: the
// example's lattice shrinking by 2 % while its peaks grow) fitted frame by frame, timed from the
// upload to the last frame. Prints one JSON line.
//
// Run: scripts/bench-fit-browser.sh (builds, then runs this and `bnsl bench fit`), or after a
// release trunk build `node tests/e2e/saxs-bench.mjs`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, openPage, startSession } from "./harness.mjs";

function seriesCsv(frames) {
  const lines = readFileSync(join(ROOT, "www/examples/saxs_alb2_single.csv"), "utf8")
    .split("\n")
    .filter((l) => /^[0-9]/.test(l))
    .map((l) => l.split(",").map(Number));
  const q = lines.map((r) => r[0]);
  const s = lines.map((r) => r[1]);
  const at = (x) => {
    if (x <= q[0]) return s[0];
    if (x >= q[q.length - 1]) return s[s.length - 1];
    let lo = 0, hi = q.length - 1;
    while (hi - lo > 1) { const m = (lo + hi) >> 1; if (q[m] <= x) lo = m; else hi = m; }
    const f = (x - q[lo]) / (q[hi] - q[lo]);
    return s[lo] * (1 - f) + s[hi] * f;
  };
  const out = ["q (nm^-1)," + Array.from({ length: frames }, (_, t) => `t=${28 * t}s`).join(",")];
  for (let i = 0; i < q.length; i++) {
    const row = [q[i].toFixed(6)];
    for (let t = 0; t < frames; t++) {
      const x = t / (frames - 1);
      const scale = 1 - 0.02 * (1 - x); // a larger early: peaks at lower q
      const base = 1 - 0.05 * q[i] + 0.01 * q[i] * q[i];
      row.push((base + (at(q[i] * (1 / scale)) - base) * (0.15 + 0.85 * x)).toFixed(6));
    }
    out.push(row.join(","));
  }
  return out.join("\n") + "\n";
}

const session = await startSession();
const { page, close } = await openPage(session.browser, { width: 1400, height: 1000 });
try {
  await page.goto(`${session.url}/#/saxs`);
  await page.getByRole("button", { name: "AlB₂ (Fe₃O₄/PbS)" }).click();
  await page.locator(".saxs-timing").waitFor();
  const single = [];
  for (let k = 0; k < 7; k++) {
    // The fit runs in the worker: wait for this run's result (data-ms: the fit in the worker,
    // from its start to its result, without the worker's loading).
    const run = await page.locator(".saxs-timing").getAttribute("data-run");
    await page.getByRole("button", { name: "Fit" }).click();
    await page.waitForFunction(
      (r) => {
        const el = document.querySelector(".saxs-timing");
        return el && el.getAttribute("data-run") !== r;
      },
      run,
      { timeout: 60_000 },
    );
    single.push(Number(await page.locator(".saxs-timing").getAttribute("data-ms")));
  }
  single.sort((x, y) => x - y);
  const model = (await page.locator(".saxs-evidence").first().textContent()).trim();
  await page.selectOption(".saxs-settings select >> nth=0", "alb2");
  const csv = seriesCsv(500);
  const t0 = Date.now();
  await page.setInputFiles('.saxs-pick input[type="file"]', { name: "series500.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.locator(".saxs-kinetics svg").first().waitFor({ timeout: 600_000 });
  const seriesSeconds = (Date.now() - t0) / 1000;
  const frames = await page.locator(".saxs-slider input").getAttribute("max");
  console.log(JSON.stringify({
    benchmark: "saxs-fit-browser",
    single_auto_ms_median: single[3],
    single_auto_ms_all: single,
    single_model: model,
    series_frames: Number(frames) + 1,
    series_seconds_including_read: seriesSeconds,
    targets: { single_ms: 300, series_seconds: 30 },
  }));
} finally {
  await close();
  await session.close();
}
