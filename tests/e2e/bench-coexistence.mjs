// Times one coexistence recomputed by the Phase diagram tab in headless Chromium (the Web
// Worker, CPU path): the campaign of `bnsl phase-diagram` for one depth at the least N, fast
// quality. WELL (narrow | wide), DEPTH and SEED from the environment; prints the wall time, the
// result and the command line that gives the same numbers. Run by
// scripts/bench-free-energy-browser.sh coexistence.
import { startSession, openPage } from "./harness.mjs";

const well = process.env.WELL ?? "narrow";
const depth = process.env.DEPTH ?? "2";
const seed = process.env.SEED ?? "1";
const session = await startSession();
try {
  const { page, close } = await openPage(session.browser);
  await page.goto(`${session.url}#/phase`);
  await page.waitForSelector("#phase-compute-coexistence");
  await page.click("#phase-clear").catch(() => {});
  await page.selectOption("#phase-well", well);
  await page.fill("#phase-depth", depth);
  await page.fill("#phase-seed-value", seed);
  await page.selectOption("#phase-quality", "fast");
  const started = Date.now();
  await page.click("#phase-compute-coexistence");
  await page.waitForFunction(
    () => [...document.querySelectorAll("#phase-coexistence tr.phase-coexistence")].at(-1)?.dataset.state === "done",
    null,
    { timeout: 3_600_000 },
  );
  const seconds = (Date.now() - started) / 1000;
  const row = page.locator("#phase-coexistence tr.phase-coexistence").last();
  const attr = (name) => row.getAttribute(`data-${name}`);
  console.log(`well: ${well}, depth: ${depth}, seed: ${seed}`);
  console.log(`particles: ${(await row.locator("td").nth(4).textContent()).trim()}`);
  console.log(`browser wall: ${seconds.toFixed(1)} s`);
  console.log(`verdict: ${await attr("verdict")}`);
  console.log(`fluid rho: ${await attr("rho-low")} ± ${await attr("rho-low-error")}`);
  console.log(`AlB2 rho: ${await attr("rho-high")} ± ${await attr("rho-high-error")}`);
  console.log(`beta P: ${await attr("pressure")} ± ${await attr("pressure-error")}`);
  console.log(`command: ${(await row.locator("code").textContent()).trim()}`);
  await close();
} finally {
  await session.close();
}
