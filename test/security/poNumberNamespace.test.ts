// Finding 1: poNumbers were shared by every caller. Now each subject's poNumbers are their own namespace: Plum sees
// a poNumber derived from (subject, poNumber), recorded next to the caller's, stable across replicas and restarts;
// no answer tells one caller whether another used a poNumber; rows from before the namespaces keep working.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderByPoNumberDocument } from "../__generated__/graphql.js";
import { ETIHAD_GUEST_PRODUCT_ID, createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { plumPoNumber } from "../../src/orders/poNumberNamespace.js";
import { postgresMigrations } from "../../src/storage/migrations/postgresMigrations.js";
import { migratePostgres } from "../../src/storage/postgres/postgresMigrator.js";
import { externalPlumEnv } from "../support/externalPlum.js";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { bearer, JWT_ENV, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";
import { placeAtPlum, simOrdersFor } from "../support/plumDirect.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const KEY = { PO_NUMBER_KEY: "namespace-test-key-0123456789" };
const WRITE_READ = "orders:write orders:read";

describe("poNumber namespaces over PostgreSQL, two replicas sharing one Plum", () => {
  let db: TestDatabase;
  let sim: PlumSimulator;
  let a: TestApp;
  let b: TestApp;
  let alice: Record<string, string>;
  let bob: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createPlumSimulator({ port: 0 });
    // CATALOGUE_MAX_AGE_MS=1: no catalogue pre-flight, so bob's bad denomination is recorded as Plum's rejection.
    const env = { ...JWT_ENV, ...externalPlumEnv(sim), ...KEY, DATABASE_URL: db.url, CATALOGUE_MAX_AGE_MS: "1" };
    a = await startTestApp(env, { replicaId: "replica-a" });
    b = await startTestApp(env, { replicaId: "replica-b" });
    alice = bearer(await tokenFor("alice", WRITE_READ));
    bob = bearer(await tokenFor("bob", WRITE_READ));
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sim?.close();
    await db?.drop();
  });

  it("bob's rejected order under alice's next poNumber does not block alice (the attack of finding 1)", async () => {
    const poNumber = newPoNumber("PO-A");
    // Etihad Guest has fixed denominations 25/50/100: 30 is a definite business rejection at Plum.
    const bobs = await sendAirmiles(
      a.url,
      airmilesInput({ poNumber, productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 30 }),
      bob,
    );
    expect(bobs.data?.placeAirmilesOrder.outcome).toBe("REJECTED");
    expect(bobs.data?.placeAirmilesOrder.errors.map((e) => e.code)).not.toContain("PO_NUMBER_CONFLICT");

    const alices = await sendAirmiles(b.url, airmilesInput({ poNumber }), alice);
    expect(alices.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(alices.data?.placeAirmilesOrder.order?.poNumber).toBe(poNumber);

    // Plum never saw the callers' poNumber; it saw two different derived ones, within its 100 characters.
    expect(simOrdersFor(sim, poNumber)).toEqual([]);
    const aliceRow = await a.app.ledger.findByCallerPoNumber("alice", poNumber);
    const bobRow = await a.app.ledger.findByCallerPoNumber("bob", poNumber);
    expect(aliceRow?.callerPoNumber).toBe(poNumber);
    expect(aliceRow?.poNumber).not.toBe(bobRow?.poNumber);
    for (const row of [aliceRow, bobRow]) {
      expect(row?.poNumber).toMatch(/^pn1-[0-9a-f]{48}$/);
      expect(row?.request?.poNumber).toBe(row?.poNumber);
    }
    // The recorded Plum poNumber is what Plum holds: operators match the dashboard to the ledger by it.
    expect(simOrdersFor(sim, aliceRow?.poNumber ?? "").map((o) => String(o.orderId))).toEqual([aliceRow?.orderId]);
    expect(await a.app.ledger.findByPlumPoNumber(aliceRow?.poNumber ?? "")).toMatchObject({
      subject: "alice",
      callerPoNumber: poNumber,
    });
  });

  it("retries on either replica replay the same order, never a second one at Plum", async () => {
    const input = airmilesInput();
    const first = await sendAirmiles(a.url, input, alice);
    const placed = first.data?.placeAirmilesOrder.order?.orderId;
    expect(first.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    for (const url of [b.url, a.url]) {
      const again = await sendAirmiles(url, input, alice);
      expect(again.data?.placeAirmilesOrder.outcome).toBe("REPLAYED");
      expect(again.data?.placeAirmilesOrder.order?.orderId).toBe(placed);
    }
    const row = await b.app.ledger.findByCallerPoNumber("alice", input.poNumber);
    expect(simOrdersFor(sim, row?.poNumber ?? "")).toHaveLength(1);
    // The same order body under another poNumber of alice's is a different order; a different body under the same
    // poNumber is still her conflict.
    const conflict = await sendAirmiles(b.url, { ...input, denomination: 60 }, alice);
    expect(conflict.data?.placeAirmilesOrder.errors.map((e) => e.code)).toEqual(["PO_NUMBER_CONFLICT"]);
  });

  it("no read or placement tells bob whether alice used a poNumber", async () => {
    const input = airmilesInput();
    await sendAirmiles(a.url, input, alice);
    const used = await gql(a.url, OrderByPoNumberDocument, { poNumber: input.poNumber }, bob);
    const unused = await gql(a.url, OrderByPoNumberDocument, { poNumber: newPoNumber("never") }, bob);
    expect({ status: used.status, data: used.data, errors: used.errors }).toEqual({
      status: unused.status,
      data: unused.data,
      errors: unused.errors,
    });
    expect(used.data?.orderByPoNumber).toBeNull();
    // Placing it is simply bob's own order.
    const bobs = await sendAirmiles(b.url, { ...input, denomination: 70 }, bob);
    expect(bobs.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(
      (await gql(a.url, OrderByPoNumberDocument, { poNumber: input.poNumber }, bob)).data?.orderByPoNumber
        ?.amountCharged,
    ).not.toBeNull();
  });

  it("an unknown outcome is reconciled by looking the derived poNumber up at Plum, never re-sent", async () => {
    const input = airmilesInput();
    sim.inject({ kind: "createdThen502", operation: "placeOrder" });
    expect((await sendAirmiles(a.url, input, alice)).data?.placeAirmilesOrder.outcome).toBe("PENDING");
    const row = await a.app.ledger.findByCallerPoNumber("alice", input.poNumber);
    const plumPo = row?.poNumber ?? "";
    expect(simOrdersFor(sim, plumPo)).toHaveLength(1);
    // Past the (test-sized) processing and settle windows the reconciler asks Plum by the recorded poNumber.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await b.app.reconciler.runOnce();
    const settled = await b.app.ledger.findByCallerPoNumber("alice", input.poNumber);
    expect(settled?.state).toBe("PLACED");
    expect(settled?.orderId).toBe(String(simOrdersFor(sim, plumPo)[0]?.orderId));
    const lookups = sim.calls("getOrderDetails").map((c) => JSON.stringify(c.body));
    expect(lookups.some((body) => body.includes(plumPo))).toBe(true);
    expect(lookups.some((body) => body.includes(`"${input.poNumber}"`))).toBe(false);
    expect(simOrdersFor(sim, plumPo)).toHaveLength(1);
  });

  it("a webhook naming the derived poNumber proves a pending order of the caller's exists", async () => {
    const input = airmilesInput();
    sim.inject({ kind: "createdThen502", operation: "placeOrder" });
    expect((await sendAirmiles(a.url, input, alice)).data?.placeAirmilesOrder.outcome).toBe("PENDING");
    const plumPo = (await a.app.ledger.findByCallerPoNumber("alice", input.poNumber))?.poNumber ?? "";
    const order = simOrdersFor(sim, plumPo)[0];
    const response = await fetch(`${new URL(a.url).origin}/webhooks/xoxoday`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        id: Date.now(),
        data: { orderId: order?.orderId, poNumber: plumPo, deliveryStatus: "delivered" },
        createdAt: new Date().toISOString(),
      }),
    });
    expect(response.status).toBe(200);
    expect((await b.app.ledger.findByPlumPoNumber(plumPo))?.existence).toMatchObject({ source: "webhook" });
    const retry = await sendAirmiles(b.url, input, alice);
    expect(["PLACED", "REPLAYED"]).toContain(retry.data?.placeAirmilesOrder.outcome);
    expect(retry.data?.placeAirmilesOrder.order?.orderId).toBe(String(order?.orderId));
    expect(simOrdersFor(sim, plumPo)).toHaveLength(1);
  });

  it("a restarted replica with the same key derives the same poNumber (stable across restarts)", async () => {
    const input = airmilesInput();
    // PLACED, or PENDING when the shared machine is slow enough for a timeout: either way one order at Plum.
    expect(["PLACED", "PENDING"]).toContain((await sendAirmiles(a.url, input, alice)).data?.placeAirmilesOrder.outcome);
    const before = await a.app.ledger.findByCallerPoNumber("alice", input.poNumber);
    // Deterministic: the same key, subject and poNumber give the same Plum poNumber on any replica.
    expect(before?.poNumber).toBe(plumPoNumber(KEY.PO_NUMBER_KEY, "alice", input.poNumber));
    await b.close();
    b = await startTestApp(
      { ...JWT_ENV, ...externalPlumEnv(sim), ...KEY, DATABASE_URL: db.url },
      { replicaId: "replica-b2" },
    );
    const again = await sendAirmiles(b.url, input, alice);
    expect(["REPLAYED", "PLACED"]).toContain(again.data?.placeAirmilesOrder.outcome);
    expect((await b.app.ledger.findByCallerPoNumber("alice", input.poNumber))?.poNumber).toBe(before?.poNumber);
    expect(simOrdersFor(sim, before?.poNumber ?? "")).toHaveLength(1);
  });
});

