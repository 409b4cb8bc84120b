// The reconciliation against Plum's getOrderHistory (issue 10) on both engines, against the simulator's order book:
// a clean run, each finding (an order the ledger never saw, a second order for one poNumber, a placed order Plum's
// history lacks), a PENDING row adopted through the placement engine (never re-sent), paging and the report; and two
// replicas starting the job at the same moment on PostgreSQL (it runs once).
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { ReconciliationReportDocument, RunReconciliationDocument } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { orderByPoNumber, placeAirmiles, sendAirmiles } from "../support/orderOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { parsePrometheus, valueOf } from "../support/prometheusText.js";

const ENV = {
  RECONCILIATION_GRACE_MS: "0",
  RECONCILIATION_PAGE_SIZE: "2",
  RECONCILIATION_HISTORY_PER_MINUTE: "200",
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(postgres: boolean): Promise<Record<string, string>> {
  if (!postgres) return {};
  const db: TestDatabase = await createTestDatabase();
  cleanups.push(() => db.drop());
  return { DATABASE_URL: db.url };
}

async function app(env: Record<string, string>): Promise<TestApp> {
  const started = await startTestApp({ ...ENV, ...env });
  cleanups.push(() => started.close());
  return started;
}

async function run(t: TestApp) {
  const response = await gql(t.url, RunReconciliationDocument, {});
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const result = response.data?.runReconciliation;
  if (result == null) throw new Error("the run did not start");
  return result;
}

async function report(t: TestApp) {
  const response = await gql(t.url, ReconciliationReportDocument, {});
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const result = response.data?.reconciliationReport;
  if (result == null) throw new Error("no report");
  return result;
}

async function metric(t: TestApp, alert: string): Promise<number | undefined> {
  const response = await request(`${new URL(t.url).origin}/metrics`);
  return valueOf(parsePrometheus(await response.body.text()), "orders_reconciliation_discrepancies", { alert });
}

describe.each([
  { engine: "SQLite", postgres: false },
  { engine: "PostgreSQL", postgres: true },
])("$engine: reconciliation against Plum's order history", ({ postgres }) => {
  it("reports no discrepancies when Plum's history and the ledger agree, reading every page", async () => {
    const t = await app(await database(postgres));
    for (let i = 0; i < 5; i += 1) expect((await placeAirmiles(t.url, airmilesInput())).payload.outcome).toBe("PLACED");
    const before = t.sim.count("getOrderHistory");
    const result = await run(t);
    // Five orders, two a page: pages of 2, 2 and 1.
    expect(result).toMatchObject({
      status: "succeeded",
      pages: 3,
      historyOrders: 5,
      adopted: 0,
      discrepancies: 0,
      error: null,
    });
    expect(t.sim.count("getOrderHistory") - before).toBe(3);
    const body = t.sim.calls("getOrderHistory").at(-1)?.body as { variables: { data: Record<string, unknown> } };
    expect(body.variables.data).toMatchObject({
      page: 3,
      limit: 2,
      startDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(await report(t)).toMatchObject({
      openDiscrepancies: 0,
      discrepancies: [],
      runs: [{ status: "succeeded", discrepancies: 0 }],
    });
    expect(await metric(t, "plum_order_not_in_ledger")).toBe(0);
  });

  it("alerts on an order Plum holds that the ledger never saw, never imports it, and resolves it once the ledger knows it", async () => {
    const t = await app(await database(postgres));
    await placeAirmiles(t.url, airmilesInput());
    const po = newPoNumber("HELD");
    const held = t.sim.holdOrder({ poNumber: po });
    const result = await run(t);
    expect(result).toMatchObject({ status: "succeeded", discrepancies: 1 });
    const found = await report(t);
    expect(found.openDiscrepancies).toBe(1);
    expect(found.discrepancies).toEqual([
      {
        alert: "plum_order_not_in_ledger",
        poNumber: po,
        orderId: String(held.orderId),
        ledgerState: null,
        resolvedAt: null,
      },
    ]);
    expect(await metric(t, "plum_order_not_in_ledger")).toBe(1);
    expect(t.logs.records().some((r) => r["alert"] === "plum_order_not_in_ledger" && r["poNumber"] === po)).toBe(true);
    // Not imported: the ledger has no row for it.
    expect(await t.app.ledger.findByPlumPoNumber(po)).toBeNull();
    // An operator looks it up (orders:admin learns it from Plum); the next run no longer finds a discrepancy.
    expect((await orderByPoNumber(t.url, po))?.orderId).toBe(String(held.orderId));
    expect(await run(t)).toMatchObject({ discrepancies: 0 });
    const after = await report(t);
    expect(after.openDiscrepancies).toBe(0);
    expect(after.discrepancies[0]?.resolvedAt).not.toBeNull();
  });

  it("alerts on a second Plum order for one poNumber", async () => {
    const t = await app(await database(postgres));
    const placed = await placeAirmiles(t.url, airmilesInput());
    const po = placed.payload.order?.poNumber ?? "";
    const second = t.sim.holdOrder({ poNumber: po });
    expect(await run(t)).toMatchObject({ status: "succeeded", discrepancies: 1 });
    expect((await report(t)).discrepancies).toEqual([
      {
        alert: "duplicate_upstream_order",
        poNumber: po,
        orderId: String(second.orderId),
        ledgerState: "PLACED",
        resolvedAt: null,
      },
    ]);
    expect(await metric(t, "duplicate_upstream_order")).toBe(1);
    // The ledger keeps its own order.
    expect((await t.app.ledger.findByPlumPoNumber(po))?.orderId).toBe(placed.payload.order?.orderId);
  });

  it("alerts on a placed order Plum's history lacks within the window", async () => {
    const t = await app(await database(postgres));
    const placed = await placeAirmiles(t.url, airmilesInput());
    t.sim.reset(); // Plum's book forgets it
    expect(await run(t)).toMatchObject({ status: "succeeded", historyOrders: 0, discrepancies: 1 });
    expect((await report(t)).discrepancies).toEqual([
      {
        alert: "ledger_order_not_at_plum",
        poNumber: placed.payload.order?.poNumber,
        orderId: placed.payload.order?.orderId,
        ledgerState: "PLACED",
        resolvedAt: null,
      },
    ]);
    expect(await metric(t, "ledger_order_not_at_plum")).toBe(1);
  });

  it("adopts a PENDING placement Plum's history lists, through the placement engine's look-up, without re-sending", async () => {
    const t = await app(await database(postgres));
    const input = airmilesInput();
    t.sim.inject({ kind: "statusCheckFailed" }); // created at Plum; the answer says the outcome is unknown
    expect((await sendAirmiles(t.url, input)).data?.placeAirmilesOrder?.outcome).toBe("PENDING");
    const [sends, lookups] = [t.sim.count("placeOrder"), t.sim.count("getOrderDetails")];
    const result = await run(t);
    expect(result).toMatchObject({ status: "succeeded", adopted: 1, discrepancies: 0 });
    const row = await t.app.ledger.findByPlumPoNumber(input.poNumber);
    expect(row).toMatchObject({
      state: "PLACED",
      orderId: String(t.sim.findOrder({ poNumber: input.poNumber })?.orderId),
    });
    expect(row?.existence?.source).toBe("history");
    expect(t.sim.count("placeOrder")).toBe(sends);
    // Adopted by a look-up of the listed orderId (ownership is checked on its answer).
    const asked = t.sim
      .calls("getOrderDetails")
      .slice(lookups)
      .map((call) => (call.body as { variables: { data: { orderId: unknown } } }).variables.data.orderId);
    expect(asked).toContain(String(row?.orderId));
  });

  it("does not adopt a PENDING placement when the listed order is not ours: it stays PENDING with an alert", async () => {
    const t = await app(await database(postgres));
    const input = airmilesInput();
    t.sim.inject({ kind: "resetBeforeProcessing" }); // nothing created, the outcome is unknown
    expect((await sendAirmiles(t.url, input)).data?.placeAirmilesOrder?.outcome).toBe("PENDING");
    // Someone else's order under our poNumber (another recipient).
    t.sim.holdOrder({
      poNumber: input.poNumber,
      email: "someone.else@example.com",
      userMeta: { loyaltyMemberId: "999" },
    });
    expect(await run(t)).toMatchObject({ status: "succeeded", adopted: 0 });
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toMatchObject({
      state: "PENDING",
      alert: "po_number_held_by_different_order",
    });
  });

  it("records a failed run when Plum's history cannot be read, and tries again", async () => {
    const t = await app(await database(postgres));
    t.sim.inject({ kind: "status", status: 502, operation: "getOrderHistory" });
    const failed = await run(t);
    expect(failed).toMatchObject({ status: "failed", discrepancies: 0 });
    expect(failed.error).toMatch(/getOrderHistory failed/);
    expect(await run(t)).toMatchObject({ status: "succeeded" });
  });
});

describe("PostgreSQL: two replicas start the job at the same moment", () => {
  let sim: PlumSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it("runs once: one run recorded, Plum's history read once", async () => {
    sim = await createPlumSimulator({ recordCalls: true });
    const simulator = sim;
    cleanups.push(() => simulator.close());
    const shared = {
      ...(await database(true)),
      XOXODAY_API_URL: sim.apiUrl,
      XOXODAY_ACCESS_TOKEN: sim.tokens.accessToken,
      RECONCILIATION_INTERVAL_MS: "86400000",
    };
    const [a, b] = await Promise.all([
      startTestApp({ ...ENV, ...shared }, { replicaId: "replica-a" }),
      startTestApp({ ...ENV, ...shared }, { replicaId: "replica-b" }),
    ]);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    for (let i = 0; i < 3; i += 1) await placeAirmiles(a.url, airmilesInput());
    const before = sim.count("getOrderHistory");
    // Both timers fire together (the job is due: it never ran).
    const results = await Promise.all([a.app.reconciliation.runOnce(), b.app.reconciliation.runOnce()]);
    const ran = results.filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]?.outcome).toMatchObject({ status: "succeeded", historyOrders: 3, discrepancies: 0 });
    expect(sim.count("getOrderHistory") - before).toBe(2); // pages of 2 and 1: one run's worth
    // Not due again for a day, on either replica.
    expect(await Promise.all([a.app.reconciliation.runOnce(), b.app.reconciliation.runOnce()])).toEqual([null, null]);
    const runs = await a.app.ledger.listRuns(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000), 10);
    expect(runs).toHaveLength(1);
  });
});
