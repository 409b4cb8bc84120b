// Exactly one paid Plum order per poNumber. The ledger row is claimed before anything is sent; an unknown outcome
// is reconciled through getOrderDetails, never re-sent blindly (docs/reliability-notes.md A5, docs/plum-api.md §6.3).
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { toId, toInt, toNumber } from "../plum/lenient.js";
import type { PlumCallResult } from "../plum/result.js";
import { plumRequestBody, type CallJournal, type OrderLookup } from "../plum/PlumClient.js";
import type { PlaceOrderData, PlumOrderWire } from "../plum/wire.js";
import type { AttemptEntry, Lease, Ledger, OrderRecord, RecordPatch } from "../storage/ledger.js";
import { PlaceOrderOutcome, type OrderFailure, type OrderKind } from "./errorCodes.js";
import {
  conflictFailure,
  exhaustedFailure,
  inProgressFailure,
  NOT_PLACED_SERVER_ERROR_IDS,
  NOT_SENT_CODES,
  outcomeUnknownFailure,
  rateLimitedFailure,
  rejectionFailure,
  unavailableFailure,
} from "./failures.js";
import { fingerprint } from "./fingerprint.js";
import { parsePlumDate } from "./orderView.js";
import { toPlaceOrderData, type OrderRequest } from "./toPlaceOrderData.js";

/** The slice of the Plum client this service needs (tests may pass their own). */
export interface PlumGateway {
  placeOrder(data: PlaceOrderData, journal?: CallJournal): Promise<PlumCallResult>;
  getOrderDetails(lookup: OrderLookup, journal?: CallJournal): Promise<PlumCallResult>;
}

export interface PlacementOptions {
  ledger: Ledger;
  plum: PlumGateway;
  log: Logger;
  /** Identifies this replica in lease owners. */
  replicaId: string;
  /** How long a not-found answer must trail the last send before it is trusted. */
  settleMs: number;
  maxBackoffMs: number;
  maxSendAttempts: number;
  /** Longer than one upstream call can take (timeouts + one token renewal), so a live holder never loses it. */
  leaseMs: number;
  clock?: () => Date;
  onOutcome?: (kind: OrderKind | null, outcome: PlaceOrderOutcome, code: string | null) => void;
}

export interface PlacementResult {
  outcome: PlaceOrderOutcome;
  /** The ledger row when the order exists upstream (PLACED/REPLAYED), else null. */
  record: OrderRecord | null;
  errors: OrderFailure[];
}

/** Who drives a settle: a caller's mutation (answers the caller), a read (never sends), or the reconciler. */
type Driver = "mutation" | "read" | "reconciler";

export class PlacementService {
  private readonly clock: () => Date;

