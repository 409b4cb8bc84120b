// Exactly one paid Plum order per poNumber. This is the I/O shell around decide() (placement/decide.ts): it reads
// the row, asks decide() what to do, writes ahead before every send, and records every answer it gets.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { AttemptEntry } from "../plum/exchange.js";
import { toId } from "../plum/lenient.js";
import { parsePlumDate } from "../plum/plumDate.js";
import { PlumErrorId, type PlaceOrderData } from "../plum/wire.js";
import { plumRequestBody } from "../plum/requestBody.js";
import type { PlumBudget } from "./budget/PlumBudget.js";
import { OrderErrorCode, type OrderFailure } from "./errorCodes.js";
import type { OrderKind } from "./orderKind.js";
import { PlaceOrderOutcome } from "./placeOrderOutcome.js";
import {
  conflictFailure,
  inProgressFailure,
  outcomeUnknownFailure,
  queuedFailure,
  queueFullFailure,
} from "./failures.js";
import { fingerprint } from "./fingerprint.js";
import type { ClaimResult, Lease, NewPlacement, OrderRecord, RecordPatch } from "./orderRecord.js";
import { decide, type Action } from "./placement/decide.js";
import type {
  AlertReason,
  Driver,
  Evidence,
  OperatorDecision,
  PlacementPolicy,
  SendBudget,
} from "./placement/evidence.js";
import { decisionEntry, type OperatorAudit, type OperatorResolution } from "./operatorDecision.js";
import type { PlacementQueueStore, PlacementStore, PlumPort } from "./placement/ports.js";
import { DEFAULT_PO_NUMBER_KEY, plumPoNumber } from "./poNumberNamespace.js";
import { toPlaceOrderData, type OrderRequest } from "./toPlaceOrderData.js";

export interface PlacementOptions {
  store: PlacementStore;
  plum: PlumPort;
  log: Logger;
  /** The key of the caller poNumber namespaces (PO_NUMBER_KEY); see poNumberNamespace.ts. */
  poNumberKey?: string;
  /** Identifies this replica in lease owners. */
  replicaId: string;
  policy: PlacementPolicy;
  /** How long a lease lasts; renewed every third of it while an exchange runs. */
  leaseMs: number;
  /**
   * A request is not sent once its write-ahead is older than this (a paused process, a slow token read). The
   * look-up lag the settle window allows is what it leaves of it. Default: 5000 ms or half the settle window.
   */
  sendGuardMs?: number;
  /** Delays between retries of a write that failed after a send. Default 50, 250, 1000 ms. */
  writeRetryDelaysMs?: readonly number[];
  /** Monotonic milliseconds (tests pass a simulated clock). */
  monotonic?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Starts a periodic task and returns its stop; tests may pass a no-op. */
  every?: (ms: number, task: () => void) => () => void;
  onOutcome?: (kind: OrderKind | null, outcome: PlaceOrderOutcome, code: string | null) => void;
  onAlert?: (reason: AlertReason) => void;
  /**
   * The shared Plum budget and the placement queue (issue 16): a send takes a placeOrder slot before its
   * write-ahead; without one the attempt is queued and the dispatcher sends it in turn. Absent: sends leave at once.
   */
  queue?: PlacementQueue;
}

export interface PlacementQueue {
  budget: PlumBudget;
  store: PlacementQueueStore;
  /** Above this many queued rows a new placement is refused (RATE_LIMITED, retryable), nothing claimed. */
  bound: number;
}

/** Whether this send may leave now, and what a queued row is told. */
interface SendMode {
  budget: SendBudget;
  retryAfterSeconds: number;
  /**
   * With a slot: the monotonic time by which the request must leave. The budget logs the slot's time, and Plum
   * counts arrivals, so a send later than the budget's margin could land in a window the log did not count.
   */
  leaveBy?: number;
}

export interface PlacementResult {
  outcome: PlaceOrderOutcome;
  /** The ledger row when the order exists upstream (PLACED/REPLAYED), else null. */
  record: OrderRecord | null;
  errors: OrderFailure[];
}

/** An answer whose write failed even after retries: kept here and written by the reconciler. */
interface Unwritten {
  poNumber: string;
  /** Everything one drive learned, in order (merging evidence is idempotent). */
  evidence: Evidence[];
  log: AttemptEntry[];
}

const MAX_STEPS = 8;

export class PlacementService {
  private readonly unwritten: Unwritten[] = [];
  private readonly monotonic: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly every: (ms: number, task: () => void) => () => void;

  constructor(private readonly options: PlacementOptions) {
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.every =
      options.every ??
      ((ms, task) => {
        const timer = setInterval(task, ms);
        timer.unref();
        return () => clearInterval(timer);
      });
  }

