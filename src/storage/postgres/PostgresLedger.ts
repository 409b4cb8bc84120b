// The replicated ledger: several subgraph replicas share one PostgreSQL database. Every state change is a single
// conditional statement or a short transaction, so replicas can race freely without double-placing an order.
import { Pool } from "pg";
import type { PlumOrderWire } from "../../plum/wire.js";
import type {
  AttemptEntry,
  ClaimResult,
  Lease,
  Ledger,
  LedgerWriteCounts,
  NewPlacement,
  OrderRecord,
  RecordPatch,
  StoredTokens,
  TokenLockOutcome,
  WebhookEvent,
  WebhookRecordResult,
  WriteGuard,
} from "../ledger.js";
import { poNumberColumn } from "../shared/poNumberColumn.js";
import { namesOrder, orderLookups, webhookProof } from "../shared/webhookMatch.js";
import { retryWrite } from "../retryWrite.js";
import { postgresMigrations } from "../migrations/postgresMigrations.js";
import { patchAssignments, queueAssignment } from "../recordPatch.js";
import { webhookInstant } from "../shared/webhookInstant.js";
import { TOKEN_LOCK_KEY } from "./advisoryLocks.js";
import { PostgresCatalogueStore } from "./PostgresCatalogueStore.js";
import { postgresParam } from "./encodePatch.js";
import { migratePostgres } from "./postgresMigrator.js";
import { toAttemptEntry, toOrderRecord, type AttemptRow, type OrderRow } from "./postgresRows.js";
import { readTokens, storeTokens } from "./postgresTokens.js";
import { operationsCountsPostgres } from "./postgresOperations.js";
import {
  applyLatestEvent,
  applyStoredEvents,
  beginLockingOrderEvents,
  latestEventSql,
  lockOrderEvents,
} from "./postgresWebhooks.js";
import { inTransaction, type Queryable } from "./transaction.js";
import { queryPrepared } from "./prepared.js";
import { countPlacedPostgres, listPlacedPostgres } from "./postgresOrderList.js";
import * as reconciliation from "./postgresReconciliation.js";
import type { ListScope, OrderListFilter, OrderListQuery } from "../../orders/listing/ports.js";
import type { Discrepancy, RunOutcome } from "../../orders/reconciliation/ports.js";
import type { QueueStats } from "../../orders/placement/ports.js";
import type { BudgetLedger } from "../../orders/budget/ports.js";
import { PostgresBudgetLedger } from "./PostgresBudgetLedger.js";

export interface PostgresLedgerOptions {
  connectionString: string;
  /** Pool size; default 10. withTokenLock holds one connection while its callback runs. */
  max?: number;
  /** Errors of idle pooled connections (server restart, terminated backend). The pool replaces the connection. */
  onIdleClientError?: (error: Error) => void;
}

/** The write-ahead of attempt 1, written with the claim. */
const FIRST_ATTEMPT = JSON.stringify([{ n: 1, answer: "open" }]);
const QUEUED_ATTEMPT = JSON.stringify([{ n: 1, answer: "queued" }]);
/** Bulk claims per transaction. */
const CLAIM_CHUNK = 100;

const ATTEMPT_COLUMNS = "po_number, operation, phase, body, http_status, error_code, duration_ms, at";

/** Appends one attempt's values to `values` and returns its typed placeholder tuple, e.g. `($9::text, …)`. */
function attemptParams(entry: AttemptEntry, values: unknown[]): string {
  const typed: [unknown, string][] = [
    [entry.poNumber, "text"],
    [entry.operation, "text"],
    [entry.phase, "text"],
    [entry.body, "text"],
    [entry.httpStatus, "int"],
    [entry.errorCode, "text"],
    [entry.durationMs === null ? null : Math.round(entry.durationMs), "int"],
    [entry.at, "timestamptz"],
  ];
  const placeholders = typed.map(([value, type]) => {
    values.push(value);
    return `$${values.length}::${type}`;
  });
  return `(${placeholders.join(", ")})`;
}

/** An updated row with the latest stored event naming it (all null when there is none). */
interface LinkedRow extends OrderRow {
  latest_status: string | null;
  latest_created_at: Date | null;
  latest_applied_at: Date | null;
}

export class PostgresLedger implements Ledger {
  readonly engine = "postgres" as const;
  private readonly pool: Pool;
  private closed = false;
  readonly catalogue: PostgresCatalogueStore;
  /** The shared Plum rate budget (issue 16). */
  readonly budget: BudgetLedger;
  private readonly counts = { commits: 0, operations: 0 };

