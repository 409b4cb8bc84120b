// A complete ledger row for unit tests that hand rows to a double; each test states only the fields it is about.
import type { OrderRecord } from "../../src/orders/orderRecord.js";

const AT = new Date("2026-12-01T12:00:00Z");

export function orderRecord(patch: Partial<OrderRecord> & Pick<OrderRecord, "poNumber">): OrderRecord {
  return {
    callerPoNumber: patch.poNumber,
    kind: null,
    fingerprint: "f",
    subject: null,
    source: "PLACEMENT",
    state: "PLACED",
    request: null,
    orderId: null,
    order: null,
    errors: [],
    deliveryStatus: null,
    deliveryStatusAt: null,
    sendAttempts: 1,
    lastSentAt: AT,
    nextCheckAt: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: AT,
    updatedAt: AT,
    placedAt: AT,
    sends: [],
    existence: null,
    lastLookupAt: null,
    alert: null,
    reopenable: false,
    version: 1,
    readAt: AT,
    ...patch,
  };
}
