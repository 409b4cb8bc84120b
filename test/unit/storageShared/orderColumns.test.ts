// The one row mapping both engines use: each column lands in its field, missing JSON reads as its empty value.
import { describe, expect, it } from "vitest";
import {
  attemptEntryFrom,
  orderRecordFrom,
  storedTokensFrom,
  type OrderColumns,
} from "../../../src/storage/shared/orderColumns.js";

const T = (s: number) => new Date(Date.UTC(2024, 4, 1, 10, 0, s));

const columns: OrderColumns = {
  po_number: "ns:PO-1",
  caller_po_number: "PO-1",
  kind: "AIRMILES",
  fingerprint: "f",
  subject: "user-1",
  source: "PLACEMENT",
  state: "PLACED",
  request: { productId: 1 },
  order_id: "101",
  order_data: { orderId: 101 },
  errors: [],
  delivery_status: "delivered",
  delivery_status_at: T(1),
  send_attempts: 2,
  last_sent_at: T(2),
  next_check_at: T(3),
  queued_at: T(4),
  lease_owner: "owner",
  lease_until: T(5),
  created_at: T(6),
  updated_at: T(7),
  placed_at: T(8),
  sends: [{ n: 1, answer: "created" }],
  existence: { source: "webhook", orderId: "101" },
  last_lookup_at: T(9),
  alert: null,
  reopenable: true,
  version: 4,
};

describe("orderRecordFrom", () => {
  it("maps every column to its field", () => {
    expect(orderRecordFrom(columns, T(10))).toEqual({
      poNumber: "ns:PO-1",
      callerPoNumber: "PO-1",
      kind: "AIRMILES",
      fingerprint: "f",
      subject: "user-1",
      source: "PLACEMENT",
      state: "PLACED",
      request: { productId: 1 },
      orderId: "101",
      order: { orderId: 101 },
      errors: [],
      deliveryStatus: "delivered",
      deliveryStatusAt: T(1),
      sendAttempts: 2,
      lastSentAt: T(2),
      nextCheckAt: T(3),
      queuedAt: T(4),
      leaseOwner: "owner",
      leaseUntil: T(5),
      createdAt: T(6),
      updatedAt: T(7),
      placedAt: T(8),
      sends: [{ n: 1, answer: "created" }],
      existence: { source: "webhook", orderId: "101" },
      lastLookupAt: T(9),
      alert: null,
      reopenable: true,
      version: 4,
      readAt: T(10),
    });
  });

  it("reads NULL JSON as no request, no order, no errors, no sends, no proof; a missing queued_at as not queued", () => {
    const { queued_at: _queued, ...withoutQueue } = columns;
    const record = orderRecordFrom(
      { ...withoutQueue, request: null, order_data: null, errors: null, sends: null, existence: null },
      T(10),
    );
    expect(record).toMatchObject({
      request: null,
      order: null,
      errors: [],
      sends: [],
      existence: null,
      queuedAt: null,
    });
  });
});

describe("attemptEntryFrom and storedTokensFrom", () => {
  it("map the attempt-log and token columns to their fields", () => {
    expect(
      attemptEntryFrom({
        po_number: null,
        operation: "tokenRefresh",
        phase: "response",
        body: "{}",
        http_status: 200,
        error_code: null,
        duration_ms: 12,
        at: T(1),
      }),
    ).toEqual({
      poNumber: null,
      operation: "tokenRefresh",
      phase: "response",
      body: "{}",
      httpStatus: 200,
      errorCode: null,
      durationMs: 12,
      at: T(1),
    });
    expect(
      storedTokensFrom({
        access_token: "a",
        refresh_token: null,
        access_token_expires_at: T(2),
        refresh_token_expires_at: null,
        updated_at: T(3),
      }),
    ).toEqual({
      accessToken: "a",
      refreshToken: null,
      accessTokenExpiresAt: T(2),
      refreshTokenExpiresAt: null,
      updatedAt: T(3),
    });
  });
});