  /** Answers held in memory because their write failed; the reconciler writes them. */
  get unwrittenCount(): number {
    return this.unwritten.length;
  }

  async place(request: OrderRequest, subject: string | null): Promise<PlacementResult> {
    const asked = toPlaceOrderData(request);
    // Plum sees the caller's poNumber in the caller's namespace; the derived one is written with the claim, and a
    // retry finds the row by the caller's poNumber and sends what the row holds (older rows: the caller's own).
    const data: PlaceOrderData = {
      ...asked,
      poNumber: plumPoNumber(this.options.poNumberKey ?? DEFAULT_PO_NUMBER_KEY, subject, asked.poNumber),
    };
    const print = fingerprint(request.kind, data);
    const lease = this.newLease();
    const claimStarted = this.monotonic();
    const mode = await this.sendMode(false);
    if (mode.budget === "full" && (await this.knownRow(subject, asked.poNumber, data.poNumber)) === null) {
      // Over the queue bound a new poNumber is refused before anything is claimed; a known one is answered as usual.
      const result = rejected([queueFullFailure(mode.retryAfterSeconds)]);
      this.options.onOutcome?.(request.kind, result.outcome, OrderErrorCode.RATE_LIMITED);
      return result;
    }
    const queued = mode.budget !== "available";
    // The request goes on record with the claim, which also writes attempt 1 ahead: one commit before it leaves.
    // Queued, attempt 1 waits in the queue instead, and its request goes on record with the dispatcher's write-ahead.
    const claim = await this.options.store.claim(
      {
        poNumber: data.poNumber,
        callerPoNumber: asked.poNumber,
        kind: request.kind,
        fingerprint: print,
        subject,
        request: data,
        ...(queued ? { queued: true, errors: [queuedFailure(mode.retryAfterSeconds)] } : {}),
      },
      lease,
      requestEntry(data.poNumber, data),
    );
    let result: PlacementResult;
    try {
      if (claim.claimed && queued) {
        result = pending([queuedFailure(await this.queuedEstimate(claim.record.poNumber))]);
      } else if (claim.claimed) {
        const evidence = await this.send(claim.record, lease, 1, claimStarted, true, mode.leaveBy);
        result = await this.drive(claim.record, lease, "mutation", evidence.evidence, evidence.log);
      } else {
        result = await this.resume(claim.record, print, subject, lease);
      }
    } catch (error) {
      // Once claimed, a failure of ours (the ledger, the token store) says nothing about Plum: the order may exist.
      // The row stays leased until the lease runs out; then the reconciler settles it.
      this.options.log.error(
        { err: error, poNumber: data.poNumber },
        "placement interrupted; the reconciler will settle it",
      );
      result = pending([outcomeUnknownFailure(null)]);
    }
    this.options.onOutcome?.(request.kind, result.outcome, result.errors[0]?.code ?? null);
    return result;
  }

  /**
   * The placeOrder budget for a send now. A row that is not queued waits behind the queue (FIFO); the queue's own
   * rows (the dispatcher) take a slot. Without a queue configured, always available.
   */
  private async sendMode(queuedRow: boolean): Promise<SendMode> {
    const queue = this.options.queue;
    if (queue === undefined) return { budget: "available", retryAfterSeconds: 0 };
    const { depth } = await queue.store.queueStats();
    const blocked = async (): Promise<SendMode> => ({
      budget: depth >= queue.bound ? "full" : "exhausted",
      retryAfterSeconds: await queue.budget.queuedEstimateSeconds(depth + 1),
    });
    if (!queuedRow && depth > 0) return blocked();
    const grant = await queue.budget.take("placeOrder", "placement");
    if (!grant.granted) return blocked();
    // An unlimited operation has no slot to miss: no deadline beyond the send guard's.
    if (queue.budget.limit("placeOrder") === null) return { budget: "available", retryAfterSeconds: 0 };
    return { budget: "available", retryAfterSeconds: 0, leaveBy: this.monotonic() + queue.budget.config.marginMs };
  }

  /** The honest estimate for a queued row: its place in the queue over the budget. */
  async queuedEstimate(plumPoNumber: string): Promise<number> {
    const queue = this.options.queue;
    if (queue === undefined) return 1;
    const position = (await queue.store.queuePosition(plumPoNumber)) ?? 1;
    return queue.budget.queuedEstimateSeconds(position);
  }

