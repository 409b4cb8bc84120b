// The embedded engine's column types (instants as epoch ms, JSON as text, booleans as 0/1) converted for the shared
// row mapping (../shared/orderColumns.ts).
import type { AttemptEntry, OrderRecord, StoredTokens } from "../ledger.js";
import { attemptEntryFrom, orderRecordFrom, storedTokensFrom } from "../shared/orderColumns.js";
import { date, dateOrNull, int, intOrNull, jsonOrNull, text, textOrNull, type SqliteRow } from "./columns.js";

/** `readAt`: SQLite's clock is this process's (one process owns the file). */
export function toOrderRecord(row: SqliteRow, readAt: Date = new Date()): OrderRecord {
  return orderRecordFrom(
    {
      po_number: text(row, "po_number"),
      // NULL only on rows claimed by a version without the column (see SqliteLedger.migrate).
      caller_po_number: textOrNull(row, "caller_po_number") ?? text(row, "po_number"),
      kind: textOrNull(row, "kind"),
      fingerprint: textOrNull(row, "fingerprint"),
      subject: textOrNull(row, "subject"),
      source: text(row, "source"),
      state: text(row, "state"),
      request: jsonOrNull<unknown>(row, "request"),
      order_id: textOrNull(row, "order_id"),
      order_data: jsonOrNull<unknown>(row, "order_data"),
      errors: jsonOrNull<unknown>(row, "errors"),
      delivery_status: textOrNull(row, "delivery_status"),
      delivery_status_at: dateOrNull(row, "delivery_status_at"),
      send_attempts: int(row, "send_attempts"),
      last_sent_at: dateOrNull(row, "last_sent_at"),
      next_check_at: dateOrNull(row, "next_check_at"),
      queued_at: dateOrNull(row, "queued_at"),
      lease_owner: textOrNull(row, "lease_owner"),
      lease_until: dateOrNull(row, "lease_until"),
      created_at: date(row, "created_at"),
      updated_at: date(row, "updated_at"),
      placed_at: dateOrNull(row, "placed_at"),
      sends: jsonOrNull<unknown>(row, "sends"),
      existence: jsonOrNull<unknown>(row, "existence"),
      last_lookup_at: dateOrNull(row, "last_lookup_at"),
      alert: textOrNull(row, "alert"),
      reopenable: int(row, "reopenable") === 1,
      version: int(row, "version"),
    },
    readAt,
  );
}

export function toAttemptEntry(row: SqliteRow): AttemptEntry {
  return attemptEntryFrom({
    po_number: textOrNull(row, "po_number"),
    operation: text(row, "operation"),
    phase: text(row, "phase"),
    body: textOrNull(row, "body"),
    http_status: intOrNull(row, "http_status"),
    error_code: textOrNull(row, "error_code"),
    duration_ms: intOrNull(row, "duration_ms"),
    at: date(row, "at"),
  });
}

export function toStoredTokens(row: SqliteRow): StoredTokens {
  return storedTokensFrom({
    access_token: text(row, "access_token"),
    refresh_token: textOrNull(row, "refresh_token"),
    access_token_expires_at: dateOrNull(row, "access_token_expires_at"),
    refresh_token_expires_at: dateOrNull(row, "refresh_token_expires_at"),
    updated_at: date(row, "updated_at"),
  });
}
