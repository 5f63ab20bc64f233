// The Phase diagram tab (issue #14): both maps render (from the shipped diagrams, or saying
// plainly that none is shipped) with no console error; a click picks a state point and
// "Simulate here" opens the Simulate tab with that density, depth and well; a point recomputed
// at fast quality equals `bnsl free-energy` for the same inputs bit for bit, and so does the
// same point replayed from the share link in a fresh browser; a reload keeps the view; a
// hostile link is refused with a message and the maps still show.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
  assert.match(caveats, /crystal's free energy only/);
  for (const well of WELLS) {
    const map = page.locator(`#phase-map-${well}`);
    const svg = await map.locator("svg").innerHTML();
    assert.match(svg, /stroke="#787878"/, "the paper's runs (grey segments) are on every map");
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