  /**
   * One pass of the dispatcher: the oldest queued rows, in FIFO order, each driven under its lease (so any replica
   * may run it); a row's queued attempt becomes its write-ahead only with a budget slot. Stops at the first row the
   * budget cannot send yet (`blocked`).
   */
  async dispatchQueued(
    limit: number,
    keepGoing: () => boolean = () => true,
  ): Promise<{ sent: number; blocked: boolean }> {
    const queue = this.options.queue;
    if (queue === undefined) return { sent: 0, blocked: false };
    let sent = 0;
    for (const row of await queue.store.nextQueued(limit)) {
      if (!keepGoing()) break;
      try {
        const lease = this.newLease();
        const held = await this.options.store.acquireLease(row.poNumber, lease);
        if (held === null || held.queuedAt === null) {
          // Taken by another dispatcher, or it left the queue meanwhile: release what we took and go on.
          if (held !== null) await this.options.store.update(row.poNumber, lease.owner, {}, true).catch(() => null);
          continue;
        }
        const result = await this.drive(held, lease, "reconciler", { kind: "none" }, []);
        const code = result.errors[0]?.code;
        // No slot, or Plum refused for its rate limit (the penalty is being recorded for every replica): stop here.
        if (code === OrderErrorCode.QUEUED || code === OrderErrorCode.RATE_LIMITED) return { sent, blocked: true };
        sent += 1;
      } catch (error) {
        this.options.log.error(
          { err: error, poNumber: row.poNumber },
          "dispatching one queued order failed; the others go on",
        );
      }
    }
    return { sent, blocked: false };
  }

  /**
   * Bulk placement: every item is claimed queued (a few transactions for all of them), with the same semantics as
   * place() for a poNumber already on record (replay, conflict, the recorded rejection, the queue's progress).
   * Items past the queue bound are refused, nothing claimed. The dispatcher sends the queue in input order.
   * Without a queue configured the items are placed one by one.
   */
  async placeMany(requests: readonly OrderRequest[], subject: string | null): Promise<PlacementResult[]> {
    const queue = this.options.queue;
    if (queue === undefined) {
      const results: PlacementResult[] = [];
      for (const request of requests) results.push(await this.place(request, subject));
      return results;
    }
    const key = this.options.poNumberKey ?? DEFAULT_PO_NUMBER_KEY;
    const prepared = requests.map((request) => {
      const asked = toPlaceOrderData(request);
      const data: PlaceOrderData = { ...asked, poNumber: plumPoNumber(key, subject, asked.poNumber) };
      return { request, asked, data, print: fingerprint(request.kind, data) };
    });
    const { depth } = await queue.store.queueStats();
    const estimate = await queue.budget.estimator();
    const room = Math.max(0, queue.bound - depth);
    const admitted = prepared.slice(0, room);
    // The claims commit a chunk per transaction: when one fails, earlier chunks are queued and will be placed, so
    // every admitted item is answered from what the ledger holds now (never one error for the whole call).
    const toClaim = ({ request, asked, data, print }: (typeof prepared)[number], index: number): NewPlacement => ({
      poNumber: data.poNumber,
      callerPoNumber: asked.poNumber,
      kind: request.kind,
      fingerprint: print,
      subject,
      request: data,
      errors: [queuedFailure(estimate(depth + index + 1))],
    });
    let claims: (ClaimResult | undefined)[];
    let claimsFailed = false;
    try {
      claims = await queue.store.claimQueued(admitted.map(toClaim));
    } catch (error) {
      this.options.log.error(
        { err: error, items: admitted.length },
        "bulk claims interrupted; answering each item from the ledger",
      );
      claims = [];
      claimsFailed = true;
    }
    const results: PlacementResult[] = [];
    let claimedSoFar = 0;
    for (const [index, item] of prepared.entries()) {
      const claim = claims[index];
      let result: PlacementResult;
      try {
        if (claim?.claimed) {
          claimedSoFar += 1;
          result = pending([queuedFailure(estimate(depth + claimedSoFar))]);
        } else if (claim !== undefined) {
          result = await this.resume(claim.record, item.print, subject, this.newLease());
        } else if (claimsFailed && index < admitted.length) {
          // The claim again, alone (idempotent: a row another call holds, committed or not, is waited for and read);
          // a read alone could miss a row still being committed and call an order-to-be "not placed". If this fails
          // too, the catch below answers PENDING, never "nothing was placed".
          const [again] = await queue.store.claimQueued([toClaim(item, index)]);
          if (again === undefined) throw new Error("claim answered nothing");
          result = again.claimed
            ? pending([queuedFailure(estimate(depth + index + 1))])
            : await this.resume(again.record, item.print, subject, this.newLease());
        } else {
          // Past the bound: a poNumber on record keeps its answer; a new one is refused, nothing claimed.
          const existing = await this.knownRow(subject, item.asked.poNumber, item.data.poNumber);
          result =
            existing === null
              ? rejected([queueFullFailure(estimate(depth + 1))])
              : await this.resume(existing, item.print, subject, this.newLease());
        }
      } catch (error) {
        this.options.log.error(
          { err: error, poNumber: item.data.poNumber },
          "bulk item interrupted; the reconciler will settle it",
        );
        result = pending([outcomeUnknownFailure(null)]);
      }
      this.options.onOutcome?.(item.request.kind, result.outcome, result.errors[0]?.code ?? null);
      results.push(result);
    }
    return results;
  }

