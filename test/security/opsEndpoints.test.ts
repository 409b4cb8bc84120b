// Finding 10: /metrics and /ready shared the public listener with the webhook and ran a database count per scrape;
// a client-chosen x-request-id was copied into the logs as if it were ours.
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";

const ROUTER_SECRET = "ops-test-router-secret";

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  const response = await request(`http://127.0.0.1:${port}${path}`);
  return { status: response.statusCode, text: await response.body.text() };
}

describe("OPS_PORT", () => {
  const t = useTestApp({ env: { OPS_PORT: "0", ROUTER_SECRET } });

  it("serves /ready and /metrics on the ops listener only; /health on both", async () => {
    const opsPort = t.app.opsPort ?? 0;
    expect(opsPort).toBeGreaterThan(0);
    expect(opsPort).not.toBe(t.app.port);
    expect((await get(opsPort, "/ready")).status).toBe(200);
    expect((await get(opsPort, "/metrics")).text).toContain("orders_pending_reconciliation");
    expect((await get(opsPort, "/health")).status).toBe(200);
    expect((await get(t.app.port, "/ready")).status).toBe(404);
    expect((await get(t.app.port, "/metrics")).status).toBe(404);
    expect((await get(t.app.port, "/health")).status).toBe(200);
    expect((await get(opsPort, "/graphql")).status).toBe(404);
  });

  it("counts the pending backlog at most once per 10 s however often /metrics is scraped", async () => {
    const opsPort = t.app.opsPort ?? 0;
    const ledger = t.app.ledger;
    let counts = 0;
    const original = ledger.countPending.bind(ledger);
    ledger.countPending = async () => {
      counts += 1;
      return original();
    };
    try {
      for (let i = 0; i < 20; i += 1) expect((await get(opsPort, "/metrics")).status).toBe(200);
      expect(counts).toBeLessThanOrEqual(1);
      // /ready asks the database only for a ping, never a count.
      const before = counts;
      for (let i = 0; i < 5; i += 1) await get(opsPort, "/ready");
      expect(counts).toBe(before);
    } finally {
      ledger.countPending = original;
    }
  });

  it("replaces a client's x-request-id; keeps the router's", async () => {
    const forged = "attacker-chosen-id-0001";
    const unauthenticated = await gql(t.url, "{ __typename }", undefined, { "x-request-id": forged });
    expect(unauthenticated.headers["x-request-id"]).not.toBe(forged);
    const wrongSecret = await gql(t.url, "{ __typename }", undefined, {
      "x-request-id": forged,
      "router-authorization": "nope",
    });
    expect(wrongSecret.headers["x-request-id"]).not.toBe(forged);
    expect(t.logs.text).not.toContain(forged);
    const routed = await gql(t.url, "{ __typename }", undefined, {
      "x-request-id": "router-id-0001",
      "router-authorization": ROUTER_SECRET,
    });
    expect(routed.headers["x-request-id"]).toBe("router-id-0001");
  });
});
