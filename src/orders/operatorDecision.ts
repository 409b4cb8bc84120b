// The audited operator path for rows that need a person (alert `order_needs_operator` or
// `po_number_held_by_different_order`): the decision goes into the attempt log with who made it and why, and is
// applied only as the placement engine decides it (decide.ts, decideOperator). Rows are never edited by hand.
import type { AttemptEntry } from "../plum/exchange.js";
import type { OperatorDecision, OperatorRefusal } from "./placement/evidence.js";

export type OperatorVerdict = OperatorDecision["verdict"] | "acknowledged";

/**
 * Refusals of the shell, before the engine is asked: no such row; its lease is held or it moved meanwhile (try
 * again); final already; "acknowledged" for a PENDING row (it needs "placed" or "not placed").
 */
export type OperatorShellRefusal = "unknown_order" | "busy" | "already_final" | "pending_needs_verdict";

export interface OperatorResolution {
  /** placed / rejected: the row is final now; acknowledged: the alert on a PLACED row was cleared. */
  outcome: "placed" | "rejected" | "acknowledged" | "refused";
  refusal: OperatorRefusal | OperatorShellRefusal | null;
}

export interface OperatorAudit {
  /** Who decided (the caller's JWT subject; null when auth is off). */
  operator: string | null;
  /** Why (what the operator checked). Stored in the attempt log, never logged. */
  note: string;
}

/** The attempt-log row that records an operator's decision and what became of it. */
export function decisionEntry(
  poNumber: string,
  verdict: OperatorVerdict,
  orderId: string | null,
  audit: OperatorAudit,
  resolution: OperatorResolution,
  at: Date,
): AttemptEntry {
  const body = JSON.stringify({
    operator: audit.operator,
    verdict,
    orderId,
    note: audit.note,
    outcome: resolution.outcome,
    refusal: resolution.refusal,
  });
  return {
    poNumber,
    operation: "operatorDecision",
    phase: "request",
    body,
    httpStatus: null,
    errorCode: null,
    durationMs: null,
    at,
  };
}
