// The Phase diagram tab (issue #14): both maps render (from the shipped diagrams, or saying
// plainly that none is shipped) with no console error, the paper's compressions coloured where
// the reproduction measured them; a click picks a state point and "Simulate here" opens the
// Simulate tab with that density, depth and well; a coexistence recomputed at one depth lands on
// the map and equals `bnsl phase-diagram` for the same inputs bit for bit, and survives a
// reload; a point recomputed at fast quality equals `bnsl free-energy` bit for bit, and so does
// the same point replayed from the share link in a fresh browser; a hostile link is refused
// with a message and the maps still show.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

const WELLS = ["narrow", "wide"];
const shippedList = JSON.parse(readFileSync(join(ROOT, "data", "phase-diagrams", "shipped.json"), "utf8"));
const shipped = (well) => shippedList.includes(well);

/** The native binary: BNSL_BIN, else the `ci` or release build. */
function bnslBinary() {
  const targets = [process.env.CARGO_TARGET_DIR, join(ROOT, "target")].filter(Boolean);
  const candidates = [
    process.env.BNSL_BIN,
    ...targets.flatMap((t) => [join(t, "ci", "bnsl"), join(t, "release", "bnsl")]),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no bnsl binary in ${candidates.join(", ")}`);
  return found;
}

async function openPhase(page, hash = "#/phase") {
  await page.goto(`${session.url}${hash}`);
  await page.waitForSelector("#panel-phase h2");
  for (const well of WELLS) {
    await page.waitForFunction(
      (w) => !document.querySelector(`#phase-map-${w}`)?.textContent.includes("Loading"),
      well,
    );
  }
}

/** Clicks the `well` map at fractions (fx, fy) of its plotting area's width and height. */
async function clickMap(page, well, fx, fy) {
  const picture = page.locator(`#phase-map-${well} .plot-picture`);
  await picture.scrollIntoViewIfNeeded();
  const box = await picture.boundingBox();
  // The plotting area sits inside margins; these fractions stay well inside it.
  await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
}

async function computePoint(page, { well, depth, density, seed }) {
  await page.selectOption("#phase-well", well);
  await page.fill("#phase-depth", String(depth));
  await page.fill("#phase-density", String(density));
  await page.fill("#phase-seed-value", String(seed));
  await page.selectOption("#phase-quality", "fast");
  await page.fill("#phase-cells", "");
  await page.click("#phase-compute");
}

async function lastBetaF(page, timeout = 240_000) {
  const row = page.locator("#phase-points tr.phase-point").last();
  await page.waitForFunction(
    () => [...document.querySelectorAll("#phase-points tr.phase-point")].at(-1)?.dataset.state === "done",
    null,
    { timeout },
  );
  return {
    betaF: await row.getAttribute("data-beta-f"),
    command: (await row.locator("code").textContent()).trim(),
  };
}

test("both maps render, shipped data or a plain 'not shipped', with no console error", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1400, height: 1000 });
  await openPhase(page);
  assert.equal((await page.textContent("#panel-phase h2")).trim(), "Phase diagram");
  const caveats = await page.textContent("#phase-caveats");
  assert.match(caveats, /Recomputing a coexistence/);
  for (const well of WELLS) {
    const map = page.locator(`#phase-map-${well}`);
    const svg = await map.locator("svg").innerHTML();
    assert.match(svg, /stroke="#787878"/, "the paper's runs not reproduced (grey segments) are on every map");
    // the reproduced compressions (data/reproduction: fig3e narrow 2.5 and 1.0, the repulsive
    // control, fig3f wide 2.5) are coloured by their measured fraction, named in the legend
    assert.match(svg, /ε\/kT 2\.5 run: crystalline L 0\.0\d\d end, 0\.0\d\d max \(N 1500\)/);
    if (shipped(well)) {
      assert.equal(await map.getAttribute("data-loaded"), "true");
      assert.match(svg, /coexistence/);
    } else {
      assert.equal(await map.getAttribute("data-loaded"), "false");
      assert.match(await map.textContent(), /No computed diagram shipped/);
    }
  }
  await page.locator("#phase-map-narrow .plot-picture").hover({ position: { x: 200, y: 150 } });
  await page.waitForSelector("#phase-map-narrow .plot-hover");
  assert.match(await page.textContent("#phase-map-narrow .plot-hover"), /ρσ³ = .*ε\/kT = /);
  await screenshot(page, "phase");
  assert.deepEqual(problems, []);
  await close();
});

