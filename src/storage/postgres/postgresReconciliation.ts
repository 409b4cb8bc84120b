// The reconciliation tables on PostgreSQL. The lock row is taken by one conditional UPDATE on the database's clock,
// so of several replicas whose timers fire together exactly one runs; the others see it held (or not yet due).
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
import { poNumberColumn } from "../shared/poNumberColumn.js";
import {
  storedDiscrepancyFrom,
  storedRunFrom,
  type DiscrepancyColumns,
  type RunColumns,
} from "../shared/reconciliationColumns.js";
import { toOrderRecord, type OrderRow } from "./postgresRows.js";
import { inTransaction, type Queryable } from "./transaction.js";
import type { Pool } from "pg";

export async function claimPostgres(pool: Pool, owner: string, leaseMs: number, force: boolean) {
  return inTransaction(pool, async (client) => {
    const claimed = await client.query<{ now: Date }>(
      `UPDATE reconciliation_lock SET owner = $1, lease_until = t.now + $2 * interval '1 millisecond'
       FROM (SELECT clock_timestamp() AS now) t
       WHERE id = 1 AND (owner IS NULL OR lease_until < t.now) AND ($3 OR next_run_at IS NULL OR next_run_at <= t.now)
       RETURNING t.now`,
      [owner, leaseMs, force],
    );
    const now = claimed.rows[0]?.now;
    if (now === undefined) return null;
    const run = await client.query<{ id: string }>(
      `INSERT INTO reconciliation_runs (owner, status, started_at) VALUES ($1, 'running', $2) RETURNING id`,
      [owner, now],
    );
    return { runId: Number(run.rows[0]?.id), startedAt: now };
  });
}

export async function renewPostgres(db: Queryable, owner: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE reconciliation_lock SET lease_until = clock_timestamp() + $2 * interval '1 millisecond'
     WHERE id = 1 AND owner = $1 AND lease_until >= clock_timestamp()`,
    [owner, leaseMs],
  );
  return rowCount === 1;
}

export async function finishPostgres(
  pool: Pool,
  owner: string,
  runId: number,
  outcome: RunOutcome,
  nextInMs: number,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      `UPDATE reconciliation_runs SET status = $2, finished_at = clock_timestamp(), window_from = $3, window_to = $4,
         pages = $5, history_orders = $6, adopted = $7, discrepancies = $8, error = $9
       WHERE id = $1`,
      [
        runId,
        outcome.status,
        outcome.windowFrom,
        outcome.windowTo,
        outcome.pages,
        outcome.historyOrders,
        outcome.adopted,
        outcome.discrepancies,
        outcome.error,
      ],
    );
    await client.query(
      `UPDATE reconciliation_lock SET owner = NULL, lease_until = NULL,
         next_run_at = clock_timestamp() + $2 * interval '1 millisecond'
       WHERE id = 1 AND owner = $1`,
      [owner, nextInMs],
    );
  });
}

export async function findForReconciliationPostgres(
  db: Queryable,
  poNumbers: readonly string[],
  orderIds: readonly string[],
): Promise<OrderRecord[]> {
  const { rows } = await db.query<OrderRow>(
    "SELECT *, clock_timestamp() AS db_now FROM orders WHERE po_number = ANY($1::text[]) OR order_id = ANY($2::text[])",
    [[...poNumbers], [...orderIds]],
  );
  return rows.map(toOrderRecord);
}

export async function placedBetweenPostgres(db: Queryable, from: Date, to: Date): Promise<PlacedRef[]> {
  const { rows } = await db.query<{ po_number: string; order_id: string; placed_at: Date | null }>(
    `SELECT po_number, order_id, placed_at FROM orders
     WHERE state = 'PLACED' AND order_id IS NOT NULL AND placed_at >= $1 AND placed_at <= $2`,
    [from, to],
  );
  return rows.map((row) => ({ poNumber: row.po_number, orderId: row.order_id, placedAt: row.placed_at }));
}

export async function recordDiscrepanciesPostgres(
  pool: Pool,
  runId: number,
  found: readonly Discrepancy[],
  window: { from: Date; to: Date },
): Promise<number> {
  return inTransaction(pool, async (client) => {
    for (const d of found) {
      await client.query(
        `INSERT INTO reconciliation_discrepancies (kind, po_number, order_id, order_date, ledger_state, first_seen_at,
           last_seen_at, first_run_id, last_run_id)
         VALUES ($1, $2, $3, $4, $5, clock_timestamp(), clock_timestamp(), $6, $6)
         ON CONFLICT (kind, po_number, order_id) DO UPDATE SET last_seen_at = excluded.last_seen_at,
           last_run_id = excluded.last_run_id, ledger_state = excluded.ledger_state, resolved_at = NULL`,
        [d.kind, poNumberColumn(d.poNumber), d.orderId, d.orderDate, d.ledgerState, runId],
      );
    }
    await client.query(
      `UPDATE reconciliation_discrepancies SET resolved_at = clock_timestamp()
       WHERE resolved_at IS NULL AND last_run_id <> $1 AND order_date >= $2 AND order_date <= $3`,
      [runId, window.from, window.to],
    );
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM reconciliation_discrepancies WHERE first_run_id = $1 AND last_run_id = $1",
      [runId],
    );
    return rows[0]?.n ?? 0;
  });
}

/** bigserial ids arrive as text. */
type RunRow = Omit<RunColumns, "id"> & { id: string };
type DiscrepancyRow = Omit<DiscrepancyColumns, "id"> & { id: string };

export async function listRunsPostgres(db: Queryable, from: Date, to: Date, limit: number): Promise<StoredRun[]> {
  const { rows } = await db.query<RunRow>(
    "SELECT * FROM reconciliation_runs WHERE started_at >= $1 AND started_at <= $2 ORDER BY started_at DESC, id DESC LIMIT $3",
    [from, to, limit],
  );
  return rows.map((row) => storedRunFrom({ ...row, id: Number(row.id) }));
}

export async function listDiscrepanciesPostgres(
  db: Queryable,
  from: Date,
  to: Date,
  limit: number,
): Promise<StoredDiscrepancy[]> {
  const { rows } = await db.query<DiscrepancyRow>(
    `SELECT * FROM reconciliation_discrepancies WHERE resolved_at IS NULL OR (last_seen_at >= $1 AND last_seen_at <= $2)
     ORDER BY last_seen_at DESC, id DESC LIMIT $3`,
    [from, to, limit],
  );
  return rows.map((row) => storedDiscrepancyFrom({ ...row, id: Number(row.id) }));
}

export async function countOpenPostgres(db: Queryable): Promise<Record<DiscrepancyKind, number>> {
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((kind) => [kind, 0])) as Record<DiscrepancyKind, number>;
  const { rows } = await db.query<{ kind: string; n: number }>(
    "SELECT kind, count(*)::int AS n FROM reconciliation_discrepancies WHERE resolved_at IS NULL GROUP BY kind",
  );
  for (const row of rows) if (row.kind in counts) counts[row.kind as DiscrepancyKind] = row.n;
  return counts;
}
