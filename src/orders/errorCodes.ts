// Typed business failures reported in the mutation payload (the router redacts subgraph error messages, so
// expected failures must be data, not GraphQL errors).
export enum OrderErrorCode {
  INVALID_INPUT = "INVALID_INPUT",
  INVALID_DENOMINATION = "INVALID_DENOMINATION",
  PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE",
  OUT_OF_STOCK = "OUT_OF_STOCK",
  QUANTITY_LIMIT = "QUANTITY_LIMIT",
  INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE",
  OPERATOR_VALIDATION_FAILED = "OPERATOR_VALIDATION_FAILED",
  PO_NUMBER_CONFLICT = "PO_NUMBER_CONFLICT",
  ORDER_IN_PROGRESS = "ORDER_IN_PROGRESS",
  RATE_LIMITED = "RATE_LIMITED",
  /** PENDING: claimed and waiting in the placement queue for the shared Plum budget; nothing has been sent yet. */
  QUEUED = "QUEUED",
  UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE",
  OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN",
  UPSTREAM_REJECTED = "UPSTREAM_REJECTED",
}

/** A business failure as the domain produces it and the ledger stores it (never holds upstream text). */
export interface OrderFailure {
  code: OrderErrorCode;
  message: string;
  field?: string[] | null;
  upstreamErrorId?: string | null;
  retryable: boolean;
  retryAfterSeconds?: number | null;
}
