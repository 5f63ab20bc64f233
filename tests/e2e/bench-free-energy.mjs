// Times one crystal free energy recomputed by the Phase diagram tab in headless Chromium (the
// Web Worker, CPU path): QUALITY (fast | standard) and CELLS ("NX,NY,NZ" or empty for the
// fewest) from the environment; prints the particles, the wall time and the command line that
// gives the same number. Run by scripts/bench-free-energy-browser.sh.
import { startSession, openPage } from "./harness.mjs";

const quality = process.env.QUALITY ?? "fast";
const cells = process.env.CELLS ?? "";
const session = await startSession();
try {
  const { page, close } = await openPage(session.browser);
  await page.goto(`${session.url}#/phase`);
  await page.waitForSelector("#phase-compute");
  await page.click("#phase-clear").catch(() => {});
  await page.selectOption("#phase-well", "narrow");
  await page.fill("#phase-depth", "2.5");
  await page.fill("#phase-density", "2.8");
  await page.fill("#phase-seed-value", "1");
  await page.selectOption("#phase-quality", quality);
  await page.fill("#phase-cells", cells);
  const started = Date.now();
  await page.click("#phase-compute");
  await page.waitForFunction(
    () => [...document.querySelectorAll("#phase-points tr.phase-point")].at(-1)?.dataset.state === "done",
    null,
    { timeout: 1_800_000 },
  );
  const seconds = (Date.now() - started) / 1000;
  const row = page.locator("#phase-points tr.phase-point").last();
  const cellsText = await row.locator("td").nth(5).textContent();
  console.log(`quality: ${quality}`);
  console.log(`particles: ${cellsText.trim()}`);
  console.log(`browser wall: ${seconds.toFixed(1)} s`);
  console.log(`beta_f_per_particle: ${await row.getAttribute("data-beta-f")}`);
  console.log(`command: ${(await row.locator("code").textContent()).trim()}`);
  await close();
} finally {
  await session.close();
}
