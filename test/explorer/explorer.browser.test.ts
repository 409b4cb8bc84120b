// The offline explorer in a real browser: headless Chromium opens /graphql, runs the README's airmiles placement
// (preloaded in the first tab) against the built-in simulator, and the answer appears on the page. Every request the
// page made (scripts, styles, fonts, workers, the GraphQL POST) went to the service itself; a screenshot is saved
// in test-results/explorer.png.
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedChromium } from "../support/chromium.js";
import { requireExplorerBuild } from "../support/explorerBuild.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { JWT_ENV, tokenFor } from "../support/jwtTokens.js";

const SCREENSHOT = "test-results/explorer.png";

describe("the explorer in Chromium", () => {
  let app: TestApp;
  let chromium: LaunchedChromium;
  let page: Page;
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireExplorerBuild();
    [app, chromium] = await Promise.all([startTestApp(), launchChromium()]);
    const context = await chromium.browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Every request of the page and of its workers, whether it succeeds or not.
    context.on("request", (request) => requested.push(request.url()));
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  it("places the README's airmiles order from the preloaded tab and shows the result", async () => {
    const response = await page.goto(app.url, { waitUntil: "load" });
    expect(response?.headers()["content-type"]).toContain("text/html");
    expect(response?.headers()["content-security-policy"]).toContain("connect-src 'self'");

    // The README's operations are the tabs; the first is the airmiles placement.
    await page.locator(".graphiql-execute-button").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator(".graphiql-tab").count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await expect
      .poll(() => page.locator(".graphiql-query-editor").innerText(), { timeout: 15_000 })
      .toContain("placeAirmilesOrder");
    // The header editor offers the two headers a router would send.
    await page
      .getByRole("button", { name: /headers/i })
      .first()
      .click();
    await expect.poll(() => page.locator(".graphiql-editor-tool").innerText()).toContain("Router-Authorization");

    await page.locator(".graphiql-execute-button").click();
    await expect.poll(() => page.locator(".graphiql-response").innerText(), { timeout: 20_000 }).toContain("PLACED");
    const shown = await page.locator(".graphiql-response").innerText();
    expect(shown).toContain("PO-1001");

    // It was really placed: the simulator holds the order the page shows.
    const [order] = app.sim.ordersByPoNumber("PO-1001");
    expect(order).toBeDefined();
    expect(shown).toContain(String(order?.orderId));

    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 60_000);

  it("made no request outside the service, and the page raised no error", () => {
    const origin = new URL(app.url).origin;
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${origin}/explorer/explorer.js`, `${origin}/graphql`]));
    expect(pageErrors).toEqual([]);
  });
});

describe("the explorer's header editor, against a service with a router secret and JWT verification", () => {
  const ROUTER_SECRET = "explorer-browser-secret";
  let app: TestApp;
  let chromium: LaunchedChromium;
  let page: Page;

  beforeAll(async () => {
    [app, chromium] = await Promise.all([startTestApp({ ...JWT_ENV, ROUTER_SECRET }), launchChromium()]);
    page = await (await chromium.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  it("sends the Router-Authorization and Authorization the user types, and the top-up tab places an order", async () => {
    await page.goto(app.url, { waitUntil: "load" });
    await page.locator(".graphiql-execute-button").waitFor({ timeout: 30_000 });
    // The second tab: the README's top-up.
    await page.locator(".graphiql-tab").nth(1).click();
    await expect
      .poll(() => page.locator(".graphiql-query-editor").innerText(), { timeout: 15_000 })
      .toContain("placeTopupOrder");

    const headers = {
      "Router-Authorization": ROUTER_SECRET,
      Authorization: `Bearer ${await tokenFor("explorer-user", "orders:write orders:read")}`,
    };
    await page
      .getByRole("button", { name: /headers/i })
      .first()
      .click();
    const headerEditor = page.locator(".graphiql-editor-tool .monaco-editor").last();
    await headerEditor.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Delete");
    // insertText: one input event, so the editor's auto-closing of quotes and braces does not double them.
    await page.keyboard.insertText(JSON.stringify(headers));

    await page.locator(".graphiql-execute-button").click();
    await expect.poll(() => page.locator(".graphiql-response").innerText(), { timeout: 20_000 }).toContain("PLACED");
    // Placed as the token's subject: both headers reached the service.
    const row = await app.app.ledger.findByCallerPoNumber("explorer-user", "PO-1002");
    expect(row?.subject).toBe("explorer-user");
  }, 60_000);
});
