// Issue 8, "Money safety under an adversarial Plum": one regression test per numbered case, over real sockets
// against the simulator (the in-process service on SQLite in memory unless the case is about replicas, crashes or
// the ledger's writes: then PostgreSQL, child processes, or the engine built by hand around a real ledger).
// Cases 10 (SQLite single writer), 12 (numbers) and 13 (tokens) are covered by test/storage/*, test/unit/numbers
// and test/integration/badInput. Timings are scaled down: the trusted window ("not found" is proof) is
// XOXODAY_MAX_PROCESSING_MS + RECONCILE_SETTLE_MS after the newest attempt started.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { AttemptRecord } from "../../src/orders/placement/evidence.js";
import { createPlumSimulator, ETIHAD_GUEST_PRODUCT_ID, type PlumSimulator } from "../../src/simulator/index.js";
import type { RecordPatch } from "../../src/storage/ledger.js";
import { PostgresLedger } from "../../src/storage/postgres/PostgresLedger.js";
import type { PlacementStatusFieldsFragment } from "../__generated__/graphql.js";
import { waitFor } from "../ledger/helpers.js";
import { placement, uniquePo } from "../storage/fixtures.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { placeAirmiles } from "../support/orderOperations.js";
import { orderStatusByPoNumber, placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startListeningService, stopAllServices } from "../support/serviceProcess.js";
import {
  airmilesRequest,
  directEngine,
  lookupCallsFor,
  lookupTargets,
  placeCallsFor,
  repeatUntil,
  simOrdersFor,
  placeHeldAtPlum,
} from "./helpers.js";

const codes = (payload: { errors: { code: string }[] }) => payload.errors.map((e) => e.code);

/** Outcome plus error codes, e.g. "PENDING:OUTCOME_UNKNOWN", for asserting on a history of answers. */
const story = (payload: PlacementStatusFieldsFragment) => `${payload.outcome}:${codes(payload).join(",")}`;

describe("case 1: double order when Plum is slow", () => {
  const SETTLE_MS = 300;

  /**
   * One app whose Plum keeps processing for up to `maxProcessingMs`; a slowProcessing request lands `landsAfterMs`
   * after it arrived, long after our client stopped waiting (headers timeout 300 ms; undici's timer fires it after
   * about a second, so the timeout answer gets a longer processing time).
   */
  function slowPlum(
    answers: readonly ("timeout" | "reset" | "502")[],
    landsAfterMs: number,
    maxProcessingMs: number,
  ): void {
    const t = useTestApp({
      resetSimulator: true,
      env: {
        XOXODAY_MAX_PROCESSING_MS: String(maxProcessingMs),
        RECONCILE_SETTLE_MS: String(SETTLE_MS),
        XOXODAY_HEADERS_TIMEOUT_MS: "300",
      },
    });

    it.each(answers)(
      `answer %s, landing after ${landsAfterMs} ms (window ${maxProcessingMs} + ${SETTLE_MS} ms): retries, reads and reconciler passes never re-send; the late order is adopted`,
      async (answer) => {
        // A Plum that does not de-duplicate: any re-send inside the window would be a second paid order.
        t.sim.setBehaviour({ deduplicatePoNumbers: false });
        t.sim.inject({ kind: "slowProcessing", delayMs: landsAfterMs, answer });
        const input = airmilesInput();
        const po = input.poNumber;
        const started = Date.now();

        const first = await placeAirmilesStatus(t.url, input);
        expect(story(first)).toBe("PENDING:OUTCOME_UNKNOWN");

        const answers: string[] = [];
        let retriesBeforeLanding = 0;
        // Hammer it through the whole trusted window and beyond.
        await repeatUntil(started, maxProcessingMs + SETTLE_MS + 300, 40, async () => {
          const landed = simOrdersFor(t.sim, po).length > 0;
          answers.push(story(await placeAirmilesStatus(t.url, input)));
          await t.app.reconciler.runOnce();
          await orderStatusByPoNumber(t.url, po);
          if (!landed) retriesBeforeLanding += 1;
          expect(placeCallsFor(t.sim, po), "placeOrder requests for the poNumber").toBe(1);
          expect(simOrdersFor(t.sim, po).length).toBeLessThanOrEqual(1);
        });

        // Precondition: the retries really ran while Plum was still working on the first request.
        expect(retriesBeforeLanding).toBeGreaterThan(0);
        for (const a of answers)
          expect(["PENDING:OUTCOME_UNKNOWN", "PENDING:ORDER_IN_PROGRESS", "PLACED:", "REPLAYED:"]).toContain(a);
        // Adopted (by the retry, a read or the reconciler, whichever looked first once it landed).
        expect(answers.some((a) => a === "PLACED:" || a === "REPLAYED:")).toBe(true);
        const orders = simOrdersFor(t.sim, po);
        expect(orders).toHaveLength(1);
        const row = await t.app.ledger.findByPlumPoNumber(po);
        expect(row).toMatchObject({ state: "PLACED", orderId: String(orders[0]?.orderId), sendAttempts: 1 });
        const replay = await placeAirmilesStatus(t.url, input);
        expect(replay.outcome).toBe("REPLAYED");
        expect(replay.order?.orderId).toBe(String(orders[0]?.orderId));
        expect(placeCallsFor(t.sim, po)).toBe(1);
      },
    );
  }

  describe("answered at once", () => slowPlum(["reset", "502"], 600, 1_000));
  describe("never answered", () => slowPlum(["timeout"], 1_600, 2_000));
});

