// A poNumber this service has never recorded may already be taken at Plum: by another Plum client (a different
// order), or by an attempt of ours whose answer was never recorded (the same order). Plum refuses the placement
// as a duplicate (PLE10004) either way; only the second may be reported as the caller's order.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { orderByPoNumber, placeAirmiles } from "../support/orderOperations.js";
import { placeAtPlum, placeCallsFor, simOrdersFor } from "../support/plumDirect.js";
import { expectNothingVerbatim, pastSettleWindow } from "./helpers.js";

const t = useTestApp({ resetSimulator: true });

describe("a poNumber already taken at Plum", () => {
  it("by a different order: PO_NUMBER_CONFLICT, and the other order is not handed to the caller", async () => {
    const input = airmilesInput({ denomination: 50 });
    await placeAtPlum(t.sim, { ...input, denomination: 75, userMeta: { loyaltyMemberId: "SOMEONE-ELSE" } });

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

  it("by a different order after an unknown outcome of ours: kept PENDING for an operator, never 'nothing placed'", async () => {
    const input = airmilesInput({ denomination: 50 });
    t.sim.inject({ kind: "status", status: 503 }); // our first send: outcome unknown, nothing created
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PENDING");
    await placeAtPlum(t.sim, { ...input, denomination: 75, userMeta: { loyaltyMemberId: "SOMEONE-ELSE" } });
    await pastSettleWindow();

    const { response, payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("PENDING");
    expect(payload.order).toBeNull();
    expect(payload.errors.map((e) => e.code)).toEqual(["OUTCOME_UNKNOWN"]);
    expect(JSON.stringify(response)).not.toContain("SOMEONE-ELSE");
    expect(t.logs.text).toContain('"alert":"po_number_held_by_different_order"');
    expect(simOrdersFor(t.sim, input.poNumber)).toEqual([expect.objectContaining({ denomination: 75 })]);
    expect((await t.app.ledger.findByPlumPoNumber(input.poNumber))?.state).toBe("PENDING");
  });

  it("by the same order (an unrecorded attempt of ours): that order is returned, nothing placed twice", async () => {
    const input = airmilesInput({ denomination: 50 });
    const { orderId } = await placeAtPlum(t.sim, input);

    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(payload.order).toMatchObject({
      orderId: String(orderId),
      poNumber: input.poNumber,
      kind: "AIRMILES",
      orderTotal: 50,
    });
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
    expect(await orderByPoNumber(t.url, input.poNumber)).toMatchObject({ orderId: String(orderId) });
  });
});

describe("concurrent identical placements", () => {
  it("send once: one caller gets the order, the other is told it is in progress (or gets the replay)", async () => {
    const input = airmilesInput();
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
