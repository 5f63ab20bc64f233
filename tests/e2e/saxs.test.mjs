// End-to-end tests of the SAXS fit tab against the release build (dist/): an example loads and
// fits (table of a and c/a with errors, hkl markers), a bad CSV names the line and keeps the
// readable rows, a dropped file is read, a series shows its S(q, t) heatmap and is fitted
// frame by frame, and a share link restores settings and data in a fresh context. Issue #17: a
// user structure file joins the candidates (seen in the models compared), hostile ones get a
// message and change nothing; I(q) is fitted with the cores' form factor (scale, background).
//
// Run with `bash scripts/test.sh` or `node --test tests/e2e/saxs.test.mjs` (after trunk build).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, openPage, screenshot, startSession, withPage } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

async function onPage(body, url = `${session.url}/#/saxs`) {
  await withPage(
    session.browser,
    async (page) => {
      await page.goto(url);
      await page.waitForSelector("#panel-saxs h2");
      await body(page);
    },
    { width: 1400, height: 1000 },
  );
}

/** The text of a parameter row of the phase table. */
async function param(page, structure, name) {
  const cell = page.locator(`.saxs-table[data-structure="${structure}"] tr[data-name="${name}"] td`).first();
  await cell.waitFor({ timeout: 30_000 });
  return (await cell.textContent()).trim();
}

