// Every way the simulator can leave a placement's outcome unknown: the caller is told PENDING, and a retry of
// the mutation or a reconciler pass (after the settle window) ends with exactly one upstream order, PLACED in the
// ledger, with every request and response on record and no credential in any stored body.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { PlacementStatusFieldsFragment } from "../__generated__/graphql.js";
import { TEST_ENV, useTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { simOrdersFor } from "../support/plumDirect.js";
import { UNKNOWN_OUTCOME_CASES } from "../support/unknownOutcomeCases.js";
import { expectCompleteAttemptLog, waitFor } from "./helpers.js";

// "Not found" is trusted once the attempt started longer ago than Plum's processing bound plus the settle window;
// the bound here outlasts the 3.5 s exchange cap, so a timed-out attempt is still inside it when it fails.
const MAX_PROCESSING_MS = 3_600;
const SETTLE_MS = Number(TEST_ENV["RECONCILE_SETTLE_MS"]) + MAX_PROCESSING_MS;

function expectUnknown(payload: PlacementStatusFieldsFragment): void {
  expect(payload.outcome).toBe("PENDING");
  expect(payload.order).toBeNull();
  expect(payload.errors).toMatchObject([{ code: "OUTCOME_UNKNOWN", retryable: true }]);
}

describe("unknown upstream outcomes are reconciled to exactly one order", () => {
  const t = useTestApp({ env: { XOXODAY_MAX_PROCESSING_MS: String(MAX_PROCESSING_MS) } });

  for (const { name, fault, created } of UNKNOWN_OUTCOME_CASES) {
    describe(name, () => {
      it("retries of the mutation place it once, re-sending only after the settle window", async () => {
        const input = airmilesInput();
        t.sim.inject({ ...fault, operation: "placeOrder", times: 1 });

        expectUnknown(await placeAirmilesStatus(t.url, input));
        expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(created ? 1 : 0);
        const pending = await t.app.ledger.findByPlumPoNumber(input.poNumber);
        expect(pending).toMatchObject({ state: "PENDING", sendAttempts: 1, leaseOwner: null });

        // An immediate retry looks the order up but, inside the settle window, never re-sends.
        const sends = t.sim.count("placeOrder");
        const early = await placeAirmilesStatus(t.url, input);
        if (created) expect(early.outcome).toBe("PLACED");
        else expect(early.outcome).toBe("PENDING");
        expect(t.sim.count("placeOrder")).toBe(sends);

        await sleep(SETTLE_MS + 100);
        const retry = await placeAirmilesStatus(t.url, input);
        // The order was already found by the early retry when it had been created.
        expect(retry.outcome).toBe(created ? "REPLAYED" : "PLACED");
        const upstream = simOrdersFor(t.sim, input.poNumber);
        expect(upstream).toHaveLength(1);
        expect(retry.order?.orderId).toBe(String(upstream[0]?.orderId));

        await expectPlacedOnce(t, input.poNumber, created ? 1 : 2);
      });

      it("the reconciler places it once without any retry", async () => {
        const input = airmilesInput();
        t.sim.inject({ ...fault, operation: "placeOrder", times: 1 });

        expectUnknown(await placeAirmilesStatus(t.url, input));
        // Bounded: a pass before the settle window leaves the row PENDING, a later one settles it.
        await waitFor(
          "the reconciler to settle the order",
          async () => {
            await t.app.reconciler.runOnce();
            const row = await t.app.ledger.findByPlumPoNumber(input.poNumber);
            return row?.state === "PLACED" ? row : undefined;
          },
          { timeoutMs: 15_000, intervalMs: SETTLE_MS / 2 },
        );

        expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
        await expectPlacedOnce(t, input.poNumber, created ? 1 : 2);
      });
    });
  }
});

/** Ledger PLACED with Plum's order, `sends` placeOrder attempts, and a complete attempt log. */
async function expectPlacedOnce(t: TestApp, poNumber: string, sends: number): Promise<void> {
  const upstream = simOrdersFor(t.sim, poNumber);
  expect(upstream).toHaveLength(1);
  const row = await t.app.ledger.findByPlumPoNumber(poNumber);
  expect(row).toMatchObject({
    state: "PLACED",
    orderId: String(upstream[0]?.orderId),
    sendAttempts: sends,
    errors: [],
    nextCheckAt: null,
    leaseOwner: null,
  });
  const attempts = await t.app.ledger.listAttempts(poNumber);
  const placeRequests = attempts.filter((a) => a.operation === "placeOrder" && a.phase === "request");
  expect(placeRequests).toHaveLength(sends);
  // The faulted attempt's response entry is there too, whatever form the failure took.
  const firstResponse = attempts.find((a) => a.operation === "placeOrder" && a.phase === "response");
  expect(firstResponse).toBeDefined();
  expectCompleteAttemptLog(attempts, t.sim.tokens.accessToken);
}
