// The embedded ledger: one SQLite file serving one process. Reads run synchronously against the connection; writes
// go through the group committer (groupCommit.ts), which runs each one synchronously inside a transaction it may
// share with other callers' writes, so a transaction still completes before any other code runs.
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
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
import { sqliteMigrations } from "../migrations/sqliteMigrations.js";
import { patchAssignments, queueAssignment } from "../recordPatch.js";
import { webhookInstant } from "../shared/webhookInstant.js";
import { tokenUpsertParams, tokenUpsertSql } from "../shared/tokenUpsert.js";
import type { AsyncMutex } from "./asyncMutex.js";
import { epochMs, int, type SqliteRow } from "./columns.js";
import { sqliteValue } from "./encodePatch.js";
import { openSqliteDatabase, SQLITE_MEMORY } from "./openDatabase.js";
import { migrateSqlite } from "./sqliteMigrator.js";
import { toAttemptEntry, toOrderRecord, toStoredTokens } from "./sqliteRows.js";
import { applyStoredEvents } from "./sqliteWebhooks.js";
import { countPlacedSqlite, listPlacedSqlite } from "./sqliteOrderList.js";
import * as reconciliation from "./sqliteReconciliation.js";
import { operationsCountsSqlite } from "./sqliteOperations.js";
import type { ListScope, OrderListFilter, OrderListQuery } from "../../orders/listing/ports.js";
import type { Discrepancy, RunOutcome } from "../../orders/reconciliation/ports.js";
import type { QueueStats } from "../../orders/placement/ports.js";
import type { BudgetLedger } from "../../orders/budget/ports.js";
import { InProcessBudgetLedger } from "../../orders/budget/inProcessBudget.js";
import { SqliteCatalogueStore } from "./SqliteCatalogueStore.js";
import { StatementCache } from "./statements.js";
import { tokenMutexFor } from "./tokenMutexes.js";
import { DEFAULT_GROUP_COMMIT, GroupCommitter, type GroupCommitOptions } from "./groupCommit.js";
import { WalCheckpoints } from "./walCheckpoints.js";

/** The write-ahead of attempt 1, written with the claim. */
const FIRST_ATTEMPT = JSON.stringify([{ n: 1, answer: "open" }]);
const QUEUED_ATTEMPT = JSON.stringify([{ n: 1, answer: "queued" }]);
/** Bulk claims per transaction. */
const CLAIM_CHUNK = 100;

export class SqliteLedger implements Ledger {
  readonly engine = "sqlite" as const;
  private readonly db: DatabaseSync;
  private readonly statements: StatementCache;
  private readonly tokenMutex: AsyncMutex;
  readonly catalogue: SqliteCatalogueStore;
  /** The shared Plum rate budget (issue 16). */
  readonly budget: BudgetLedger;
  private lastQueuedAt = 0;
  private readonly committer: GroupCommitter;
  private readonly checkpoints: WalCheckpoints;

