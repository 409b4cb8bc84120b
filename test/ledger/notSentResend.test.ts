// A caller told REJECTED ("nothing was placed; retry with the same poNumber") owns the next move: the row waits
// for that retry. A read of the order must not hand it to the reconciler, which would place a paid order the
// caller believes failed (and may already have re-placed under a new poNumber).
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { TEST_ENV, useTestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { orderStatusByPoNumber, placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { simOrdersFor } from "../support/plumDirect.js";

const SETTLE_MS = Number(TEST_ENV["RECONCILE_SETTLE_MS"]);

describe("a re-send that never left", () => {
  const t = useTestApp();

  it("waits for the caller's retry, whatever reads happen meanwhile", async () => {
    const input = airmilesInput({ poNumber: newPoNumber("NS") });
    // First attempt: outcome unknown (nothing was created).
    t.sim.inject({ kind: "status", status: 503, operation: "placeOrder" });
    expect((await placeAirmilesStatus(t.url, input)).outcome).toBe("PENDING");
    await sleep(SETTLE_MS + 100);

    // The caller retries; Plum confirms there is no order, and the re-send is refused before processing.
    t.sim.inject({ kind: "rateLimit", penaltySeconds: 1, operation: "placeOrder" });
    const refused = await placeAirmilesStatus(t.url, input);
    expect(refused.outcome).toBe("REJECTED");
    expect(refused.errors).toMatchObject([{ code: "RATE_LIMITED", retryable: true }]);
    const sends = t.sim.count("placeOrder");

    // Someone reads the order, and the reconciler runs (repeatedly, past any window): nothing is sent.
    expect(await orderStatusByPoNumber(t.url, input.poNumber)).toBeNull();
    await sleep(SETTLE_MS + 100);
    await t.app.reconciler.runOnce();
    expect(await orderStatusByPoNumber(t.url, input.poNumber)).toBeNull();
    await t.app.reconciler.runOnce();
    expect(t.sim.count("placeOrder")).toBe(sends);
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(0);

    // The caller's retry is what places it, once.
    const retried = await placeAirmilesStatus(t.url, input);
    expect(retried.outcome).toBe("PLACED");
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
    expect(t.sim.count("placeOrder")).toBe(sends + 1);
  });
});
