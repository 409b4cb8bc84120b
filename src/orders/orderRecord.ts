// The order row as the domain sees it. The orders layer owns this shape; storage maps it to tables.
import type { AttemptEntry } from "../plum/exchange.js";
import type { PlaceOrderData, PlumOrderWire } from "../plum/wire.js";
import type { OrderFailure } from "./errorCodes.js";
import type { OrderKind } from "./orderKind.js";
import type { PlacementPatch, PlacementRow, PlacementState } from "./placement/row.js";

/**
 * PENDING: claimed; either in flight (lease held) or outcome unknown (lease free, reconciler's work).
 * PLACED: the order exists upstream. REJECTED: definitely not placed; retries with this poNumber replay it (or, when
 * `reopenable`, send it again: nothing ever reached Plum).
 */
export type LedgerState = PlacementState;

/** PLACEMENT: placed through this subgraph. LOOKUP: learned from Plum's getOrderDetails (cached read). */
export type RecordSource = "PLACEMENT" | "LOOKUP";

export interface OrderRecord extends PlacementRow {
  kind: OrderKind | null;
  /** sha-256 of the order-defining fields; null for LOOKUP rows. */
  fingerprint: string | null;
  /**
   * The poNumber the caller chose (unique per subject). `poNumber` is the one sent to Plum, derived from it
   * (orders/poNumberNamespace.ts); equal for rows placed without a subject, LOOKUP rows and rows older than the
   * namespaces (migration 8).
   */
  callerPoNumber: string;
  /** JWT subject of the caller who placed it; null when auth is off or for LOOKUP rows. */
  subject: string | null;
  source: RecordSource;
  /** The placeOrder data exactly as sent (personal data: stored, never logged). */
  request: PlaceOrderData | null;
  /** Plum's orderId, as a decimal string. */
  orderId: string | null;
  /** The latest order data Plum returned (placeOrder or getOrderDetails), as received. */
  order: PlumOrderWire | null;
  /** REJECTED: why. PENDING: what the caller is told while it is pending. */
  errors: OrderFailure[];
  deliveryStatus: string | null;
  /** createdAt of the webhook that set deliveryStatus; orders webhook events. */
  deliveryStatusAt: Date | null;
  /** Attempts written ahead (each before its request left). */
  sendAttempts: number;
  /** PENDING rows: when the reconciler should look next. */
  nextCheckAt: Date | null;
  /** Database time it entered the placement queue (FIFO key); null when not queued. */
  queuedAt?: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** Bumped by every write: writes that must not race (evidence, decisions) are conditional on it. */
  version: number;
  /** Database time at which this copy of the row was read or written. */
  readAt: Date;
  updatedAt: Date;
  placedAt: Date | null;
}

/**
 * An order as reads serve it: a ledger row, or one Plum holds without a poNumber, served from Plum and never stored
 * (the ledger is keyed by poNumber), whose poNumbers are null.
 */
export type ServedOrder =
  OrderRecord | (Omit<OrderRecord, "poNumber" | "callerPoNumber"> & { poNumber: null; callerPoNumber: null });

export interface Lease {
  owner: string;
  /** The lease runs for this long from the database's now. */
  ms: number;
  /** Tests only: use this instant instead of the database's clock. */
  at?: Date;
}

export interface NewPlacement {
  /** Sent to Plum (the ledger key); `request.poNumber` is the same. */
  poNumber: string;
  /** The caller's own poNumber; default `poNumber`. Unique per subject: a claim conflicting on it is not claimed. */
  callerPoNumber?: string;
  kind: OrderKind;
  fingerprint: string;
  subject: string | null;
  request: PlaceOrderData;
  /**
   * No budget to send now: attempt 1 is written queued (not ahead), the row enters the placement queue, no lease is
   * held and no request is logged yet (the dispatcher's write-ahead logs it).
   */
  queued?: boolean;
  /** What a queued row tells its caller until the dispatcher takes it. */
  errors?: OrderFailure[];
}

export type ClaimResult = { claimed: true; record: OrderRecord } | { claimed: false; record: OrderRecord };

/** Fields a writer may change. Omitted fields stay as they are. */
export interface RecordPatch extends PlacementPatch {
  deliveryStatus?: string | null;
  lastSentAt?: Date | null;
  /**
   * Attempt-log entries appended in the same transaction, whether or not the update applies: the log is an audit
   * trail and never depends on the lease.
   */
  attempts?: AttemptEntry[];
}

/** Conditions on a write besides the lease owner. */
export interface WriteGuard {
  /** Applies only if the row's version is still this (no other write since it was read). */
  version?: number;
  /** Applies only if the lease has not expired by the database's clock (the write-ahead before a send). */
  live?: boolean;
}