  constructor(private readonly options: PlacementOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async place(request: OrderRequest, subject: string | null): Promise<PlacementResult> {
    const data = toPlaceOrderData(request);
    const print = fingerprint(request.kind, data);
    const lease = this.newLease();
    // The request about to be sent goes on record with the claim itself: one commit, before anything leaves.
    const requestEntry: AttemptEntry = {
      poNumber: data.poNumber, operation: "placeOrder", phase: "request", body: plumRequestBody("placeOrder", data),
      httpStatus: null, errorCode: null, durationMs: null, at: lease.now,
    };
    const claim = await this.options.ledger.claim(
      { poNumber: data.poNumber, kind: request.kind, fingerprint: print, subject, request: data },
      lease,
      requestEntry,
    );
    let result: PlacementResult;
    try {
      result = claim.claimed
        ? await this.send(claim.record, lease.owner, "mutation", true)
        : await this.resume(claim.record, print, subject, lease);
    } catch (error) {
      // Once claimed, a failure of ours (the ledger, the token store) says nothing about Plum: the order may exist.
      // Report it as unknown, hand the row to the reconciler, and never as a failure.
      this.options.log.error({ err: error, poNumber: data.poNumber }, "placement interrupted; the reconciler will settle it");
      await this.options.ledger.update(data.poNumber, lease.owner, { nextCheckAt: this.clock() }, true).catch(() => null);
      result = pending([outcomeUnknownFailure(null)]);
    }
    this.options.onOutcome?.(request.kind, result.outcome, result.errors[0]?.code ?? null);
    return result;
  }

  /** Refused before anything was claimed or sent (input validation); reported like any other outcome. */
  refuse(kind: OrderKind, errors: OrderFailure[]): PlacementResult {
    const result = rejected(errors);
    this.options.onOutcome?.(kind, result.outcome, errors[0]?.code ?? null);
    return result;
  }

  /** A read found a PENDING row: ask Plum (never send) so the caller sees a placed order as soon as it exists. */
  async refresh(record: OrderRecord): Promise<OrderRecord> {
    if (record.state !== "PENDING" || !this.leaseIsFree(record)) return record;
    const lease = this.newLease();
    const held = await this.options.ledger.acquireLease(record.poNumber, lease);
    if (held === null) return record;
    // settle() returns the row when it became PLACED; otherwise the caller has no order to show yet.
    return (await this.settle(held, lease.owner, "read")).record ?? record;
  }

  /**
   * One pass of the background reconciler over due PENDING rows; `keepGoing` is asked between rows so a stopping
   * process does not start another upstream call. Returns how many rows it worked on (settled or rescheduled).
   */
  async reconcileDue(limit: number, keepGoing: () => boolean = () => true): Promise<number> {
    const due = await this.options.ledger.duePending(this.clock(), limit);
    let settled = 0;
    for (const row of due) {
      if (!keepGoing()) break;
      const lease = this.newLease();
      const held = await this.options.ledger.acquireLease(row.poNumber, lease);
      if (held === null) continue; // another replica took it
      await this.settle(held, lease.owner, "reconciler");
      settled += 1;
    }
    return settled;
  }

  private async resume(existing: OrderRecord, print: string, subject: string | null, lease: Lease): Promise<PlacementResult> {
    // A different order under a used poNumber (or someone else's poNumber) is refused without touching Plum.
    if (existing.fingerprint !== print || existing.subject !== subject) return rejected([conflictFailure()]);
    if (existing.state === "PLACED") return { outcome: PlaceOrderOutcome.REPLAYED, record: existing, errors: [] };
    if (existing.state === "REJECTED") return rejected(existing.errors);
    const held = await this.options.ledger.acquireLease(existing.poNumber, lease);
    if (held === null) return pending([inProgressFailure()]);
    return this.settle(held, lease.owner, "mutation");
  }

  /** We hold the lease on a PENDING row: find out what Plum has, then finish, wait, or send. */
  private async settle(record: OrderRecord, owner: string, driver: Driver): Promise<PlacementResult> {
    const lastError = record.errors[0];
    const provablyUnsent = record.sendAttempts === 0 && lastError !== undefined && NOT_SENT_CODES.has(lastError.code);
    if (provablyUnsent) {
      if (driver === "read") return this.release(record, owner, {}, pendingFor(record));
      return this.send(record, owner, driver);
    }
    const lookup = await this.options.plum.getOrderDetails({ poNumber: record.poNumber });
    if (lookup.kind === "ok") return this.adopt(record, owner, lookup.order, {});
    const now = this.clock();
    if (lookup.kind !== "notFound") {
      return this.release(record, owner, { nextCheckAt: this.backoff(record, now, lookup) }, pendingFor(record));
    }
    const lastSent = record.lastSentAt ?? record.createdAt;
    const settleAt = new Date(lastSent.getTime() + this.options.settleMs);
    if (now < settleAt) {
      // Too early to trust "not found": Plum may still be writing the order.
      return this.release(record, owner, { nextCheckAt: settleAt }, pendingFor(record));
    }
    // Plum has no such order: the last attempt created nothing.
    const serverErrorId = lastError?.upstreamErrorId ?? null;
    if (serverErrorId !== null && NOT_PLACED_SERVER_ERROR_IDS.has(serverErrorId)) {
      return this.reject(record, owner, rejectionFailure(serverErrorId, false), {});
    }
    if (record.sendAttempts >= this.options.maxSendAttempts) {
      return this.reject(record, owner, exhaustedFailure(record.sendAttempts), {});
    }
    // A read never sends; it hands the row to the reconciler, unless the row waits for its caller's retry (no
    // check scheduled: the caller was told REJECTED, nothing sent) and must not be placed behind the caller's back.
    if (driver === "read") {
      return this.release(record, owner, { nextCheckAt: record.nextCheckAt === null ? null : now }, pendingFor(record));
    }
    return this.send(record, owner, driver);
  }

  private async send(record: OrderRecord, owner: string, driver: Driver, requestRecorded = false): Promise<PlacementResult> {
    if (record.request === null) throw new Error(`ledger row ${record.poNumber} has no request to send`);
    // Responses are written with the row's next update (one commit); every path below carries `sent` into it.
    const journal: CallJournal = { requestRecorded, deferred: [] };
    const result = await this.options.plum.placeOrder(record.request, journal);
    // Plum may go on processing a request after we stop waiting for it (a timeout, a reset), so the settle window
    // runs from the end of the attempt, not its start: lastSentAt is the last instant the request was in flight.
    const sentAt = this.clock();
    const sent: RecordPatch = { sendAttempts: record.sendAttempts + 1, lastSentAt: sentAt, attempts: journal.deferred };
    switch (result.kind) {
      case "ok":
        return this.markPlaced(record, owner, result.order, sent);
      case "duplicatePoNumber": {
        // Plum already has an order under this poNumber: an earlier attempt of ours, or another client's order.
        const lookup = await this.options.plum.getOrderDetails({ poNumber: record.poNumber }, journal);
        if (lookup.kind === "ok") return this.adopt(record, owner, lookup.order, sent);
        return this.unknown(record, owner, sent, sentAt, null);
      }
      case "rejected":
        return this.reject(record, owner, rejectionFailure(result.errorId, result.operatorValidation), sent);
      case "rateLimited":
        return this.notSent(record, owner, driver, rateLimitedFailure(result.penaltySeconds), result.penaltySeconds, journal.deferred);
      case "unauthorized":
      case "notSent":
        return this.notSent(record, owner, driver, unavailableFailure(), 0, journal.deferred);
      case "unknown":
        return this.unknown(record, owner, sent, sentAt, result.errorId);
      case "notFound":
        return this.unknown(record, owner, sent, sentAt, null);
    }
  }

  private unknown(record: OrderRecord, owner: string, sent: RecordPatch, sentAt: Date, errorId: string | null) {
    const failure = outcomeUnknownFailure(errorId);
    this.options.log.warn({ poNumber: record.poNumber, upstreamErrorId: errorId }, "order outcome unknown; will reconcile");
    const nextCheckAt = new Date(sentAt.getTime() + this.options.settleMs);
    return this.release(record, owner, { ...sent, errors: [failure], nextCheckAt }, pending([failure]));
  }

  /**
   * Nothing reached Plum. A caller is told so (REJECTED, retryable with the same poNumber) and the row waits for
   * that retry; when the reconciler was sending (the caller was already told PENDING) it keeps trying.
   */
  private notSent(
    record: OrderRecord,
    owner: string,
    driver: Driver,
    failure: OrderFailure,
    penaltySeconds: number,
    attempts: AttemptEntry[],
  ) {
    const now = this.clock();
    const nextCheckAt =
      driver === "reconciler"
        ? new Date(Math.max(this.backoff(record, now, null).getTime(), now.getTime() + penaltySeconds * 1000))
        : null;
    // Only a row that never reached Plum may record a not-sent failure (settle() skips the lookup for those).
    const errors = record.sendAttempts === 0 ? [failure] : record.errors;
    const outcome = driver === "reconciler" ? pending(errors) : rejected([failure]);
    return this.release(record, owner, { errors, nextCheckAt, attempts }, outcome);
  }

  /**
   * Plum holds an order under our poNumber that no answer to our own send confirmed: it is ours unless it provably
   * is a different order (another Plum client used the poNumber). Plum keeps one order per poNumber, so then none of
   * our attempts placed anything, and handing the caller someone else's order would be wrong.
   */
  private async adopt(record: OrderRecord, owner: string, order: PlumOrderWire, patch: RecordPatch) {
    if (record.request === null || !isAnotherOrder(record.request, order)) return this.markPlaced(record, owner, order, patch);
    // Plum refused our first-ever send as a duplicate: no attempt of ours can have made the order it holds.
    if (record.sendAttempts === 0 && patch.sendAttempts === 1) {
      this.options.log.warn({ poNumber: record.poNumber }, "poNumber is taken at Plum by a different order");
      return this.reject(record, owner, conflictFailure(), patch);
    }
    // An earlier attempt of ours had an unknown outcome: the order Plum holds may be ours, reported differently
    // (a converted denomination, a parent product id). Neither "nothing was placed" (the caller could order again)
    // nor "placed" (it may be someone else's) is safe: keep it pending and ask a person.
    this.options.log.error(
      { alert: "po_number_held_by_different_order", poNumber: record.poNumber },
      "Plum holds an order under this poNumber that differs from ours; left PENDING for an operator",
    );
    const nextCheckAt = new Date(this.clock().getTime() + this.options.maxBackoffMs);
    return this.release(record, owner, { ...patch, nextCheckAt }, pendingFor(record));
  }

  private async markPlaced(record: OrderRecord, owner: string, order: PlumOrderWire, patch: RecordPatch) {
    const orderId = toId(order.orderId);
    if (orderId === null) return this.unknown(record, owner, patch, this.clock(), null);
    const placed = await this.options.ledger.update(
      record.poNumber,
      owner,
      {
        ...patch,
        state: "PLACED",
        orderId,
        order,
        errors: [],
        nextCheckAt: null,
        placedAt: parsePlumDate(order.orderDate) ?? this.clock(),
      },
      true,
    );
    this.options.log.info({ poNumber: record.poNumber, orderId }, "order placed");
    return placed === null
      ? this.afterLostLease(record.poNumber)
      : { outcome: PlaceOrderOutcome.PLACED, record: placed, errors: [] };
  }

  private async reject(record: OrderRecord, owner: string, failure: OrderFailure, patch: RecordPatch) {
    this.options.log.info({ poNumber: record.poNumber, code: failure.code, upstreamErrorId: failure.upstreamErrorId }, "order rejected");
    return this.release(record, owner, { ...patch, state: "REJECTED", errors: [failure], nextCheckAt: null }, rejected([failure]));
  }

  private async release(record: OrderRecord, owner: string, patch: RecordPatch, result: PlacementResult) {
    const updated = await this.options.ledger.update(record.poNumber, owner, patch, true);
    return updated === null ? this.afterLostLease(record.poNumber) : result;
  }

  /** Our lease was taken over (we outlived it): report what the ledger says now. */
  private async afterLostLease(poNumber: string): Promise<PlacementResult> {
    const now = await this.options.ledger.findByPoNumber(poNumber);
    if (now?.state === "PLACED") return { outcome: PlaceOrderOutcome.PLACED, record: now, errors: [] };
    if (now?.state === "REJECTED") return rejected(now.errors);
    return pending([inProgressFailure()]);
  }

  /** Exponential in the time since the last send, at least the settle window and the upstream's penalty. */
  private backoff(record: OrderRecord, now: Date, result: PlumCallResult | null): Date {
    const since = now.getTime() - (record.lastSentAt ?? record.createdAt).getTime();
    const penaltyMs = result?.kind === "rateLimited" ? result.penaltySeconds * 1000 : 0;
    const delay = Math.min(Math.max(this.options.settleMs, since, penaltyMs), this.options.maxBackoffMs);
    return new Date(now.getTime() + delay);
  }

  private leaseIsFree(record: OrderRecord): boolean {
    return record.leaseOwner === null || record.leaseUntil === null || record.leaseUntil <= this.clock();
  }

  private newLease(): Lease {
    const now = this.clock();
    // One owner per operation, not per replica: two requests in one process must not share a lease.
    return { owner: `${this.options.replicaId}:${randomUUID()}`, now, until: new Date(now.getTime() + this.options.leaseMs) };
  }
}

function rejected(errors: OrderFailure[]): PlacementResult {
  return { outcome: PlaceOrderOutcome.REJECTED, record: null, errors };
}

function pending(errors: OrderFailure[]): PlacementResult {
  return { outcome: PlaceOrderOutcome.PENDING, record: null, errors };
}

/**
 * True only when Plum's order differs from what we sent in product, denomination or quantity. A field Plum left out
 * proves nothing: wrongly calling our own order someone else's would tell the caller nothing was placed.
 */
function isAnotherOrder(sent: PlaceOrderData, order: PlumOrderWire): boolean {
  const differs = (theirs: number | null, ours: number) => theirs !== null && theirs !== ours;
  const item = order.voucherDetails?.[0];
  return (
    differs(toInt(item?.productId), sent.productId) ||
    differs(toNumber(item?.denomination), sent.denomination) ||
    differs(toInt(order.quantity), sent.quantity)
  );
}

/** A PENDING answer always carries a reason; a row recovered after a crash has none recorded yet. */
function pendingFor(record: OrderRecord): PlacementResult {
  return pending(record.errors.length > 0 ? record.errors : [outcomeUnknownFailure(null)]);
}
