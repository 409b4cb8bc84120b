// Which stored delivery-status callbacks belong to which order. An event names an order by orderId and, when it
// carries one, by poNumber: both must name the same order, or it belongs to none (an event whose orderId is one
// order's and whose poNumber another's must not rewrite either). An order without an orderId yet (a pending
// placement) is named by poNumber alone.
import type { ExistenceProof } from "../../orders/placement/evidence.js";
import type { OrderRecord, WebhookEvent } from "../ledger.js";
import { NO_PO_NUMBER } from "./poNumberColumn.js";

export function namesOrder(
  event: Pick<WebhookEvent, "orderId" | "poNumber">,
  order: Pick<OrderRecord, "orderId" | "poNumber">,
): boolean {
  if (event.poNumber !== null && event.poNumber !== order.poNumber) return false;
  return order.orderId === null ? event.poNumber !== null : event.orderId === order.orderId;
}

/** The orders an event may name, in the order to look them up: by orderId, else by its poNumber (if it has one). */
export function orderLookups(
  event: Pick<WebhookEvent, "orderId" | "poNumber">,
): { column: "order_id" | "po_number"; value: string }[] {
  const byOrderId = { column: "order_id" as const, value: event.orderId };
  return event.poNumber === null ? [byOrderId] : [byOrderId, { column: "po_number", value: event.poNumber }];
}

/**
 * A callback naming our pending (or retryably rejected) placement proves the order exists: never re-sent, adopted by
 * its orderId; a reopenable rejection was wrong and becomes pending again. null: nothing to prove (already proven,
 * or final).
 */
export function webhookProof(
  event: Pick<WebhookEvent, "orderId">,
  order: Pick<OrderRecord, "existence" | "state" | "reopenable">,
): ExistenceProof | null {
  if (order.existence !== null || (order.state !== "PENDING" && !order.reopenable)) return null;
  return { source: "webhook", orderId: event.orderId };
}

/**
 * The same rule in SQL over webhook_events (order_id, po_number), given the order's orderId and poNumber as
 * parameters. `orderId` may be NULL.
 */
export function namesOrderSql(orderId: string, poNumber: string): string {
  return `((po_number = '${NO_PO_NUMBER}' OR po_number = ${poNumber}) AND CASE WHEN ${orderId} IS NULL THEN po_number = ${poNumber} AND po_number <> '${NO_PO_NUMBER}' ELSE order_id = ${orderId} END)`;
}