  /** The caller's row for a poNumber: by their own poNumber first (older rows, another key), else as Plum knows it. */
  private async knownRow(subject: string | null, callerPoNumber: string, plumPo: string): Promise<OrderRecord | null> {
    return (
      (await this.options.queue?.store.findByCallerPoNumber(subject, callerPoNumber)) ??
      this.options.store.findByPlumPoNumber(plumPo)
    );
  }

  /** Refused before anything was claimed or sent (input validation); reported like any other outcome. */
  refuse(kind: OrderKind, errors: OrderFailure[]): PlacementResult {
    const result = rejected(errors);
    this.options.onOutcome?.(kind, result.outcome, errors[0]?.code ?? null);
    return result;
  }

  /**
   * A read found a PENDING row: ask Plum (never send) so the caller sees a placed order as soon as it exists. A row
   * is looked up at most once per look-up interval, whoever asks; concurrent readers find the lease taken.
   */
  async refresh(record: OrderRecord): Promise<OrderRecord> {
    if (record.state !== "PENDING") return record;
    // A queued row has sent nothing yet: there is nothing to look up.
    if (record.queuedAt) return record;
    if (record.leaseUntil !== null && record.leaseUntil > record.readAt) return record;
    const { lookupIntervalMs } = this.options.policy;
    if (record.lastLookupAt !== null && record.readAt.getTime() < record.lastLookupAt.getTime() + lookupIntervalMs)
      return record;
    const lease = this.newLease();
    const held = await this.options.store.acquireLease(record.poNumber, lease);
    if (held === null) return record;
    const result = await this.drive(held, lease, "read", { kind: "none" }, []);
    return result.record ?? (await this.options.store.findByPlumPoNumber(record.poNumber)) ?? record;
  }

  /**
   * One pass of the background reconciler: first the answers whose write failed, then the due PENDING rows. Each
   * row's failure is logged and isolated; `keepGoing` is asked between rows so a stopping process starts no call.
   */
  async reconcileDue(limit: number, keepGoing: () => boolean = () => true): Promise<number> {
    await this.flushUnwritten();
    const due = await this.options.store.duePending(null, limit);
    let settled = 0;
    for (const row of due) {
      if (!keepGoing()) break;
      try {
        const lease = this.newLease();
        const held = await this.options.store.acquireLease(row.poNumber, lease);
        if (held === null) continue; // another replica took it
        await this.drive(held, lease, "reconciler", { kind: "none" }, []);
        settled += 1;
      } catch (error) {
        this.options.log.error(
          { err: error, poNumber: row.poNumber },
          "reconciling one order failed; the others go on",
        );
      }
    }
    return settled;
  }

  /**
   * Evidence learned outside a drive (the reconciliation's look at Plum's history), decided on like any other: the
   * row is driven now if its lease is free (`reopen`: also a reopenable rejection, which the evidence proves wrong),
   * else the facts are recorded for whoever holds it. Returns the row as it is afterwards.
   */
  async applyEvidence(
    poNumber: string,
    evidence: Evidence,
    options: { reopen?: boolean } = {},
  ): Promise<OrderRecord | null> {
    const lease = this.newLease();
    const held = await this.options.store.acquireLease(poNumber, lease, options);
    if (held === null) {
      const item = { poNumber, evidence: [evidence], log: [] };
      await this.recordEvidence(item).catch(() => this.unwritten.push(item));
    } else {
      await this.drive(held, lease, "reconciler", evidence, []);
    }
    return this.options.store.findByPlumPoNumber(poNumber);
  }

