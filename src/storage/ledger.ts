// The ledger: the subgraph's system of record for orders. One interface (the composition of its consumers' ports), two engines (SQLite embedded,
// PostgreSQL for replicas), one conformance suite (test/storage/conformance.ts) run against both.
import type { CatalogueStore } from "../catalogue/ports.js";
import type { BudgetLedger } from "../orders/budget/ports.js";
import type { OrderListStore } from "../orders/listing/ports.js";
import type { OperationsCountsSource } from "../orders/operations/counts.js";
import type { PlacementQueueStore, PlacementStore } from "../orders/placement/ports.js";
import type { ReconciliationStore } from "../orders/reconciliation/ports.js";
import type { OrderReadStore } from "../orders/readerPorts.js";
import type { AttemptLog } from "../plum/attemptLog.js";
import type { TokenStore } from "../plum/tokenStore.js";
import type { WebhookStore } from "../webhooks/ports.js";

// Re-exported so that storage's own files keep one place to import the domain types from.
export type { AttemptEntry } from "../plum/exchange.js";
export type { StoredTokens, TokenLockOutcome } from "../plum/tokenStore.js";
export type { WebhookEvent, WebhookRecordResult } from "../webhooks/ports.js";
export type {
  ClaimResult,
  Lease,
  LedgerState,
  NewPlacement,
  OrderRecord,
  RecordPatch,
  RecordSource,
  WriteGuard,
} from "../orders/orderRecord.js";

export interface LedgerWriteCounts {
  /** Write transactions committed. */
  commits: number;
  /** Write operations committed (several share a transaction under group commit). */
  operations: number;
  /** WAL checkpoints run off the request path (always 0 for PostgreSQL, which checkpoints itself). */
  checkpoints: number;
}

/**
 * The composition of the ports the engines implement: each consumer declares and takes only its own (placement,
 * queue, listing, reconciliation, operations counts, reads, attempt log, webhooks, tokens); lifecycle stays here.
 */
export interface Ledger
  extends
    PlacementStore,
    PlacementQueueStore,
    OrderListStore,
    ReconciliationStore,
    OperationsCountsSource,
    OrderReadStore,
    AttemptLog,
    WebhookStore,
    TokenStore {
  readonly engine: "sqlite" | "postgres";
  /** The cached Plum catalogue, in the same database (src/catalogue/). */
  readonly catalogue: CatalogueStore;
  /** The shared Plum rate budget: PostgreSQL's tables for every replica; SQLite's process memory (one process). */
  readonly budget: BudgetLedger;
  /** Applies versioned migrations; safe when several replicas start at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  /** Write transactions and checkpoints so far (the /metrics counters read them). */
  writeCounts(): LedgerWriteCounts;
  /** PENDING rows whose outcome is not known yet (queued rows are not: nothing was sent). */
  countPending(): Promise<number>;
}
