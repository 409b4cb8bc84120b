// Every path where Plum's answer cannot say whether an order was placed: the client is told PENDING with
// OUTCOME_UNKNOWN (never REJECTED, never an order), and reconciliation through getOrderDetails ends with exactly
// one order at Plum, whether or not the first attempt created it. Counts are per poNumber: the reconciler settles
// every due row, including ones an earlier test left PENDING.
import { describe, expect, it } from "vitest";
import type { PlaceOrderPayloadFieldsFragment } from "../__generated__/graphql.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { orderByPoNumber, placeAirmiles, placeTopup } from "../support/orderOperations.js";
import { placeCallsFor, simOrdersFor } from "../support/plumDirect.js";
import { UNKNOWN_OUTCOME_CASES, type UnknownOutcomeCase } from "../support/unknownOutcomeCases.js";
import { expectNothingVerbatim, pastSettleWindow } from "./helpers.js";

const t = useTestApp({ resetSimulator: true });

function expectPendingUnknown(payload: PlaceOrderPayloadFieldsFragment, upstreamErrorId: string | null): void {
  expect(payload).toEqual({
    outcome: "PENDING",
    order: null,
    errors: [
      {
        code: "OUTCOME_UNKNOWN",
        message: expect.any(String),
        field: null,
        upstreamErrorId,
        retryable: true,
        retryAfterSeconds: null,
      },
    ],
  });
}

/** Settles a PENDING placement the given way; returns the orderId the service then reports. */
async function reconcile(
  how: UnknownOutcomeCase["settleBy"],
  place: () => Promise<{ payload: PlaceOrderPayloadFieldsFragment }>,
  poNumber: string,
): Promise<string | undefined> {
  await pastSettleWindow();
  if (how === "retry") {
    const { payload } = await place();
    expect(payload.outcome).toBe("PLACED");
    expect(payload.errors).toEqual([]);
    return payload.order?.orderId;
  }
  if (how === "reconciler") await t.app.reconciler.runOnce();
  const order = await orderByPoNumber(t.url, poNumber);
  expect(order).not.toBeNull();
  return order?.orderId;
}

describe("the answer is lost, whether or not the order was created", () => {
  it.each(UNKNOWN_OUTCOME_CASES)(
    "$name: PENDING, then settled ($settleBy) to one order",
    async ({ fault, created, upstreamErrorId, settleBy }) => {
      const input = airmilesInput();
      const place = () => placeAirmiles(t.url, input);
      t.sim.inject(fault);
      const first = await place();
      expectPendingUnknown(first.payload, upstreamErrorId);
      expectNothingVerbatim(first.response);
      expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(created ? 1 : 0);

      const orderId = await reconcile(settleBy, place, input.poNumber);
      const orders = simOrdersFor(t.sim, input.poNumber);
      expect(orders).toHaveLength(1);
      expect(orderId).toBe(String(orders[0]?.orderId));
      // Created on the first attempt: never sent again. Otherwise exactly one resend placed it, after a look-up
      // confirmed there was no order.
      expect(placeCallsFor(t.sim, input.poNumber)).toBe(created ? 1 : 2);
      if (!created) expect(t.sim.count("getOrderDetails")).toBeGreaterThanOrEqual(1);

      // Settled for good: a further retry replays it.
      const replay = await place();
      expect(replay.payload.outcome).toBe("REPLAYED");
      expect(replay.payload.order?.orderId).toBe(orderId);
      expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
    },
  );

  it("the table settles a created order every way, and an uncreated one by retry and by the reconciler", () => {
    const ways = (created: boolean) =>
      new Set(UNKNOWN_OUTCOME_CASES.filter((c) => c.created === created).map((c) => c.settleBy));
    expect(ways(true)).toEqual(new Set(["retry", "orderByPoNumber", "reconciler"]));
    // A look-up never sends, so it cannot settle an order that does not exist.
    expect(ways(false)).toEqual(new Set(["retry", "reconciler"]));
  });
});

describe("the order was created, the answer lost", () => {
  it("works the same for a top-up", async () => {
    const input = topupInput();
    t.sim.inject({ kind: "createdThen502" });
    const first = await placeTopup(t.url, input);
    expectPendingUnknown(first.payload, "PLE10025");
    await pastSettleWindow();
    const retry = await placeTopup(t.url, input);
    expect(retry.payload.outcome).toBe("PLACED");
    expect(retry.payload.order).toMatchObject({ kind: "TOPUP", poNumber: input.poNumber });
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(1);
  });

  it("does not re-send before the settle window has passed, however often the client retries", async () => {
    const input = airmilesInput();
    t.sim.inject({ kind: "status", status: 503 });
    expectPendingUnknown((await placeAirmiles(t.url, input)).payload, "PLE10025");
    // Immediately: Plum's "not found" cannot be trusted yet, so the retry only looks.
    const early = await placeAirmiles(t.url, input);
    expect(early.payload.outcome).toBe("PENDING");
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(1);
    expect(await orderByPoNumber(t.url, input.poNumber)).toBeNull();
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(1);
    // Past the window the retry may send again, and does so exactly once.
    await pastSettleWindow();
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PLACED");
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(2);
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
  });
});

describe("a read while the outcome is unknown", () => {
  it("never sends: orderByPoNumber only looks the order up", async () => {
    const input = airmilesInput();
    t.sim.inject({ kind: "resetBeforeProcessing" });
    expectPendingUnknown((await placeAirmiles(t.url, input)).payload, null);
    await pastSettleWindow();
    expect(await orderByPoNumber(t.url, input.poNumber)).toBeNull();
    expect(await orderByPoNumber(t.url, input.poNumber)).toBeNull();
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(1);
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(0);
    // The caller's retry is what sends again.
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PLACED");
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
  });
});
