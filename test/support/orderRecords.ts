// A complete ledger row for unit tests that hand rows to a double; each test states only the fields it is about.
import type { OrderRecord } from "../../src/orders/orderRecord.js";

const AT = new Date("2026-12-01T12:00:00Z");

/** `at`: the instant every timestamp field defaults to (sent, created, updated, placed, read). */
export function orderRecord(patch: Partial<OrderRecord> & Pick<OrderRecord, "poNumber">, at: Date = AT): OrderRecord {
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
    lastSentAt: at,
    nextCheckAt: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: at,
    updatedAt: at,
    placedAt: at,
    sends: [],
    existence: null,
    lastLookupAt: null,
    alert: null,
    reopenable: false,
    version: 1,
    readAt: at,
    ...patch,
  };
}
