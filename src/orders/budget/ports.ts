// What the shared Plum budget needs from storage: a sliding log of send times per Plum operation and the penalty
// Plum imposed, on one clock for every replica (PostgreSQL: the database's; SQLite: the process's, which is alone).
import type { PlumOperationName } from "../../plum/wire.js";

/** placement: callers' placements and their look-ups (and the dispatcher). reconciliation: the background checks. */
export type BudgetClass = "placement" | "reconciliation";

export interface BudgetRule {
  /** Sends allowed in any window (of `windowMs`). */
  limit: number;
  /** This class may hold at most this many of them (the rest is the other class's reserve). */
  classLimit: number;
  windowMs: number;
}

/** granted: the send is on the log. Else `retryAfterMs`: when a slot (or the end of a penalty) is due. */
export type BudgetGrant = { granted: true } | { granted: false; retryAfterMs: number; penalized: boolean };

export interface BudgetUsage {
  /** Sends on the log in the current window. */
  used: number;
  penaltyUntil: Date | null;
}

export interface BudgetLedger {
  /** Atomically (across replicas): refuse while a penalty runs or the window is full, else log one send now. */
  take(operation: PlumOperationName, klass: BudgetClass, rule: BudgetRule): Promise<BudgetGrant>;
  /** No send of `operation` from any replica for `ms` from now (a later end wins). */
  penalize(operation: PlumOperationName, ms: number): Promise<void>;
  usage(operation: PlumOperationName, windowMs: number): Promise<BudgetUsage>;
}
