import { describe, expect, it } from "vitest";
import { answerWhenRefused, mayReachPlum } from "../../src/orders/budgetGate.js";
import { OrderErrorCode, type OrderFailure } from "../../src/orders/errorCodes.js";
import { OrderKind } from "../../src/orders/orderKind.js";
import { PlaceOrderOutcome } from "../../src/orders/placeOrderOutcome.js";
import { fingerprint } from "../../src/orders/fingerprint.js";
import type { OrderRecord } from "../../src/orders/orderRecord.js";
import { toPlaceOrderData, type OrderRequest } from "../../src/orders/toPlaceOrderData.js";
import { airmilesInput } from "../support/orderInputs.js";
import { orderRecord } from "../support/orderRecords.js";

const NOW = new Date("2026-12-01T10:00:00.000Z");
const request: OrderRequest = {
  kind: OrderKind.AIRMILES,
  input: { quantity: 1, notifyReceiverEmail: false, notifyAdminEmail: false, ...airmilesInput() },
};
const refused: OrderFailure = {
  code: OrderErrorCode.RATE_LIMITED,
  message: "slow down",
  retryable: true,
  retryAfterSeconds: 7,
};

function row(patch: Partial<OrderRecord>): OrderRecord {
  return orderRecord(
    {
      poNumber: "pn1-x",
      callerPoNumber: request.input.poNumber,
      kind: OrderKind.AIRMILES,
      fingerprint: fingerprint(request.kind, toPlaceOrderData(request)),
      subject: "alice",
      state: "PENDING",
      placedAt: null,
      ...patch,
    },
    NOW,
  );
}

describe("the budget gate at the placement mutation", () => {
  it("spends budget only where Plum may be called", () => {
    expect(mayReachPlum(null)).toBe(true);
    expect(mayReachPlum(row({ state: "PENDING" }))).toBe(true);
    expect(mayReachPlum(row({ state: "REJECTED", reopenable: true }))).toBe(true);
    expect(mayReachPlum(row({ state: "REJECTED" }))).toBe(false);
    expect(mayReachPlum(row({ state: "PLACED", orderId: "1" }))).toBe(false);
  });

  it("says 'nothing was placed' only when nothing of the poNumber reached Plum", () => {
    expect(answerWhenRefused(request, null, refused)).toEqual({
      outcome: PlaceOrderOutcome.REJECTED,
      record: null,
      errors: [refused],
    });
    expect(answerWhenRefused(request, row({ state: "REJECTED", reopenable: true }), refused)?.outcome).toBe(
      PlaceOrderOutcome.REJECTED,
    );
  });

  it("keeps a pending order pending, with the budget's wait", () => {
    const answer = answerWhenRefused(request, row({ state: "PENDING" }), refused);
    expect(answer).toMatchObject({
      outcome: PlaceOrderOutcome.PENDING,
      record: null,
      errors: [{ code: OrderErrorCode.OUTCOME_UNKNOWN, retryAfterSeconds: 7 }],
    });
    const leased = answerWhenRefused(
      request,
      row({ state: "PENDING", leaseOwner: "r", leaseUntil: new Date(NOW.getTime() + 1_000) }),
      refused,
    );
    expect(leased?.errors[0]?.code).toBe(OrderErrorCode.ORDER_IN_PROGRESS);
  });

  it("leaves a different order under a pending poNumber to the engine (a conflict, no call to Plum)", () => {
    expect(answerWhenRefused(request, row({ state: "PENDING", fingerprint: "other" }), refused)).toBeNull();
  });
});