describe("case 2: duplicate answers are not ignored", () => {
  // Harness window: 100 + 300 ms. Look-ups lag 1.5 s, far longer: the re-send after the window is refused as a
  // duplicate while no look-up can see the order yet.
  const TRUSTED_AFTER_MS = 400;
  const LAG_MS = 1_500;
  const t = useTestApp({ resetSimulator: true });

  it("a re-send refused with PLE10004 proves the order: never REJECTED, PENDING while look-ups lag, then PLACED", async () => {
    t.sim.setBehaviour({ lookupLagMs: LAG_MS });
    t.sim.inject({ kind: "resetAfterProcessing" });
    const input = airmilesInput();
    const po = input.poNumber;

    expect(story(await placeAirmilesStatus(t.url, input))).toBe("PENDING:OUTCOME_UNKNOWN");
    const [created] = simOrdersFor(t.sim, po);
    if (created === undefined) throw new Error("precondition: attempt 1 created the order");
    const visibleAt = created.orderDate.getTime() + LAG_MS;

    await sleep(TRUSTED_AFTER_MS + 150);
    const resend = await placeAirmilesStatus(t.url, input);
    // Precondition: the trusted "not found" led to exactly one re-send, which Plum refused as a duplicate.
    expect(placeCallsFor(t.sim, po)).toBe(2);
    expect(story(resend)).toBe("PENDING:OUTCOME_UNKNOWN");
    const row = await t.app.ledger.findByPlumPoNumber(po);
    expect(row).toMatchObject({ state: "PENDING", sendAttempts: 2, existence: { source: "duplicate", orderId: null } });
    expect(row?.sends[1]).toMatchObject({ n: 2, answer: "empty", empty: "rejected" });

    // Until the look-ups can see it: retries, reads and the reconciler keep it PENDING and never send again.
    const answers: string[] = [];
    while (Date.now() < visibleAt - 250) {
      answers.push(story(await placeAirmilesStatus(t.url, input)));
      await t.app.reconciler.runOnce();
      expect(await orderStatusByPoNumber(t.url, po)).toBeNull();
      expect((await t.app.ledger.findByPlumPoNumber(po))?.state).toBe("PENDING");
      await sleep(60);
    }
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) expect(["PENDING:OUTCOME_UNKNOWN", "PENDING:ORDER_IN_PROGRESS"]).toContain(a);
    expect(placeCallsFor(t.sim, po)).toBe(2);

    const placed = await waitFor(
      "the order to be adopted once the look-ups see it",
      async () => {
        const p = await placeAirmilesStatus(t.url, input);
        expect(p.outcome).not.toBe("REJECTED");
        return p.outcome === "PLACED" ? p : undefined;
      },
      { intervalMs: 60, timeoutMs: LAG_MS + 3_000 },
    );
    expect(placed.order?.orderId).toBe(String(created.orderId));
    expect(simOrdersFor(t.sim, po)).toHaveLength(1);
    expect(placeCallsFor(t.sim, po)).toBe(2);
    expect(await t.app.ledger.findByPlumPoNumber(po)).toMatchObject({
      state: "PLACED",
      orderId: String(created.orderId),
    });
  });
});