describe("SAXS fit tab", () => {
  test("the heading stays first and an example fits with errors", async () => {
    await onPage(async (page) => {
      assert.equal((await page.locator("#panel-saxs h2").first().textContent()).trim(), "SAXS fit");
      await page.getByRole("button", { name: "AlB₂ (Fe₃O₄/PbS)" }).click();
      const a = await param(page, "AlB₂", "a");
      const rho = await param(page, "AlB₂", "c/a");
      assert.match(a, /^13\.1\d* ± 0\.0\d+$/, a);
      assert.match(rho, /^0\.9[89]\d* ± 0\.0\d+$/, rho);
      // hkl labels drawn at the reflections.
      const svgText = await page.locator(".saxs-plots svg").first().textContent();
      assert.ok(svgText.includes("101"), "101 marker");
      await screenshot(page, "saxs-single");
    });
  });

  test("a bad CSV names the line and keeps the readable rows", async () => {
    await onPage(async (page) => {
      const rows = ["q (nm^-1),S"];
      for (let i = 0; i < 200; i++) {
        const q = 0.3 + 0.005 * i;
        rows.push(i === 7 ? `${q.toFixed(4)},abc` : `${q.toFixed(4)},${(1 + 2 / (1 + ((q - 0.6) / 0.01) ** 2)).toFixed(5)}`);
      }
      await page.setInputFiles('.saxs-pick input[type="file"]', {
        name: "bad.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(rows.join("\n") + "\n"),
      });
      const warn = page.locator(".saxs-warnings");
      await warn.waitFor();
      const text = await warn.textContent();
      assert.ok(text.includes("line 9, column 2: 'abc' is not a number"), text);
      assert.ok(text.includes("readable rows were kept"), text);
      await page.locator(".saxs-plots svg").first().waitFor();
      await screenshot(page, "saxs-bad-csv");
    });
  });

  test("a dropped file is read", async () => {
    await onPage(async (page) => {
      await page.evaluate(() => {
        const rows = ["q,I"];
        for (let i = 1; i <= 50; i++) rows.push(`${(0.01 * i).toFixed(3)},${(1 / (1 + i)).toFixed(5)}`);
        const dt = new DataTransfer();
        dt.items.add(new File([rows.join("\n")], "dropped.csv", { type: "text/csv" }));
        const zone = document.querySelector(".saxs-drop");
        zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      await page.locator(".saxs-unit").waitFor();
      assert.ok((await page.locator(".saxs-timing, .saxs-error").first().textContent()).length > 0);
    });
  });

  test("a series shows its heatmap and is fitted frame by frame", async () => {
    await onPage(async (page) => {
      await page.selectOption(".saxs-settings select >> nth=0", "alb2");
      await page.getByRole("button", { name: "AlB₂ crystallising (series)" }).click();
      await page.locator(".saxs-heatmap svg").waitFor();
      await page.locator(".saxs-kinetics svg").first().waitFor({ timeout: 120_000 });
      assert.equal(await page.locator(".saxs-slider input").getAttribute("max"), "19");
      await page.locator(".saxs-slider input").fill("5");
      await page.locator(".saxs-table").first().waitFor();
      await screenshot(page, "saxs-series");
    });
  });

  test("a share link restores settings and data", async () => {
    let link;
    let a;
    await onPage(async (page) => {
      await page.selectOption(".saxs-settings select >> nth=0", "alb2");
      await page.fill(".saxs-core >> nth=0", "10.4");
      await page.fill(".saxs-core >> nth=1", "4.5");
      await page.getByRole("button", { name: "NaZn₁₃ + AlB₂ (FICO/PbS)" }).click();
      await page.getByRole("button", { name: "Fit" }).click();
      a = await param(page, "AlB₂", "a");
      await page.getByRole("button", { name: "Share link" }).click();
      link = await page.locator(".saxs-link input").inputValue();
      assert.match(link, /#\/saxs\?r=/);
    });
    // A fresh context opens the link: the example is larger than 8 KB, so it asks for the file.
    const { page, problems, close } = await openPage(session.browser);
    try {
      await page.goto(link);
      const notice = page.locator(".saxs-notice");
      await notice.waitFor();
      assert.ok((await notice.textContent()).includes("upload the same file"));
      assert.equal(await page.locator(".saxs-core >> nth=0").inputValue(), "10.4");
      await page.getByRole("button", { name: "NaZn₁₃ + AlB₂ (FICO/PbS)" }).click();
      await page.waitForFunction(() => document.querySelector(".saxs-notice")?.textContent.includes("matches"));
      assert.equal(await param(page, "AlB₂", "a"), a);
    } finally {
      await close();
    }
    assert.deepEqual(problems, []);
    // A small file travels inside the link.
    await onPage(async (page) => {
      const rows = ["q (nm^-1),S"];
      for (let i = 0; i < 60; i++) rows.push(`${(0.3 + 0.01 * i).toFixed(2)},${(1 + Math.exp(-(((0.6 - (0.3 + 0.01 * i)) / 0.02) ** 2))).toFixed(4)}`);
      await page.setInputFiles('.saxs-pick input[type="file"]', { name: "small.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
      await page.getByRole("button", { name: "Share link" }).click();
      link = await page.locator(".saxs-link input").inputValue();
    });
    await onPage(async (page) => {
      await page.waitForFunction(() => document.querySelector(".saxs-notice")?.textContent.includes("data restored"));
      await page.locator(".saxs-plots svg").first().waitFor();
      await screenshot(page, "saxs-link-restored");
    }, link);
  });

  test("a malformed link gets a message and defaults", async () => {
    await onPage(async (page) => {
      const err = page.locator(".saxs-error");
      await err.waitFor();
      assert.ok((await err.textContent()).includes("Default settings are used"));
    }, `${session.url}/#/saxs?r=AQAAAA<script>`);
  });
});

/** Waits for the fit after `action` (a new run id on the timing line). */
async function fitAfter(page, action) {
  const run = (await page.locator(".saxs-timing").count()) ? await page.locator(".saxs-timing").getAttribute("data-run") : null;
  await action();
  await page.waitForFunction(
    (r) => {
      const el = document.querySelector(".saxs-timing");
      return el && el.getAttribute("data-run") !== r;
    },
    run,
    { timeout: 60_000 },
  );
}

describe("SAXS tab, issue #17", () => {
  test("a structure file joins the candidates; hostile files change nothing", async () => {
    await onPage(async (page) => {
      await fitAfter(page, () => page.getByRole("button", { name: "AlB₂ (Fe₃O₄/PbS)" }).click());
      const a = await param(page, "AlB₂", "a");
      const toml = [
        'name = "my-cscl"',
        'label = "my CsCl"',
        'lattice = "cubic"',
        "basis = [",
        '  { species = "Large", frac = [0, 0, 0] },',
        '  { species = "Small", frac = [0.5, 0.5, 0.5] },',
        "]",
      ].join("\n");
      const pick = '.saxs-structure-pick input[type="file"]';
      await page.setInputFiles(pick, { name: "my.toml", mimeType: "text/plain", buffer: Buffer.from(toml) });
      await page.locator('.saxs-structures li[data-structure="my-cscl"]').waitFor();
      await fitAfter(page, () => page.getByRole("button", { name: "Fit" }).click());
      assert.equal(await page.locator('.saxs-table tr[data-model="my-cscl"]').count(), 1);
      assert.equal(await param(page, "AlB₂", "a"), a);
      // Hostile files: a syntax error (line and column), binary junk, an oversized file, a
      // catalogue name, a basis of 10⁴ sites. Each gets a message; nothing else changes.
      const hostile = [
        ["broken.toml", 'name = "x"\nlattice = "cubic"\nbasis = [ { species = "Large", frac = [0, 0 } ]\n', "line 3"],
        ["junk.toml", Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x9f]), "not UTF-8"],
        ["big.toml", "# " + "x".repeat(70_000), "at most 65536"],
        ["fcc.toml", 'name = "fcc"\nlattice = "cubic"\nbasis = [ { species = "Large", frac = [0, 0, 0] } ]\n', "catalogue crystal"],
        ["many.json", JSON.stringify({ name: "many", lattice: "cubic", basis: Array.from({ length: 10_000 }, (_, i) => ({ species: "Large", frac: [i / 1e4, 0, 0] })) }), "at most 65536"],
        ["sites.json", JSON.stringify({ name: "sites", lattice: "cubic", basis: Array.from({ length: 600 }, (_, i) => ({ species: "Large", frac: [i / 600, 0, 0] })) }), "at most 512"],
      ];
      for (const [name, body, needle] of hostile) {
        await page.setInputFiles(pick, { name, mimeType: "text/plain", buffer: Buffer.from(body) });
        await page.waitForFunction((n) => document.querySelector(".saxs-error")?.textContent.includes(n), name);
        const msg = await page.locator(".saxs-error").textContent();
        assert.ok(msg.includes(needle) && msg.includes("Nothing else changed"), msg);
        assert.equal(await page.locator(".saxs-structures li").count(), 1);
        assert.equal(await param(page, "AlB₂", "a"), a);
      }
      await screenshot(page, "saxs-structure-file");
    });
  });

  test("the verdict comes first: explained for the example, not for a lamellar ladder", async () => {
    await onPage(async (page) => {
      await fitAfter(page, () => page.getByRole("button", { name: "AlB₂ (Fe₃O₄/PbS)" }).click());
      assert.equal(await page.locator(".saxs-verdict").getAttribute("data-explained"), "true");
      const rows = ["q (nm^-1),S,error"];
      for (let i = 0; i < 800; i++) {
        const q = 0.2 + (1.6 * i) / 799;
        const s = 1 + [0.45, 0.9, 1.35].reduce((t, q0) => t + ((2 / q0) * 1e-4) / ((q - q0) ** 2 + 1e-4), 0);
        rows.push(`${q.toFixed(5)},${s.toFixed(6)},${(0.01 * s + 0.005).toFixed(6)}`);
      }
      await fitAfter(page, () =>
        page.setInputFiles('.saxs-pick input[type="file"]', { name: "ladder.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) }),
      );
      const verdict = page.locator(".saxs-verdict");
      assert.equal(await verdict.getAttribute("data-explained"), "false");
      const text = await verdict.textContent();
      assert.ok(text.startsWith("No structure in the catalogue explains this pattern"), text);
      const found = (text.match(/peaks found at q = ([0-9., ]+)/)?.[1] ?? "").split(",").map(Number);
      for (const q of [0.45, 0.9, 1.35]) assert.ok(found.some((f) => Math.abs(f - q) < 0.01), `${q} in ${text}`);
      assert.ok((await page.locator(".saxs-evidence").textContent()).includes("not a structure found"));
    });
  });

  test("I(q) is fitted with the cores' form factor", async () => {
    await onPage(async (page) => {
      await page.selectOption(".saxs-data-kind", "spheres");
      await page.fill(".saxs-core-d", "10.01");
      await page.fill(".saxs-core-sd", "0.8008");
      const body = readFileSync(join(ROOT, "tests/fixtures/saxs/iq_alb2.csv"));
      await page.setInputFiles('.saxs-pick input[type="file"]', { name: "iq_alb2.csv", mimeType: "text/csv", buffer: body });
      const a = await param(page, "AlB₂", "a");
      assert.match(a, /^14\.(29|30)\d* ± /, a);
      const scale = await page.locator('.saxs-intensity tr[data-name="background"] td').textContent();
      assert.match(scale, /^0\.1[5-7]\d* ± /, scale);
      // A spread out of range: the message names it and its range; the fit shown stays.
      await page.fill(".saxs-core-sd", "0");
      await page.getByRole("button", { name: "Fit" }).click();
      const err = await page.locator(".saxs-error").textContent();
      assert.ok(err.includes("core spread 0") && err.includes("between 0.1001 and 5.005"), err);
      assert.equal(await param(page, "AlB₂", "a"), a);
      // The measured P(q) of the dilute cores instead.
      await page.selectOption(".saxs-data-kind", "file");
      const cores = readFileSync(join(ROOT, "tests/fixtures/saxs/iq_alb2_cores.csv"));
      await page.setInputFiles('.saxs-form-pick input[type="file"]', { name: "iq_alb2_cores.csv", mimeType: "text/csv", buffer: cores });
      await page.locator(".saxs-form-pick", { hasText: "iq_alb2_cores.csv" }).waitFor();
      await fitAfter(page, () => page.getByRole("button", { name: "Fit" }).click());
      const caption = await page.locator(".saxs-intensity caption").textContent();
      assert.ok(caption.includes("measured: iq_alb2_cores.csv"), caption);
      assert.match(await param(page, "AlB₂", "a"), /^14\.(29|30)\d* ± /);
      await screenshot(page, "saxs-intensity");
    });
  });
});
