// Domain results to the graph's types: nulls instead of missing optionals, views instead of ledger rows.
import type { OrderFailure } from "../orders/errorCodes.js";
import { toOrderView, type OrderView } from "../orders/orderView.js";
import type { PlacementResult } from "../orders/PlacementService.js";
import type { ServedOrder } from "../orders/orderRecord.js";
import type { Order } from "./types/Order.js";
import type { OrderError } from "./types/OrderError.js";
import type { PlaceOrderPayload } from "./types/PlaceOrderPayload.js";

export function toOrder(record: ServedOrder | null): (Order & Pick<OrderView, "subject">) | null {
  return record === null ? null : toOrderView(record);
}

export function toOrderError(failure: OrderFailure): OrderError {
  return {
    code: failure.code,
    message: failure.message,
    field: failure.field ?? null,
    upstreamErrorId: failure.upstreamErrorId ?? null,
    retryable: failure.retryable,
    retryAfterSeconds: failure.retryAfterSeconds ?? null,
  };
}

export function toPayload(result: PlacementResult): PlaceOrderPayload {
  return { order: toOrder(result.record), outcome: result.outcome, errors: result.errors.map(toOrderError) };
}
