// Row ↔ record mapping for the embedded engine (instants as epoch ms, JSON as text).
import type { OrderFailure, OrderKind } from "../../orders/errorCodes.js";
import type { AlertReason, AttemptRecord, ExistenceProof } from "../../orders/placement/evidence.js";
import type { PlaceOrderData, PlumOrderWire } from "../../plum/wire.js";
import type { AttemptEntry, LedgerState, OrderRecord, RecordSource, StoredTokens } from "../ledger.js";
import { date, dateOrNull, int, intOrNull, jsonOrNull, text, textOrNull, type SqliteRow } from "./columns.js";

/** `readAt`: SQLite's clock is this process's (one process owns the file). */
export function toOrderRecord(row: SqliteRow, readAt: Date = new Date()): OrderRecord {
  const deliveryStatusAt = intOrNull(row, "delivery_status_at");
  return {
    poNumber: text(row, "po_number"),
    callerPoNumber: textOrNull(row, "caller_po_number") ?? text(row, "po_number"),
    kind: textOrNull(row, "kind") as OrderKind | null,
    fingerprint: textOrNull(row, "fingerprint"),
    subject: textOrNull(row, "subject"),
    source: text(row, "source") as RecordSource,
    state: text(row, "state") as LedgerState,
    request: jsonOrNull<PlaceOrderData>(row, "request"),
    orderId: textOrNull(row, "order_id"),
    order: jsonOrNull<PlumOrderWire>(row, "order_data"),
    errors: jsonOrNull<OrderFailure[]>(row, "errors") ?? [],
    deliveryStatus: textOrNull(row, "delivery_status"),
    deliveryStatusAt: deliveryStatusAt === null ? null : new Date(deliveryStatusAt).toISOString(),
    sendAttempts: int(row, "send_attempts"),
    lastSentAt: dateOrNull(row, "last_sent_at"),
    nextCheckAt: dateOrNull(row, "next_check_at"),
    queuedAt: dateOrNull(row, "queued_at"),
    leaseOwner: textOrNull(row, "lease_owner"),
    leaseUntil: dateOrNull(row, "lease_until"),
    createdAt: date(row, "created_at"),
    updatedAt: date(row, "updated_at"),
    placedAt: dateOrNull(row, "placed_at"),
    sends: jsonOrNull<AttemptRecord[]>(row, "sends") ?? [],
    existence: jsonOrNull<ExistenceProof>(row, "existence"),
    lastLookupAt: dateOrNull(row, "last_lookup_at"),
    alert: textOrNull(row, "alert") as AlertReason | null,
    reopenable: int(row, "reopenable") === 1,
    version: int(row, "version"),
    readAt,
  };
}

export function toAttemptEntry(row: SqliteRow): AttemptEntry {
  return {
    poNumber: textOrNull(row, "po_number"),
    operation: text(row, "operation") as AttemptEntry["operation"],
    phase: text(row, "phase") as AttemptEntry["phase"],
    body: textOrNull(row, "body"),
    httpStatus: intOrNull(row, "http_status"),
    errorCode: textOrNull(row, "error_code"),
    durationMs: intOrNull(row, "duration_ms"),
    at: date(row, "at"),
  };
}

export function toStoredTokens(row: SqliteRow): StoredTokens {
  return {
    accessToken: text(row, "access_token"),
    refreshToken: textOrNull(row, "refresh_token"),
    accessTokenExpiresAt: dateOrNull(row, "access_token_expires_at"),
    refreshTokenExpiresAt: dateOrNull(row, "refresh_token_expires_at"),
    updatedAt: date(row, "updated_at"),
  };
}
