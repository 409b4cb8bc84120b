// The explorer's HTTP side, without a browser: who gets the page, what it is allowed to load, and that production
// (or ENABLE_SANDBOX=false) serves neither it nor its assets.
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { requireExplorerBuild } from "../support/explorerBuild.js";
import { useTestApp } from "../support/harness.js";

requireExplorerBuild();

const HTML = { accept: "text/html,application/xhtml+xml" };

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await request(url, { headers });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe("with a router secret, outside production", () => {
  const app = useTestApp({ env: { ROUTER_SECRET: "explorer-test-secret" } });

  it("serves the explorer page to a browser without the secret, with the README's operations and a strict CSP", async () => {
    const page = await get(app.url, HTML);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(String(page.headers["content-security-policy"])).toMatch(/default-src 'self'.*connect-src 'self'/);
    expect(page.text).toContain("placeAirmilesOrder");
    expect(page.text).toContain("Router-Authorization");
    // No absolute URL anywhere in the page: everything is relative to this service.
    expect(page.text).not.toMatch(/(src|href)="https?:/);
  });

  it("still refuses GraphQL without the secret", async () => {
    const response = await request(app.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"query":"{__typename}"}',
    });
    expect(response.statusCode).toBe(401);
    await response.body.dump();
  });

  it("serves only the built assets, with their content types", async () => {
    const origin = new URL(app.url).origin;
    const script = await get(`${origin}/explorer/explorer.js`);
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toContain("text/javascript");
    expect((await get(`${origin}/explorer/graphql.worker.js`)).status).toBe(200);
    expect((await get(`${origin}/explorer/../package.json`)).status).toBe(404);
    expect((await get(`${origin}/explorer/%2e%2e%2fpackage.json`)).status).toBe(404);
    expect((await get(`${origin}/explorer/nothing.js`)).status).toBe(404);
  });

  it("keeps Apollo Sandbox one link away (Apollo's landing page, which loads from Apollo's CDN)", async () => {
    const sandbox = await get(`${app.url}?explorer=apollo-sandbox`, {
      ...HTML,
      "router-authorization": "explorer-test-secret",
    });
    expect(sandbox.status).toBe(200);
    expect(sandbox.text).toMatch(/apollo/i);
    expect(sandbox.text).not.toContain("explorer-settings");
  });
});

describe("with ENABLE_SANDBOX=false", () => {
  const app = useTestApp({ env: { ENABLE_SANDBOX: "false" } });

  it("serves neither the page nor its assets", async () => {
    const page = await get(app.url, HTML);
    expect(page.text).not.toContain("explorer-settings");
    expect((await get(`${new URL(app.url).origin}/explorer/explorer.js`)).status).toBe(404);
  });
});
