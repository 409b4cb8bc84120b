// What one Plum call exchanged, as the attempt log stores it. The client returns these; callers persist them.
import type { PlumCallResult } from "./result.js";

export interface AttemptEntry {
  /** null for calls not tied to an order (token refresh). */
  poNumber: string | null;
  operation:
    "placeOrder" | "getOrderDetails" | "getOrderHistory" | "tokenRefresh" | "tokenValidate" | "operatorDecision";
  phase: "request" | "response";
  /** Request: the JSON body sent (never the Authorization header). Response: the body received (truncated). */
  body: string | null;
  /** Response phase: the HTTP status, or null when no response arrived. */
  httpStatus: number | null;
  /** Response phase: transport failure code (UND_ERR_HEADERS_TIMEOUT, ECONNRESET, …), null when a response arrived. */
  errorCode: string | null;
  durationMs: number | null;
  at: Date;
}

/** A call's classified result and the log entries not yet on record (requests first, in the order they happened). */
export interface Exchange {
  result: PlumCallResult;
  log: AttemptEntry[];
}
