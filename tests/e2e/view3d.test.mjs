// The 3D particle view (src/app/view3d) in the page, on the Analyse tab's lattice example:
// it draws through WebGPU (SwiftShader) and says so; when its device is lost it falls back to
// WebGL2 with a message and keeps drawing; in a browser whose GPU process cannot back a WebGPU
// canvas (Chromium without the ANGLE/Vulkan SwiftShader flags) it starts on WebGL2 and says why.
// The drawn share of the canvas is read from a screenshot of it (what the user sees).
// Screenshots in test-artifacts/e2e/view3d-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startSession, openPage, screenshot, CHROMIUM_ARGS, DIST } from "./harness.mjs";
import { startStaticServer } from "../../scripts/static-server.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Keeps every WebGPU device the page opens on `window.__bnslDevices` (for the loss test). */
const RECORD_DEVICES = () => {
  const request = GPUAdapter.prototype.requestDevice;
  window.__bnslDevices = [];
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await request.apply(this, args);
    window.__bnslDevices.push(device);
    return device;
  };
};

/** Opens the Analyse tab's lattice example and waits for the 3D view's status to match. */
async function openView(page, url, status) {
  await page.goto(`${url}#/analyse`);
  await page.click("button.example-melting");
  return waitStatus(page, status);
}

async function waitStatus(page, status) {
  try {
    await page.waitForFunction(
      (re) => new RegExp(re).test(document.querySelector(".view3d-box .view-status")?.textContent ?? ""),
      status.source,
      { timeout: 120000 },
    );
  } catch (e) {
    const now = await page.textContent(".view3d-box .view-status").catch(() => "(no view)");
    throw new Error(`view status never matched ${status}; it reads "${now}": ${e.message}`);
  }
  return page.textContent(".view3d-box .view-status");
}

/** Share of the view's canvas (as shown on screen) that differs from its corner (background). */
async function drawnShare(page) {
  const png = (await page.locator(".view3d-box canvas").screenshot()).toString("base64");
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 30) drawn++;
    }
    return drawn / (d.length / 4);
  }, png);
}

/** Waits (a software GPU is slow) until the canvas shows particles; returns the drawn share. */
async function waitDrawn(page) {
  let share = 0;
  for (let i = 0; i < 60 && share < 0.02; i++) {
    await page.waitForTimeout(1000);
    share = await drawnShare(page);
  }
  return share;
}

test("the 3D view draws through WebGPU and falls back to WebGL2 when its device is lost", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  await page.addInitScript(RECORD_DEVICES);
  const status = await openView(page, session.url, /WebGPU \(.+\) · [1-9]\d* of \d+ particles shown/);
  assert.match(status, /^WebGPU \(google\/swiftshader\)/);
  // Frame 0 is the ideal lattice: crystalline L blue, their S neighbours pink (a new upload).
  await page.locator(".frame-slider").fill("0");
  await waitStatus(page, /^WebGPU \(.+\) · [1-9]/);
  const share = await waitDrawn(page);
  assert.ok(share > 0.02, `WebGPU canvas shows particles on ${(100 * share).toFixed(1)} % of it`);
  await page.locator(".view3d-box").scrollIntoViewIfNeeded();
  await screenshot(page, "view3d-webgpu");
  // A GPU reset, as the page sees it: every device it opened is destroyed.
  const lost = await page.evaluate(() => {
    window.__bnslDevices.forEach((d) => d.destroy());
    return window.__bnslDevices.length;
  });
  assert.ok(lost >= 1);
  const after = await waitStatus(page, /^WebGL2 \(WebGPU failed: device lost: .+\) · [1-9]/);
  assert.match(after, /device lost: destroyed/);
  const glShare = await waitDrawn(page);
  assert.ok(glShare > 0.02, `WebGL2 canvas shows particles on ${(100 * glShare).toFixed(1)} % of it`);
  await page.locator(".view3d-box").scrollIntoViewIfNeeded();
  await screenshot(page, "view3d-webgl2-after-loss");
  assert.deepEqual(problems, []);
  await close();
});

test("without a WebGPU canvas the view starts on WebGL2 and says why", async () => {
  const canvasFlags = ["--use-angle=swiftshader", "--use-vulkan=swiftshader", "--enable-features=Vulkan"];
  const server = await startStaticServer({ dir: DIST, port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS.filter((a) => !canvasFlags.includes(a)),
  });
  try {
    const { page, problems, close } = await openPage(browser, { width: 1280, height: 900 });
    const status = await openView(page, server.url, /^WebGL2 \(WebGPU failed: .+\) · [1-9]/);
    assert.match(status, /WebGPU failed: (presenting to the WebGPU canvas|device lost|not set up within)/);
    const share = await waitDrawn(page);
    assert.ok(share > 0.02, `WebGL2 canvas shows particles on ${(100 * share).toFixed(1)} % of it`);
    await page.locator(".view3d-box").scrollIntoViewIfNeeded();
    await screenshot(page, "view3d-fallback");
    // Chromium reports the dropped WebGPU device on the console; nothing else may go wrong.
    const others = problems.filter((p) => !/valid external Instance reference/.test(p));
    assert.deepEqual(others, []);
    await close();
  } finally {
    await browser.close();
    await server.close();
  }
});

test("a WebGPU set-up that never answers gives way to WebGL2 after 30 s", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  // A GPU process that takes the request and never replies, as a browser without a usable
  // WebGPU canvas once did in CI: the adapter promise stays pending for ever.
  await page.addInitScript(() => {
    GPU.prototype.requestAdapter = () => new Promise(() => {});
  });
  const status = await openView(page, session.url, /^WebGL2 \(WebGPU failed: .+\) · [1-9]/);
  assert.match(status, /WebGPU failed: not set up within 30 s/);
  const share = await waitDrawn(page);
  assert.ok(share > 0.02, `WebGL2 canvas shows particles on ${(100 * share).toFixed(1)} % of it`);
  assert.deepEqual(problems, []);
  await close();
});
