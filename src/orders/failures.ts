// The typed failures a frontend sees. Messages are ours, never Plum's text: upstream bodies may carry personal
// data or internal detail. Each says what happened to the money and what to do next.
import { PlumErrorId } from "../plum/wire.js";
import { OrderErrorCode, type OrderFailure } from "./errorCodes.js";

const NEW_PO = "Nothing was placed; fix it and place the order again with a new poNumber.";

/** Business errorIds with a specific meaning (docs/plum-api.md §2.2). Anything else is UPSTREAM_REJECTED. */
const BY_ERROR_ID: Record<string, Omit<OrderFailure, "upstreamErrorId">> = {
  [PlumErrorId.invalidDenomination]: {
    code: OrderErrorCode.INVALID_DENOMINATION,
    message: `This product does not accept that denomination. ${NEW_PO}`,
    field: ["input", "denomination"],
    retryable: false,
  },
  [PlumErrorId.quantityLimit]: {
    code: OrderErrorCode.QUANTITY_LIMIT,
    message: `The quantity is above this product's limit per order. ${NEW_PO}`,
    field: ["input", "quantity"],
    retryable: false,
  },
  [PlumErrorId.insufficientBalance]: {
    code: OrderErrorCode.INSUFFICIENT_BALANCE,
    message:
      "The company's Plum wallet balance is too low for this order. Nothing was charged; place it again with a new poNumber once the wallet has been topped up.",
    retryable: false,
  },
  [PlumErrorId.outOfStock]: {
    code: OrderErrorCode.OUT_OF_STOCK,
    message: "The product is out of stock. Nothing was placed; try again later with a new poNumber.",
    field: ["input", "productId"],
    // The rejection is recorded under this poNumber, so retrying it only replays it: `retryable` is about the
    // same poNumber, and only a new one can succeed once stock is back.
    retryable: false,
  },
  [PlumErrorId.processFailed]: {
    code: OrderErrorCode.OUT_OF_STOCK,
    message:
      "The product could not be fulfilled (no vouchers available). Nothing was placed; try again later with a new poNumber.",
    field: ["input", "productId"],
    retryable: false,
  },
};
const PRODUCT_UNAVAILABLE_IDS = ["PLE10014", "PLE10015", "PLE10017", "PLE10019", PlumErrorId.productNotActivated];
for (const id of PRODUCT_UNAVAILABLE_IDS) {
  BY_ERROR_ID[id] = {
    code: OrderErrorCode.PRODUCT_UNAVAILABLE,
    message: `This product is not available to this account. ${NEW_PO}`,
    field: ["input", "productId"],
    retryable: false,
  };
}

/** 5xx errorIds that say this attempt created nothing; once a lookup confirms it, the order is rejected. */
export const NOT_PLACED_SERVER_ERROR_IDS: ReadonlySet<string> = new Set([
  PlumErrorId.outOfStock,
  PlumErrorId.processFailed,
]);

export function rejectionFailure(errorId: string | null, operatorValidation: boolean): OrderFailure {
  if (operatorValidation) {
    return {
      code: OrderErrorCode.OPERATOR_VALIDATION_FAILED,
      message: `The phone number does not belong to this product's mobile operator. ${NEW_PO}`,
      field: ["input", "userMeta", "topupPhoneNumber"],
      upstreamErrorId: errorId,
      retryable: false,
    };
  }
  const known = errorId === null ? undefined : BY_ERROR_ID[errorId];
  if (known) return { ...known, upstreamErrorId: errorId };
  return {
    code: OrderErrorCode.UPSTREAM_REJECTED,
    message: `Plum rejected the order${errorId ? ` (${errorId})` : ""}. ${NEW_PO}`,
    upstreamErrorId: errorId,
    retryable: false,
  };
}

export function rateLimitedFailure(penaltySeconds: number): OrderFailure {
  return {
    code: OrderErrorCode.RATE_LIMITED,
    message: `Plum's rate limit was reached. Nothing was placed; retry with the same poNumber in ${penaltySeconds} seconds.`,
    retryable: true,
    retryAfterSeconds: penaltySeconds,
  };
}

/** PENDING in the placement queue: it will be sent once, in turn; the estimate comes from the queue position. */
export function queuedFailure(retryAfterSeconds: number): OrderFailure {
  return {
    code: OrderErrorCode.QUEUED,
    message: `The order is recorded and queued for Plum's rate limit; it will be sent in turn. Check again in about ${retryAfterSeconds} seconds with the same poNumber.`,
    retryable: true,
    retryAfterSeconds,
  };
}

/** The placement queue is at its bound: nothing was queued or sent; the same poNumber may be retried. */
export function queueFullFailure(retryAfterSeconds: number): OrderFailure {
  return {
    code: OrderErrorCode.RATE_LIMITED,
    message: `The placement queue is full. Nothing was placed; retry with the same poNumber in ${retryAfterSeconds} seconds.`,
    retryable: true,
    retryAfterSeconds,
  };
}

export function unavailableFailure(): OrderFailure {
  return {
    code: OrderErrorCode.UPSTREAM_UNAVAILABLE,
    message: "Plum could not be reached or refused our credentials. Nothing was placed; retry with the same poNumber.",
    retryable: true,
  };
}

export function outcomeUnknownFailure(upstreamErrorId: string | null): OrderFailure {
  return {
    code: OrderErrorCode.OUTCOME_UNKNOWN,
    message:
      "Plum did not confirm the order, so it may or may not exist. Do not place it again with a new poNumber: retry with the same poNumber or read orderByPoNumber; the subgraph reconciles it with Plum.",
    upstreamErrorId,
    retryable: true,
  };
}

export function conflictFailure(): OrderFailure {
  return {
    code: OrderErrorCode.PO_NUMBER_CONFLICT,
    message: "This poNumber was already used for a different order. Nothing was placed; use a new poNumber.",
    field: ["input", "poNumber"],
    retryable: false,
  };
}

export function inProgressFailure(): OrderFailure {
  return {
    code: OrderErrorCode.ORDER_IN_PROGRESS,
    message: "An order with this poNumber is being placed right now. Retry with the same poNumber in a moment.",
    retryable: true,
  };
}

/**
 * Only ever recorded on a REJECTED row (settle() decides that a look-up proved nothing exists), so it never reaches
 * the "provably unsent" shortcut that NOT_SENT_CODES drives for PENDING rows.
 */
export function exhaustedFailure(attempts: number): OrderFailure {
  return {
    code: OrderErrorCode.UPSTREAM_UNAVAILABLE,
    message: `Plum did not accept the order after ${attempts} attempts and has no record of it. Nothing was placed; place it again with a new poNumber.`,
    retryable: false,
  };
}

/** An operator confirmed (and a trusted look-up agreed) that nothing was placed under this poNumber. */
export function operatorNotPlacedFailure(): OrderFailure {
  return {
    code: OrderErrorCode.UPSTREAM_UNAVAILABLE,
    message:
      "Plum has no record of this order, and an operator confirmed it. Nothing was placed; place it again with a new poNumber.",
    retryable: false,
  };
}

/** Codes recorded on a PENDING row only when the request provably never reached Plum. */
export const NOT_SENT_CODES: ReadonlySet<OrderErrorCode> = new Set([
  OrderErrorCode.RATE_LIMITED,
  OrderErrorCode.UPSTREAM_UNAVAILABLE,
]);
