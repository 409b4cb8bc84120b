// getOrderDetails lookup rules (docs/plum-api.md §4.2): by poNumber when orderId is null/0/"0", else by orderId.
import { PlumErrorId } from "../plum/wire.js";
import { isRecord, looseNumber } from "./loose.js";
import type { OrderBook, SimOrder } from "./orderBook.js";
import { orderDetailsWire } from "./orderWire.js";
import { businessError, successReply, type SimReply } from "./responses.js";

function validationError(detail: string): SimReply {
  return businessError(400, "PLE10002", "Validation error in get order details", detail);
}

function notFound(): SimReply {
  return businessError(404, PlumErrorId.orderNotFound, "Failed to get Order details", "Order not found");
}

function isAbsentId(value: unknown): boolean {
  return value === undefined || value === null || value === 0 || value === "0" || value === "";
}

function findOrder(book: OrderBook, orderIdInput: unknown, poNumber: string): SimOrder | undefined | string {
  if (isAbsentId(orderIdInput)) {
    return poNumber === "" ? "orderId or poNumber is required" : book.getByPoNumber(poNumber);
  }
  const orderId = looseNumber(orderIdInput);
  if (orderId === undefined || !Number.isInteger(orderId)) return '"orderId" must be an integer';
  const order = book.get(orderId);
  // With both keys given, they must point at the same order.
  return order !== undefined && poNumber !== "" && order.poNumber !== poNumber ? undefined : order;
}

export function getOrderDetails(data: unknown, book: OrderBook): SimReply {
  if (!isRecord(data)) return validationError('"variables.data" must be an object');
  const rawPo = data["poNumber"];
  if (rawPo !== undefined && rawPo !== null && typeof rawPo !== "string") return validationError('"poNumber" must be a string');
  const found = findOrder(book, data["orderId"], rawPo ?? "");
  if (typeof found === "string") return validationError(found);
  return found === undefined ? notFound() : successReply("getOrderDetails", orderDetailsWire(found));
}