describe("case 3: a rejection of a re-send is not trusted wrongly", () => {
  const MAX_PROCESSING_MS = 1_000;
  const SETTLE_MS = 300;
  const t = useTestApp({
    resetSimulator: true,
    env: { XOXODAY_MAX_PROCESSING_MS: String(MAX_PROCESSING_MS), RECONCILE_SETTLE_MS: String(SETTLE_MS) },
  });

  it.each([true, false])(
    "deduplicatePoNumbers %s: the wallet emptied after the slow order landed never turns it into INSUFFICIENT_BALANCE",
    async (deduplicatePoNumbers) => {
      // The order lands 600 ms in (inside the 1.3 s window); look-ups lag 200 ms, less than the settle window.
      t.sim.setBehaviour({ deduplicatePoNumbers, lookupLagMs: 200 });
      t.sim.inject({ kind: "slowProcessing", delayMs: 600, answer: "reset" });
      const input = airmilesInput();
      const po = input.poNumber;
      const started = Date.now();
      expect(story(await placeAirmilesStatus(t.url, input))).toBe("PENDING:OUTCOME_UNKNOWN");

      await waitFor("the slow attempt to land", () => (simOrdersFor(t.sim, po).length === 1 ? true : undefined), {
        intervalMs: 10,
        timeoutMs: 5_000,
      });
      // Any re-send from now on would be refused for the balance (or as a duplicate).
      t.sim.setBalance(0);

      const answers: string[] = [];
      await repeatUntil(started, MAX_PROCESSING_MS + SETTLE_MS + 400, 50, async () => {
        answers.push(story(await placeAirmilesStatus(t.url, input)));
        await t.app.reconciler.runOnce();
        await orderStatusByPoNumber(t.url, po);
      });
      for (const a of answers) expect(a).not.toMatch(/^REJECTED/);
      expect(answers.join(" ")).not.toContain("INSUFFICIENT_BALANCE");
      const [order] = simOrdersFor(t.sim, po);
      expect(simOrdersFor(t.sim, po)).toHaveLength(1);
      expect(await t.app.ledger.findByPlumPoNumber(po)).toMatchObject({
        state: "PLACED",
        orderId: String(order?.orderId),
        sendAttempts: 1,
      });
      expect(answers.some((a) => a === "PLACED:" || a === "REPLAYED:")).toBe(true);
      expect(placeCallsFor(t.sim, po)).toBe(1);
    },
  );

  it("control: with nothing at Plum, the re-send after the window is rejected for the balance, and that is final", async () => {
    // The slow attempt is itself refused when it runs (the wallet is empty by then): nothing exists at Plum.
    t.sim.inject({ kind: "slowProcessing", delayMs: 300, answer: "reset" });
    t.sim.setBalance(0);
    const input = airmilesInput();
    const po = input.poNumber;
    const started = Date.now();
    expect(story(await placeAirmilesStatus(t.url, input))).toBe("PENDING:OUTCOME_UNKNOWN");
    const rejected = await waitFor(
      "the re-send's rejection",
      async () => {
        const p = await placeAirmilesStatus(t.url, input);
        return p.outcome === "REJECTED" ? p : undefined;
      },
      { intervalMs: 60, timeoutMs: 5_000 },
    );
    // Never before the window had passed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_PROCESSING_MS + SETTLE_MS);
    expect(codes(rejected)).toEqual(["INSUFFICIENT_BALANCE"]);
    expect(simOrdersFor(t.sim, po)).toHaveLength(0);
    expect(placeCallsFor(t.sim, po)).toBe(2);
  });
});

describe("case 4: webhooks are evidence", () => {
  // Window: 300 + 300 ms. Look-ups lag a minute: no look-up can ever see the order during the test.
  const TRUSTED_AFTER_MS = 600;
  const t = useTestApp({ resetSimulator: true, env: { XOXODAY_MAX_PROCESSING_MS: "300", RECONCILE_SETTLE_MS: "300" } });

  it("a delivery callback for a pending poNumber stops every re-send; the order is adopted by the webhook's orderId", async () => {
    t.sim.setBehaviour({ lookupLagMs: 60_000 });
    t.sim.inject({ kind: "resetAfterProcessing" });
    // A delayed product, so that Plum's delivery callback is still to come.
    const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 50 });
    const po = input.poNumber;
    expect(story(await placeAirmilesStatus(t.url, input))).toBe("PENDING:OUTCOME_UNKNOWN");
    const [created] = simOrdersFor(t.sim, po);
    if (created === undefined) throw new Error("precondition: attempt 1 created the order");
    const orderId = String(created.orderId);

    // The simulator posts the callback to the app's /webhooks/xoxoday.
    await t.sim.deliver(created.orderId, "delivered");
    expect(
      t.sim
        .webhookDeliveries()
        .filter((d) => String(d.body.data.orderId) === orderId)
        .map((d) => d.status),
    ).toEqual([200]);
    const proven = await t.app.ledger.findByPlumPoNumber(po);
    expect(proven).toMatchObject({ state: "PENDING", existence: { source: "webhook", orderId }, sendAttempts: 1 });

    // Past the window nothing is re-sent, however it is driven: Plum can be asked only by the proof's orderId.
    await sleep(TRUSTED_AFTER_MS + 150);
    for (let i = 0; i < 4; i += 1) {
      expect(story(await placeAirmilesStatus(t.url, input))).toMatch(/^PENDING:/);
      await t.app.reconciler.runOnce();
      expect(await orderStatusByPoNumber(t.url, po)).toBeNull();
      await sleep(60);
    }
    expect(placeCallsFor(t.sim, po)).toBe(1);
    expect(simOrdersFor(t.sim, po)).toHaveLength(1);
    const targets = lookupTargets(t.sim, po, [orderId]);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((target) => target === orderId)).toBe(true);
    expect(await t.app.ledger.findByPlumPoNumber(po)).toMatchObject({
      state: "PENDING",
      existence: { source: "webhook", orderId },
      sendAttempts: 1,
    });

    // Once Plum's read side catches up, the orderId look-up adopts it.
    t.sim.setBehaviour({ lookupLagMs: 0 });
    await sleep(60);
    const placed = await placeAirmilesStatus(t.url, input);
    expect(placed.outcome).toBe("PLACED");
    expect(placed.order).toMatchObject({ orderId, poNumber: po, deliveryStatus: "delivered" });
    expect(placeCallsFor(t.sim, po)).toBe(1);
    expect(simOrdersFor(t.sim, po)).toHaveLength(1);
  });
});