  /** `path` is a file (its directory is created) or ":memory:". */
  constructor(
    readonly path: string,
    options: { groupCommit?: GroupCommitOptions } = {},
  ) {
    this.db = openSqliteDatabase(path);
    this.committer = new GroupCommitter(this.db, options.groupCommit ?? DEFAULT_GROUP_COMMIT);
    // The catalogue's refreshes write outside the committer; they need checkpoints too (or the WAL only grows).
    this.checkpoints = new WalCheckpoints(this.db, () => this.committer.counts.operations + this.catalogue.writes);
    if (path !== SQLITE_MEMORY) this.checkpoints.start();
    this.statements = new StatementCache(this.db);
    this.tokenMutex = tokenMutexFor(path);
    this.catalogue = new SqliteCatalogueStore(this.db, this.statements);
    this.budget = new InProcessBudgetLedger();
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.db, sqliteMigrations, new Date());
    // One process owns this file (openDatabase refuses a second), so every lease on it belonged to a predecessor
    // that is gone: its rows are resumed now instead of when the leases would have run out.
    this.sql(
      `UPDATE orders SET lease_owner = NULL, lease_until = NULL, next_check_at = ?, version = version + 1
       WHERE state = 'PENDING' AND lease_owner IS NOT NULL`,
    ).run(Date.now());
    // SQLite cannot add a NOT NULL column to a table with rows, so a previous version run on this file after
    // migration 8 could claim rows without the caller's poNumber; such a row is un-namespaced (what it sent is its
    // po_number): backfilled here, so a retry by its caller finds it instead of claiming and sending anew.
    this.sql("UPDATE orders SET caller_po_number = po_number WHERE caller_po_number IS NULL").run();
  }

  async close(): Promise<void> {
    if (!this.db.isOpen) return;
    this.checkpoints.stop();
    this.committer.drain();
    this.statements.clear();
    this.db.close();
  }

  writeCounts(): LedgerWriteCounts {
    return { ...this.committer.counts, checkpoints: this.checkpoints.checkpoints };
  }

  /** A write transaction, possibly shared with concurrent callers'; settles once it has committed. */
  private write<T>(fn: () => T): Promise<T> {
    return this.committer.write(fn);
  }

  async ping(): Promise<void> {
    this.db.prepare("SELECT 1").get();
  }

  async claim(placement: NewPlacement, lease: Lease, attempt?: AttemptEntry): Promise<ClaimResult> {
    return this.write(() => this.claimRow(placement, lease, attempt));
  }

  /** One claim inside the caller's transaction (queued or written ahead, per `placement.queued`). */
  private claimRow(placement: NewPlacement, lease: Lease, attempt?: AttemptEntry): ClaimResult {
    {
      const now = (lease.at ?? new Date()).getTime();
      const until = now + lease.ms;
      // Attempt 1 is written ahead with the claim; the check is due at lease expiry so a placement whose process
      // dies is picked up by the reconciler.
      const inserted = placement.queued
        ? this.sql(
            // Queued: attempt 1 waits for the budget (not written ahead), no lease, not due for the reconciler.
            `INSERT INTO orders (po_number, kind, fingerprint, subject, source, state, request, errors, send_attempts,
               sends, last_sent_at, next_check_at, lease_owner, lease_until, created_at, updated_at, caller_po_number, queued_at)
             VALUES (?, ?, ?, ?, 'PLACEMENT', 'PENDING', ?, ?, 0, ?, NULL, NULL, NULL, NULL, ?, ?, ?, ?)
             ON CONFLICT DO NOTHING
             RETURNING *`,
          ).get(
            placement.poNumber,
            placement.kind,
            placement.fingerprint,
            placement.subject,
            JSON.stringify(placement.request),
            JSON.stringify(placement.errors ?? []),
            QUEUED_ATTEMPT,
            now,
            now,
            placement.callerPoNumber ?? placement.poNumber,
            this.nextQueuedAt(now),
          )
        : this.sql(
            // No conflict target: the Plum poNumber and the caller's (subject, poNumber) are both unique.
            `INSERT INTO orders (po_number, kind, fingerprint, subject, source, state, request, errors, send_attempts,
           sends, last_sent_at, next_check_at, lease_owner, lease_until, created_at, updated_at, caller_po_number)
         VALUES (?, ?, ?, ?, 'PLACEMENT', 'PENDING', ?, '[]', 1, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING
         RETURNING *`,
          ).get(
            placement.poNumber,
            placement.kind,
            placement.fingerprint,
            placement.subject,
            JSON.stringify(placement.request),
            FIRST_ATTEMPT,
            now,
            until,
            lease.owner,
            until,
            now,
            now,
            placement.callerPoNumber ?? placement.poNumber,
          );
      // The inserted row comes back from the INSERT itself (no second read); none: the poNumber is taken.
      if (inserted === undefined) {
        const existing = this.callerRow(placement.subject, placement.callerPoNumber ?? placement.poNumber);
        return { claimed: false, record: existing ?? this.requireByPoNumber(placement.poNumber) };
      }
      const record = toOrderRecord(inserted);
      if (attempt !== undefined && !placement.queued) this.insertAttempt(attempt);
      return { claimed: true, record };
    }
  }

  /** Many queued claims, a chunk per transaction, in input order (so the queue keeps it). */
  async claimQueued(placements: readonly NewPlacement[]): Promise<ClaimResult[]> {
    const results: ClaimResult[] = [];
    const lease: Lease = { owner: "bulk", ms: 0 };
    for (let start = 0; start < placements.length; start += CLAIM_CHUNK) {
      const chunk = placements.slice(start, start + CLAIM_CHUNK);
      // claim() opens its own transaction; the chunk shares one by running the statements inline.
      results.push(
        ...(await this.write(() => chunk.map((placement) => this.claimRow({ ...placement, queued: true }, lease)))),
      );
    }
    return results;
  }

  /** Milliseconds are the column's resolution: rows queued in one millisecond keep their order by a strictly later time. */
  private nextQueuedAt(now: number): number {
    this.lastQueuedAt = Math.max(now, this.lastQueuedAt + 1);
    return this.lastQueuedAt;
  }

  async acquireLease(poNumber: string, lease: Lease, options: { reopen?: boolean } = {}): Promise<OrderRecord | null> {
    // The clock is read when the write runs, not when it was queued (a group may wait for company).
    let now = 0;
    const row = await this.write(() => {
      now = (lease.at ?? new Date()).getTime();
      return this.sql(
        `UPDATE orders SET lease_owner = :owner, lease_until = :until, updated_at = :now, version = version + 1,
         -- A reopened row is due at lease expiry, like a fresh claim: its process may die before it writes again.
         next_check_at = CASE WHEN state = 'REJECTED' THEN :until ELSE next_check_at END,
         state = 'PENDING', reopenable = 0
       WHERE po_number = :poNumber
         AND (state = 'PENDING' OR (:reopen = 1 AND state = 'REJECTED' AND reopenable = 1))
         AND (lease_owner IS NULL OR lease_until < :now OR lease_owner = :owner)
       RETURNING *`,
      ).get({ poNumber, owner: lease.owner, until: now + lease.ms, now, reopen: options.reopen ? 1 : 0 });
    });
    return row === undefined ? null : toOrderRecord(row, new Date(now));
  }

  async renewLease(poNumber: string, lease: Lease): Promise<boolean> {
    const result = await this.write(() => {
      const now = (lease.at ?? new Date()).getTime();
      return this.sql(
        `UPDATE orders SET lease_until = ? WHERE po_number = ? AND lease_owner = ? AND lease_until >= ? AND state = 'PENDING'`,
      ).run(now + lease.ms, poNumber, lease.owner, now);
    });
    return Number(result.changes) === 1;
  }

  async update(
    poNumber: string,
    owner: string | null,
    patch: RecordPatch,
    release: boolean,
    guard: WriteGuard = {},
  ): Promise<OrderRecord | null> {
    // Built when the write runs: its clock (updated_at, the live-lease check) is then, not when it was queued.
    return this.write(() => {
      const now = new Date();
      const assignments = patchAssignments(patch);
      const sets = assignments.map(({ column }) => `${column} = ?`);
      const values: SQLInputValue[] = assignments.map(sqliteValue);
      sets.push("updated_at = ?", "version = version + 1");
      values.push(now.getTime());
      if (patch.startAttempt) {
        sets.push("last_sent_at = ?");
        values.push(now.getTime());
      }
      const queue = queueAssignment(patch);
      if (queue === "enter") {
        sets.push("queued_at = COALESCE(queued_at, ?)");
        values.push(now.getTime());
      }
      if (queue === "leave") sets.push("queued_at = NULL");
      if (release) sets.push("lease_owner = NULL", "lease_until = NULL");
      const where = ["po_number = ?"];
      values.push(poNumber);
      if (owner !== null) {
        // Holding the lease: an expired lease nobody has taken over is still the owner's, except for a write-ahead.
        where.push("lease_owner = ?");
        values.push(owner);
        if (guard.live) {
          where.push("lease_until >= ?");
          values.push(now.getTime());
        }
      }
      if (guard.version !== undefined) {
        where.push("version = ?");
        values.push(guard.version);
      }
      const row = this.sql(`UPDATE orders SET ${sets.join(", ")} WHERE ${where.join(" AND ")} RETURNING *`).get(
        ...values,
      );
      for (const attempt of patch.attempts ?? []) this.insertAttempt(attempt);
      if (row === undefined) return null;
      const record = toOrderRecord(row, now);
      return patch.orderId ? applyStoredEvents(this.statements, record, now) : record;
    });
  }

  async appendAttempt(entry: AttemptEntry): Promise<void> {
    await this.write(() => this.insertAttempt(entry));
  }

  async appendAttempts(entries: readonly AttemptEntry[]): Promise<void> {
    if (entries.length > 0) await this.write(() => entries.forEach((entry) => this.insertAttempt(entry)));
  }

  private insertAttempt(entry: AttemptEntry): void {
    this.sql(
      `INSERT INTO order_attempts (po_number, operation, phase, body, http_status, error_code, duration_ms, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      entry.poNumber,
      entry.operation,
      entry.phase,
      entry.body,
      entry.httpStatus,
      entry.errorCode,
      entry.durationMs === null ? null : Math.round(entry.durationMs),
      entry.at.getTime(),
    );
  }

  async listAttempts(poNumber: string): Promise<AttemptEntry[]> {
    return this.sql("SELECT * FROM order_attempts WHERE po_number = ? ORDER BY id").all(poNumber).map(toAttemptEntry);
  }

  async findByPlumPoNumber(poNumber: string): Promise<OrderRecord | null> {
    const row = this.sql("SELECT * FROM orders WHERE po_number = ?").get(poNumber);
    return row === undefined ? null : toOrderRecord(row);
  }

  async findByCallerPoNumber(subject: string | null, poNumber: string): Promise<OrderRecord | null> {
    return this.callerRow(subject, poNumber);
  }

  private callerRow(subject: string | null, poNumber: string): OrderRecord | null {
    const row =
      subject === null
        ? this.sql("SELECT * FROM orders WHERE po_number = ?").get(poNumber)
        : this.sql("SELECT * FROM orders WHERE subject = ? AND caller_po_number = ?").get(subject, poNumber);
    return row === undefined ? null : toOrderRecord(row);
  }

  async findByOrderIds(orderIds: readonly string[]): Promise<OrderRecord[]> {
    if (orderIds.length === 0) return [];
    // One statement for any batch size: the ids travel as one JSON array.
    return this.sql("SELECT * FROM orders WHERE order_id IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(orderIds))
      .map((row) => toOrderRecord(row));
  }

  async remember(order: {
    poNumber: string;
    orderId: string;
    order: PlumOrderWire;
    placedAt: Date | null;
  }): Promise<OrderRecord> {
    const now = new Date();
    return this.write(() => {
      const existing = this.sql(
        "SELECT * FROM orders WHERE po_number = ? OR order_id = ? ORDER BY po_number = ? DESC LIMIT 1",
      ).get(order.poNumber, order.orderId, order.poNumber);
      if (existing !== undefined) return toOrderRecord(existing);
      const row = this.sql(
        `INSERT INTO orders (po_number, source, state, order_id, order_data, errors, send_attempts, created_at,
           updated_at, placed_at, caller_po_number)
         VALUES (?, 'LOOKUP', 'PLACED', ?, ?, '[]', 0, ?, ?, ?, ?)
         RETURNING *`,
      ).get(
        order.poNumber,
        order.orderId,
        JSON.stringify(order.order),
        now.getTime(),
        now.getTime(),
        epochMs(order.placedAt),
        order.poNumber,
      );
      if (row === undefined) throw new Error("insert returned no row");
      return applyStoredEvents(this.statements, toOrderRecord(row), now);
    });
  }

  async duePending(now: Date | null, limit: number): Promise<OrderRecord[]> {
    const at = (now ?? new Date()).getTime();
    return this.sql(
      `SELECT * FROM orders
       WHERE state = 'PENDING' AND next_check_at <= :now AND (lease_owner IS NULL OR lease_until < :now)
       ORDER BY next_check_at, po_number LIMIT :limit`,
    )
      .all({ now: at, limit })
      .map((row) => toOrderRecord(row, new Date(at)));
  }

  async nextQueued(limit: number): Promise<OrderRecord[]> {
    const at = Date.now();
    return this.sql(
      `SELECT * FROM orders
       WHERE queued_at IS NOT NULL AND +state = 'PENDING' AND (lease_owner IS NULL OR lease_until < :now)
       ORDER BY queued_at, po_number LIMIT :limit`,
    )
      .all({ now: at, limit })
      .map((row) => toOrderRecord(row, new Date(at)));
  }

  async queueStats(): Promise<QueueStats> {
    // Every placement asks (the queue gate). `+state`: without ANALYZE statistics SQLite would walk every PENDING row
    // through the state index (O(in-flight and unsettled rows), 73 µs at 1,000); the partial queue index holds only
    // the queued ones.
    const row = this.sql(
      "SELECT count(*) AS depth, min(queued_at) AS oldest FROM orders WHERE queued_at IS NOT NULL AND +state = 'PENDING'",
    ).get();
    const oldest = row?.["oldest"];
    return {
      depth: Number(row?.["depth"] ?? 0),
      oldestQueuedAt: typeof oldest === "number" ? new Date(oldest) : null,
      now: new Date(),
    };
  }

  async queuePosition(plumPoNumber: string): Promise<number | null> {
    const row = this.sql(
      `SELECT count(*) AS position FROM orders o, (SELECT queued_at, po_number FROM orders WHERE po_number = ? AND queued_at IS NOT NULL) me
       WHERE o.queued_at IS NOT NULL AND +o.state = 'PENDING'
         AND (o.queued_at < me.queued_at OR (o.queued_at = me.queued_at AND o.po_number <= me.po_number))`,
    ).get(plumPoNumber);
    const position = Number(row?.["position"] ?? 0);
    return position === 0 ? null : position;
  }

  async countPending(): Promise<number> {
    const row = this.sql("SELECT count(*) AS n FROM orders WHERE state = 'PENDING' AND queued_at IS NULL").get();
    return row === undefined ? 0 : int(row, "n");
  }

  async recordWebhookEvent(event: WebhookEvent): Promise<WebhookRecordResult> {
    const createdAt = webhookInstant(event.createdAt);
    const now = new Date();
    return this.write((): WebhookRecordResult => {
      const inserted = this.sql(
        `INSERT INTO webhook_events (id, order_id, po_number, delivery_status, order_date, created_at, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO NOTHING`,
      ).run(
        event.id,
        event.orderId,
        poNumberColumn(event.poNumber),
        event.deliveryStatus,
        event.orderDate,
        createdAt.getTime(),
        event.receivedAt.getTime(),
      );
      if (Number(inserted.changes) === 0) return "duplicate";
      let row: SqliteRow | undefined;
      for (const { column, value } of orderLookups(event))
        row ??= this.sql(`SELECT * FROM orders WHERE ${column} = ?`).get(value);
      if (row === undefined) return "recorded";
      const order = toOrderRecord(row, now);
      if (!namesOrder(event, order)) return "mismatched";
      const proof = webhookProof(event, order);
      if (proof !== null) {
        this.sql(
          `UPDATE orders SET existence = ?, next_check_at = ?, version = version + 1, updated_at = ?, state = 'PENDING',
             reopenable = 0
           WHERE po_number = ? AND (state = 'PENDING' OR reopenable = 1) AND existence IS NULL`,
        ).run(JSON.stringify(proof), now.getTime(), now.getTime(), order.poNumber);
      }
      applyStoredEvents(this.statements, order, now);
      return "recorded";
    });
  }

  async listPlaced(query: OrderListQuery) {
    return listPlacedSqlite(this.statements, query);
  }

  async countPlaced(scope: ListScope, filter: OrderListFilter) {
    return countPlacedSqlite(this.statements, scope, filter);
  }

  async claimReconciliation(owner: string, leaseMs: number, force: boolean) {
    return this.write(() => reconciliation.claimSqlite(this.statements, owner, leaseMs, force, Date.now()));
  }

  async renewReconciliation(owner: string, leaseMs: number) {
    return this.write(() => reconciliation.renewSqlite(this.statements, owner, leaseMs, Date.now()));
  }

  async finishReconciliation(owner: string, runId: number, outcome: RunOutcome, nextInMs: number) {
    await this.write(() => reconciliation.finishSqlite(this.statements, owner, runId, outcome, nextInMs, Date.now()));
  }

  async findForReconciliation(poNumbers: readonly string[], orderIds: readonly string[]) {
    return reconciliation.findForReconciliationSqlite(this.statements, poNumbers, orderIds);
  }

  async placedBetween(from: Date, to: Date) {
    return reconciliation.placedBetweenSqlite(this.statements, from, to);
  }

  async recordDiscrepancies(runId: number, found: readonly Discrepancy[], window: { from: Date; to: Date }) {
    return this.write(() =>
      reconciliation.recordDiscrepanciesSqlite(this.statements, runId, found, window, Date.now()),
    );
  }

  async listRuns(from: Date, to: Date, limit: number) {
    return reconciliation.listRunsSqlite(this.statements, from, to, limit);
  }

  async listDiscrepancies(from: Date, to: Date, limit: number) {
    return reconciliation.listDiscrepanciesSqlite(this.statements, from, to, limit);
  }

  async countOpenDiscrepancies() {
    return reconciliation.countOpenSqlite(this.statements);
  }

  async operationsCounts() {
    return operationsCountsSqlite(this.statements, Date.now());
  }

  async pruneUnmatchedWebhookEvents(receivedBefore: Date): Promise<number> {
    const result = await this.write(() =>
      this.sql("DELETE FROM webhook_events WHERE applied_at IS NULL AND received_at < ?").run(receivedBefore.getTime()),
    );
    return Number(result.changes);
  }

  async getTokens(): Promise<StoredTokens | null> {
    const row = this.sql("SELECT * FROM plum_tokens WHERE id = 1").get();
    return row === undefined ? null : toStoredTokens(row);
  }

  async withTokenLock<T>(fn: (current: StoredTokens | null) => Promise<TokenLockOutcome<T>>): Promise<T> {
    // No transaction spans the await: the mutex alone serialises refreshes (one process owns this file). The pair
    // and its attempt rows commit together, retried if the write fails (a rotated pair cannot be fetched again).
    return this.tokenMutex.run(async () => {
      const { store, result, attempts = [] } = await fn(await this.getTokens());
      if (store !== null || attempts.length > 0) {
        await retryWrite(async () =>
          this.write(() => {
            if (store !== null) this.storeTokens(store);
            for (const attempt of attempts) this.insertAttempt(attempt);
          }),
        );
      }
      return result;
    });
  }

  private storeTokens(tokens: StoredTokens): void {
    this.sql(tokenUpsertSql(() => "?")).run(...tokenUpsertParams(tokens, (value) => value.getTime()));
  }

  private requireByPoNumber(poNumber: string): OrderRecord {
    const row = this.sql("SELECT * FROM orders WHERE po_number = ?").get(poNumber);
    if (row === undefined) throw new Error("order row vanished inside its transaction");
    return toOrderRecord(row);
  }

  private sql(text: string): ReturnType<StatementCache["get"]> {
    return this.statements.get(text);
  }
}