describe("migration 8: rows placed before the namespaces", () => {
  let db: TestDatabase;
  let sim: PlumSimulator;
  let t: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createPlumSimulator({ port: 0 });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await db?.drop();
  });

  it("keep working under the caller's own poNumber, which is what Plum holds for them", async () => {
    // A schema at version 5 holding alice's order, placed at Plum under her own poNumber (the old behaviour).
    const legacy = airmilesInput({ poNumber: newPoNumber("PO-OLD") });
    const atPlum = await placeAtPlum(sim, legacy);
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      await migratePostgres(
        pool,
        postgresMigrations.filter((m) => m.version <= 5),
      );
      await pool.query(
        `INSERT INTO orders (po_number, kind, fingerprint, subject, source, state, request, order_id, order_data, errors,
           send_attempts, sends, created_at, updated_at, placed_at)
         VALUES ($1, 'AIRMILES', 'legacy', 'alice', 'PLACEMENT', 'PLACED', $2::jsonb, $3, '{}'::jsonb, '[]'::jsonb, 1,
           '[{"n":1,"answer":"created"}]'::jsonb, now(), now(), now())`,
        [legacy.poNumber, JSON.stringify({ poNumber: legacy.poNumber }), String(atPlum.orderId)],
      );
    } finally {
      await pool.end();
    }

    t = await startTestApp({ ...JWT_ENV, ...externalPlumEnv(sim), ...KEY, DATABASE_URL: db.url });
    const row = await t.app.ledger.findByCallerPoNumber("alice", legacy.poNumber);
    expect(row).toMatchObject({
      poNumber: legacy.poNumber,
      callerPoNumber: legacy.poNumber,
      orderId: String(atPlum.orderId),
    });

    const alice = bearer(await tokenFor("alice", WRITE_READ));
    const read = await gql(t.url, OrderByPoNumberDocument, { poNumber: legacy.poNumber }, alice);
    expect(read.data?.orderByPoNumber?.orderId).toBe(String(atPlum.orderId));
    expect(read.data?.orderByPoNumber?.poNumber).toBe(legacy.poNumber);
    // A different order under her old poNumber is still her conflict, not a second order at Plum.
    const sends = sim.count("placeOrder");
    const conflict = await sendAirmiles(t.url, { ...legacy, denomination: 99 }, alice);
    expect(conflict.data?.placeAirmilesOrder.errors.map((e) => e.code)).toEqual(["PO_NUMBER_CONFLICT"]);
    expect(sim.count("placeOrder")).toBe(sends);

    // Bob may use the same poNumber: his order is his own, under a derived poNumber.
    const bob = bearer(await tokenFor("bob", WRITE_READ));
    const bobs = await sendAirmiles(t.url, legacy, bob);
    expect(bobs.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(bobs.data?.placeAirmilesOrder.order?.orderId).not.toBe(String(atPlum.orderId));
    expect(simOrdersFor(sim, legacy.poNumber)).toHaveLength(1);
  });
});

describe("without authentication (development)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("keeps one shared namespace: the poNumber is sent unchanged", async () => {
    const input = airmilesInput();
    expect((await sendAirmiles(t.url, input)).data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
    expect(
      (await sendAirmiles(t.url, { ...input, denomination: 51 })).data?.placeAirmilesOrder.errors.map((e) => e.code),
    ).toEqual(["PO_NUMBER_CONFLICT"]);
  });
});