describe("case 5: crash after RATE_LIMITED", () => {
  const t = useTestApp({ resetSimulator: true });

  it("the rate-limited attempt is on record as never sent; the retry's attempt 2 is written ahead before it leaves", async () => {
    t.sim.inject({ kind: "rateLimit", penaltySeconds: 2 });
    const input = airmilesInput();
    const po = input.poNumber;
    const first = await placeAirmiles(t.url, input);
    expect(first.payload).toMatchObject({
      outcome: "REJECTED",
      order: null,
      errors: [{ code: "RATE_LIMITED", retryable: true, retryAfterSeconds: 2 }],
    });
    const rejected = await t.app.ledger.findByPlumPoNumber(po);
    expect(rejected).toMatchObject({ state: "REJECTED", reopenable: true, sendAttempts: 1, leaseOwner: null });
    expect(rejected?.sends).toHaveLength(1);
    expect(rejected?.sends[0]).toMatchObject({ n: 1, answer: "empty", empty: "notSent" });
    expect(
      (await t.app.ledger.listAttempts(po)).map((a) => `${a.operation}:${a.phase}:${a.httpStatus ?? "-"}`),
    ).toEqual(["placeOrder:request:-", "placeOrder:response:429"]);

    // The retry is held at Plum: read the row while its request is in flight.
    t.sim.inject({ kind: "latency", ms: 800 });
    const retry = placeAirmilesStatus(t.url, input);
    await waitFor("the retry's request to reach Plum", () => (placeCallsFor(t.sim, po) === 2 ? true : undefined), {
      intervalMs: 5,
      timeoutMs: 5_000,
    });
    const inFlight = await t.app.ledger.findByPlumPoNumber(po);
    expect(inFlight).toMatchObject({ state: "PENDING", sendAttempts: 2, reopenable: false });
    expect(inFlight?.sends).toHaveLength(2);
    expect(inFlight?.sends[0]).toMatchObject({ n: 1, answer: "empty", empty: "notSent" });
    expect(inFlight?.sends[1]).toMatchObject({ n: 2, answer: "open" });
    expect(inFlight?.leaseOwner).not.toBeNull();
    expect(inFlight?.lastSentAt?.getTime()).toBeGreaterThan(
      rejected?.lastSentAt?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    expect(simOrdersFor(t.sim, po)).toHaveLength(0);

    const placed = await retry;
    expect(placed.outcome).toBe("PLACED");
    const orders = simOrdersFor(t.sim, po);
    expect(orders).toHaveLength(1);
    expect(placed.order?.orderId).toBe(String(orders[0]?.orderId));
    const row = await t.app.ledger.findByPlumPoNumber(po);
    expect(row).toMatchObject({ state: "PLACED", sendAttempts: 2 });
    expect(row?.sends[1]).toMatchObject({ n: 2, answer: "created" });
    expect(placeCallsFor(t.sim, po)).toBe(2);
  });
});

describe("case 6: a crashed process does not strand its orders", () => {
  let sim: PlumSimulator | undefined;
  let db: TestDatabase | undefined;
  let reader: PostgresLedger | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    sim = await createPlumSimulator();
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), "orders-money-"));
  });
  beforeEach(() => sim?.reset());
  afterAll(async () => {
    await stopAllServices();
    await reader?.close();
    await sim?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const plumEnv = (plum: PlumSimulator) => ({
    XOXODAY_API_URL: plum.apiUrl,
    XOXODAY_ACCESS_TOKEN: plum.tokens.accessToken,
    XOXODAY_CONNECT_TIMEOUT_MS: "1000",
    // Longer than the held request, so the doomed replica is still waiting when it is killed.
    XOXODAY_HEADERS_TIMEOUT_MS: "8000",
    XOXODAY_BODY_TIMEOUT_MS: "1000",
  });

  it("PostgreSQL: a second replica resumes a SIGKILLed replica's row within 15 s, and it is placed exactly once", async () => {
    const plum = sim as PlumSimulator;
    // Without de-duplication a premature re-send would be a second order.
    plum.setBehaviour({ deduplicatePoNumbers: false });
    const env = {
      DATABASE_URL: (db as TestDatabase).url,
      ...plumEnv(plum),
      PLACEMENT_LEASE_MS: "1000",
      RECONCILE_INTERVAL_MS: "500",
      RECONCILE_LOOKUP_INTERVAL_MS: "200",
      RECONCILE_SETTLE_MS: "500",
      // The held request lands 2.5 s after it arrived, inside Plum's processing bound.
      XOXODAY_MAX_PROCESSING_MS: "3000",
    };
    const [doomed, survivor] = await Promise.all([startListeningService(env), startListeningService(env)]);
    reader = new PostgresLedger({ connectionString: (db as TestDatabase).url });
    const input = airmilesInput({ poNumber: newPoNumber("KILL") });
    const po = input.poNumber;
    const { mutation } = await placeHeldAtPlum(doomed.url, plum, input, 2_500);
    const held = await reader.findByPlumPoNumber(po);
    expect(held).toMatchObject({ state: "PENDING", sendAttempts: 1, sends: [{ n: 1, answer: "open" }] });
    const doomedOwner = held?.leaseOwner;
    expect(doomedOwner).toBeTruthy();
    expect(await doomed.kill()).toBe("SIGKILL");
    const killedAt = Date.now();
    expect(await mutation).toHaveProperty("failed");

    // Resumed: another owner takes the row (the doomed replica never looked anything up).
    const resumedAfterMs = await waitFor(
      "the survivor to resume the row",
      async () => {
        const row = await reader?.findByPlumPoNumber(po);
        const taken = (row?.leaseOwner != null && row.leaseOwner !== doomedOwner) || lookupCallsFor(plum, po) > 0;
        return taken ? Date.now() - killedAt : undefined;
      },
      { intervalMs: 20, timeoutMs: 20_000 },
    );
    const placed = await waitFor(
      "the survivor to place it",
      async () => {
        const row = await reader?.findByPlumPoNumber(po);
        return row?.state === "PLACED" ? row : undefined;
      },
      { intervalMs: 50, timeoutMs: 20_000 },
    );
    const placedAfterMs = Date.now() - killedAt;
    console.info(`case 6 (PostgreSQL): resumed ${resumedAfterMs} ms, placed ${placedAfterMs} ms after the SIGKILL`);
    expect(resumedAfterMs).toBeLessThan(15_000);
    expect(placedAfterMs).toBeLessThan(15_000);

    const orders = simOrdersFor(plum, po);
    expect(orders).toHaveLength(1);
    expect(placed).toMatchObject({ state: "PLACED", orderId: String(orders[0]?.orderId), sendAttempts: 1 });
    expect(placeCallsFor(plum, po)).toBe(1);
    const replay = await placeAirmilesStatus(survivor.url, input);
    expect(replay.outcome).toBe("REPLAYED");
    expect(placeCallsFor(plum, po)).toBe(1);
    await survivor.stop();
  }, 60_000);

  it("SQLite file: a restarted process voids its dead predecessor's lease at start: the retry is not ORDER_IN_PROGRESS", async () => {
    const plum = sim as PlumSimulator;
    const env = {
      DATABASE_URL: `sqlite:${join(dir as string, "orders.sqlite")}`,
      ...plumEnv(plum),
      // A lease that would outlast the test: only voiding it at start lets the retry act.
      PLACEMENT_LEASE_MS: "60000",
      // Nothing in the background: the caller's retry is what settles the row.
      RECONCILE_INTERVAL_MS: "3600000",
      RECONCILE_LOOKUP_INTERVAL_MS: "50",
      RECONCILE_SETTLE_MS: "300",
      XOXODAY_MAX_PROCESSING_MS: "2000",
    };
    const first = await startListeningService(env);
    const input = airmilesInput({ poNumber: newPoNumber("SQLKILL") });
    const po = input.poNumber;
    const { mutation } = await placeHeldAtPlum(first.url, plum, input, 1_500);
    expect(await first.kill()).toBe("SIGKILL");
    expect(await mutation).toHaveProperty("failed");

    const restarted = await startListeningService(env);
    const restartedAt = Date.now();
    const retry = await placeAirmilesStatus(restarted.url, input);
    expect(codes(retry)).not.toContain("ORDER_IN_PROGRESS");
    const settled =
      retry.outcome === "PLACED"
        ? retry
        : await waitFor(
            "the retry to resolve",
            async () => {
              const p = await placeAirmilesStatus(restarted.url, input);
              expect(codes(p)).not.toContain("ORDER_IN_PROGRESS");
              return p.outcome === "PLACED" ? p : undefined;
            },
            { intervalMs: 100, timeoutMs: 5_000 },
          );
    const resolvedAfterMs = Date.now() - restartedAt;
    console.info(`case 6 (SQLite): the retry resolved ${resolvedAfterMs} ms after the restart`);
    expect(resolvedAfterMs).toBeLessThan(5_000);
    const orders = simOrdersFor(plum, po);
    expect(orders).toHaveLength(1);
    expect(settled.order?.orderId).toBe(String(orders[0]?.orderId));
    expect(placeCallsFor(plum, po)).toBe(1);
    await restarted.stop();
  }, 60_000);
});

