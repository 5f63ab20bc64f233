// Writes data/phase-diagrams/reproduced-compressions.json, the small summary the Phase diagram
// tab colours the paper's compressions with: for every run of the committed reproductions
// (data/reproduction/*/results.json, written by `bnsl reproduce`) its preset, the crystalline
// fraction of L at the end and at most, and how it was run. Whole trajectories stay out of the
// page. Run from the repository root after a reproduction changes: node scripts/reproduction-summary.mjs
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = "data/reproduction";
const runs = [];
for (const dir of readdirSync(root).sort()) {
  const file = join(root, dir, "results.json");
  if (!existsSync(file)) continue;
  const results = JSON.parse(readFileSync(file, "utf8"));
  for (const run of results.runs ?? []) {
    // the compressions of Fig. 3e/f and the repulsive control, which the maps draw
    const onMap = /^fig3[ef]-/.test(run.preset ?? "") || run.preset === "repulsive";
    if (!onMap || typeof run.final_fraction !== "number") continue;
    runs.push({
      preset: run.preset,
      experiment: results.experiment,
      quality: results.quality,
      particles: run.particles,
      tau: run.tau,
      complete: run.complete,
      final_fraction: run.final_fraction,
      max_fraction: run.max_fraction,
      source: `${file}: ${results.command}`,
    });
  }
}
const out = "data/phase-diagrams/reproduced-compressions.json";
writeFileSync(out, `${JSON.stringify({ runs }, null, 1)}\n`);
console.log(`${out}: ${runs.length} runs`);
