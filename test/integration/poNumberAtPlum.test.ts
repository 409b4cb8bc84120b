// A poNumber this service has never recorded may already be taken at Plum: by another Plum client (a different
// order), or by an attempt of ours whose answer was never recorded (the same order). Plum refuses the placement
// as a duplicate (PLE10004) either way; only the second may be reported as the caller's order.
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlaceAirmilesOrderInput } from "../__generated__/graphql.js";
import { PLUM_TAG, PlumOperation } from "../../src/plum/wire.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmiles, expectNothingVerbatim, orderByPoNumber, placeAirmiles, placeCallsFor, simOrdersFor } from "./helpers.js";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.sim.reset();
});

/** Places at the simulator directly, bypassing this service (and its ledger). */
async function placeAtSimulator(input: PlaceAirmilesOrderInput): Promise<number> {
  const response = await request(t.sim.apiUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${t.sim.tokens.accessToken}` },
    body: JSON.stringify({
      query: PlumOperation.placeOrder,
      tag: PLUM_TAG,
      variables: {
        data: {
          productId: input.productId, quantity: input.quantity ?? 1, denomination: input.denomination, email: input.email,
          poNumber: input.poNumber, notifyReceiverEmail: 0, notifyAdminEmail: 0, userMeta: input.userMeta,
        },
      },
    }),
  });
  const body = (await response.body.json()) as { data: { placeOrder: { data: { orderId: number } } } };
  return body.data.placeOrder.data.orderId;
}

describe("a poNumber already taken at Plum", () => {
  it("by a different order: PO_NUMBER_CONFLICT, and the other order is not handed to the caller", async () => {
    const input = airmiles({ denomination: 50 });
    await placeAtSimulator({ ...input, denomination: 75, userMeta: { loyaltyMemberId: "SOMEONE-ELSE" } });

    const { response, payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.order).toBeNull();
    expect(payload.errors).toEqual([
      expect.objectContaining({ code: "PO_NUMBER_CONFLICT", field: ["input", "poNumber"], retryable: false }),
    ]);
    expectNothingVerbatim(response);
    expect(JSON.stringify(response)).not.toContain("SOMEONE-ELSE");
    // Plum refused ours; only the other order exists.
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(2);
    expect(simOrdersFor(t.sim, input.poNumber)).toEqual([expect.objectContaining({ denomination: 75 })]);
    // The refusal is recorded: a retry replays it without calling Plum again.
    const retry = await placeAirmiles(t.url, input);
    expect(retry.payload.errors.map((e) => e.code)).toEqual(["PO_NUMBER_CONFLICT"]);
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(2);
  });

  it("by the same order (an unrecorded attempt of ours): that order is returned, nothing placed twice", async () => {
    const input = airmiles({ denomination: 50 });
    const orderId = await placeAtSimulator(input);

    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(payload.order).toMatchObject({ orderId: String(orderId), poNumber: input.poNumber, kind: "AIRMILES", orderTotal: 50 });
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
    expect(await orderByPoNumber(t.url, input.poNumber)).toMatchObject({ orderId: String(orderId) });
  });
});

describe("concurrent identical placements", () => {
  it("send once: one caller gets the order, the other is told it is in progress (or gets the replay)", async () => {
    const input = airmiles();
    // Hold the first request at Plum long enough for the second to arrive while it is in flight.
    t.sim.inject({ kind: "latency", ms: 800 });
    const [a, b] = await Promise.all([placeAirmiles(t.url, input), placeAirmiles(t.url, input)]);
    const placed = [a, b].filter((r) => r.payload.outcome === "PLACED");
    const other = [a, b].find((r) => r.payload.outcome !== "PLACED")?.payload;
    expect(placed).toHaveLength(1);
    // On a slow machine the second may only arrive once the first is done: then it is a replay.
    expect(["PENDING", "REPLAYED"]).toContain(other?.outcome);
    if (other?.outcome === "PENDING") {
      expect(other.errors).toEqual([expect.objectContaining({ code: "ORDER_IN_PROGRESS", retryable: true })]);
    }
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(1);
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("REPLAYED");
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
  });
});
