// What one call to Plum came to, in the terms the order ledger needs: was anything placed, and can we know?
import type { PlumOrderWire } from "./wire.js";

export type PlumCallResult =
  /** status 1 with order data. */
  | { kind: "ok"; httpStatus: number; order: PlumOrderWire }
  /** PLE10016: no such order (getOrderDetails). */
  | { kind: "notFound"; httpStatus: number }
  /** Plum refused a non-empty poNumber it has seen before (PLE10004/422; the simulator's documented assumption). */
  | { kind: "duplicatePoNumber"; httpStatus: number }
  /** A definite business rejection: nothing was placed. */
  | { kind: "rejected"; httpStatus: number; errorId: string | null; operatorValidation: boolean }
  /** Shape C: over the per-minute limit; nothing was processed. */
  | { kind: "rateLimited"; httpStatus: number; penaltySeconds: number }
  /** Rejected by the auth layer (before the order was processed). `renewable`: a new access token may help. */
  | { kind: "unauthorized"; httpStatus: number; renewable: boolean }
  /** The request never reached Plum (connection refused, connect timeout, DNS). */
  | { kind: "notSent"; errorCode: string }
  /** Sent, but the outcome cannot be known from the answer: timeouts, resets, 5xx, unreadable bodies, PLE10035. */
  | { kind: "unknown"; httpStatus: number | null; errorId: string | null; errorCode: string | null };
