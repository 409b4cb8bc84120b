// What the placement engine knows about one poNumber: each attempt's answer, and any proof that an order exists.
// Stored on the ledger row (storage maps it to columns); decided on by decide.ts.
import type { PlumCallResult } from "../../plum/result.js";
import type { OrderFailure } from "../errorCodes.js";

/**
 * open: the write-ahead recorded the attempt and no answer is on record (in flight, or its process died): unknown.
 * unknown: sent, and the answer cannot tell whether Plum created an order.
 * empty: proven to have created nothing (see EmptyReason). created: Plum answered with the order.
 * queued: due to be sent when the shared Plum budget allows (placement queue); provably never left, and the
 * dispatcher turns it into a write-ahead (open) under the row's lease before it is sent.
 */
export type AttemptAnswer = "open" | "unknown" | "empty" | "created" | "queued";

/**
 * notSent: never reached Plum's order processing (connect failure, rate limit, credentials refused, send guard).
 * rejected: a definite business rejection of that attempt (also PLE10004 when no attempt of ours can exist).
 * notFound: cleared by a trusted "not found" look-up after Plum's whole processing window.
 */
export type EmptyReason = "notSent" | "rejected" | "notFound";

export interface AttemptRecord {
  /** 1-based attempt number; attempt n is written (open) before request n leaves. */
  n: number;
  answer: AttemptAnswer;
  empty?: EmptyReason | null;
  /** The upstream errorId of an unknown or rejected answer (PLE10024 on a 502 names a cause). */
  errorId?: string | null;
  /** empty attempts: what the caller is told about this attempt. */
  failure?: OrderFailure | null;
  /** Refused for an expired token that the client then renewed: the next attempt follows at once (once). */
  renewed?: boolean;
}

/** Sticky: once a row has one, it is never re-sent and never REJECTED. */
export interface ExistenceProof {
  source: "answer" | "lookup" | "duplicate" | "webhook" | "history";
  /** Plum's orderId when the proof names one (a webhook, a look-up); null for a bare duplicate answer. */
  orderId: string | null;
}

export type AlertReason = "order_needs_operator" | "po_number_held_by_different_order";

/** One new fact for decide(); "none" asks what to do next from the row alone. */
export type Evidence =
  | { kind: "none" }
  /** The answer to our own attempt `attempt`. */
  | { kind: "answer"; attempt: number; result: PlumCallResult }
  /** A getOrderDetails answer; `startedAt` is database time no later than the request left. */
  | { kind: "lookup"; startedAt: Date; by: "poNumber" | "orderId"; result: PlumCallResult }
  /** A delivery callback naming our poNumber. */
  | { kind: "webhook"; orderId: string }
  /** Plum's getOrderHistory lists an order (this orderId) under our poNumber: as strong as a webhook naming it. */
  | { kind: "history"; orderId: string }
  /**
   * An operator's decision on a row that carries an alert, with the getOrderDetails answer it was checked against
   * (`startedAt`: database time no later than that look-up left). Never taken on the operator's word alone.
   */
  | { kind: "operator"; decision: OperatorDecision; startedAt: Date; result: PlumCallResult };

/**
 * placed: "Plum holds our order `orderId`" (checked by looking that orderId up: it must be ours).
 * notPlaced: "nothing was placed" (checked by looking the poNumber up after Plum's processing window; refused while
 * any proof of existence is on record).
 */
export type OperatorDecision = { verdict: "placed"; orderId: string } | { verdict: "notPlaced" };

/** Why an operator's decision was not applied (the row is unchanged but for what the look-up taught). */
export type OperatorRefusal =
  | "not_awaiting_operator"
  | "not_ours"
  | "not_found_at_plum"
  | "proof_names_other_order"
  | "ownership_unproven"
  | "existence_proven"
  | "processing_window_open"
  | "plum_unreachable";

/** Who drives: a caller's mutation (answers the caller), a read (never sends), or the background reconciler. */
export type Driver = "mutation" | "read" | "reconciler";

/**
 * Whether a send may happen now (the shared Plum budget, src/orders/budget/): available (a send slot is held),
 * exhausted (queue the attempt instead) or full (the queue is at its bound: a new placement is refused, nothing sent).
 */
export type SendBudget = "available" | "exhausted" | "full";

export interface PlacementPolicy {
  /** How long a not-found answer lags a created order (and slack for the exchange itself). */
  settleMs: number;
  /** How long Plum may keep processing a placeOrder after receiving it (docs/plum-api.md §1, §6.3). */
  maxProcessingMs: number;
  /** A pending row is looked up at most once per this interval, whoever asks. */
  lookupIntervalMs: number;
  maxBackoffMs: number;
  /** Attempts that may have reached Plum; attempts that provably never left do not count. */
  maxSendAttempts: number;
}
