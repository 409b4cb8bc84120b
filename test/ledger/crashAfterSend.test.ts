// A replica dies (SIGKILL) after its placeOrder reached Plum and before any answer: the order exists upstream
// but the ledger row is still PENDING under the dead replica's lease. Once that lease expires, another instance's
// reconciler finds the order by poNumber: exactly one upstream order, ledger PLACED, nothing re-sent.
// (The crash before the request leaves is covered by the ledger conformance suite.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { PlaceAirmilesOrderStatusDocument } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { simOrdersFor } from "../support/plumDirect.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startListeningService, stopAllServices } from "../support/serviceProcess.js";
import { waitFor } from "./helpers.js";

// Small upstream timeouts keep the dead replica's lease (6 × their sum + 10 s = 25 s) short. The headers timeout must
// still outlast the few ms between Plum creating the order and the kill, or the replica would record the outcome.
const CHILD_TIMEOUTS = {
  XOXODAY_CONNECT_TIMEOUT_MS: "500",
  XOXODAY_HEADERS_TIMEOUT_MS: "1500",
  XOXODAY_BODY_TIMEOUT_MS: "500",
};

describe("a replica killed after sending", () => {
  let db: TestDatabase | undefined;
  let sim: PlumSimulator | undefined;
  let survivor: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createPlumSimulator();
  });
  afterAll(async () => {
    await stopAllServices();
    await survivor?.close();
    await sim?.close();
    await db?.drop();
  });

  it("is reconciled by another instance from the order Plum has, once the dead lease expires", async () => {
    const plum = sim as PlumSimulator;
    const plumEnv = { XOXODAY_API_URL: plum.apiUrl, XOXODAY_ACCESS_TOKEN: plum.tokens.accessToken };
    const databaseUrl = (db as TestDatabase).url;
    const doomed = await startListeningService({
      DATABASE_URL: databaseUrl,
      ...plumEnv,
      ...CHILD_TIMEOUTS,
      // Its own reconciler must not interfere before the kill.
      RECONCILE_INTERVAL_MS: "3600000",
    });
    const input = airmilesInput({ poNumber: newPoNumber("CRASH") });
    // Plum creates the order and never answers.
    plum.inject({ kind: "timeout", processed: true, operation: "placeOrder", times: 1 });

    const mutation = gql(doomed.url, PlaceAirmilesOrderStatusDocument, { input }).then(
      (response) => ({ answered: response }),
      (error: unknown) => ({ failed: error }),
    );
    await waitFor(
      "Plum to create the order",
      () => (simOrdersFor(plum, input.poNumber).length === 1 ? true : undefined),
      {
        intervalMs: 5,
        timeoutMs: 10_000,
      },
    );
    expect(await doomed.kill()).toBe("SIGKILL");
    // The caller's connection died with the process: it never got an answer.
    expect(await mutation).toHaveProperty("failed");

    survivor = await startTestApp({
      DATABASE_URL: databaseUrl,
      ...plumEnv,
      RECONCILE_SETTLE_MS: "200",
    });
    const ledger = survivor.app.ledger;
    const orphan = await ledger.findByPlumPoNumber(input.poNumber);
    // Precondition: the replica died holding the lease, after its write-ahead and before any answer was recorded.
    expect(orphan).toMatchObject({
      state: "PENDING",
      sendAttempts: 1,
      sends: [{ n: 1, answer: "open" }],
      orderId: null,
    });
    expect(orphan?.leaseOwner).not.toBeNull();
    const leaseUntil = orphan?.leaseUntil as Date;
    // The request was on record before it left; no response ever came.
    const logged = await ledger.listAttempts(input.poNumber);
    expect(logged.map((a) => `${a.operation}:${a.phase}`)).toEqual(["placeOrder:request"]);

    // While the dead replica's lease lasts, nobody may act on the row: a retry is told it is in progress.
    if (Date.now() < leaseUntil.getTime() - 1_000) {
      const early = await placeAirmilesStatus(survivor.url, input);
      expect(early.outcome).toBe("PENDING");
      expect(early.errors.map((e) => e.code)).toEqual(["ORDER_IN_PROGRESS"]);
      await survivor.app.reconciler.runOnce();
      expect((await ledger.findByPlumPoNumber(input.poNumber))?.state).toBe("PENDING");
    }

    const sendsBefore = plum.count("placeOrder");
    const placed = await waitFor(
      "the reconciler to settle the orphaned order",
      async () => {
        await survivor?.app.reconciler.runOnce();
        const row = await ledger.findByPlumPoNumber(input.poNumber);
        return row?.state === "PLACED" ? row : undefined;
      },
      { intervalMs: 250, timeoutMs: Math.max(0, leaseUntil.getTime() - Date.now()) + 15_000 },
    );

    const upstream = simOrdersFor(plum, input.poNumber);
    expect(upstream).toHaveLength(1);
    expect(placed).toMatchObject({ state: "PLACED", orderId: String(upstream[0]?.orderId), leaseOwner: null });
    // Found by poNumber, never re-sent.
    expect(plum.count("placeOrder")).toBe(sendsBefore);
    const attempts = await ledger.listAttempts(input.poNumber);
    expect(attempts.filter((a) => a.operation === "placeOrder")).toHaveLength(1);
    expect(
      attempts.some((a) => a.operation === "getOrderDetails" && a.phase === "response" && a.httpStatus === 200),
    ).toBe(true);

    // The caller's retry now gets the order from the ledger.
    const retry = await placeAirmilesStatus(survivor.url, input);
    expect(retry.outcome).toBe("REPLAYED");
    expect(retry.order?.orderId).toBe(String(upstream[0]?.orderId));
    expect(plum.count("placeOrder")).toBe(sendsBefore);
  }, 90_000);
});