  /**
   * An operator's decision on a row that carries an alert (operatorDecision.ts). PENDING rows: the claim is checked
   * at Plum (the orderId, or the poNumber) and decided by the engine; the decision, the look-up and the outcome go
   * into the attempt log in the same commit. PLACED rows with an alert (a late or second order): "acknowledged"
   * clears the alert once a person has refunded or honoured what it names. Nothing else changes a final row.
   */
  async resolveByOperator(
    poNumber: string,
    decision: OperatorDecision | { verdict: "acknowledged" },
    audit: OperatorAudit,
  ): Promise<OperatorResolution & { record: OrderRecord | null }> {
    const orderId = decision.verdict === "placed" ? decision.orderId : null;
    const entry = (resolution: OperatorResolution, at: Date) =>
      decisionEntry(poNumber, decision.verdict, orderId, audit, resolution, at);
    const refuse = async (refusal: OperatorResolution["refusal"], record: OrderRecord | null) => {
      const resolution: OperatorResolution = { outcome: "refused", refusal };
      if (record !== null)
        await this.options.store.update(poNumber, null, { attempts: [entry(resolution, new Date())] }, false);
      return { ...resolution, record };
    };
    const row = await this.options.store.findByPlumPoNumber(poNumber);
    if (row === null) return { outcome: "refused", refusal: "unknown_order", record: null };
    if (decision.verdict === "acknowledged") {
      if (row.state !== "PLACED" || row.alert === null)
        return refuse(row.state === "PENDING" ? "pending_needs_verdict" : "not_awaiting_operator", row);
      const resolution: OperatorResolution = { outcome: "acknowledged", refusal: null };
      const written = await this.options.store.update(
        poNumber,
        null,
        { alert: null, attempts: [entry(resolution, row.readAt)] },
        false,
        {
          version: row.version,
        },
      );
      return written === null ? refuse("busy", row) : { ...resolution, record: written };
    }
    if (row.state !== "PENDING") return refuse("already_final", row);
    const lease = this.newLease();
    const held = await this.options.store.acquireLease(poNumber, lease);
    if (held === null) return refuse("busy", row);
    const target = decision.verdict === "placed" ? { orderId: decision.orderId } : { poNumber };
    // The row's read time is database time no later than the look-up leaves: a conservative start.
    const startedAt = held.readAt;
    const exchange = await this.withRenewal(poNumber, lease, () => this.options.plum.getOrderDetails(target));
    const { patch, action } = this.decideFor(
      held,
      { kind: "operator", decision, startedAt, result: exchange.result },
      "reconciler",
    );
    const resolution: OperatorResolution =
      action.type === "placed"
        ? { outcome: "placed", refusal: null }
        : action.type === "rejected"
          ? { outcome: "rejected", refusal: null }
          : { outcome: "refused", refusal: action.type === "refused" ? action.reason : "busy" };
    const written = await this.options.store.update(
      poNumber,
      lease.owner,
      { ...patch, attempts: [...exchange.log, entry(resolution, held.readAt)] },
      true,
      { version: held.version },
    );
    if (written === null) {
      // The row moved under us (a webhook, another replica's evidence): nothing decided; record that and let go.
      const busy: OperatorResolution = { outcome: "refused", refusal: "busy" };
      await this.options.store.update(
        poNumber,
        lease.owner,
        { attempts: [...exchange.log, entry(busy, held.readAt)] },
        true,
      );
      return { ...busy, record: await this.options.store.findByPlumPoNumber(poNumber) };
    }
    this.options.log.warn(
      { poNumber, verdict: decision.verdict, outcome: resolution.outcome, refusal: resolution.refusal },
      "operator decision",
    );
    return { ...resolution, record: written };
  }

  private async resume(
    existing: OrderRecord,
    print: string,
    subject: string | null,
    lease: Lease,
  ): Promise<PlacementResult> {
    // A different order under a used poNumber (or someone else's poNumber) is refused without touching Plum.
    if (existing.fingerprint !== print || existing.subject !== subject) return rejected([conflictFailure()]);
    if (existing.state === "PLACED") return { outcome: PlaceOrderOutcome.REPLAYED, record: existing, errors: [] };
    if (existing.state === "REJECTED" && !existing.reopenable) return rejected(existing.errors);
    // Queued: the retry shows its progress and keeps its place (only the dispatcher sends it).
    if (existing.state === "PENDING" && existing.queuedAt)
      return pending([queuedFailure(await this.queuedEstimate(existing.poNumber))]);
    // An answer of ours still held in memory (its write failed) goes on record before anything is decided.
    if (this.unwritten.some((item) => item.poNumber === existing.poNumber)) await this.flushUnwritten();
    const held = await this.options.store.acquireLease(existing.poNumber, lease, {
      reopen: existing.state === "REJECTED",
    });
    if (held === null) return this.afterLostLease(existing.poNumber, PlaceOrderOutcome.REPLAYED);
    return this.drive(held, lease, "mutation", { kind: "none" }, []);
  }

