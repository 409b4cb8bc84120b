// The reconciliation_runs and reconciliation_discrepancies columns as domain-typed values, mapped to records once for
// both engines (ids are numbers here: PostgreSQL's bigint arrives as text, the engine converts it).
import type { DiscrepancyKind, RunStatus, StoredDiscrepancy, StoredRun } from "../../orders/reconciliation/ports.js";
import { poNumberFromColumn } from "./poNumberColumn.js";

export interface RunColumns {
  id: number;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  window_from: Date | null;
  window_to: Date | null;
  pages: number;
  history_orders: number;
  adopted: number;
  discrepancies: number;
  error: string | null;
}

export interface DiscrepancyColumns {
  id: number;
  kind: string;
  po_number: string;
  order_id: string;
  order_date: Date | null;
  ledger_state: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

export function storedRunFrom(row: RunColumns): StoredRun {
  return {
    id: row.id,
    status: row.status as RunStatus,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    windowFrom: row.window_from,
    windowTo: row.window_to,
    pages: row.pages,
    historyOrders: row.history_orders,
    adopted: row.adopted,
    discrepancies: row.discrepancies,
    error: row.error,
  };
}

export function storedDiscrepancyFrom(row: DiscrepancyColumns): StoredDiscrepancy {
  return {
    id: row.id,
    kind: row.kind as DiscrepancyKind,
    poNumber: poNumberFromColumn(row.po_number),
    orderId: row.order_id,
    orderDate: row.order_date,
    ledgerState: row.ledger_state,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
  };
}
