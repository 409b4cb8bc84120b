// Applies stored delivery-status callbacks to an order. The order's status is that of the latest matching event
// (createdAt, then higher id), whatever order they arrived in. Runs inside the caller's transaction.
import type { OrderRecord } from "../ledger.js";
import { isNewLatest } from "../shared/latestEvent.js";
import { date, dateOrNull, int, text } from "./columns.js";
import { toOrderRecord } from "./sqliteRows.js";
import type { StatementCache } from "./statements.js";
import { namesOrderSql } from "../shared/webhookMatch.js";

// Events match the order as webhookMatch.ts says. Numeric ids compare by length first, so "10" beats "9".
const MATCHES = namesOrderSql(":orderId", ":poNumber");
// With an orderId the rule requires `order_id = :orderId` (inside its CASE, where SQLite's planner cannot see it):
// stated outright, the search goes through the order_id index instead of reading every callback stored without a
// poNumber (133 µs per placement at 2,000 of them, and growing). Without an orderId the rule is used as it is.
const MATCHES_ORDER_ID = `order_id = :orderId AND ${MATCHES}`;

export function applyStoredEvents(statements: StatementCache, order: OrderRecord, now: Date): OrderRecord {
  const match = { orderId: order.orderId, poNumber: order.poNumber };
  const matches = order.orderId === null ? MATCHES : MATCHES_ORDER_ID;
  const latest = statements
    .get(
      `SELECT delivery_status, created_at, applied_at FROM webhook_events WHERE ${matches}
       ORDER BY created_at DESC, length(id) DESC, id DESC LIMIT 1`,
    )
    .get(match);
  if (latest === undefined) return order;

  let result = order;
  if (
    isNewLatest(
      { createdAt: date(latest, "created_at"), appliedAt: dateOrNull(latest, "applied_at") },
      order.deliveryStatusAt,
    )
  ) {
    const row = statements
      .get(
        `UPDATE orders SET delivery_status = ?, delivery_status_at = ?, updated_at = ?
         WHERE po_number = ? RETURNING *`,
      )
      .get(text(latest, "delivery_status"), int(latest, "created_at"), now.getTime(), order.poNumber);
    if (row !== undefined) result = toOrderRecord(row);
  }
  statements.get(`UPDATE webhook_events SET applied_at = :now WHERE applied_at IS NULL AND ${matches}`).run({
    ...match,
    now: now.getTime(),
  });
  return result;
}
