// Page benchmark (not a test): what the page costs to load and how fast it first renders.
//
//   node tests/e2e/bench-page.mjs        (after `trunk build --release`; scripts/bench-page.sh does both)
//
// Size: every response the page loads (html, js, wasm, css, icon) until the compute engine is
// detected, each gzipped at level 9 as a server would send it. Time: navigation start to the
// tab bar in the DOM (performance.now() in a MutationObserver), in fresh browser contexts
// (empty cache) on loopback, median of RUNS loads. Targets: < 1.5 MB gzipped, < 1 s.
import { gzipSync } from "node:zlib";
import { cpus } from "node:os";
import { openPage, startSession } from "./harness.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const SIZE_TARGET = 1.5e6;
const RENDER_TARGET_MS = 1000;

const FIRST_RENDER_PROBE = `
  window.__bench = {};
  new MutationObserver((_, observer) => {
    if (document.querySelector('nav.tabs [role=tab]')) {
      window.__bench.firstRender = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

// True once the status bar exists and no longer says "detecting" (not before the page mounts).
const engineKnown = () => {
  const label = document.querySelector("#status-engine")?.textContent;
  return label !== undefined && !label.includes("detecting");
};

async function measureSizes(session) {
  const { page, problems, close } = await openPage(session.browser);
  const responses = [];
  page.on("response", (res) => responses.push(res));
  await page.goto(session.url);
  await page.waitForFunction(engineKnown);
  const rows = [];
  for (const res of responses) {
    const body = await res.body();
    const name = new URL(res.url()).pathname.replace(/^\//, "") || "(index.html)";
    rows.push({ name, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  await close();
  if (problems.length) throw new Error(`page problems:\n${problems.join("\n")}`);
  return rows;
}

async function measureFirstRender(session) {
  const times = [];
  const engineTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const { page, close } = await openPage(session.browser);
    await page.addInitScript(FIRST_RENDER_PROBE);
    await page.goto(session.url);
    await page.waitForFunction(engineKnown);
    const { firstRender, engine } = await page.evaluate(() => ({
      firstRender: window.__bench.firstRender,
      engine: performance.now(),
    }));
    times.push(firstRender);
    engineTimes.push(engine);
    await close();
  }
  return { times, engineTimes };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const session = await startSession();
try {
  const rows = await measureSizes(session);
  const { times, engineTimes } = await measureFirstRender(session);
  const total = rows.reduce((a, r) => ({ bytes: a.bytes + r.bytes, gzip: a.gzip + r.gzip }), { bytes: 0, gzip: 0 });

  console.log(`Page benchmark: ${session.browser.version()} headless, ${cpus().length} CPU cores, loopback`);
  console.log("");
  console.log(`| ${pad("file", 34)} | ${lpad("raw", 11)} | ${lpad("gzip -9", 11)} |`);
  console.log(`| ${"-".repeat(34)} | ${"-".repeat(10)}: | ${"-".repeat(10)}: |`);
  for (const r of rows) console.log(`| ${pad(r.name, 34)} | ${lpad(kb(r.bytes), 11)} | ${lpad(kb(r.gzip), 11)} |`);
  console.log(`| ${pad("**total**", 34)} | ${lpad(kb(total.bytes), 11)} | ${lpad(kb(total.gzip), 11)} |`);
  console.log("");
  const fr = median(times);
  const sizeOk = total.gzip < SIZE_TARGET;
  const renderOk = fr < RENDER_TARGET_MS;
  console.log(`| measure | value | target |`);
  console.log(`| --- | ---: | --- |`);
  console.log(`| gzipped total of everything the page loads | ${(total.gzip / 1e6).toFixed(3)} MB | < 1.5 MB ${sizeOk ? "(met)" : "(MISSED)"} |`);
  console.log(`| first render: navigation start → tab bar, median of ${RUNS} cold loads | ${fr.toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}) | < 1 s ${renderOk ? "(met)" : "(MISSED)"} |`);
  console.log(`| navigation start → compute engine known (WebGPU probe done), median | ${median(engineTimes).toFixed(0)} ms | — |`);
} finally {
  await session.close();
}