  /** We hold the lease on a PENDING row: decide, act, repeat until the row is final or waits. */
  private async drive(
    start: OrderRecord,
    lease: Lease,
    driver: Driver,
    first: Evidence,
    firstLog: AttemptEntry[],
  ): Promise<PlacementResult> {
    let row = start;
    let evidence = first;
    let log = firstLog;
    // Every answer and look-up of this drive: re-applied if the row has to be read again, kept if it cannot be written.
    const learned: Evidence[] = first.kind === "none" ? [] : [first];
    const reread = async (): Promise<OrderRecord | null> => {
      const again = await this.stillOurs(row.poNumber, lease);
      return again === null
        ? null
        : learned.slice(0, -1).reduce((r, e) => withFacts(r, this.decideFor(r, e, driver).patch), again);
    };
    let leaveBy: number | undefined;
    for (let step = 0; step < MAX_STEPS; step += 1) {
      let { patch, action } = this.decideFor(row, evidence, driver);
      if (action.type === "send") {
        // No slot in the shared budget: decide again knowing it (the attempt is queued, or refused over the bound).
        // Only the dispatcher (the reconciler's driver on a queued row) sends the queue's rows; others wait behind it.
        const mode = await this.sendMode(driver === "reconciler" && row.sends.at(-1)?.answer === "queued");
        if (mode.budget !== "available") ({ patch, action } = this.decideFor(row, evidence, driver, mode));
        leaveBy = mode.leaveBy;
      }
      if (action.type === "send") {
        const startedAt = this.monotonic();
        // The request goes on record with its write-ahead, before it leaves.
        const request = row.request === null ? [] : [requestEntry(row.poNumber, row.request)];
        const written = await this.options.store.update(
          row.poNumber,
          lease.owner,
          { ...patch, attempts: [...log, ...request] },
          false,
          {
            version: row.version,
            live: true,
          },
        );
        log = [];
        if (written === null) {
          const again = await reread();
          if (again === null) return this.lostLease(row.poNumber, learned, []);
          row = again;
          continue;
        }
        row = written;
        ({ evidence, log } = await this.send(row, lease, action.attempt, startedAt, true, leaveBy));
        learned.push(evidence);
        continue;
      }
      if (action.type === "lookup") {
        // What decide() learned so far is carried to the next step and written with the final decision.
        row = withFacts(row, patch);
        const by = "orderId" in action.target ? "orderId" : "poNumber";
        // The row's read time is database time no later than the look-up leaves: a conservative start.
        const startedAt = row.readAt;
        const exchange = await this.withRenewal(row.poNumber, lease, () =>
          this.options.plum.getOrderDetails(action.target),
        );
        evidence = { kind: "lookup", startedAt, by, result: exchange.result };
        learned.push(evidence);
        log = [...log, ...exchange.log];
        continue;
      }
      const final = await this.commit(row, lease, { ...patch, attempts: log }, learned);
      if (final === "retry") {
        const again = await reread();
        if (again === null) return this.lostLease(row.poNumber, learned, []);
        row = again;
        log = [];
        continue;
      }
      if (final === null) return pending(actionErrors(action));
      return this.report(final, action);
    }
    // Bounded: a row that keeps changing under us is left to the reconciler, with what we learned on record.
    const item = { poNumber: row.poNumber, evidence: learned, log };
    await this.recordEvidence(item).catch(() => this.unwritten.push(item));
    await this.options.store.update(row.poNumber, lease.owner, {}, true).catch(() => null);
    return pending(row.errors.length > 0 ? row.errors : [outcomeUnknownFailure(null)]);
  }

  private decideFor(row: OrderRecord, evidence: Evidence, driver: Driver, mode?: SendMode) {
    const budget =
      mode === undefined ? {} : { sendBudget: mode.budget, queuedRetryAfterSeconds: mode.retryAfterSeconds };
    return decide(row, evidence, { now: row.readAt, driver, policy: this.options.policy, ...budget });
  }

  /** Sends attempt `attempt`; the client refuses to let it leave once the write-ahead is more than the guard old. */
  private async send(
    row: OrderRecord,
    lease: Lease,
    attempt: number,
    startedAt: number,
    requestOnRecord: boolean,
    leaveBy?: number,
  ) {
    const request = row.request;
    if (request === null) throw new Error(`ledger row ${row.poNumber} has no request to send`);
    const guard = startedAt + (this.options.sendGuardMs ?? Math.min(5_000, this.options.policy.settleMs / 2));
    // A budget slot is only good for its margin: later, the request is not sent (notSent: it is queued again).
    const notAfter = leaveBy === undefined ? guard : Math.min(guard, leaveBy);
    const exchange = await this.withRenewal(row.poNumber, lease, () =>
      this.options.plum.placeOrder(request, { requestOnRecord, notAfter }),
    );
    if (exchange.result.kind === "unknown") {
      this.options.log.warn(
        { poNumber: row.poNumber, upstreamErrorId: exchange.result.errorId },
        "order outcome unknown; will reconcile",
      );
    }
    if (exchange.result.kind === "notSent" && exchange.result.errorCode === "SEND_GUARD") {
      this.options.log.warn(
        { poNumber: row.poNumber, attempt },
        "write-ahead was too long ago; the attempt was not sent",
      );
    }
    const evidence: Evidence = { kind: "answer", attempt, result: exchange.result };
    return { evidence, log: exchange.log };
  }

