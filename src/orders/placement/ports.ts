// The interfaces the placement engine needs. The orders layer owns them; storage and the Plum client implement them
// (and the model test implements them in memory).
import type { AttemptEntry, Exchange } from "../../plum/exchange.js";
import type { PlaceOrderData } from "../../plum/wire.js";
import type { ClaimResult, Lease, NewPlacement, OrderRecord, RecordPatch, WriteGuard } from "../orderRecord.js";

export interface PlacementStore {
  /**
   * Atomically inserts a PENDING row holding `lease`, with attempt 1 written ahead (open, lastSentAt = the database's
   * now) and `request` appended to the attempt log, in one commit; or returns the existing row untouched.
   */
  claim(placement: NewPlacement, lease: Lease, request?: AttemptEntry): Promise<ClaimResult>;
  /**
   * Takes the lease on a PENDING row whose lease is free or expired by the database's clock (also a REJECTED
   * `reopenable` row with `reopen`, which becomes PENDING); null if not available.
   */
  acquireLease(poNumber: string, lease: Lease, options?: { reopen?: boolean }): Promise<OrderRecord | null>;
  /** Extends a live lease its owner still holds; false when it was lost. */
  renewLease(poNumber: string, lease: Lease): Promise<boolean>;
  /**
   * Applies `patch` if `owner` holds the lease (any holder when owner is null) and `guard` holds; null otherwise.
   * The patch's attempt-log entries are written in the same commit either way.
   */
  update(
    poNumber: string,
    owner: string | null,
    patch: RecordPatch,
    release: boolean,
    guard?: WriteGuard,
  ): Promise<OrderRecord | null>;
  /**
   * The row Plum knows by `plumPoNumber` (the ledger key, what was sent to Plum): for webhooks, Plum's order
   * lists and every step of the engine after the claim.
   */
  findByPlumPoNumber(plumPoNumber: string): Promise<OrderRecord | null>;
  /** PENDING rows due by the database's clock (or `now`, in tests), with a free or expired lease. */
  duePending(now: Date | null, limit: number): Promise<OrderRecord[]>;
}

/** The placement queue's reads (issue 16); both ledgers implement it, and the budgeted placement shell needs it. */
export interface PlacementQueueStore {
  /**
   * Queued claims for many placements (bulk), a few transactions rather than one per item, in input order; each
   * like claim() with `queued` (no lease, nothing written ahead): claimed, or the existing row untouched.
   */
  claimQueued(placements: readonly NewPlacement[]): Promise<ClaimResult[]>;
  /** The oldest queued PENDING rows with a free or expired lease, in FIFO order (queued_at, then poNumber). */
  nextQueued(limit: number): Promise<OrderRecord[]>;
  /** How many rows are queued, and when the oldest entered the queue (database time, with the database's now). */
  queueStats(): Promise<QueueStats>;
  /** The row the caller `subject` holds under their own poNumber (rows from before a namespace or key change too). */
  findByCallerPoNumber(subject: string | null, poNumber: string): Promise<OrderRecord | null>;
  /** 1-based place of this row in the queue (1: next); null when it is not queued. */
  queuePosition(plumPoNumber: string): Promise<number | null>;
}

export interface QueueStats {
  depth: number;
  oldestQueuedAt: Date | null;
  now: Date;
}

export interface PlumPort {
  /**
   * `requestOnRecord`: the request's log entry is already committed (the write-ahead wrote it). The request must
   * not leave after `notAfter` (performance.now() time); it is then answered notSent ("SEND_GUARD"). Never re-sends
   * on its own (after an expired token it renews the token and answers the refusal).
   */
  placeOrder(data: PlaceOrderData, options: { requestOnRecord: boolean; notAfter: number }): Promise<Exchange>;
  getOrderDetails(lookup: { orderId: string } | { poNumber: string }): Promise<Exchange>;
}
