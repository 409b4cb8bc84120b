// The placement contract's corners, end to end: a used poNumber is answered from the ledger (replay, conflict,
// recorded rejection) without another upstream call, and Plum's own duplicate-poNumber rejection resolves to the
// order Plum already has.
import { describe, expect, it } from "vitest";
import { ETIHAD_GUEST_PRODUCT_ID } from "../../src/simulator/index.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { placeAtPlum, simOrdersFor } from "../support/plumDirect.js";

describe("placement contract", () => {
  // These tests are about Plum's answers: a catalogue snapshot that is always stale (1 ms) leaves every judgement to
  // Plum, as when the snapshot does not know a product (the pre-flight has its own tests in preflight.test.ts).
  const t = useTestApp({ env: { CATALOGUE_MAX_AGE_MS: "1" } });

  it("replays a PLACED order for the same poNumber and order, without calling Plum", async () => {
    const input = airmilesInput();
    const first = await placeAirmilesStatus(t.url, input);
    expect(first.outcome).toBe("PLACED");
    const sends = t.sim.count("placeOrder");
    const lookups = t.sim.count("getOrderDetails");

    const again = await placeAirmilesStatus(t.url, input);
    expect(again.outcome).toBe("REPLAYED");
    expect(again.errors).toEqual([]);
    expect(again.order).toEqual(first.order);
    expect(t.sim.count("placeOrder")).toBe(sends);
    expect(t.sim.count("getOrderDetails")).toBe(lookups);
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
  });

  it("refuses the same poNumber with a different order as PO_NUMBER_CONFLICT, without calling Plum", async () => {
    const poNumber = newPoNumber();
    expect((await placeAirmilesStatus(t.url, airmilesInput({ poNumber }))).outcome).toBe("PLACED");
    const sends = t.sim.count("placeOrder");

    const different = await placeAirmilesStatus(t.url, airmilesInput({ poNumber, denomination: 75 }));
    expect(different.outcome).toBe("REJECTED");
    expect(different.order).toBeNull();
    expect(different.errors.map((e) => e.code)).toEqual(["PO_NUMBER_CONFLICT"]);
    expect(t.sim.count("placeOrder")).toBe(sends);
    // The original order is untouched.
    const row = await t.app.ledger.findByPlumPoNumber(poNumber);
    expect(row?.state).toBe("PLACED");
    expect(row?.request?.denomination).toBe(50);
  });

  it("replays a recorded rejection for a retry, without calling Plum again", async () => {
    // Etihad Guest only accepts 25, 50 or 100: Plum answers PLE10018.
    const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 30 });
    const first = await placeAirmilesStatus(t.url, input);
    expect(first.outcome).toBe("REJECTED");
    expect(first.errors).toMatchObject([
      { code: "INVALID_DENOMINATION", upstreamErrorId: "PLE10018", retryable: false },
    ]);
    const sends = t.sim.count("placeOrder");

    const retry = await placeAirmilesStatus(t.url, input);
    expect(retry).toEqual(first);
    expect(t.sim.count("placeOrder")).toBe(sends);
    expect((await t.app.ledger.findByPlumPoNumber(input.poNumber))?.state).toBe("REJECTED");
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(0);
  });

  it("answers Plum's duplicate-poNumber rejection with the order Plum already has", async () => {
    const input = airmilesInput();
    // The order exists at Plum under this poNumber, placed outside this service (or by a lost earlier attempt).
    const existing = await placeAtPlum(t.sim, input);

    const placed = await placeAirmilesStatus(t.url, input);
    expect(placed.outcome).toBe("PLACED");
    expect(placed.order?.orderId).toBe(String(existing.orderId));
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
    const row = await t.app.ledger.findByPlumPoNumber(input.poNumber);
    expect(row).toMatchObject({ state: "PLACED", orderId: String(existing.orderId), sendAttempts: 1 });
    // The rejected send and the look-up that resolved it are both on record.
    const attempts = await t.app.ledger.listAttempts(input.poNumber);
    expect(attempts.map((a) => `${a.operation}:${a.phase}:${a.httpStatus ?? "-"}`)).toEqual([
      "placeOrder:request:-",
      "placeOrder:response:422",
      "getOrderDetails:request:-",
      "getOrderDetails:response:200",
    ]);
  });
});