describe("case 7: leases on the database clock; the lease is re-checked before every send", () => {
  let db: TestDatabase | undefined;
  let a: PostgresLedger;
  let b: PostgresLedger;
  let sim: PlumSimulator | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = new PostgresLedger({ connectionString: db.url });
    b = new PostgresLedger({ connectionString: db.url });
    await a.migrate();
    await b.migrate();
    sim = await createPlumSimulator();
  });
  afterAll(async () => {
    vi.useRealTimers();
    await a?.close();
    await b?.close();
    await sim?.close();
    await db?.drop();
  });

  const attempts: AttemptRecord[] = [
    { n: 1, answer: "empty", empty: "notFound" },
    { n: 2, answer: "open" },
  ];
  const writeAhead: RecordPatch = { startAttempt: true, sendAttempts: 2, sends: attempts };

  it("a lease expired by the database's clock and taken by another owner: the first owner's write-ahead applies nothing", async () => {
    const po = uniquePo("LEASE");
    const claimed = await a.claim(placement(po), { owner: "owner-1", ms: 50 });
    expect(claimed.claimed).toBe(true);
    await sleep(100);
    const taken = await b.acquireLease(po, { owner: "owner-2", ms: 10_000 });
    expect(taken?.leaseOwner).toBe("owner-2");

    expect(
      await a.update(po, "owner-1", writeAhead, false, { version: claimed.record.version, live: true }),
    ).toBeNull();
    expect(await a.update(po, "owner-1", writeAhead, false, { live: true })).toBeNull();
    expect(await a.renewLease(po, { owner: "owner-1", ms: 10_000 })).toBe(false);
    const row = await b.findByPlumPoNumber(po);
    expect(row).toMatchObject({ sendAttempts: 1, sends: [{ n: 1, answer: "open" }], leaseOwner: "owner-2" });
    expect(row?.lastSentAt).toEqual(claimed.record.lastSentAt);
    // The new owner's write-ahead applies.
    expect(
      await b.update(po, "owner-2", writeAhead, false, { version: taken?.version as number, live: true }),
    ).toMatchObject({
      sendAttempts: 2,
    });
  });

  it("expired but not taken: no write-ahead (nothing may be sent), though an earlier send's answer may still be recorded", async () => {
    const po = uniquePo("LEASE");
    const claimed = await a.claim(placement(po), { owner: "owner-1", ms: 50 });
    await sleep(100);
    expect(
      await a.update(po, "owner-1", writeAhead, false, { version: claimed.record.version, live: true }),
    ).toBeNull();
    expect(await a.renewLease(po, { owner: "owner-1", ms: 10_000 })).toBe(false);
    expect(await a.findByPlumPoNumber(po)).toMatchObject({ sendAttempts: 1, version: claimed.record.version });
    const answered: RecordPatch = { sends: [{ n: 1, answer: "unknown" }] };
    expect(await a.update(po, "owner-1", answered, true, { version: claimed.record.version })).toMatchObject({
      sends: [{ n: 1, answer: "unknown" }],
      leaseOwner: null,
    });
  });

  it("the replica's own clock decides nothing: an hour behind cannot stretch an expired lease, an hour ahead cannot cut a live one", async () => {
    const behind = uniquePo("CLOCK");
    const ahead = uniquePo("CLOCK");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 3_600_000 });
    try {
      const claimed = await a.claim(placement(behind), { owner: "slow-clock", ms: 50 });
      await sleep(100);
      expect(
        await a.update(behind, "slow-clock", writeAhead, false, { version: claimed.record.version, live: true }),
      ).toBeNull();
      vi.setSystemTime(Date.now() + 7_200_000);
      const live = await a.claim(placement(ahead), { owner: "fast-clock", ms: 10_000 });
      expect(await b.acquireLease(ahead, { owner: "intruder", ms: 10_000 })).toBeNull();
      expect(
        await a.update(ahead, "fast-clock", writeAhead, false, { version: live.record.version, live: true }),
      ).toMatchObject({
        sendAttempts: 2,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it("the engine: a write-ahead whose lease moved on while the process paused sends nothing", async () => {
    const plum = sim as PlumSimulator;
    const engine = directEngine(a, plum, { leaseMs: 200, replicaId: "paused" });
    try {
      const input = airmilesInput();
      const po = input.poNumber;
      plum.inject({ kind: "rateLimit", penaltySeconds: 1 });
      const first = await engine.service.place(airmilesRequest(input), null);
      expect(first.outcome).toBe("REJECTED");
      expect(first.errors.map((e) => e.code)).toEqual(["RATE_LIMITED"]);

      // The retry's write-ahead stalls until its 200 ms lease is over and another replica has taken the row.
      let intruder: unknown = null;
      engine.store.beforeNextWriteAhead(async () => {
        await sleep(300);
        intruder = await b.acquireLease(po, { owner: "intruder", ms: 10_000 });
      });
      const retry = await engine.service.place(airmilesRequest(input), null);
      expect(intruder).not.toBeNull();
      expect(engine.store.writeAheads).toEqual([{ applied: false }]);
      expect(retry.outcome).toBe("PENDING");
      expect(retry.errors.map((e) => e.code)).toEqual(["ORDER_IN_PROGRESS"]);
      expect(placeCallsFor(plum, po)).toBe(1);
      expect(await a.findByPlumPoNumber(po)).toMatchObject({
        state: "PENDING",
        sendAttempts: 1,
        leaseOwner: "intruder",
      });
    } finally {
      await engine.close();
    }
  });
});

describe("case 8: a failed write after a send", () => {
  let db: TestDatabase | undefined;
  let ledger: PostgresLedger;
  let sim: PlumSimulator | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = new PostgresLedger({ connectionString: db.url });
    await ledger.migrate();
    sim = await createPlumSimulator();
  });
  beforeEach(() => sim?.reset());
  afterAll(async () => {
    await ledger?.close();
    await sim?.close();
    await db?.drop();
  });

  it("attempt 1: the answer is kept, the row stays open, nothing is re-sent, and the reconciler writes it → PLACED", async () => {
    const plum = sim as PlumSimulator;
    // No look-up can see the order: only the kept answer can place it.
    plum.setBehaviour({ lookupLagMs: 60_000 });
    const engine = directEngine(ledger, plum);
    try {
      const input = airmilesInput();
      const po = input.poNumber;
      const request = airmilesRequest(input);
      // Every write after the claim's write-ahead fails: the first try and both retries.
      engine.store.failUpdatesAfterNextWriteAhead(3);

      const first = await engine.service.place(request, null);
      expect(first.outcome).toBe("PENDING");
      expect(first.errors.map((e) => e.code)).toEqual(["OUTCOME_UNKNOWN"]);
      expect(engine.store.failedUpdates).toBe(3);
      expect(engine.service.unwrittenCount).toBe(1);
      expect(engine.logs.text).toContain("kept for the reconciler");
      const orders = simOrdersFor(plum, po);
      expect(orders).toHaveLength(1);
      const open = await ledger.findByPlumPoNumber(po);
      expect(open).toMatchObject({
        state: "PENDING",
        sendAttempts: 1,
        sends: [{ n: 1, answer: "open" }],
        orderId: null,
      });

      await engine.service.reconcileDue(50);
      expect(engine.service.unwrittenCount).toBe(0);
      const placed = await ledger.findByPlumPoNumber(po);
      expect(placed).toMatchObject({ state: "PLACED", orderId: String(orders[0]?.orderId), sendAttempts: 1 });
      expect(placed?.sends[0]).toMatchObject({ n: 1, answer: "created" });
      // Placed from the kept answer, not from a look-up; sent once.
      expect(lookupCallsFor(plum, po)).toBe(0);
      expect(placeCallsFor(plum, po)).toBe(1);
      expect(simOrdersFor(plum, po)).toHaveLength(1);
      expect((await ledger.listAttempts(po)).filter((e) => e.operation === "placeOrder").map((e) => e.phase)).toEqual([
        "request",
        "response",
      ]);
      const replay = await engine.service.place(request, null);
      expect(replay.outcome).toBe("REPLAYED");
      expect(replay.record?.orderId).toBe(String(orders[0]?.orderId));
    } finally {
      await engine.close();
    }
  });

  it("attempt 2 (written ahead by an update): PENDING, attempt 2 open, kept; the next retry writes the kept answer first → REPLAYED, never re-sent", async () => {
    const plum = sim as PlumSimulator;
    plum.setBehaviour({ lookupLagMs: 60_000 });
    const engine = directEngine(ledger, plum);
    try {
      const input = airmilesInput();
      const po = input.poNumber;
      const request = airmilesRequest(input);
      plum.inject({ kind: "rateLimit", penaltySeconds: 1 });
      expect((await engine.service.place(request, null)).outcome).toBe("REJECTED");

      engine.store.failUpdatesAfterNextWriteAhead(3);
      const resent = await engine.service.place(request, null);
      expect(resent.outcome).toBe("PENDING");
      expect(engine.store.writeAheads).toEqual([{ applied: true }]);
      expect(engine.store.failedUpdates).toBe(3);
      expect(engine.service.unwrittenCount).toBe(1);
      const open = await ledger.findByPlumPoNumber(po);
      expect(open).toMatchObject({ state: "PENDING", sendAttempts: 2 });
      expect(open?.sends[1]).toMatchObject({ n: 2, answer: "open" });
      expect(simOrdersFor(plum, po)).toHaveLength(1);

      // The retry puts the kept answer on record before it decides anything: the order is there, nothing is sent.
      const retry = await engine.service.place(request, null);
      expect(retry.outcome).toBe("REPLAYED");
      expect(retry.record?.orderId).toBe(String(simOrdersFor(plum, po)[0]?.orderId));
      expect(engine.service.unwrittenCount).toBe(0);
      expect(placeCallsFor(plum, po)).toBe(2);
      const placed = await ledger.findByPlumPoNumber(po);
      expect(placed).toMatchObject({ state: "PLACED", orderId: String(simOrdersFor(plum, po)[0]?.orderId) });
      expect(placed?.sends[1]).toMatchObject({ n: 2, answer: "created" });
      expect(placeCallsFor(plum, po)).toBe(2);
      expect(simOrdersFor(plum, po)).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });

  it("a write that fails fewer times than it is retried: PLACED at once, nothing kept", async () => {
    const plum = sim as PlumSimulator;
    const engine = directEngine(ledger, plum);
    try {
      const input = airmilesInput();
      engine.store.failUpdatesAfterNextWriteAhead(2);
      const placed = await engine.service.place(airmilesRequest(input), null);
      expect(engine.store.failedUpdates).toBe(2);
      expect(placed.outcome).toBe("PLACED");
      expect(engine.service.unwrittenCount).toBe(0);
      expect(simOrdersFor(plum, input.poNumber)).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });
});

describe("case 9: adopt() only what is ours", () => {
  // Harness window: 100 + 300 ms.
  const TRUSTED_AFTER_MS = 400;
  const t = useTestApp({ resetSimulator: true });

  it.each([
    ["otherPoNumber", "resetBeforeProcessing"],
    ["otherRecipient", "resetBeforeProcessing"],
    ["otherPoNumber", "resetAfterProcessing"],
    ["otherRecipient", "resetAfterProcessing"],
  ] as const)(
    "look-ups answering %s after %s: never PLACED with the foreign order; operator alert",
    async (mode, fault) => {
      t.sim.inject({ kind: fault });
      const input = airmilesInput();
      const po = input.poNumber;
      expect(story(await placeAirmilesStatus(t.url, input))).toBe("PENDING:OUTCOME_UNKNOWN");
      const oursExists = fault === "resetAfterProcessing";
      expect(simOrdersFor(t.sim, po)).toHaveLength(oursExists ? 1 : 0);

      // The next two look-ups (a retry's, a read's) answer with an order that is not ours.
      t.sim.inject({ kind: "lookupAnswersOther", mode, times: 2 });
      expect(story(await placeAirmilesStatus(t.url, input))).toBe("PENDING:OUTCOME_UNKNOWN");
      await sleep(80);
      expect(await orderStatusByPoNumber(t.url, po)).toBeNull();
      // Precondition: both foreign answers were given (the fault is used up).
      expect(lookupCallsFor(t.sim, po)).toBe(2);
      const held = await t.app.ledger.findByPlumPoNumber(po);
      expect(held).toMatchObject({
        state: "PENDING",
        orderId: null,
        order: null,
        alert: "po_number_held_by_different_order",
      });
      const alerts = t.logs
        .records()
        .filter((r) => r["alert"] === "po_number_held_by_different_order" && r["poNumber"] === po);
      expect(alerts.length).toBeGreaterThanOrEqual(1);
      expect(t.logs.text).toContain("po_number_held_by_different_order");

      // Once Plum answers truthfully, the row settles with our own order (found, or sent again after the window).
      await sleep(TRUSTED_AFTER_MS + 50);
      const settled = await placeAirmilesStatus(t.url, input);
      expect(settled.outcome).toBe("PLACED");
      const orders = simOrdersFor(t.sim, po);
      expect(orders).toHaveLength(1);
      expect(settled.order).toMatchObject({ orderId: String(orders[0]?.orderId), poNumber: po });
      const row = await t.app.ledger.findByPlumPoNumber(po);
      expect(row?.order?.orderMeta?.["email"]).toBe(input.email);
      expect(placeCallsFor(t.sim, po)).toBe(oursExists ? 1 : 2);
    },
  );
});

describe("case 11: reads never flood Plum", () => {
  const t = useTestApp({ resetSimulator: true, env: { RECONCILE_LOOKUP_INTERVAL_MS: "5000" } });

  it("50 concurrent reads of a pending order cost at most one look-up per interval, and so do 50 retries with 50 more reads", async () => {
    t.sim.inject({ kind: "resetBeforeProcessing" });
    const input = airmilesInput();
    const po = input.poNumber;
    expect(story(await placeAirmilesStatus(t.url, input))).toBe("PENDING:OUTCOME_UNKNOWN");
    expect(lookupCallsFor(t.sim, po)).toBe(0);

    // The one look-up is slow, so the other readers arrive while it is in flight.
    t.sim.inject({ kind: "latency", ms: 300, operation: "getOrderDetails" });
    const reads = await Promise.all(Array.from({ length: 50 }, () => orderStatusByPoNumber(t.url, po)));
    expect(reads.every((r) => r === null)).toBe(true);
    const afterReads = lookupCallsFor(t.sim, po);
    expect(afterReads).toBeGreaterThanOrEqual(1);
    expect(afterReads).toBeLessThanOrEqual(2);

    const [moreReads, retries] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, () => orderStatusByPoNumber(t.url, po))),
      Promise.all(Array.from({ length: 50 }, () => placeAirmilesStatus(t.url, input))),
    ]);
    expect(moreReads.every((r) => r === null)).toBe(true);
    for (const r of retries) expect(["PENDING:OUTCOME_UNKNOWN", "PENDING:ORDER_IN_PROGRESS"]).toContain(story(r));
    expect(lookupCallsFor(t.sim, po)).toBeLessThanOrEqual(2);
    expect(placeCallsFor(t.sim, po)).toBe(1);
  });
});
