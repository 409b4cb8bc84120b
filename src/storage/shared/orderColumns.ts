// The orders, order_attempts and plum_tokens columns as domain-typed values, mapped to records once for both
// engines: each engine only converts its own column types (SQLite: epoch ms, JSON text, 0/1; PostgreSQL: none).
import type { OrderFailure } from "../../orders/errorCodes.js";
import type { OrderKind } from "../../orders/orderKind.js";
import type { AlertReason, AttemptRecord, ExistenceProof } from "../../orders/placement/evidence.js";
import type { PlaceOrderData, PlumOrderWire } from "../../plum/wire.js";
import type { AttemptEntry, LedgerState, OrderRecord, RecordSource, StoredTokens } from "../ledger.js";

export interface OrderColumns {
  po_number: string;
  caller_po_number: string;
  kind: string | null;
  fingerprint: string | null;
  subject: string | null;
  source: string;
  state: string;
  /** JSON columns, already parsed. */
  request: unknown;
  order_id: string | null;
  order_data: unknown;
  errors: unknown;
  delivery_status: string | null;
  delivery_status_at: Date | null;
  send_attempts: number;
  last_sent_at: Date | null;
  next_check_at: Date | null;
  /** A row read without it counts as not queued. */
  queued_at?: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Date;
  updated_at: Date;
  placed_at: Date | null;
  sends: unknown;
  existence: unknown;
  last_lookup_at: Date | null;
  alert: string | null;
  reopenable: boolean;
  version: number;
}

export interface AttemptColumns {
  po_number: string | null;
  operation: string;
  phase: string;
  body: string | null;
  http_status: number | null;
  error_code: string | null;
  duration_ms: number | null;
  at: Date;
}

export interface TokensColumns {
  access_token: string;
  refresh_token: string | null;
  access_token_expires_at: Date | null;
  refresh_token_expires_at: Date | null;
  updated_at: Date;
}

/** `readAt`: the clock decisions on this row are made against (the database's where it has one). */
export function orderRecordFrom(row: OrderColumns, readAt: Date): OrderRecord {
  return {
    poNumber: row.po_number,
    callerPoNumber: row.caller_po_number,
    kind: row.kind as OrderKind | null,
    fingerprint: row.fingerprint,
    subject: row.subject,
    source: row.source as RecordSource,
    state: row.state as LedgerState,
    // JSON written by this ledger; the types are the ones it stored.
    request: (row.request ?? null) as PlaceOrderData | null,
    orderId: row.order_id,
    order: (row.order_data ?? null) as PlumOrderWire | null,
    errors: (row.errors ?? []) as OrderFailure[],
    deliveryStatus: row.delivery_status,
    deliveryStatusAt: row.delivery_status_at,
    sendAttempts: row.send_attempts,
    lastSentAt: row.last_sent_at,
    nextCheckAt: row.next_check_at,
    queuedAt: row.queued_at ?? null,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    placedAt: row.placed_at,
    sends: (row.sends ?? []) as AttemptRecord[],
    existence: (row.existence ?? null) as ExistenceProof | null,
    lastLookupAt: row.last_lookup_at,
    alert: row.alert as AlertReason | null,
    reopenable: row.reopenable,
    version: row.version,
    readAt,
  };
}

export function attemptEntryFrom(row: AttemptColumns): AttemptEntry {
  return {
    poNumber: row.po_number,
    operation: row.operation as AttemptEntry["operation"],
    phase: row.phase as AttemptEntry["phase"],
    body: row.body,
    httpStatus: row.http_status,
    errorCode: row.error_code,
    durationMs: row.duration_ms,
    at: row.at,
  };
}

export function storedTokensFrom(row: TokensColumns): StoredTokens {
  return {
    accessToken: row.access_token,
    refreshToken: row.refresh_token,
    accessTokenExpiresAt: row.access_token_expires_at,
    refreshTokenExpiresAt: row.refresh_token_expires_at,
    updatedAt: row.updated_at,
  };
}
