// The ledger: the subgraph's system of record for orders. One small interface, two engines (SQLite embedded,
// PostgreSQL for replicas), one conformance suite (test/storage/conformance.ts) run against both.
import type { CatalogueStore } from "../catalogue/ports.js";
import type { BudgetLedger } from "../orders/budget/ports.js";
import type { OrderRecord } from "../orders/orderRecord.js";
import type { OrderListStore } from "../orders/listing/ports.js";
import type { OperationsCountsSource } from "../orders/operations/counts.js";
import type { PlacementQueueStore, PlacementStore } from "../orders/placement/ports.js";
import type { ReconciliationStore } from "../orders/reconciliation/ports.js";
import type { AttemptEntry } from "../plum/exchange.js";
import type { PlumOrderWire } from "../plum/wire.js";

export type { AttemptEntry } from "../plum/exchange.js";
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

export interface WebhookEvent {
  /** Plum's webhook id: the idempotency key. */
  id: string;
  orderId: string;
  /** null: the callback carried none. */
  poNumber: string | null;
  /** Normalised lower-case: delivered | cancelled | … */
  deliveryStatus: string;
  orderDate: string | null;
  /** When the callback was created; later events win. */
  createdAt: Date;
  receivedAt: Date;
}

/** "mismatched": its orderId and poNumber name different orders; stored, applied to neither. */
export type WebhookRecordResult = "recorded" | "duplicate" | "mismatched";

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  updatedAt: Date;
}

export interface Ledger extends PlacementStore, PlacementQueueStore, OrderListStore, ReconciliationStore, OperationsCountsSource {
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

  appendAttempt(entry: AttemptEntry): Promise<void>;
  /** Several entries in one commit (a read's look-up exchange). */
  appendAttempts(entries: readonly AttemptEntry[]): Promise<void>;
  listAttempts(poNumber: string): Promise<AttemptEntry[]>;

  /**
   * This caller's row under the poNumber they chose (their namespace; null subject: the shared one, auth off).
   * Never another caller's row: reads and listings by a caller's poNumber go through this; Plum's poNumber
   * (webhooks, order history) maps back with findByPlumPoNumber.
   */
  findByCallerPoNumber(subject: string | null, poNumber: string): Promise<OrderRecord | null>;
  /** One query for any number of ids (entity batches). */
  findByOrderIds(orderIds: readonly string[]): Promise<OrderRecord[]>;
  /**
   * Caches an order learned from Plum as a PLACED row with source LOOKUP. If the poNumber or orderId is already
   * known the existing row is returned unchanged. Applies webhook events already received for it.
   */
  remember(order: { poNumber: string; orderId: string; order: PlumOrderWire; placedAt: Date | null }): Promise<OrderRecord>;
  /** PENDING rows whose outcome is not known yet (queued rows are not: nothing was sent). */
  countPending(): Promise<number>;

  /**
   * Stores a delivery-status callback once per id ("duplicate" if already stored, and nothing changes). Applies it
   * to the order it names (by orderId, else poNumber; both must name the same order, see webhookMatch.ts) when known and when it is the latest event for that order;
   * otherwise keeps it until `update`/`remember` brings the order in. A PENDING placement it names by poNumber gains
   * a webhook proof of existence (with the event's orderId) and becomes due at once.
   */
  recordWebhookEvent(event: WebhookEvent): Promise<WebhookRecordResult>;
  /**
   * Deletes events received before `receivedBefore` that never matched an order (unknown orders, or an orderId and
   * a poNumber naming different orders); returns how many. Applied events stay: they keep ids idempotent.
   */
  pruneUnmatchedWebhookEvents(receivedBefore: Date): Promise<number>;

  getTokens(): Promise<StoredTokens | null>;
  /**
   * Runs `fn` while holding the cross-replica token lock (PostgreSQL: advisory lock; SQLite: in-process mutex,
   * because the embedded engine serves one process). `fn` receives the stored pair and returns the pair to store
   * (or null to keep it) and the attempt-log rows of the exchange that produced it: both are committed together.
   * A rotated pair cannot be fetched again, so if that commit fails it is retried (in a new transaction).
   */
  withTokenLock<T>(fn: (current: StoredTokens | null) => Promise<TokenLockOutcome<T>>): Promise<T>;
}

export interface TokenLockOutcome<T> {
  store: StoredTokens | null;
  result: T;
  attempts?: AttemptEntry[];
}