  constructor(options: PostgresLedgerOptions) {
    // A bounded wait for a connection: a stuck pool fails requests (masked, retryable) instead of hanging forever.
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: 10_000,
    });
    // Without a listener an idle connection's error would be an unhandled 'error' event and crash the process.
    this.pool.on("error", (error) => options.onIdleClientError?.(error));
    this.catalogue = new PostgresCatalogueStore(this.pool);
    this.budget = new PostgresBudgetLedger(this.pool);
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.pool, postgresMigrations);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  writeCounts(): LedgerWriteCounts {
    return { ...this.counts, checkpoints: 0 };
  }

  /** Counts a placement-path write once it committed (each is its own transaction here: PostgreSQL groups the WAL
   * flushes of concurrent commits itself). */
  private async counted<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    this.counts.commits += 1;
    this.counts.operations += 1;
    return result;
  }

  async claim(placement: NewPlacement, lease: Lease, attempt?: AttemptEntry): Promise<ClaimResult> {
    return this.counted(this.claimOn(this.pool, placement, lease, attempt));
  }

  /** Many queued claims, a chunk per transaction, in input order (each row's queued_at is later than the last). */
  async claimQueued(placements: readonly NewPlacement[]): Promise<ClaimResult[]> {
    const results: ClaimResult[] = [];
    const lease: Lease = { owner: "bulk", ms: 0 };
    for (let start = 0; start < placements.length; start += CLAIM_CHUNK) {
      const chunk = placements.slice(start, start + CLAIM_CHUNK);
      results.push(
        ...(await inTransaction(this.pool, async (client) => {
          const claimed: ClaimResult[] = [];
          for (const placement of chunk)
            claimed.push(await this.claimOn(client, { ...placement, queued: true }, lease));
          return claimed;
        })),
      );
    }
    return results;
  }

  private async claimOn(
    db: Queryable,
    placement: NewPlacement,
    lease: Lease,
    attempt?: AttemptEntry,
  ): Promise<ClaimResult> {
    const values: unknown[] = [
      placement.poNumber,
      placement.kind,
      placement.fingerprint,
      placement.subject,
      JSON.stringify(placement.request),
      lease.ms,
      lease.owner,
      lease.at ?? null,
      placement.callerPoNumber ?? placement.poNumber,
    ];
    // Times come from the database's clock (the same for every replica). Attempt 1 is written ahead with the claim;
    // the check is due at lease expiry so a placement whose replica dies is picked up by the reconciler.
    // No conflict target: the Plum poNumber and the caller's (subject, poNumber) are both unique.
    const insert = `INSERT INTO orders (po_number, kind, fingerprint, subject, source, state, request, errors, send_attempts,
         sends, last_sent_at, next_check_at, lease_owner, lease_until, created_at, updated_at, caller_po_number)
       SELECT $1, $2, $3, $4, 'PLACEMENT', 'PENDING', $5::jsonb, '[]'::jsonb, 1, '${FIRST_ATTEMPT}'::jsonb,
         t.now, t.now + $6 * interval '1 millisecond', $7, t.now + $6 * interval '1 millisecond', t.now, t.now, $9
       FROM (SELECT COALESCE($8::timestamptz, clock_timestamp()) AS now) t
       ON CONFLICT DO NOTHING
       RETURNING *, last_sent_at AS db_now`;
    // Queued: attempt 1 waits for the budget (not written ahead), no lease, not due for the reconciler.
    if (placement.queued) values.push(JSON.stringify(placement.errors ?? []));
    const queuedInsert = `INSERT INTO orders (po_number, kind, fingerprint, subject, source, state, request, errors, send_attempts,
         sends, last_sent_at, next_check_at, lease_owner, lease_until, created_at, updated_at, caller_po_number, queued_at)
       SELECT $1, $2, $3, $4, 'PLACEMENT', 'PENDING', $5::jsonb, $10::jsonb, 0, '${QUEUED_ATTEMPT}'::jsonb,
         NULL, NULL, NULL, NULL, t.now, t.now, $9, t.now
       FROM (SELECT COALESCE($8::timestamptz, clock_timestamp()) AS now, $6::int AS ms, $7::text AS owner) t
       ON CONFLICT DO NOTHING
       RETURNING *, queued_at AS db_now`;
    // One statement, one commit: the attempt row is written only if the claim's insert returned a row.
    const statement = placement.queued
      ? queuedInsert
      : attempt === undefined
        ? insert
        : `WITH claimed AS (${insert}),
           logged AS (INSERT INTO order_attempts (${ATTEMPT_COLUMNS})
                      SELECT ${attemptParams(attempt, values).slice(1, -1)} FROM claimed)
           SELECT * FROM claimed`;
    const inserted = await queryPrepared<OrderRow>(db, statement, values);
    const claimed = inserted.rows[0];
    if (claimed !== undefined) return { claimed: true, record: toOrderRecord(claimed) };
    // On the claim's own connection: inside a bulk claim's transaction another pool connection may never come free.
    const existing =
      (await this.findByCallerPoNumber(placement.subject, placement.callerPoNumber ?? placement.poNumber, db)) ??
      (await this.findByPlumPoNumber(placement.poNumber, db));
    if (existing === null) throw new Error("claim conflicted with a row that does not exist");
    return { claimed: false, record: existing };
  }

  async acquireLease(poNumber: string, lease: Lease, options: { reopen?: boolean } = {}): Promise<OrderRecord | null> {
    // One conditional UPDATE on the database's clock: a concurrent acquirer re-checks after the winner commits.
    const { rows } = await this.counted(
      queryPrepared<OrderRow>(
        this.pool,
        `UPDATE orders SET lease_owner = $2, lease_until = t.now + $3 * interval '1 millisecond', updated_at = t.now,
         version = version + 1, state = 'PENDING', reopenable = false,
         -- A reopened row is due at lease expiry, like a fresh claim: its process may die before it writes again.
         next_check_at = CASE WHEN state = 'REJECTED' THEN t.now + $3 * interval '1 millisecond' ELSE next_check_at END
       FROM (SELECT COALESCE($4::timestamptz, clock_timestamp()) AS now) t
       WHERE po_number = $1
         AND (state = 'PENDING' OR ($5 AND state = 'REJECTED' AND reopenable))
         AND (lease_owner IS NULL OR lease_until < t.now OR lease_owner = $2)
       RETURNING orders.*, t.now AS db_now`,
        [poNumber, lease.owner, lease.ms, lease.at ?? null, options.reopen === true],
      ),
    );
    const row = rows[0];
    return row === undefined ? null : toOrderRecord(row);
  }

  async renewLease(poNumber: string, lease: Lease): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE orders SET lease_until = t.now + $3 * interval '1 millisecond'
       FROM (SELECT COALESCE($4::timestamptz, clock_timestamp()) AS now) t
       WHERE po_number = $1 AND lease_owner = $2 AND lease_until >= t.now AND state = 'PENDING'`,
      [poNumber, lease.owner, lease.ms, lease.at ?? null],
    );
    return rowCount === 1;
  }

  async update(
    poNumber: string,
    owner: string | null,
    patch: RecordPatch,
    release: boolean,
    guard: WriteGuard = {},
  ): Promise<OrderRecord | null> {
    const values: unknown[] = [poNumber];
    const sets: string[] = [];
    for (const assignment of patchAssignments(patch)) {
      const { value, cast } = postgresParam(assignment);
      values.push(value);
      sets.push(`${assignment.column} = $${values.length}${cast}`);
    }
    sets.push("updated_at = clock_timestamp()", "version = orders.version + 1");
    // The write-ahead: the attempt's start is the database's time, in the statement that checks the lease.
    if (patch.startAttempt) sets.push("last_sent_at = clock_timestamp()");
    const queue = queueAssignment(patch);
    if (queue === "enter") sets.push("queued_at = COALESCE(orders.queued_at, clock_timestamp())");
    if (queue === "leave") sets.push("queued_at = NULL");
    if (release) sets.push("lease_owner = NULL", "lease_until = NULL");
    const where = ["po_number = $1"];
    if (owner !== null) {
      // Holding the lease: an expired lease nobody has taken over is still the owner's, except for a write-ahead.
      values.push(owner);
      where.push(`lease_owner = $${values.length}`);
      if (guard.live) where.push("lease_until >= clock_timestamp()");
    }
    if (guard.version !== undefined) {
      values.push(guard.version);
      where.push(`version = $${values.length}`);
    }
    const update = `UPDATE orders SET ${sets.join(", ")} WHERE ${where.join(" AND ")} RETURNING *, clock_timestamp() AS db_now`;
    // Attempt rows ride in the same statement (and commit); they are written whether or not the update applies.
    const attempts = patch.attempts ?? [];
    const ctes = [`updated AS (${update})`];
    if (attempts.length > 0) {
      ctes.push(
        `logged AS (INSERT INTO order_attempts (${ATTEMPT_COLUMNS}) VALUES ${attempts.map((a) => attemptParams(a, values)).join(", ")})`,
      );
    }

    const linkedOrderId = patch.orderId;
    if (!linkedOrderId) {
      const statement = ctes.length === 1 ? update : `WITH ${ctes.join(", ")} SELECT * FROM updated`;
      const { rows } = await this.counted(queryPrepared<OrderRow>(this.pool, statement, values));
      const row = rows[0];
      return row === undefined ? null : toOrderRecord(row);
    }
    // Linking an orderId: under the orderId's lock (taken with BEGIN, one round trip), the update also reads the
    // latest stored event naming the order; its snapshot is taken after the lock, as a separate SELECT's would be.
    values.push(linkedOrderId);
    ctes.push(`latest AS (${latestEventSql(`$${values.length}::text`, "$1::text", true)})`);
    const statement = `WITH ${ctes.join(", ")}
      SELECT updated.*, latest.delivery_status AS latest_status, latest.created_at AS latest_created_at,
        latest.applied_at AS latest_applied_at
      FROM updated LEFT JOIN latest ON true`;
    return this.counted(
      inTransaction(
        this.pool,
        async (client) => {
          const { rows } = await queryPrepared<LinkedRow>(client, statement, values);
          const row = rows[0];
          if (row === undefined) return null;
          const latest =
            row.latest_status === null || row.latest_created_at === null
              ? null
              : {
                  delivery_status: row.latest_status,
                  created_at: row.latest_created_at,
                  applied_at: row.latest_applied_at,
                };
          return applyLatestEvent(client, toOrderRecord(row), latest, new Date());
        },
        (client) => beginLockingOrderEvents((value) => client.escapeLiteral(value), linkedOrderId),
      ),
    );
  }

  async appendAttempt(entry: AttemptEntry): Promise<void> {
    await this.appendAttempts([entry]);
  }

  async appendAttempts(entries: readonly AttemptEntry[]): Promise<void> {
    if (entries.length > 0) await this.counted(this.insertAttempts(this.pool, entries));
  }

  async listAttempts(poNumber: string): Promise<AttemptEntry[]> {
    const { rows } = await this.pool.query<AttemptRow>(
      "SELECT * FROM order_attempts WHERE po_number = $1 ORDER BY id",
      [poNumber],
    );
    return rows.map(toAttemptEntry);
  }

  async findByPlumPoNumber(poNumber: string, db: Queryable = this.pool): Promise<OrderRecord | null> {
    // The database's time with the row: decisions are made on it, never on this replica's clock.
    const { rows } = await queryPrepared<OrderRow>(
      db,
      "SELECT *, clock_timestamp() AS db_now FROM orders WHERE po_number = $1",
      [poNumber],
    );
    const row = rows[0];
    return row === undefined ? null : toOrderRecord(row);
  }

  /** `db`: the connection of a transaction in progress (a second pool connection could wait forever for it). */
  async findByCallerPoNumber(
    subject: string | null,
    poNumber: string,
    db: Queryable = this.pool,
  ): Promise<OrderRecord | null> {
    if (subject === null) return this.findByPlumPoNumber(poNumber, db);
    const { rows } = await queryPrepared<OrderRow>(
      db,
      "SELECT *, clock_timestamp() AS db_now FROM orders WHERE subject = $1 AND caller_po_number = $2",
      [subject, poNumber],
    );
    const row = rows[0];
    return row === undefined ? null : toOrderRecord(row);
  }

  async findByOrderIds(orderIds: readonly string[]): Promise<OrderRecord[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await this.pool.query<OrderRow>(
      "SELECT *, clock_timestamp() AS db_now FROM orders WHERE order_id = ANY($1::text[])",
      [[...orderIds]],
    );
    return rows.map(toOrderRecord);
  }

  async remember(order: {
    poNumber: string;
    orderId: string;
    order: PlumOrderWire;
    placedAt: Date | null;
  }): Promise<OrderRecord> {
    const now = new Date();
    return inTransaction(this.pool, async (client) => {
      await lockOrderEvents(client, order.orderId);
      // No conflict target: a known poNumber or a known orderId both leave the existing row alone.
      const inserted = await client.query<OrderRow>(
        `INSERT INTO orders (po_number, source, state, order_id, order_data, errors, send_attempts, created_at,
           updated_at, placed_at, caller_po_number)
         VALUES ($1, 'LOOKUP', 'PLACED', $2, $3::jsonb, '[]'::jsonb, 0, $4, $4, $5, $1)
         ON CONFLICT DO NOTHING
         RETURNING *`,
        [order.poNumber, order.orderId, JSON.stringify(order.order), now, order.placedAt],
      );
      const row = inserted.rows[0];
      if (row !== undefined) return applyStoredEvents(client, toOrderRecord(row), now);
      const existing = await client.query<OrderRow>(
        "SELECT * FROM orders WHERE po_number = $1 OR order_id = $2 ORDER BY po_number = $1 DESC LIMIT 1",
        [order.poNumber, order.orderId],
      );
      const found = existing.rows[0];
      if (found === undefined) throw new Error("remember conflicted with a row that does not exist");
      return toOrderRecord(found);
    });
  }

  async duePending(now: Date | null, limit: number): Promise<OrderRecord[]> {
    const { rows } = await this.pool.query<OrderRow>(
      `SELECT orders.*, t.now AS db_now FROM orders, (SELECT COALESCE($1::timestamptz, clock_timestamp()) AS now) t
       WHERE state = 'PENDING' AND next_check_at <= t.now AND (lease_owner IS NULL OR lease_until < t.now)
       ORDER BY next_check_at, po_number LIMIT $2`,
      [now, limit],
    );
    return rows.map(toOrderRecord);
  }

  async nextQueued(limit: number): Promise<OrderRecord[]> {
    const { rows } = await this.pool.query<OrderRow>(
      `SELECT orders.*, t.now AS db_now FROM orders, (SELECT clock_timestamp() AS now) t
       WHERE queued_at IS NOT NULL AND state = 'PENDING' AND (lease_owner IS NULL OR lease_until < t.now)
       ORDER BY queued_at, po_number LIMIT $1`,
      [limit],
    );
    return rows.map(toOrderRecord);
  }

  async queueStats(): Promise<QueueStats> {
    const { rows } = await queryPrepared<{ depth: string; oldest: Date | null; now: Date }>(
      this.pool,
      "SELECT count(*) AS depth, min(queued_at) AS oldest, clock_timestamp() AS now FROM orders WHERE queued_at IS NOT NULL AND state = 'PENDING'",
      [],
    );
    const row = rows[0];
    return { depth: Number(row?.depth ?? 0), oldestQueuedAt: row?.oldest ?? null, now: row?.now ?? new Date() };
  }

  async queuePosition(plumPoNumber: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT count(*) AS position FROM orders o, (SELECT queued_at, po_number FROM orders WHERE po_number = $1 AND queued_at IS NOT NULL) me
       WHERE o.queued_at IS NOT NULL AND o.state = 'PENDING' AND (o.queued_at, o.po_number) <= (me.queued_at, me.po_number)`,
      [plumPoNumber],
    );
    const position = Number(rows[0]?.position ?? 0);
    return position === 0 ? null : position;
  }

  async countPending(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE state = 'PENDING' AND queued_at IS NULL",
    );
    return rows[0]?.n ?? 0;
  }

  async recordWebhookEvent(event: WebhookEvent): Promise<WebhookRecordResult> {
    const createdAt = webhookInstant(event.createdAt);
    const now = new Date();
    return inTransaction(this.pool, async (client) => {
      await lockOrderEvents(client, event.orderId);
      const inserted = await client.query(
        `INSERT INTO webhook_events (id, order_id, po_number, delivery_status, order_date, created_at, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [
          event.id,
          event.orderId,
          poNumberColumn(event.poNumber),
          event.deliveryStatus,
          event.orderDate,
          createdAt,
          event.receivedAt,
        ],
      );
      if (inserted.rowCount === 0) return "duplicate";
      const order = await this.findMatchingOrder(client, event);
      if (order === null) return "recorded";
      if (!namesOrder(event, order)) return "mismatched";
      const proof = webhookProof(event, order);
      if (proof !== null) {
        await client.query(
          `UPDATE orders SET existence = $2::jsonb, next_check_at = clock_timestamp(), version = version + 1,
             updated_at = clock_timestamp(), state = 'PENDING', reopenable = false
           WHERE po_number = $1 AND (state = 'PENDING' OR reopenable) AND existence IS NULL`,
          [order.poNumber, JSON.stringify(proof)],
        );
      }
      await applyStoredEvents(client, order, now);
      return "recorded";
    });
  }

  async listPlaced(query: OrderListQuery) {
    return listPlacedPostgres(this.pool, query);
  }

  async countPlaced(scope: ListScope, filter: OrderListFilter) {
    return countPlacedPostgres(this.pool, scope, filter);
  }

  async claimReconciliation(owner: string, leaseMs: number, force: boolean) {
    return reconciliation.claimPostgres(this.pool, owner, leaseMs, force);
  }

  async renewReconciliation(owner: string, leaseMs: number) {
    return reconciliation.renewPostgres(this.pool, owner, leaseMs);
  }

  async finishReconciliation(owner: string, runId: number, outcome: RunOutcome, nextInMs: number) {
    await reconciliation.finishPostgres(this.pool, owner, runId, outcome, nextInMs);
  }

  async findForReconciliation(poNumbers: readonly string[], orderIds: readonly string[]) {
    return reconciliation.findForReconciliationPostgres(this.pool, poNumbers, orderIds);
  }

  async placedBetween(from: Date, to: Date) {
    return reconciliation.placedBetweenPostgres(this.pool, from, to);
  }

  async recordDiscrepancies(runId: number, found: readonly Discrepancy[], window: { from: Date; to: Date }) {
    return reconciliation.recordDiscrepanciesPostgres(this.pool, runId, found, window);
  }

  async listRuns(from: Date, to: Date, limit: number) {
    return reconciliation.listRunsPostgres(this.pool, from, to, limit);
  }

  async listDiscrepancies(from: Date, to: Date, limit: number) {
    return reconciliation.listDiscrepanciesPostgres(this.pool, from, to, limit);
  }

  async countOpenDiscrepancies() {
    return reconciliation.countOpenPostgres(this.pool);
  }

  async operationsCounts() {
    return operationsCountsPostgres(this.pool);
  }

  async pruneUnmatchedWebhookEvents(receivedBefore: Date): Promise<number> {
    const { rowCount } = await this.pool.query(
      "DELETE FROM webhook_events WHERE applied_at IS NULL AND received_at < $1",
      [receivedBefore],
    );
    return rowCount ?? 0;
  }

  async getTokens(): Promise<StoredTokens | null> {
    return readTokens(this.pool);
  }

  async withTokenLock<T>(fn: (current: StoredTokens | null) => Promise<TokenLockOutcome<T>>): Promise<T> {
    // The transaction-scoped advisory lock is released by COMMIT, which also publishes the stored pair, so the
    // next holder always reads what the previous one stored.
    let outcome: TokenLockOutcome<T> | undefined;
    const commit = async (client: Queryable, chosen: TokenLockOutcome<T>) => {
      if (chosen.store !== null) await storeTokens(client, chosen.store);
      if ((chosen.attempts ?? []).length > 0) await this.insertAttempts(client, chosen.attempts ?? []);
    };
    try {
      return await inTransaction(this.pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [TOKEN_LOCK_KEY]);
        outcome = await fn(await readTokens(client));
        await commit(client, outcome);
        return outcome.result;
      });
    } catch (error) {
      // fn ran (a refresh may have rotated the pair at Plum): its result must not be lost with the transaction.
      const pending = outcome;
      if (pending === undefined || (pending.store === null && (pending.attempts ?? []).length === 0)) throw error;
      await retryWrite(() =>
        inTransaction(this.pool, async (client) => {
          await client.query("SELECT pg_advisory_xact_lock($1)", [TOKEN_LOCK_KEY]);
          await commit(client, pending);
        }),
      );
      return pending.result;
    }
  }

  private async insertAttempts(db: Queryable, entries: readonly AttemptEntry[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = entries.map((entry) => attemptParams(entry, values)).join(", ");
    await db.query(`INSERT INTO order_attempts (${ATTEMPT_COLUMNS}) VALUES ${tuples}`, values);
  }

  private async findMatchingOrder(db: Queryable, event: WebhookEvent): Promise<OrderRecord | null> {
    for (const { column, value } of orderLookups(event)) {
      const row = (await db.query<OrderRow>(`SELECT * FROM orders WHERE ${column} = $1`, [value])).rows[0];
      if (row !== undefined) return toOrderRecord(row);
    }
    return null;
  }
}