  /**
   * Writes a final or waiting decision and releases the lease. A throwing write is retried; if it still fails the
   * evidence is kept in memory for the reconciler. null: kept in memory; "retry": the row moved, decide again.
   */
  private async commit(
    row: OrderRecord,
    lease: Lease,
    patch: RecordPatch,
    learned: Evidence[],
  ): Promise<OrderRecord | null | "retry"> {
    const delays = this.options.writeRetryDelaysMs ?? [50, 250, 1_000];
    for (let attempt = 0; ; attempt += 1) {
      try {
        const written = await this.options.store.update(row.poNumber, lease.owner, patch, true, {
          version: row.version,
        });
        return written ?? "retry";
      } catch (error) {
        const delay = delays[attempt];
        if (delay === undefined) {
          this.options.log.error(
            { err: error, poNumber: row.poNumber },
            "could not record Plum's answer; kept for the reconciler",
          );
          if (learned.length > 0 || (patch.attempts ?? []).length > 0) {
            this.unwritten.push({ poNumber: row.poNumber, evidence: learned, log: patch.attempts ?? [] });
          }
          return null;
        }
        await this.sleep(delay);
      }
    }
  }

  /** Evidence whose write failed, applied by whoever holds the row now (the facts only; PLACED is safe to set). */
  private async flushUnwritten(): Promise<void> {
    const items = this.unwritten.splice(0);
    for (const [index, item] of items.entries()) {
      try {
        await this.recordEvidence(item);
      } catch (error) {
        // The ledger is still failing: keep this answer and every one not tried yet for the next pass.
        this.unwritten.push(...items.slice(index));
        this.options.log.error({ err: error, poNumber: item.poNumber }, "could not record a kept answer yet");
        return;
      }
    }
  }

