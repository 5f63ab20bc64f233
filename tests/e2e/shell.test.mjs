// End-to-end tests of the page shell against the release build (dist/) served on loopback:
// every tab opens from its address and by clicking, the keyboard reaches the tabs, the status
// bar shows the version and the compute engine, and no page logs an error or panics.
//
// Run with `bash scripts/test.sh` (which builds dist/ first) or `node --test tests/e2e/`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { TABS, engineKnown, expectedVersion, screenshot, startSession, withPage } from "./harness.mjs";

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Runs `body(page)` on a fresh page and fails if the page reported any problem. */
async function onPage(body, viewport) {
  await withPage(
    session.browser,
    async (page) => {
      await body(page);
      // Let late async work (the WebGPU probe) finish before judging the console.
      await engineKnown(page);
    },
    viewport,
  );
}

/** Waits until `tab` is the open tab: tab bar, panel label and panel heading agree. */
async function expectOpen(page, tab) {
  await page.waitForFunction(
    ({ slug, title }) => {
      const active = document.querySelector('.tab[aria-selected="true"]');
      const panel = document.querySelector('main[role="tabpanel"]');
      return (
        active?.id === `tab-${slug}` &&
        active.textContent.trim() === title &&
        panel?.getAttribute("aria-labelledby") === `tab-${slug}` &&
        panel.querySelector("h2")?.textContent.trim() === title
      );
    },
    tab,
    { timeout: 15_000 },
  );
  const selected = await page.locator('.tab[aria-selected="true"]').count();
  assert.equal(selected, 1, "exactly one tab is selected");
}

describe("page shell", () => {
  for (const tab of TABS) {
    test(`#/${tab.slug} opens the ${tab.title} tab`, async () => {
      await onPage(async (page) => {
        await page.goto(`${session.url}#/${tab.slug}`);
        await expectOpen(page, tab);
        assert.equal(await page.title(), "BNSL Studio");
        assert.equal((await page.locator("h1").textContent()).trim(), "BNSL Studio");
        const names = (await page.locator(".tab").allTextContents()).map((s) => s.trim());
        assert.deepEqual(names, TABS.map((t) => t.title));
        await screenshot(page, `tab-${tab.slug}`);
      });
    });
  }

  test("the bare address opens Simulate; clicking each tab opens it; Back goes back", async () => {
    await onPage(async (page) => {
      await page.goto(session.url);
      await expectOpen(page, TABS[0]);
      for (const tab of [...TABS.slice(1), TABS[0]]) {
        await page.click(`#tab-${tab.slug}`);
        await expectOpen(page, tab);
        assert.equal(new URL(page.url()).hash, `#/${tab.slug}`);
      }
      await page.goBack();
      await expectOpen(page, TABS[TABS.length - 1]);
    });
  });

  test("an unknown address falls back to Simulate", async () => {
    await onPage(async (page) => {
      await page.goto(`${session.url}#/no-such-tab`);
      await expectOpen(page, TABS[0]);
    });
  });

  test("the keyboard reaches the tabs: Tab to focus, Enter and arrow keys to switch", async () => {
    await onPage(async (page) => {
      await page.goto(session.url);
      await expectOpen(page, TABS[0]);
      let focused = "";
      for (let i = 0; i < 10 && focused !== "tab-simulate"; i++) {
        await page.keyboard.press("Tab");
        focused = await page.evaluate(() => document.activeElement?.id ?? "");
      }
      assert.equal(focused, "tab-simulate", "Tab key reaches the tab bar");
      await page.keyboard.press("ArrowRight");
      await expectOpen(page, TABS[1]);
      assert.equal(await page.evaluate(() => document.activeElement?.id), "tab-analyse");
      await page.keyboard.press("ArrowLeft");
      await expectOpen(page, TABS[0]);
      await page.keyboard.press("End");
      await expectOpen(page, TABS[3]);
      await page.keyboard.press("Home");
      await expectOpen(page, TABS[0]);
      await page.keyboard.press("Tab"); // focus leaves the tab bar for the panel's first stop
      await page.keyboard.press("Shift+Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "tab-simulate");
      await page.focus("#tab-phase");
      await page.keyboard.press("Enter");
      await expectOpen(page, TABS[2]);
    });
  });

  test("the status bar shows the version of `bnsl --version` and the compute engine", async (t) => {
    await onPage(async (page) => {
      await page.goto(session.url);
      const version = page.locator("#status-version");
      assert.equal((await version.textContent()).trim(), `BNSL Studio v${expectedVersion()}`);
      const engine = page.locator("#status-engine");
      await engineKnown(page);
      const label = (await engine.textContent()).trim();
      t.diagnostic(`engine label: ${label}`);
      // Chromium runs here with --enable-unsafe-webgpu, so SwiftShader must give an adapter.
      assert.match(label, /^compute: WebGPU \(.+\)$/);
      await screenshot(page, "status-bar");
    });
  });

  test("the layout fits a small laptop screen without sideways scrolling", async () => {
    await onPage(
      async (page) => {
        await page.goto(`${session.url}#/saxs`);
        await expectOpen(page, TABS[3]);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `page is ${overflow}px wider than the window`);
        await screenshot(page, "narrow-1024");
      },
      { width: 1024, height: 640 },
    );
  });
});
