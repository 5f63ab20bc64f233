// Shared set-up for the browser tests and the page benchmark: the system Chromium driven by
// playwright-core, with WebGPU through SwiftShader, and the release build served on loopback.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "../../scripts/static-server.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = resolve(ROOT, process.env.BNSL_DIST ?? "dist");
export const ARTIFACTS = resolve(ROOT, "test-artifacts", "e2e");

/**
 * Chromium flags: headless WebGPU (SwiftShader) and no chatter with the closed network. The
 * ANGLE/Vulkan SwiftShader flags let the GPU process back a WebGPU *canvas* (without them it
 * logs "Could not find SharedImageBackingFactory … WebgpuSwapChainTexture" and drops the device,
 * so the 3D view falls back to WebGL2); compute-only WebGPU works either way.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--use-angle=swiftshader",
  "--use-vulkan=swiftshader",
  "--enable-features=Vulkan",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The four tabs: address slug and the title the tab bar and the panel heading show. */
export const TABS = [
  { slug: "simulate", title: "Simulate" },
  { slug: "analyse", title: "Analyse" },
  { slug: "phase", title: "Phase diagram" },
  { slug: "saxs", title: "SAXS fit" },
];

/**
 * The version `bnsl --version` prints (passed in by scripts/test.sh as BNSL_VERSION), else
 * the one in Cargo.toml, which is where the binary takes it from.
 */
export function expectedVersion() {
  if (process.env.BNSL_VERSION) return process.env.BNSL_VERSION.trim();
  const toml = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
  const m = toml.match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms);
  if (!m) throw new Error("no [package] version in Cargo.toml");
  return m[1];
}

/** Starts the static server on a free port and launches Chromium. */
export async function startSession() {
  const server = await startStaticServer({ dir: DIST, port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Opens a fresh page that records every console error, uncaught page error (a Rust panic
 * shows as one), failed request and HTTP error; `problems` lists them as text.
 */
export async function openPage(browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  // net::ERR_ABORTED is the browser cancelling a request itself (a navigation, or a worker
  // terminated while its script still loads, as a new job replaces a running one); a missing or
  // failing file shows as an HTTP status below or as another error text.
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText;
    if (error !== "net::ERR_ABORTED") problems.push(`request failed: ${req.url()} (${error})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { page, problems, close: () => context.close() };
}

/** Saves a full-page screenshot under test-artifacts/e2e/ and returns its path. */
export async function screenshot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Resolves once the status bar has finished asking the browser for a WebGPU adapter. */
export async function engineKnown(page) {
  await page.waitForFunction(
    () => {
      // The element must exist: before the page mounts there is nothing to read yet.
      const label = document.querySelector("#status-engine")?.textContent;
      return label !== undefined && !label.includes("detecting");
    },
  );
}

/**
 * Runs `body(page)` on a fresh page (see openPage) and closes it; fails if the body throws
 * (the page's problems are added to the message) or if the page reported any problem.
 */
export async function withPage(browser, body, viewport) {
  const { page, problems, close } = await openPage(browser, viewport);
  try {
    await body(page);
  } catch (err) {
    err.message += problems.length ? `\npage problems:\n  ${problems.join("\n  ")}` : "";
    throw err;
  } finally {
    await close();
  }
  if (problems.length) throw new Error(`the page logged errors:\n  ${problems.join("\n  ")}`);
}
