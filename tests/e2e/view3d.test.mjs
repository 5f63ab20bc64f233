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

/** The view's canvas as shown on screen, a PNG in base64. */
async function canvasShot(page) {
  return (await page.locator(".view3d-box canvas").screenshot()).toString("base64");
}

/**
 * Compares a canvas screenshot with its own corner (the background) and, when given, with an
 * earlier screenshot: `drawn` is the share of pixels that differ from the background, `changed`
 * the share that differ from `before`.
 */
async function canvasStats(page, shot, before = null) {
  return page.evaluate(
    async ([b64, was]) => {
      const pixels = async (data) => {
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext("2d");
        g.drawImage(img, 0, 0);
        return g.getImageData(0, 0, c.width, c.height).data;
      };
      const differ = (a, i, b, j) =>
        Math.abs(a[i] - b[j]) + Math.abs(a[i + 1] - b[j + 1]) + Math.abs(a[i + 2] - b[j + 2]) > 30;
      const d = await pixels(b64);
      const e = was ? await pixels(was) : null;
      let drawn = 0;
      let changed = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (differ(d, i, d, 0)) drawn++;
        if (e && e.length === d.length && differ(d, i, e, i)) changed++;
      }
      return { drawn: drawn / (d.length / 4), changed: changed / (d.length / 4) };
    },
    [shot, before],
  );
}

/** Share of the view's canvas (as shown on screen) that differs from its corner (background). */
async function drawnShare(page) {
  return (await canvasStats(page, await canvasShot(page))).drawn;
}

/** Waits (up to 60 s: a software GPU is slow) until the canvas differs from `before` on more
 * than 1 % of its pixels; returns the new screenshot and its statistics. */
async function waitChanged(page, before) {
  let shot = before;
  let stats = { drawn: 0, changed: 0 };
  for (let i = 0; i < 60 && stats.changed <= 0.01; i++) {
    await page.waitForTimeout(1000);
    shot = await canvasShot(page);
    stats = await canvasStats(page, shot, before);
  }
  return { shot, ...stats };
}

/** The "K of N particles shown" counts of the view's status line. */
async function shownCounts(page) {
  const text = await page.textContent(".view3d-box .view-status");
  const m = /(\d+) of (\d+) particles shown/.exec(text);
  return { shown: Number(m[1]), total: Number(m[2]) };
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
    assert.match(status, /WebGPU failed: (presenting to the WebGPU canvas|device lost|setting up WebGPU: the browser did not answer within)/);
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
  assert.match(status, /WebGPU failed: setting up WebGPU: the browser did not answer within 30 s/);
  const share = await waitDrawn(page);
  assert.ok(share > 0.02, `WebGL2 canvas shows particles on ${(100 * share).toFixed(1)} % of it`);
  assert.deepEqual(problems, []);
  await close();
});

test("the 3D view rotates, zooms, slices and resets as the user asks", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  await openView(page, session.url, /WebGPU \(.+\) · [1-9]\d* of \d+ particles shown/);
  await page.locator(".frame-slider").fill("0");
  await waitDrawn(page);
  const canvas = page.locator(".view3d-box canvas");
  await canvas.scrollIntoViewIfNeeded();
  const start = await canvasShot(page);
  const startStats = await canvasStats(page, start);

  // Drag: the camera orbits, the picture changes.
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 40, { steps: 8 });
  await page.mouse.up();
  const dragged = await waitChanged(page, start);
  assert.ok(dragged.changed > 0.01, `a drag changes ${(100 * dragged.changed).toFixed(1)} % of the view`);

  // Arrow key on the focused canvas: another turn.
  await canvas.focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  const turned = await waitChanged(page, dragged.shot);
  assert.ok(turned.changed > 0.01, `arrow keys change ${(100 * turned.changed).toFixed(1)} % of the view`);

  // Reset view: the first picture again (the same camera, the same frame).
  await page.click(".view3d-box button:has-text('Reset view')");
  const reset = await waitChanged(page, turned.shot);
  const again = await canvasStats(page, reset.shot, start);
  assert.ok(again.changed < 0.01, `after Reset view ${(100 * again.changed).toFixed(2)} % differs from the start`);

  // Wheel towards the scene: zoomed in, particles cover more of the canvas.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -600);
  const zoomed = await waitChanged(page, reset.shot);
  assert.ok(zoomed.drawn > startStats.drawn * 1.2,
    `zoomed in, drawn share ${(100 * zoomed.drawn).toFixed(1)} % vs ${(100 * startStats.drawn).toFixed(1)} %`);

  // Slice: a slab of 2 σ keeps a minority of the particles; a thicker one keeps more.
  const all = await shownCounts(page);
  assert.equal(all.shown, all.total);
  await page.check(".view3d-box input[type=checkbox]");
  await waitStatus(page, new RegExp(`· \\d+ of ${all.total} particles shown`));
  await page.waitForFunction(
    (total) => {
      const m = /(\d+) of (\d+) particles shown/.exec(document.querySelector(".view3d-box .view-status")?.textContent ?? "");
      return m && Number(m[1]) < total;
    },
    all.total,
    { timeout: 60_000 },
  );
  const thin = await shownCounts(page);
  assert.ok(thin.shown > 0 && thin.shown < all.total / 2, `a 2 σ slab shows ${thin.shown} of ${all.total}`);
  await page.fill(".view3d-box input[type=number]", "6");
  await page.press(".view3d-box input[type=number]", "Enter");
  await page.waitForFunction(
    (was) => {
      const m = /(\d+) of \d+ particles shown/.exec(document.querySelector(".view3d-box .view-status")?.textContent ?? "");
      return m && Number(m[1]) > was;
    },
    thin.shown,
    { timeout: 60_000 },
  );
  const thick = await shownCounts(page);
  assert.ok(thick.shown > thin.shown, `a 6 σ slab shows ${thick.shown} (2 σ: ${thin.shown})`);
  await screenshot(page, "view3d-controls-sliced");
  assert.deepEqual(problems, []);
  await close();
});

/** WebGPU that fails at once, and a `getContext("webgl2")` that returns null `misses` times
 * (Chromium's GPU process restarting after a lost device does that for a moment). */
const FLAKY_GPU = (misses) => {
  GPU.prototype.requestAdapter = async () => {
    throw new Error("the GPU process is restarting");
  };
  const getContext = HTMLCanvasElement.prototype.getContext;
  let left = misses;
  HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
    if (kind === "webgl2" && left > 0) {
      left--;
      return null;
    }
    return getContext.call(this, kind, ...rest);
  };
};

test("the WebGL2 fall-back tries again when the browser has no context for a moment", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  await page.addInitScript(FLAKY_GPU, 2);
  const status = await openView(page, session.url, /^WebGL2 \(WebGPU failed: .+\) · [1-9]/);
  assert.match(status, /WebGPU failed: requesting an adapter: the GPU process is restarting/);
  assert.ok((await waitDrawn(page)) > 0.02, "WebGL2 draws after two misses");
  assert.deepEqual(problems, []);
  await close();
});

test("a browser with neither WebGPU nor WebGL2 gets a message that names both", async () => {
  const { page, problems, close } = await openPage(session.browser, { width: 1280, height: 900 });
  await page.addInitScript(FLAKY_GPU, 1000);
  const status = await openView(page, session.url, /^3D view unavailable/);
  assert.match(
    status,
    /^3D view unavailable: WebGL2 is not available in this browser \(after WebGPU failed: requesting an adapter: the GPU process is restarting\) · 0 of \d+ particles shown/,
  );
  assert.deepEqual(problems, []);
  await close();
});
