// PostgreSQL rows for the shared row mapping (../shared/orderColumns.ts): node-postgres already parses timestamptz
// into Date, jsonb into values and boolean into boolean, so the columns need no conversion.
import type { AttemptEntry, OrderRecord, StoredTokens } from "../ledger.js";
import {
  attemptEntryFrom,
  orderRecordFrom,
  storedTokensFrom,
  type AttemptColumns,
  type OrderColumns,
  type TokensColumns,
} from "../shared/orderColumns.js";

export interface OrderRow extends OrderColumns {
  /** Present when the statement returned `clock_timestamp() AS db_now`: the database's time. */
  db_now?: Date;
}

export type AttemptRow = AttemptColumns;
export type TokensRow = TokensColumns;

export function toOrderRecord(row: OrderRow): OrderRecord {
  return orderRecordFrom(row, row.db_now ?? new Date());
}

export function toAttemptEntry(row: AttemptRow): AttemptEntry {
  return attemptEntryFrom(row);
}

export function toStoredTokens(row: TokensRow): StoredTokens {
  return storedTokensFrom(row);
}
