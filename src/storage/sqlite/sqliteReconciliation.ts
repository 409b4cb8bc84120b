// The reconciliation tables on SQLite (instants as epoch ms). One process owns the file, so its clock is the
// database's; the lock row still makes runs single-flight between the job's timer and a forced run.
import type { SQLInputValue } from "node:sqlite";
import type { OrderRecord } from "../../orders/orderRecord.js";
import {
  DISCREPANCY_KINDS,
  type Discrepancy,
  type DiscrepancyKind,
  type PlacedRef,
  type RunOutcome,
  type StoredDiscrepancy,
  type StoredRun,
} from "../../orders/reconciliation/ports.js";
import { date, dateOrNull, epochMs, int, text, textOrNull, type SqliteRow } from "./columns.js";
import { poNumberColumn } from "../shared/poNumberColumn.js";
import { storedDiscrepancyFrom, storedRunFrom } from "../shared/reconciliationColumns.js";
import { toOrderRecord } from "./sqliteRows.js";
import type { StatementCache } from "./statements.js";

export function claimSqlite(statements: StatementCache, owner: string, leaseMs: number, force: boolean, now: number) {
  const claimed = statements
    .get(
      `UPDATE reconciliation_lock SET owner = ?, lease_until = ?
       WHERE id = 1 AND (owner IS NULL OR lease_until < ?) AND (? = 1 OR next_run_at IS NULL OR next_run_at <= ?)`,
    )
    .run(owner, now + leaseMs, now, force ? 1 : 0, now);
  if (Number(claimed.changes) !== 1) return null;
  const row = statements
    .get(`INSERT INTO reconciliation_runs (owner, status, started_at) VALUES (?, 'running', ?) RETURNING id`)
    .get(owner, now);
  if (row === undefined) throw new Error("insert returned no row");
  return { runId: int(row, "id"), startedAt: new Date(now) };
}

export function renewSqlite(statements: StatementCache, owner: string, leaseMs: number, now: number): boolean {
  const result = statements
    .get("UPDATE reconciliation_lock SET lease_until = ? WHERE id = 1 AND owner = ? AND lease_until >= ?")
    .run(now + leaseMs, owner, now);
  return Number(result.changes) === 1;
}

export function finishSqlite(
  statements: StatementCache,
  owner: string,
  runId: number,
  outcome: RunOutcome,
  nextInMs: number,
  now: number,
) {
  statements
    .get(
      `UPDATE reconciliation_runs SET status = ?, finished_at = ?, window_from = ?, window_to = ?, pages = ?,
         history_orders = ?, adopted = ?, discrepancies = ?, error = ?
       WHERE id = ?`,
    )
    .run(
      outcome.status,
      now,
      outcome.windowFrom.getTime(),
      outcome.windowTo.getTime(),
      outcome.pages,
      outcome.historyOrders,
      outcome.adopted,
      outcome.discrepancies,
      outcome.error,
      runId,
    );
  statements
    .get("UPDATE reconciliation_lock SET owner = NULL, lease_until = NULL, next_run_at = ? WHERE id = 1 AND owner = ?")
    .run(now + nextInMs, owner);
}

