// Which order a delivery-status callback names: by orderId, else by poNumber; both must agree.
import { describe, expect, it } from "vitest";
import { namesOrder, orderLookups, webhookProof } from "../../../src/storage/shared/webhookMatch.js";

describe("orderLookups", () => {
  it("looks up by orderId first, then by the event's poNumber", () => {
    expect(orderLookups({ orderId: "101", poNumber: "PO-1" })).toEqual([
      { column: "order_id", value: "101" },
      { column: "po_number", value: "PO-1" },
    ]);
  });

  it("looks up by orderId alone when the event carries no poNumber", () => {
    expect(orderLookups({ orderId: "101", poNumber: null })).toEqual([{ column: "order_id", value: "101" }]);
  });
});

describe("namesOrder", () => {
  const placed = { orderId: "101", poNumber: "PO-1" };
  const pending = { orderId: null, poNumber: "PO-2" };

  it("names a placed order by its orderId, with or without a poNumber", () => {
    expect(namesOrder({ orderId: "101", poNumber: null }, placed)).toBe(true);
    expect(namesOrder({ orderId: "101", poNumber: "PO-1" }, placed)).toBe(true);
  });

  it("names no order when the orderId and the poNumber name different orders", () => {
    expect(namesOrder({ orderId: "101", poNumber: "PO-9" }, placed)).toBe(false);
    expect(namesOrder({ orderId: "202", poNumber: "PO-1" }, placed)).toBe(false);
  });

  it("names a pending order (no orderId yet) by poNumber only", () => {
    expect(namesOrder({ orderId: "303", poNumber: "PO-2" }, pending)).toBe(true);
    expect(namesOrder({ orderId: "303", poNumber: null }, pending)).toBe(false);
  });
});

describe("webhookProof", () => {
  const event = { orderId: "404" };

  it("proves a pending placement without proof exists, by the event's orderId", () => {
    expect(webhookProof(event, { existence: null, state: "PENDING", reopenable: false })).toEqual({
      source: "webhook",
      orderId: "404",
    });
  });

  it("proves a retryably rejected placement exists (it becomes pending again)", () => {
    expect(webhookProof(event, { existence: null, state: "REJECTED", reopenable: true })).toEqual({
      source: "webhook",
      orderId: "404",
    });
  });

  it("adds nothing to a row already proven, placed, or rejected for good", () => {
    expect(
      webhookProof(event, { existence: { source: "webhook", orderId: "1" }, state: "PENDING", reopenable: false }),
    ).toBeNull();
    expect(webhookProof(event, { existence: null, state: "PLACED", reopenable: false })).toBeNull();
    expect(webhookProof(event, { existence: null, state: "REJECTED", reopenable: false })).toBeNull();
  });
});
