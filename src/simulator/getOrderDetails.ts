// getOrderDetails lookup rules (docs/plum-api.md §4.2): by poNumber when orderId is null/0/"0", else by orderId.
import { PlumErrorId } from "../plum/wire.js";
import { isRecord, looseNumber } from "./loose.js";
import type { LookupView } from "./lookupView.js";
import type { SimOrder } from "./orderBook.js";
import { orderDetailsWire } from "./orderWire.js";
import { businessError, successReply, type SimReply } from "./responses.js";

/** The keys the client asked with: orderId null when it looked up by poNumber; poNumber "" when it sent none. */
export interface AskedKeys {
  readonly orderId: number | null;
  readonly poNumber: string;
}

export type Lookup =
  | { readonly ok: true; readonly asked: AskedKeys; readonly order: SimOrder | undefined }
  | { readonly ok: false; readonly reply: SimReply };

function validationError(detail: string): Lookup {
  return { ok: false, reply: businessError(400, "PLE10002", "Validation error in get order details", detail) };
}

function notFound(): SimReply {
  return businessError(404, PlumErrorId.orderNotFound, "Failed to get Order details", "Order not found");
}

function isAbsentId(value: unknown): boolean {
  return value === undefined || value === null || value === 0 || value === "0" || value === "";
}

/** Parses the request and finds the order it names among those the view can see. */
export function lookUp(data: unknown, view: LookupView): Lookup {
  if (!isRecord(data)) return validationError('"variables.data" must be an object');
  const rawPo = data["poNumber"];
  if (rawPo !== undefined && rawPo !== null && typeof rawPo !== "string")
    return validationError('"poNumber" must be a string');
  const poNumber = rawPo ?? "";
  const orderIdInput = data["orderId"];
  if (isAbsentId(orderIdInput)) {
    if (poNumber === "") return validationError("orderId or poNumber is required");
    return { ok: true, asked: { orderId: null, poNumber }, order: view.getByPoNumber(poNumber) };
  }
  const orderId = looseNumber(orderIdInput);
  if (orderId === undefined || !Number.isInteger(orderId)) return validationError('"orderId" must be an integer');
  const order = view.get(orderId);
  // With both keys given, they must point at the same order.
  const matching = order !== undefined && poNumber !== "" && order.poNumber !== poNumber ? undefined : order;
  return { ok: true, asked: { orderId, poNumber }, order: matching };
}

export function detailsReply(order: SimOrder): SimReply {
  return successReply("getOrderDetails", orderDetailsWire(order));
}

export function getOrderDetails(data: unknown, view: LookupView): SimReply {
  const found = lookUp(data, view);
  if (!found.ok) return found.reply;
  return found.order === undefined ? notFound() : detailsReply(found.order);
}
