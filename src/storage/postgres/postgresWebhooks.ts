// Applies stored delivery-status callbacks to an order. The order's status is that of the latest matching event
// (createdAt, then higher id), whatever order they arrived in. Runs inside the caller's transaction, which holds
// the orderId's advisory lock.
import type { OrderRecord } from "../ledger.js";
import { isNewLatest } from "../shared/latestEvent.js";
import { namesOrderSql } from "../shared/webhookMatch.js";
import { ORDER_EVENTS_LOCK_CLASS } from "./advisoryLocks.js";
import { toOrderRecord, type OrderRow } from "./postgresRows.js";
import type { Queryable } from "./transaction.js";

// Events match the order as webhookMatch.ts says. Numeric ids compare by length first, so "10" beats "9"; the C
// collation keeps the order the same as SQLite's.
const MATCHES = namesOrderSql("$1::text", "$2::text");

export interface LatestEventRow {
  delivery_status: string;
  created_at: Date;
  applied_at: Date | null;
}

/** Serialises writers of one orderId (see ORDER_EVENTS_LOCK_CLASS); take it before touching the order row. */
export async function lockOrderEvents(db: Queryable, orderId: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [ORDER_EVENTS_LOCK_CLASS, orderId]);
}

/**
 * The latest event naming the order, for a statement whose placeholders `orderId` and `poNumber` hold the order's.
 * `orderIdKnown`: the orderId placeholder is never null, so `order_id = …` is stated outright too (the rule implies
 * it): a prepared statement's generic plan cannot fold the rule's CASE and would read every event without a poNumber.
 */
export function latestEventSql(orderId: string, poNumber: string, orderIdKnown = false): string {
  const known = orderIdKnown ? `order_id = ${orderId} AND ` : "";
  return `SELECT delivery_status, created_at, applied_at FROM webhook_events
     WHERE ${known}${namesOrderSql(orderId, poNumber)}
     ORDER BY created_at DESC, length(id) DESC, id COLLATE "C" DESC LIMIT 1`;
}

/**
 * BEGIN and the orderId's lock in one round trip (a simple query, so the orderId goes in as an escaped literal).
 * The statements after it in the transaction take their snapshots after the lock is granted, as with two queries.
 */
export function beginLockingOrderEvents(escapeLiteral: (value: string) => string, orderId: string): string {
  // pg's escapeLiteral answers '' for a non-string: that would lock another key, so refuse it.
  if (typeof orderId !== "string") throw new TypeError("an orderId lock needs a string");
  return `BEGIN; SELECT pg_advisory_xact_lock(${ORDER_EVENTS_LOCK_CLASS}, hashtext(${escapeLiteral(orderId)}))`;
}

export async function applyStoredEvents(db: Queryable, order: OrderRecord, now: Date): Promise<OrderRecord> {
  const { rows } = await db.query<LatestEventRow>(latestEventSql("$1::text", "$2::text"), [
    order.orderId,
    order.poNumber,
  ]);
  return applyLatestEvent(db, order, rows[0] ?? null, now);
}

/** Applies `latest` (read under the lock, in this transaction) to the order; nothing to do without one. */
export async function applyLatestEvent(
  db: Queryable,
  order: OrderRecord,
  latest: LatestEventRow | null,
  now: Date,
): Promise<OrderRecord> {
  if (latest === null) return order;
  const match = [order.orderId, order.poNumber];
  let result = order;
  if (isNewLatest({ createdAt: latest.created_at, appliedAt: latest.applied_at }, order.deliveryStatusAt)) {
    const updated = await db.query<OrderRow>(
      `UPDATE orders SET delivery_status = $2, delivery_status_at = $3, updated_at = $4
       WHERE po_number = $1 RETURNING *`,
      [order.poNumber, latest.delivery_status, latest.created_at, now],
    );
    const row = updated.rows[0];
    if (row !== undefined) result = { ...toOrderRecord(row), readAt: order.readAt };
  }
  await db.query(`UPDATE webhook_events SET applied_at = $3 WHERE applied_at IS NULL AND ${MATCHES}`, [...match, now]);
  return result;
}
