// The ledger: the subgraph's system of record for orders. One small interface, two engines (SQLite embedded,
// PostgreSQL for replicas), one conformance suite (test/storage/conformance.ts) run against both.
import type { OrderFailure, OrderKind } from "../orders/errorCodes.js";
import type { PlaceOrderData, PlumOrderWire } from "../plum/wire.js";

/**
 * PENDING: claimed; either in flight (lease held) or outcome unknown (lease free, reconciler's work).
 * PLACED: the order exists upstream. REJECTED: definitely not placed; retries with this poNumber replay it.
 */
export type LedgerState = "PENDING" | "PLACED" | "REJECTED";

/** PLACEMENT: placed through this subgraph. LOOKUP: learned from Plum's getOrderDetails (cached read). */
export type RecordSource = "PLACEMENT" | "LOOKUP";

export interface OrderRecord {
  poNumber: string;
  kind: OrderKind | null;
  /** sha-256 of the order-defining fields; null for LOOKUP rows. */
  fingerprint: string | null;
  /** JWT subject of the caller who placed it; null when auth is off or for LOOKUP rows. */
  subject: string | null;
  source: RecordSource;
  state: LedgerState;
  /** The placeOrder data exactly as sent (personal data: stored, never logged). */
  request: PlaceOrderData | null;
  /** Plum's orderId, as a decimal string. */
  orderId: string | null;
  /** The latest order data Plum returned (placeOrder or getOrderDetails), as received. */
  order: PlumOrderWire | null;
  /** REJECTED: why. PENDING: the last unknown-outcome failure. */
  errors: OrderFailure[];
  deliveryStatus: string | null;
  /** createdAt of the webhook that set deliveryStatus (ISO); orders webhook events. */
  deliveryStatusAt: string | null;
  sendAttempts: number;
  /** When the last placeOrder attempt ended (its request may be in flight until then); settle windows run from it. */
  lastSentAt: Date | null;
  /** PENDING rows: when the reconciler should look next. */
  nextCheckAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  placedAt: Date | null;
}

export interface Lease {
  owner: string;
  /** The lease is held until this instant; a row whose lease has expired may be taken by anyone. */
  until: Date;
  now: Date;
}

export interface NewPlacement {
  poNumber: string;
  kind: OrderKind;
  fingerprint: string;
  subject: string | null;
  request: PlaceOrderData;
}

export type ClaimResult = { claimed: true; record: OrderRecord } | { claimed: false; record: OrderRecord };

/** Fields a lease holder may change. Omitted fields stay as they are. */
export interface RecordPatch {
  state?: LedgerState;
  orderId?: string | null;
  order?: PlumOrderWire | null;
  errors?: OrderFailure[];
  deliveryStatus?: string | null;
  sendAttempts?: number;
  lastSentAt?: Date | null;
  nextCheckAt?: Date | null;
  placedAt?: Date | null;
  /**
   * Attempt-log entries appended in the same transaction (one commit per exchange instead of three), whether or
   * not the update applies: the log is an audit trail and never depends on the lease.
   */
  attempts?: AttemptEntry[];
}

export interface AttemptEntry {
  /** null for calls not tied to an order (token refresh). */
  poNumber: string | null;
  operation: "placeOrder" | "getOrderDetails" | "tokenRefresh";
  phase: "request" | "response";
  /** Request: the JSON body sent (never the Authorization header). Response: the body received (truncated). */
  body: string | null;
  /** Response phase: the HTTP status, or null when no response arrived. */
  httpStatus: number | null;
  /** Response phase: transport failure code (UND_ERR_HEADERS_TIMEOUT, ECONNRESET, …), null when a response arrived. */
  errorCode: string | null;
  durationMs: number | null;
  at: Date;
}

export interface WebhookEvent {
  /** Plum's webhook id: the idempotency key. */
  id: string;
  orderId: string;
  poNumber: string;
  /** Normalised lower-case: delivered | cancelled | … */
  deliveryStatus: string;
  orderDate: string | null;
  /** ISO instant the callback was created; later events win. */
  createdAt: string;
  receivedAt: Date;
}

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  updatedAt: Date;
}

export interface Ledger {
  readonly engine: "sqlite" | "postgres";
  /** Applies versioned migrations; safe when several replicas start at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;

  /**
   * Atomically inserts a PENDING row holding `lease`, or returns the existing row untouched. `attempt` (the request
   * about to be sent) is appended to the attempt log in the same transaction, only when the claim succeeds.
   */
  claim(placement: NewPlacement, lease: Lease, attempt?: AttemptEntry): Promise<ClaimResult>;
  /** Takes the lease on a PENDING row whose lease is free or expired; null if not PENDING or leased by another. */
  acquireLease(poNumber: string, lease: Lease): Promise<OrderRecord | null>;
  /**
   * Applies `patch` if `owner` still holds the lease (null otherwise), optionally releasing it. When the patch sets
   * an orderId, webhook events already received for that order are applied in the same transaction.
   */
  update(poNumber: string, owner: string, patch: RecordPatch, release: boolean): Promise<OrderRecord | null>;

  appendAttempt(entry: AttemptEntry): Promise<void>;
  listAttempts(poNumber: string): Promise<AttemptEntry[]>;

  findByPoNumber(poNumber: string): Promise<OrderRecord | null>;
  /** One query for any number of ids (entity batches). */
  findByOrderIds(orderIds: readonly string[]): Promise<OrderRecord[]>;
  /**
   * Caches an order learned from Plum as a PLACED row with source LOOKUP. If the poNumber or orderId is already
   * known the existing row is returned unchanged. Applies webhook events already received for it.
   */
  remember(order: { poNumber: string; orderId: string; order: PlumOrderWire; placedAt: Date | null }): Promise<OrderRecord>;
  /** PENDING rows with nextCheckAt <= now and a free or expired lease, oldest nextCheckAt first. */
  duePending(now: Date, limit: number): Promise<OrderRecord[]>;
  countPending(): Promise<number>;

  /**
   * Stores a delivery-status callback once per id ("duplicate" if already stored, and nothing changes). Applies it
   * to the matching order (by orderId, else poNumber) when known and when it is the latest event for that order;
   * otherwise keeps it until `update`/`remember` brings the order in.
   */
  recordWebhookEvent(event: WebhookEvent): Promise<"recorded" | "duplicate">;

  getTokens(): Promise<StoredTokens | null>;
  /**
   * Runs `fn` while holding the cross-replica token lock (PostgreSQL: advisory lock; SQLite: in-process mutex,
   * because the embedded engine serves one process). `fn` receives the stored pair and returns the pair to store
   * (or null to keep it).
   */
  withTokenLock<T>(fn: (current: StoredTokens | null) => Promise<{ store: StoredTokens | null; result: T }>): Promise<T>;
}