export function findForReconciliationSqlite(
  statements: StatementCache,
  poNumbers: readonly string[],
  orderIds: readonly string[],
): OrderRecord[] {
  return statements
    .get(
      `SELECT * FROM orders WHERE po_number IN (SELECT value FROM json_each(?))
       OR order_id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(poNumbers), JSON.stringify(orderIds))
    .map((row) => toOrderRecord(row));
}

export function placedBetweenSqlite(statements: StatementCache, from: Date, to: Date): PlacedRef[] {
  return statements
    .get(
      // Without ANALYZE statistics SQLite prefers the state index (every PLACED row) to the placed_at range.
      `SELECT po_number, order_id, placed_at FROM orders INDEXED BY orders_placed_at_idx
       WHERE state = 'PLACED' AND order_id IS NOT NULL AND placed_at >= ? AND placed_at <= ?`,
    )
    .all(from.getTime(), to.getTime())
    .map((row) => ({
      poNumber: text(row, "po_number"),
      orderId: text(row, "order_id"),
      placedAt: dateOrNull(row, "placed_at"),
    }));
}

export function recordDiscrepanciesSqlite(
  statements: StatementCache,
  runId: number,
  found: readonly Discrepancy[],
  window: { from: Date; to: Date },
  now: number,
): number {
  const upsert = statements.get(
    `INSERT INTO reconciliation_discrepancies (kind, po_number, order_id, order_date, ledger_state, first_seen_at,
       last_seen_at, first_run_id, last_run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, po_number, order_id) DO UPDATE SET last_seen_at = excluded.last_seen_at,
       last_run_id = excluded.last_run_id, ledger_state = excluded.ledger_state, resolved_at = NULL`,
  );
  for (const d of found) {
    upsert.run(
      d.kind,
      poNumberColumn(d.poNumber),
      d.orderId,
      epochMs(d.orderDate),
      d.ledgerState,
      now,
      now,
      runId,
      runId,
    );
  }
  statements
    .get(
      `UPDATE reconciliation_discrepancies SET resolved_at = ?
       WHERE resolved_at IS NULL AND last_run_id <> ? AND order_date >= ? AND order_date <= ?`,
    )
    .run(now, runId, window.from.getTime(), window.to.getTime());
  const row = statements
    .get("SELECT count(*) AS n FROM reconciliation_discrepancies WHERE first_run_id = ? AND last_run_id = ?")
    .get(runId, runId);
  return row === undefined ? 0 : int(row, "n");
}

function toRun(row: SqliteRow): StoredRun {
  return storedRunFrom({
    id: int(row, "id"),
    status: text(row, "status"),
    started_at: date(row, "started_at"),
    finished_at: dateOrNull(row, "finished_at"),
    window_from: dateOrNull(row, "window_from"),
    window_to: dateOrNull(row, "window_to"),
    pages: int(row, "pages"),
    history_orders: int(row, "history_orders"),
    adopted: int(row, "adopted"),
    discrepancies: int(row, "discrepancies"),
    error: textOrNull(row, "error"),
  });
}

function toDiscrepancy(row: SqliteRow): StoredDiscrepancy {
  return storedDiscrepancyFrom({
    id: int(row, "id"),
    kind: text(row, "kind"),
    po_number: text(row, "po_number"),
    order_id: text(row, "order_id"),
    order_date: dateOrNull(row, "order_date"),
    ledger_state: textOrNull(row, "ledger_state"),
    first_seen_at: date(row, "first_seen_at"),
    last_seen_at: date(row, "last_seen_at"),
    resolved_at: dateOrNull(row, "resolved_at"),
  });
}

export function listRunsSqlite(statements: StatementCache, from: Date, to: Date, limit: number): StoredRun[] {
  return statements
    .get(
      "SELECT * FROM reconciliation_runs WHERE started_at >= ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT ?",
    )
    .all(from.getTime(), to.getTime(), limit)
    .map(toRun);
}

export function listDiscrepanciesSqlite(
  statements: StatementCache,
  from: Date,
  to: Date,
  limit: number,
): StoredDiscrepancy[] {
  const values: SQLInputValue[] = [from.getTime(), to.getTime(), limit];
  return statements
    .get(
      `SELECT * FROM reconciliation_discrepancies WHERE resolved_at IS NULL OR (last_seen_at >= ? AND last_seen_at <= ?)
       ORDER BY last_seen_at DESC, id DESC LIMIT ?`,
    )
    .all(...values)
    .map(toDiscrepancy);
}

export function countOpenSqlite(statements: StatementCache): Record<DiscrepancyKind, number> {
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((kind) => [kind, 0])) as Record<DiscrepancyKind, number>;
  const rows = statements
    .get("SELECT kind, count(*) AS n FROM reconciliation_discrepancies WHERE resolved_at IS NULL GROUP BY kind")
    .all();
  for (const row of rows) {
    const kind = text(row, "kind") as DiscrepancyKind;
    if (kind in counts) counts[kind] = int(row, "n");
  }
  return counts;
}
