// What the reconciliation against Plum's history needs from the ledger. The orders layer owns these shapes; storage
// implements them.
import type { OrderRecord } from "../orderRecord.js";

export type DiscrepancyKind = "plum_order_not_in_ledger" | "duplicate_upstream_order" | "ledger_order_not_at_plum";
export const DISCREPANCY_KINDS: readonly DiscrepancyKind[] = [
  "plum_order_not_in_ledger",
  "duplicate_upstream_order",
  "ledger_order_not_at_plum",
];

export interface Discrepancy {
  kind: DiscrepancyKind;
  /** null when Plum's order has none. */
  poNumber: string | null;
  orderId: string;
  /** When the order was placed (Plum's date or the ledger's); runs whose window covers it re-check it. */
  orderDate: Date | null;
  /** The ledger's state for this poNumber, null when it has no row. */
  ledgerState: string | null;
}

export interface StoredDiscrepancy extends Discrepancy {
  id: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

export type RunStatus = "running" | "succeeded" | "failed";

export interface RunOutcome {
  status: "succeeded" | "failed";
  windowFrom: Date;
  windowTo: Date;
  pages: number;
  historyOrders: number;
  adopted: number;
  discrepancies: number;
  /** A short reason, never an upstream body. */
  error: string | null;
}

export interface StoredRun {
  id: number;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  windowFrom: Date | null;
  windowTo: Date | null;
  pages: number;
  historyOrders: number;
  adopted: number;
  discrepancies: number;
  error: string | null;
}

/** A placed row of the ledger, as much as the comparison needs. */
export interface PlacedRef {
  poNumber: string;
  orderId: string;
  placedAt: Date | null;
}

export interface ReconciliationStore {
  /**
   * Single-flight across replicas: takes the job's lease if it is free (or expired by the database's clock) and the
   * job is due (or `force`), and records a running run. null when another replica holds it or it is not due.
   */
  claimReconciliation(
    owner: string,
    leaseMs: number,
    force: boolean,
  ): Promise<{ runId: number; startedAt: Date } | null>;
  renewReconciliation(owner: string, leaseMs: number): Promise<boolean>;
  /** Records the outcome, schedules the next run `nextInMs` after the database's now, and frees the lease. */
  finishReconciliation(owner: string, runId: number, outcome: RunOutcome, nextInMs: number): Promise<void>;
  /** Ledger rows for these poNumbers (as sent to Plum) or orderIds. */
  findForReconciliation(poNumbers: readonly string[], orderIds: readonly string[]): Promise<OrderRecord[]>;
  /** PLACED rows whose placedAt lies in [from, to]. */
  placedBetween(from: Date, to: Date): Promise<PlacedRef[]>;
  /**
   * Upserts what this run found (reopening a resolved one) and resolves open ones this run did not find although
   * their orderDate lies in its window. Returns how many are new.
   */
  recordDiscrepancies(runId: number, found: readonly Discrepancy[], window: { from: Date; to: Date }): Promise<number>;
  /** Runs started in [from, to], newest first (at most `limit`). */
  listRuns(from: Date, to: Date, limit: number): Promise<StoredRun[]>;
  /** Open discrepancies, plus those seen in [from, to], newest first (at most `limit`). */
  listDiscrepancies(from: Date, to: Date, limit: number): Promise<StoredDiscrepancy[]>;
  countOpenDiscrepancies(): Promise<Record<DiscrepancyKind, number>>;
}
