// The settle window protects against Plum still working on a request we stopped waiting for: a "not found" is
// only trusted once the window has passed since the last attempt ended, so a slow Plum is never sent the order a
// second time while the first request may still be in progress. (Plum's poNumber de-duplication is undocumented,
// so the service must not rely on it; docs/reliability-notes.md A3, A5.4.)
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_ENV, useTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { simOrdersFor } from "../support/plumDirect.js";
import { expectCompleteAttemptLog, waitFor } from "./helpers.js";

// Plum answers after this long, but our headers timeout is much shorter: the order is created after we gave up.
const PLUM_PROCESSING_MS = 4_000;
// Shorter than the headers timeout, so a window measured from the start of the send would already be over when
// the attempt fails.
const SETTLE_MS = 1_000;

describe("settle window after a timed-out send", () => {
  beforeAll(() => {
    expect(Number(TEST_ENV["XOXODAY_HEADERS_TIMEOUT_MS"])).toBeGreaterThan(SETTLE_MS);
  });
  // Plum's processing bound covers the slow request: "not found" proves nothing until it has passed.
  const t = useTestApp({
    env: { RECONCILE_SETTLE_MS: String(SETTLE_MS), XOXODAY_MAX_PROCESSING_MS: String(PLUM_PROCESSING_MS + 1_000) },
  });

  it("does not re-send while a slow Plum may still be processing the first request", async () => {
    const input = airmilesInput();
    t.sim.inject({ kind: "latency", ms: PLUM_PROCESSING_MS, operation: "placeOrder", times: 1 });
    const sendsBefore = t.sim.count("placeOrder");

    const first = await placeAirmilesStatus(t.url, input);
    expect(first.outcome).toBe("PENDING");
    expect(first.errors.map((e) => e.code)).toEqual(["OUTCOME_UNKNOWN"]);

    // Retried at once: Plum has nothing yet, but our attempt only just ended, so the answer is "still pending".
    const retry = await placeAirmilesStatus(t.url, input);
    expect(retry.outcome).toBe("PENDING");
    expect(t.sim.count("placeOrder") - sendsBefore).toBe(1);

    // The slow request completes at Plum; the next retry finds it.
    await waitFor(
      "Plum to finish the slow request",
      () => (simOrdersFor(t.sim, input.poNumber).length > 0 ? true : undefined),
      {
        timeoutMs: PLUM_PROCESSING_MS + 5_000,
      },
    );
    const placed = await placeAirmilesStatus(t.url, input);
    expect(placed.outcome).toBe("PLACED");
    expect(t.sim.count("placeOrder") - sendsBefore).toBe(1);
    const upstream = simOrdersFor(t.sim, input.poNumber);
    expect(upstream).toHaveLength(1);
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toMatchObject({
      state: "PLACED",
      orderId: String(upstream[0]?.orderId),
      sendAttempts: 1,
    });
    expectCompleteAttemptLog(await t.app.ledger.listAttempts(input.poNumber), t.sim.tokens.accessToken);
  });
});
