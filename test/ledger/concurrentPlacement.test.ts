// 50 identical placements of one poNumber at the same moment, against one process (SQLite, PostgreSQL) and
// against two processes sharing PostgreSQL: Plum receives exactly one placeOrder, and every caller is told the
// same story (the order, or "in progress, retry").
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import type { PlacementStatusFieldsFragment } from "../__generated__/graphql.js";
import { startTestApp, TEST_ENV, type TestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { simOrdersFor } from "../support/plumDirect.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startListeningService, stopAllServices } from "../support/serviceProcess.js";

const CALLERS = 50;
// Plum answering slowly keeps the first placement in flight while the others arrive: the race window is wide.
const PLUM_LATENCY = { kind: "latency", ms: 300, operation: "placeOrder", times: Number.POSITIVE_INFINITY } as const;

/** Sends `CALLERS` identical placements spread round-robin over `urls`, all at once. */
async function race(urls: string[], poNumber: string): Promise<PlacementStatusFieldsFragment[]> {
  const input = airmilesInput({ poNumber });
  return Promise.all(
    Array.from({ length: CALLERS }, (_, i) => placeAirmilesStatus(urls[i % urls.length] as string, input)),
  );
}

function expectOneOrder(
  sim: PlumSimulator,
  poNumber: string,
  payloads: PlacementStatusFieldsFragment[],
  sendsBefore: number,
): void {
  expect(sim.count("placeOrder") - sendsBefore, "placeOrder calls Plum received").toBe(1);
  const upstream = simOrdersFor(sim, poNumber);
  expect(upstream).toHaveLength(1);
  const orderId = String(upstream[0]?.orderId);

  const outcomes = payloads.map((p) =>
    p.outcome === "PENDING" ? `PENDING:${p.errors.map((e) => e.code).join(",")}` : p.outcome,
  );
  for (const outcome of outcomes) expect(["PLACED", "REPLAYED", "PENDING:ORDER_IN_PROGRESS"]).toContain(outcome);
  // Only the caller whose claim won sends, so only it can be told PLACED.
  expect(outcomes.filter((o) => o === "PLACED")).toHaveLength(1);
  for (const payload of payloads) {
    if (payload.outcome === "PENDING") expect(payload.order).toBeNull();
    else expect(payload.order?.orderId).toBe(orderId);
  }
}

describe.each([
  { engine: "SQLite", postgres: false },
  { engine: "PostgreSQL", postgres: true },
])("$engine: one process, 50 concurrent identical placements", ({ postgres }) => {
  let db: TestDatabase | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    db = postgres ? await createTestDatabase() : undefined;
    t = await startTestApp(db ? { DATABASE_URL: db.url } : {});
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it("sends one placeOrder and gives every caller the same order or ORDER_IN_PROGRESS", async () => {
    const app = t as TestApp;
    const poNumber = newPoNumber("RACE");
    app.sim.inject(PLUM_LATENCY);
    const sendsBefore = app.sim.count("placeOrder");

    const payloads = await race([app.url], poNumber);
    app.sim.clearFaults();

    expectOneOrder(app.sim, poNumber, payloads, sendsBefore);
    const row = await app.app.ledger.findByPlumPoNumber(poNumber);
    expect(row).toMatchObject({ state: "PLACED", sendAttempts: 1, leaseOwner: null });
    // A caller told ORDER_IN_PROGRESS now gets the order by retrying.
    expect((await placeAirmilesStatus(app.url, airmilesInput({ poNumber }))).outcome).toBe("REPLAYED");
    expect(app.sim.count("placeOrder") - sendsBefore).toBe(1);
  });

  it("after an unknown outcome, 50 concurrent retries re-send it once", async () => {
    const app = t as TestApp;
    const poNumber = newPoNumber("RACE-RETRY");
    // The first attempt fails without creating anything: the row is PENDING with a free lease.
    app.sim.inject({ kind: "status", status: 503, operation: "placeOrder" });
    expect((await placeAirmilesStatus(app.url, airmilesInput({ poNumber }))).outcome).toBe("PENDING");
    await sleep(Number(TEST_ENV["RECONCILE_SETTLE_MS"]) + 100);
    app.sim.inject(PLUM_LATENCY);
    const sendsBefore = app.sim.count("placeOrder");

    // Every retry races for the lease; only its winner looks Plum up and sends again.
    const payloads = await race([app.url], poNumber);
    app.sim.clearFaults();

    expectOneOrder(app.sim, poNumber, payloads, sendsBefore);
    expect(await app.app.ledger.findByPlumPoNumber(poNumber)).toMatchObject({
      state: "PLACED",
      sendAttempts: 2,
      leaseOwner: null,
    });
  });
});

describe("PostgreSQL: two processes, 25 concurrent identical placements each", () => {
  let db: TestDatabase | undefined;
  let sim: PlumSimulator | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createPlumSimulator();
  });
  afterEach(async () => {
    await stopAllServices();
  });
  afterAll(async () => {
    await stopAllServices();
    await sim?.close();
    await db?.drop();
  });

  it("sends one placeOrder across both replicas", async () => {
    const plum = sim as PlumSimulator;
    const env = {
      DATABASE_URL: (db as TestDatabase).url,
      XOXODAY_API_URL: plum.apiUrl,
      XOXODAY_ACCESS_TOKEN: plum.tokens.accessToken,
      XOXODAY_CONNECT_TIMEOUT_MS: TEST_ENV["XOXODAY_CONNECT_TIMEOUT_MS"] as string,
      XOXODAY_HEADERS_TIMEOUT_MS: TEST_ENV["XOXODAY_HEADERS_TIMEOUT_MS"] as string,
      XOXODAY_BODY_TIMEOUT_MS: TEST_ENV["XOXODAY_BODY_TIMEOUT_MS"] as string,
      LOG_LEVEL: "info",
    };
    // Both start (and migrate the empty database) at the same time, as replicas of one deployment do.
    const [a, b] = await Promise.all([startListeningService(env), startListeningService(env)]);
    const poNumber = newPoNumber("RACE2");
    plum.inject(PLUM_LATENCY);
    const sendsBefore = plum.count("placeOrder");

    const payloads = await race([a.url, b.url], poNumber);
    plum.clearFaults();

    expectOneOrder(plum, poNumber, payloads, sendsBefore);
    // Both replicas answer the retry from the shared ledger.
    for (const url of [a.url, b.url])
      expect((await placeAirmilesStatus(url, airmilesInput({ poNumber }))).outcome).toBe("REPLAYED");
    expect(plum.count("placeOrder") - sendsBefore).toBe(1);
    // Graceful stop: SIGTERM ends each replica with exit code 0.
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
  });
});
