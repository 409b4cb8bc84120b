// Registers the domain enums with type-graphql, with a description for every value (what Sandbox shows).
import { registerEnumType } from "type-graphql";
import { OrderErrorCode } from "../../orders/errorCodes.js";
import { OrderKind } from "../../orders/orderKind.js";
import { PlaceOrderOutcome } from "../../orders/placeOrderOutcome.js";

registerEnumType(OrderKind, {
  name: "OrderKind",
  description: "What was ordered.",
  valuesConfig: {
    AIRMILES: { description: "Airline miles credited to a loyalty programme account." },
    TOPUP: { description: "A mobile phone top-up (recharge)." },
  },
});

registerEnumType(PlaceOrderOutcome, {
  name: "PlaceOrderOutcome",
  description: "What a placement call came to. Only PLACED and REPLAYED mean an order exists.",
  valuesConfig: {
    PLACED: {
      description: "The order was placed at Plum by this call (or found there while reconciling this poNumber).",
    },
    REPLAYED: {
      description:
        "This poNumber was already placed with the same order; the recorded order is returned and nothing new was charged.",
    },
    PENDING: {
      description:
        "The outcome is not known yet (Plum did not confirm in time, or another call with this poNumber is in flight). Do not re-place with a new poNumber: retry with the same poNumber or read orderByPoNumber.",
    },
    REJECTED: {
      description:
        "No order was placed. `errors` says why and whether retrying with the same poNumber can help (`retryable`).",
    },
  },
});

registerEnumType(OrderErrorCode, {
  name: "OrderErrorCode",
  description: "Why a placement did not produce an order (or not yet).",
  valuesConfig: {
    INVALID_INPUT: {
      description: "A field failed validation; `field` is its path in the input. Nothing was sent to Plum.",
    },
    INVALID_DENOMINATION: { description: "The product does not accept this denomination." },
    PRODUCT_UNAVAILABLE: { description: "The product does not exist or is not enabled for this account." },
    OUT_OF_STOCK: { description: "The product is out of stock at Plum." },
    QUANTITY_LIMIT: { description: "The quantity exceeds the product's per-order limit." },
    INSUFFICIENT_BALANCE: { description: "The company's Plum wallet balance does not cover the order." },
    OPERATOR_VALIDATION_FAILED: {
      description: "The phone number does not belong to the top-up product's mobile operator.",
    },
    PO_NUMBER_CONFLICT: { description: "The poNumber was already used for a different order (or by another caller)." },
    ORDER_IN_PROGRESS: {
      description: "Another call with this poNumber is being processed; retry shortly with the same poNumber.",
    },
    QUEUED: {
      description:
        "PENDING: the order is recorded and waits in the placement queue for Plum's rate limit; it will be sent once, in turn. Retry with the same poNumber (or read `placement`) after `retryAfterSeconds` to see the progress.",
    },
    RATE_LIMITED: {
      description:
        "Plum's rate limit was hit; nothing was placed. Retry with the same poNumber after `retryAfterSeconds`.",
    },
    UPSTREAM_UNAVAILABLE: {
      description: "Plum could not be reached or refused the service's credentials; nothing was placed.",
    },
    OUTCOME_UNKNOWN: {
      description:
        "Plum did not confirm the order; it may exist. The subgraph reconciles it; never re-place it under a new poNumber.",
    },
    UPSTREAM_REJECTED: {
      description: "Plum rejected the order for a reason without a more specific code; `upstreamErrorId` names it.",
    },
  },
});