test("a picked point opens Simulate with its density, depth and well", async () => {
  const { page, problems, close } = await openPage(session.browser);
  await openPhase(page);
  await clickMap(page, "wide", 0.5, 0.45);
  const picked = page.locator("#phase-picked");
  await picked.waitFor();
  assert.equal(await picked.getAttribute("data-well"), "wide");
  const depth = Number(await picked.getAttribute("data-depth"));
  const density = Number(await picked.getAttribute("data-density"));
  assert.ok(depth > 0.2 && depth < 4 && density > 1.6 && density < 3.2, `${depth} ${density}`);
  await page.click("#phase-simulate");
  await page.waitForSelector("#panel-simulate h2");
  assert.match(await page.textContent("#sim-message"), /restored from the link/);
  const field = (id) => page.inputValue(`#sim-run-${id}`);
  assert.equal(Number(await field("kt")), 1 / depth);
  assert.equal(Number(await field("pair-m")), 6, "the wide well's attraction");
  assert.equal(Number(await field("pair-r_cut")), 3);
  assert.equal(await field("geometry-kind"), "periodic");
  assert.equal(Number(await field("stage-1--compress_to")), density);
  assert.deepEqual(problems, []);
  await close();
});

test("a coexistence recomputed at one depth lands on the map, equals bnsl phase-diagram and survives a reload", async () => {
  const a = await openPage(session.browser, { width: 1400, height: 1000 });
  await openPhase(a.page);
  await a.page.click("#phase-clear").catch(() => {});
  await a.page.selectOption("#phase-well", "narrow");
  await a.page.fill("#phase-depth", "2");
  await a.page.fill("#phase-seed-value", "3");
  await a.page.selectOption("#phase-quality", "fast");
  const started = Date.now();
  await a.page.click("#phase-compute-coexistence");
  // progress and time left over the whole set of points, and the page answers meanwhile
  await a.page.waitForFunction(() => Number(document.querySelector("#phase-progress")?.value) > 0.1, null, { timeout: 300_000 });
  assert.match(await a.page.textContent("#phase-message"), /Coexistence: \d+ state points of 288 particles/);
  await a.page.locator("#phase-map-narrow .plot-picture").hover({ position: { x: 200, y: 150 } });
  await a.page.waitForSelector("#phase-map-narrow .plot-hover", { timeout: 5_000 });
  const row = a.page.locator("#phase-coexistence tr.phase-coexistence").last();
  await a.page.waitForFunction(
    () => [...document.querySelectorAll("#phase-coexistence tr.phase-coexistence")].at(-1)?.dataset.state === "done",
    null,
    { timeout: 600_000 },
  );
  console.log(`coexistence at ε/kT 2 (narrow, 288 particles, fast) in Chromium: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const command = (await row.locator("code").textContent()).trim();
  assert.equal(command, "bnsl phase-diagram --well narrow --depths 2 --n 246 --quality fast --seed 3 --out DIR");
  const attr = async (name) => Number(await row.getAttribute(`data-${name}`));
  const out = mkdtempSync(join(tmpdir(), "bnsl-coexistence-"));
  try {
    const args = command.split(" ").slice(1).map((w) => (w === "DIR" ? join(out, "run") : w));
    execFileSync(bnslBinary(), args, { stdio: ["ignore", "ignore", "ignore"] });
    // coexistence.csv and the checkpoints keep every digit (diagram.json rounds to 12)
    const csv = readFileSync(join(out, "run", "coexistence.csv"), "utf8").trim().split("\n");
    const header = csv[0].split(",");
    const line = csv.slice(1).map((l) => l.split(",")).find((f) => f[0] === "gas_solid" && Number(f[1]) === 2);
    assert.ok(line, "the command line finds the coexistence at ε/kT 2");
    const col = (name) => Number(line[header.indexOf(name)]);
    const cli = {
      rho_low: { value: col("rho_low"), error: col("rho_low_error") },
      rho_high: { value: col("rho_high"), error: col("rho_high_error") },
      pressure: { value: col("beta_p"), error: col("beta_p_error") },
    };
    assert.equal(await row.getAttribute("data-verdict"), "Coexistence");
    assert.equal(await attr("rho-low"), cli.rho_low.value, "fluid density bit for bit");
    assert.equal(await attr("rho-low-error"), cli.rho_low.error);
    assert.equal(await attr("rho-high"), cli.rho_high.value, "AlB₂ density bit for bit");
    assert.equal(await attr("rho-high-error"), cli.rho_high.error);
    assert.equal(await attr("pressure"), cli.pressure.value, "βP bit for bit");
    assert.equal(await attr("pressure-error"), cli.pressure.error);
    const points = join(out, "run", "points");
    const flFile = readdirSync(points).find((f) => f.includes("free-energy-depth2"));
    const fl = JSON.parse(readFileSync(join(points, flFile), "utf8")).result;
    assert.equal(await attr("beta-f"), fl.beta_f.value, "the crystal's βF/N bit for bit");
    // beside the shipped coexistence at ε/kT 2 (1.31 ± 0.03 and 3.0016 ± 0.0008)
    const shippedNarrow = JSON.parse(readFileSync(join(ROOT, "data", "phase-diagrams", "narrow-1to2", "diagram.json"), "utf8"));
    const ref = shippedNarrow.gas_solid.find((c) => c.depth === 2);
    const tolerance = (x, y) => 4 * Math.hypot(x.error, y.error) + 0.02;
    assert.ok(Math.abs(cli.rho_low.value - ref.rho_low.value) < tolerance(cli.rho_low, ref.rho_low), `${cli.rho_low.value} vs ${ref.rho_low.value}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const svg = await a.page.locator("#phase-map-narrow svg").innerHTML();
  assert.match(svg, /recomputed here \(fluid and AlB₂ at coexistence\)/);
  assert.match(svg, /(stroke|fill)="#009e73"/i, "the recomputed points are drawn in bluish green");
  await screenshot(a.page, "phase-coexistence");

  await a.page.click("#phase-share");
  const link = await a.page.inputValue("#phase-share-link");
  const before = await row.getAttribute("data-rho-low");
  await a.page.reload();
  await a.page.waitForSelector("#phase-coexistence tr.phase-coexistence[data-state=done]");
  assert.equal(await a.page.getAttribute("#phase-coexistence tr.phase-coexistence >> nth=-1", "data-rho-low"), before);
  assert.deepEqual(a.problems, []);
  await a.close();

  // the link restores the recipe (well, depth, seed, quality) for Replay
  const b = await openPage(session.browser);
  await b.page.goto(link);
  await b.page.waitForSelector("#phase-message");
  assert.match(await b.page.textContent("#phase-message"), /restored from the link with 1 computation/);
  const waiting = b.page.locator("#phase-coexistence tr.phase-coexistence").last();
  assert.equal(await waiting.getAttribute("data-state"), "waiting");
  assert.deepEqual(
    (await waiting.locator("td").allTextContents()).slice(0, 4),
    ["narrow", "2", "3", "fast"],
  );
  assert.equal(await b.page.isEnabled("#phase-replay"), true);
  assert.deepEqual(b.problems, []);
  await b.close();
});

test("a recomputed point equals bnsl free-energy, also replayed from its link, and survives a reload", async () => {
  const a = await openPage(session.browser);
  await openPhase(a.page);
  await a.page.click("#phase-clear").catch(() => {});
  await computePoint(a.page, { well: "narrow", depth: 2.5, density: 2.2, seed: 5 });
  await a.page.waitForSelector("#phase-progress");
  const first = await lastBetaF(a.page);
  assert.match(first.command, /^bnsl free-energy --lattice alb2 --cells 4,2,4 --density 2.2 --kt 0.4 --m 25 --rcut 1.5 --shift --seed 5 --quality fast$/);
  const args = first.command.split(" ").slice(1);
  const cli = JSON.parse(execFileSync(bnslBinary(), args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  assert.equal(Number(first.betaF), cli.beta_f_per_particle, "bit for bit with the command line");

  await a.page.click("#phase-share");
  const link = await a.page.inputValue("#phase-share-link");
  assert.match(link, /#\/phase\?r=/);
  await a.page.reload();
  await a.page.waitForSelector("#phase-points tr.phase-point[data-state=done]");
  assert.equal(await a.page.getAttribute("#phase-points tr.phase-point >> nth=-1", "data-beta-f"), first.betaF);
  assert.deepEqual(a.problems, []);
  await a.close();

  const b = await openPage(session.browser);
  await b.page.goto(link);
  await b.page.waitForSelector("#phase-message");
  assert.match(await b.page.textContent("#phase-message"), /restored from the link/);
  await b.page.click("#phase-replay");
  const replayed = await lastBetaF(b.page);
  assert.equal(replayed.betaF, first.betaF);
  assert.deepEqual(b.problems, []);
  await b.close();
});

test("a hostile link is refused with a message and the maps still show", async () => {
  for (const hash of ["#/phase?r=1.%%%not-a-payload", `#/phase?r=${"A".repeat(70_000)}`]) {
    const { page, problems, close } = await openPage(session.browser);
    await openPhase(page, hash);
    assert.match(await page.textContent("#phase-message"), /could not be opened/);
    assert.equal(await page.locator("#phase-map-narrow svg").count(), 1);
    assert.deepEqual(problems, []);
    await close();
  }
});