  private async recordEvidence(item: Unwritten): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const row = await this.options.store.findByPlumPoNumber(item.poNumber);
      if (row === null) return;
      const written =
        row.state === "PENDING" ? await this.recordOnPending(row, item) : await this.recordOnFinal(row, item);
      if (written) return;
    }
    throw new Error("the row kept changing");
  }

  /** The facts only (whoever holds the row decides); PLACED is safe to set without the lease. */
  private async recordOnPending(row: OrderRecord, item: Unwritten): Promise<boolean> {
    let current = row;
    for (const evidence of item.evidence) {
      const { patch, action } = this.decideFor(current, evidence, "read");
      if (action.type === "placed") {
        if (action.lateSuccess) this.lateSuccessAlert(row.poNumber);
        return (
          (await this.options.store.update(row.poNumber, null, { ...patch, attempts: item.log }, false, {
            version: row.version,
          })) !== null
        );
      }
      current = withFacts(current, patch);
    }
    const facts: RecordPatch = {
      sends: current.sends,
      existence: current.existence,
      lastLookupAt: current.lastLookupAt,
      nextCheckAt: row.readAt,
      attempts: item.log,
    };
    return (await this.options.store.update(row.poNumber, null, facts, false, { version: row.version })) !== null;
  }

  /** A success of ours for a row already final: the order exists. A REJECTED row adopts it; either way a person looks. */
  private async recordOnFinal(row: OrderRecord, item: Unwritten): Promise<boolean> {
    const success = item.evidence.find((e) => e.kind === "answer" && e.result.kind === "ok");
    const order = success?.kind === "answer" && success.result.kind === "ok" ? success.result.order : null;
    const orderId = order === null ? null : toId(order.orderId);
    const log: RecordPatch = { attempts: item.log };
    // The audit rows are appended whether or not the row changes (update writes them either way).
    const logOnly = async () => {
      if (item.log.length > 0) await this.options.store.update(row.poNumber, null, log, false);
      return true;
    };
    if (order === null || orderId === null || orderId === row.orderId) return logOnly();
    this.options.onAlert?.("order_needs_operator");
    this.options.log.error(
      { alert: "order_needs_operator", poNumber: row.poNumber, state: row.state },
      row.state === "REJECTED"
        ? "Plum confirmed an order for a rejected poNumber; the order is adopted"
        : "Plum confirmed a second order for a placed poNumber; refund or honour it",
    );
    if (row.state !== "REJECTED") return logOnly();
    // The rejection was wrong (a bound Plum broke): the order exists, so the row is PLACED and never reopened.
    const adopted: RecordPatch = {
      ...log,
      state: "PLACED",
      orderId,
      order,
      errors: [],
      reopenable: false,
      nextCheckAt: null,
      alert: "order_needs_operator",
      existence: { source: "answer", orderId },
      placedAt: parsePlumDate(order.orderDate) ?? row.readAt,
    };
    return (await this.options.store.update(row.poNumber, null, adopted, false, { version: row.version })) !== null;
  }

  private lateSuccessAlert(poNumber: string): void {
    this.options.onAlert?.("order_needs_operator");
    this.options.log.error(
      { alert: "order_needs_operator", poNumber },
      "a success arrived after its attempt was cleared; check for a second order",
    );
  }

  private async withRenewal<T>(poNumber: string, lease: Lease, fn: () => Promise<T>): Promise<T> {
    const stop = this.every(Math.max(1, Math.floor(lease.ms / 3)), () => {
      void this.options.store.renewLease(poNumber, lease).catch(() => false);
    });
    try {
      return await fn();
    } finally {
      stop();
    }
  }

  /** After a write that did not apply: the row again if we still hold its lease, else null. */
  private async stillOurs(poNumber: string, lease: Lease): Promise<OrderRecord | null> {
    const row = await this.options.store.findByPlumPoNumber(poNumber);
    return row !== null && row.state === "PENDING" && row.leaseOwner === lease.owner ? row : null;
  }

  private report(final: OrderRecord, action: Action): PlacementResult {
    const po = final.poNumber;
    switch (action.type) {
      case "placed":
        if (action.lateSuccess) this.lateSuccessAlert(po);
        this.options.log.info({ poNumber: po, orderId: action.orderId }, "order placed");
        return { outcome: PlaceOrderOutcome.PLACED, record: final, errors: [] };
      case "rejected":
        if (action.failure.upstreamErrorId === PlumErrorId.cancelledRefundFailed) {
          // Cancelled at Plum, but the wallet was not refunded: nothing was delivered, money is held.
          this.options.onAlert?.("order_needs_operator");
          this.options.log.error(
            { alert: "order_needs_operator", poNumber: po },
            "Plum cancelled the order but did not refund it",
          );
        }
        this.options.log.info(
          { poNumber: po, code: action.failure.code, upstreamErrorId: action.failure.upstreamErrorId },
          "order rejected",
        );
        return rejected([action.failure]);
      default:
        if (action.type === "wait" && action.alert !== null) {
          this.options.onAlert?.(action.alert);
          this.options.log.error(
            { alert: action.alert, poNumber: po },
            "order needs an operator: it may exist at Plum; left PENDING",
          );
        }
        return pending(actionErrors(action));
    }
  }

  /** The lease moved on while we held evidence: record it for whoever holds the row now, then report. */
  private async lostLease(poNumber: string, learned: Evidence[], log: AttemptEntry[]): Promise<PlacementResult> {
    if (learned.length > 0 || log.length > 0) {
      const item = { poNumber, evidence: learned, log };
      await this.recordEvidence(item).catch(() => this.unwritten.push(item));
    }
    return this.afterLostLease(poNumber);
  }

  /** Our lease was taken over (we outlived it) or never ours: report what the ledger says now. */
  private async afterLostLease(poNumber: string, placed = PlaceOrderOutcome.PLACED): Promise<PlacementResult> {
    const now = await this.options.store.findByPlumPoNumber(poNumber);
    // A caller who never held the lease did not place it: that is a replay.
    if (now?.state === "PLACED") return { outcome: placed, record: now, errors: [] };
    if (now?.state === "REJECTED") return rejected(now.errors);
    return pending([inProgressFailure()]);
  }

  private newLease(): Lease {
    // One owner per operation, not per replica: two requests in one process must not share a lease.
    return { owner: `${this.options.replicaId}:${randomUUID()}`, ms: this.options.leaseMs };
  }
}

/** The attempt-log row of a placeOrder request, written with its write-ahead. */
function requestEntry(poNumber: string, data: PlaceOrderData): AttemptEntry {
  return {
    poNumber,
    operation: "placeOrder",
    phase: "request",
    body: plumRequestBody("placeOrder", data),
    httpStatus: null,
    errorCode: null,
    durationMs: null,
    at: new Date(),
  };
}

/** The row with what a decision learned (its facts), for the next step of the same drive. */
function withFacts(row: OrderRecord, patch: RecordPatch): OrderRecord {
  return {
    ...row,
    sends: patch.sends ?? row.sends,
    existence: patch.existence ?? row.existence,
    lastLookupAt: patch.lastLookupAt ?? row.lastLookupAt,
  };
}

function actionErrors(action: Action): OrderFailure[] {
  if (action.type === "wait" || action.type === "queued") return action.errors;
  if (action.type === "rejected") return [action.failure];
  return [outcomeUnknownFailure(null)];
}

function rejected(errors: OrderFailure[]): PlacementResult {
  return { outcome: PlaceOrderOutcome.REJECTED, record: null, errors };
}

function pending(errors: OrderFailure[]): PlacementResult {
  return { outcome: PlaceOrderOutcome.PENDING, record: null, errors };
}
