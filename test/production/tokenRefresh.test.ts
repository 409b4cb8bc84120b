// Plum's access token is refreshed by the service itself: reactively after a 401 (once across replicas, the
// rotated pair persisted for all of them), proactively before expiry, and a failed refresh keeps the old pair
// and raises an alert-worthy log line (docs/plum-api.md §3, docs/reliability-notes.md C9).
import { afterEach, describe, expect, it } from "vitest";
import { TokenManager } from "../../src/plum/tokenManager.js";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { externalPlumEnv } from "../support/externalPlum.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { sendAirmiles, sendTopup } from "../support/orderOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Apps before the simulator and the database they use.
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function simulator(options: Parameters<typeof createPlumSimulator>[0] = {}): Promise<PlumSimulator> {
  const sim = await createPlumSimulator(options);
  cleanup.push(() => sim.close());
  return sim;
}

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  return db;
}

async function app(env: Record<string, string>, replicaId?: string): Promise<TestApp> {
  const t = await startTestApp(env, replicaId ? { replicaId } : {});
  cleanup.push(() => t.close());
  return t;
}

function tokenManagerOf(t: TestApp): TokenManager {
  const credentials = t.app.credentials;
  if (!(credentials instanceof TokenManager)) throw new Error("expected managed Plum credentials");
  return credentials;
}

describe("reactive refresh after Plum answers 401", () => {
  it("two replicas sharing one ledger refresh exactly once, both orders succeed, and the new pair is stored", async () => {
    const sim = await simulator();
    const db = await database();
    const env = { ...externalPlumEnv(sim), DATABASE_URL: db.url };
    const a = await app(env, "replica-a");
    const b = await app(env, "replica-b");
    const initialRefreshes = sim.count("tokenRefresh");
    expect(initialRefreshes).toBe(0);

    const expired = `Bearer ${sim.tokens.accessToken}`;
    sim.expireAccessToken();
    const [ra, rb] = await Promise.all([sendAirmiles(a.url, airmilesInput()), sendTopup(b.url, topupInput())]);

    expect(ra.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(rb.data?.placeTopupOrder.outcome).toBe("PLACED");
    expect(sim.count("tokenRefresh")).toBe(1);
    // Each replica really hit the 401 (4 sends: two refused, two retried with the new token).
    expect(sim.calls("placeOrder").filter((c) => c.authorization === expired)).toHaveLength(2);
    expect(sim.count("placeOrder")).toBe(4);
    const stored = await a.app.ledger.getTokens();
    expect({ accessToken: stored?.accessToken, refreshToken: stored?.refreshToken }).toEqual(sim.tokens);
    expect(stored?.accessTokenExpiresAt?.getTime()).toBeGreaterThan(Date.now());
    // Both replicas now send the new token.
    const lastTwo = sim
      .calls("placeOrder")
      .slice(-2)
      .map((c) => c.authorization);
    expect(lastTwo).toEqual([`Bearer ${sim.tokens.accessToken}`, `Bearer ${sim.tokens.accessToken}`]);
    // And keep working without another refresh.
    const again = await Promise.all([sendAirmiles(a.url, airmilesInput()), sendAirmiles(b.url, airmilesInput())]);
    expect(again.map((r) => r.data?.placeAirmilesOrder.outcome)).toEqual(["PLACED", "PLACED"]);
    expect(sim.count("tokenRefresh")).toBe(1);
  });
});

describe("proactive refresh before expiry", () => {
  it("refreshes once when the token is within XOXODAY_REFRESH_BEFORE_EXPIRY_MS of expiry, then uses the new token", async () => {
    const sim = await simulator();
    // A refresh window longer than the token's whole life (15 days): the token is always due.
    const t = await app({ ...externalPlumEnv(sim), XOXODAY_REFRESH_BEFORE_EXPIRY_MS: String(20 * 24 * 3_600_000) });
    const manager = tokenManagerOf(t);
    const original = sim.tokens;
    expect(manager.expiresAt()?.getTime()).toBeGreaterThan(Date.now()); // learnt from the validation endpoint

    await manager.refreshIfDue();

    expect(sim.count("tokenRefresh")).toBe(1);
    expect(sim.tokens.accessToken).not.toBe(original.accessToken);
    expect(await manager.current()).toBe(sim.tokens.accessToken);
    const stored = await t.app.ledger.getTokens();
    expect(stored?.refreshToken).toBe(sim.tokens.refreshToken);
    const res = await sendAirmiles(t.url, airmilesInput());
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(sim.calls("placeOrder").at(-1)?.authorization).toBe(`Bearer ${sim.tokens.accessToken}`);
  });

  it("does nothing while the token is far from expiry", async () => {
    const sim = await simulator();
    const t = await app({ ...externalPlumEnv(sim), XOXODAY_REFRESH_BEFORE_EXPIRY_MS: "60000" });
    await tokenManagerOf(t).refreshIfDue();
    expect(sim.count("tokenRefresh")).toBe(0);
  });

  it("refreshes a short-lived token (accessTokenTtlSeconds) with the default window", async () => {
    const sim = await simulator({ accessTokenTtlSeconds: 60 });
    const t = await app(externalPlumEnv(sim));
    await tokenManagerOf(t).refreshIfDue();
    expect(sim.count("tokenRefresh")).toBe(1);
    expect(await tokenManagerOf(t).current()).toBe(sim.tokens.accessToken);
  });
});

describe("a failing refresh", () => {
  it("keeps the old pair, logs an alert, and tells the caller nothing was placed", async () => {
    const sim = await simulator();
    const t = await app(externalPlumEnv(sim));
    const before = await t.app.ledger.getTokens();
    const pair = sim.tokens;

    sim.expireAccessToken();
    sim.inject({ operation: "tokenRefresh", kind: "status", status: 500 });
    const res = await sendAirmiles(t.url, airmilesInput());

    const payload = res.data?.placeAirmilesOrder;
    expect(payload?.outcome).toBe("REJECTED");
    expect(payload?.errors[0]?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(payload?.errors[0]?.retryable).toBe(true);
    expect(sim.count("tokenRefresh")).toBe(1);
    expect(sim.tokens).toEqual(pair);
    const after = await t.app.ledger.getTokens();
    expect(after?.accessToken).toBe(before?.accessToken);
    expect(after?.refreshToken).toBe(before?.refreshToken);
    const alerts = t.logs.records().filter((r) => r["alert"] === "plum_token_refresh_failed");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.["level"]).toBe("error");
    expect(t.logs.text).not.toContain(pair.refreshToken);
    expect(t.logs.text).not.toContain(pair.accessToken);

    // Once Plum's token endpoint recovers, the same poNumber goes through with a refreshed token.
    const retry = await sendAirmiles(t.url, airmilesInput({ poNumber: (await firstPo(sim)) ?? "missing" }));
    expect(retry.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(sim.count("tokenRefresh")).toBe(2);
  });
});

async function firstPo(sim: PlumSimulator): Promise<string | undefined> {
  const body = sim.calls("placeOrder")[0]?.body as { variables?: { data?: { poNumber?: string } } } | undefined;
  return body?.variables?.data?.poNumber;
}
