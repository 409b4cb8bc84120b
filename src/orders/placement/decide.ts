// The placement engine's decisions, as one pure function: decide(row, evidence, now) → (patch, action).
// Evidence rules (README, "The placement contract"):
// - Proof of existence is sticky: our attempt's success, a matching look-up, PLE10004 after an attempt of ours that
//   may have reached Plum, or a webhook naming our poNumber. Such a row is never re-sent and never REJECTED.
// - Proof of absence is strict: an attempt is empty only if it provably never left, was definitely rejected, or a
//   look-up that started after Plum's whole processing window (newest attempt's start + maxProcessing + settle)
//   found nothing. A row is REJECTED, or sent again, only when every attempt is empty.
import { toId } from "../../plum/lenient.js";
import { parsePlumDate } from "../../plum/plumDate.js";
import type { PlumCallResult } from "../../plum/result.js";
import type { PlumOrderWire } from "../../plum/wire.js";
import { OrderErrorCode, type OrderFailure } from "../errorCodes.js";
import {
  conflictFailure,
  exhaustedFailure,
  NOT_PLACED_SERVER_ERROR_IDS,
  operatorNotPlacedFailure,
  outcomeUnknownFailure,
  queueFullFailure,
  queuedFailure,
  rateLimitedFailure,
  rejectionFailure,
  unavailableFailure,
} from "../failures.js";
import type {
  AlertReason,
  AttemptRecord,
  Driver,
  Evidence,
  ExistenceProof,
  OperatorRefusal,
  PlacementPolicy,
  SendBudget,
} from "./evidence.js";
import { isOurOrder } from "./ownership.js";
import type { PlacementPatch, PlacementRow } from "./row.js";

export type LookupTarget = { poNumber: string } | { orderId: string };

export type Action =
  /** The patch is the write-ahead of attempt `attempt`: send only once it is committed under our live lease. */
  | { type: "send"; attempt: number }
  | { type: "lookup"; target: LookupTarget }
  /** `lateSuccess`: adopted from a success that arrived after its attempt was cleared; an operator should look. */
  | { type: "placed"; orderId: string; order: PlumOrderWire; lateSuccess: boolean }
  | { type: "rejected"; failure: OrderFailure }
  /** Stay PENDING; look again at `until` (null: only when asked). */
  | { type: "wait"; until: Date | null; errors: OrderFailure[]; alert: AlertReason | null }
  /** An operator's decision the evidence does not bear out: nothing changes but the facts the look-up added. */
  | { type: "refused"; reason: OperatorRefusal }
  /** The attempt waits in the placement queue (no budget): the dispatcher sends it, in FIFO order. */
  | { type: "queued"; attempt: number; errors: OrderFailure[] };

export interface Decision {
  patch: PlacementPatch;
  action: Action;
}

export interface DecideContext {
  /** Database time. */
  now: Date;
  driver: Driver;
  policy: PlacementPolicy;
  /** The shared Plum budget for a send now; default available (a slot is held). */
  sendBudget?: SendBudget;
  /** What a queued row tells its caller: the honest estimate, from its queue position and the budget. */
  queuedRetryAfterSeconds?: number;
}

/** What the evidence adds to the row. */
interface Merged {
  sends: AttemptRecord[];
  existence: ExistenceProof | null;
  lastLookupAt: Date | null;
  found: { orderId: string; order: PlumOrderWire } | null;
  /** Our attempt's success arrived after the attempt had been answered or cleared: an operator should look. */
  lateSuccess: boolean;
  /** A look-up answered an order that is provably not ours. */
  notOurs: boolean;
  /** The look-up just made found nothing, or failed: wait before asking again. */
  lookupMissed: boolean;
  penaltyMs: number;
}

const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

/** When a "not found" for this row becomes proof: Plum's whole processing window after the newest attempt left. */
export function trustedAfter(row: PlacementRow, policy: PlacementPolicy): Date {
  return later(row.lastSentAt ?? row.createdAt, policy.maxProcessingMs + policy.settleMs);
}

function mayHaveReached(attempt: AttemptRecord): boolean {
  return attempt.answer !== "queued" && attempt.empty !== "notSent";
}

function isUnresolved(attempt: AttemptRecord): boolean {
  return attempt.answer === "open" || attempt.answer === "unknown";
}

function answerAttempt(sends: AttemptRecord[], n: number, result: PlumCallResult, merged: Merged, now: Date): void {
  const index = n - 1;
  const attempt = sends[index];
  // A queued attempt never left: no answer can be its own (a stray one is ignored, never taken as proof of absence).
  if (attempt === undefined || attempt.answer === "queued") return;
  if (attempt.answer !== "open") {
    // A second answer for one attempt (a replayed write) never overrides the first, except a late success: the
    // order exists after all (the attempt was cleared too early, or its first answer was lost), so it is proof.
    const orderId = result.kind === "ok" ? toId(result.order.orderId) : null;
    if (result.kind === "ok" && orderId !== null && attempt.answer !== "created") {
      sends[index] = { ...attempt, answer: "created", empty: null };
      merged.found = { orderId, order: result.order };
      merged.existence ??= { source: "answer", orderId };
      merged.lateSuccess = true;
    }
    return;
  }
  const set = (next: Partial<AttemptRecord>) => (sends[index] = { ...attempt, ...next });
  switch (result.kind) {
    case "ok": {
      const orderId = toId(result.order.orderId);
      if (orderId === null) return void set({ answer: "unknown", errorId: null });
      set({ answer: "created", empty: null });
      merged.found = { orderId, order: result.order };
      merged.existence ??= { source: "answer", orderId };
      return;
    }
    case "duplicatePoNumber": {
      // Refused as a duplicate: this attempt created nothing. If an earlier attempt of ours may have reached Plum,
      // the order Plum holds may be ours: proof of existence. Otherwise the poNumber is someone else's.
      const earlierMayExist = sends.slice(0, index).some(mayHaveReached);
      set({ answer: "empty", empty: "rejected", failure: conflictFailure(), errorId: null });
      if (earlierMayExist) merged.existence ??= { source: "duplicate", orderId: null };
      return;
    }
    case "rejected":
      return void set({
        answer: "empty",
        empty: "rejected",
        errorId: result.errorId,
        failure: rejectionFailure(result.errorId, result.operatorValidation),
      });
    case "rateLimited":
      merged.penaltyMs = result.penaltySeconds * 1000;
      return void set({ answer: "empty", empty: "notSent", failure: rateLimitedFailure(result.penaltySeconds) });
    case "unauthorized":
    case "notSent":
      return void set({ answer: "empty", empty: "notSent", failure: unavailableFailure() });
    case "unknown":
      return void set({ answer: "unknown", errorId: result.errorId });
    case "notFound":
      return void set({ answer: "unknown", errorId: null });
  }
  void now;
}

function merge(row: PlacementRow, evidence: Evidence, ctx: DecideContext): Merged {
  const merged: Merged = {
    // Every claim writes attempt 1 ahead; a PENDING row without attempts comes from an older writer whose attempt
    // may have left: unknown.
    sends: row.sends.length === 0 ? [{ n: 1, answer: "unknown" }] : row.sends.map((s) => ({ ...s })),
    existence: row.existence,
    lastLookupAt: row.lastLookupAt,
    found: null,
    lateSuccess: false,
    notOurs: false,
    lookupMissed: false,
    penaltyMs: 0,
  };
  // An attempt Plum answered with the order is proof even if the proof itself was never stored.
  if (merged.existence === null && merged.sends.some((s) => s.answer === "created")) {
    merged.existence = { source: "answer", orderId: row.orderId };
  }
  switch (evidence.kind) {
    case "none":
    case "operator": // decideOperator() merges its look-up as a look-up
      break;
    case "answer":
      answerAttempt(merged.sends, evidence.attempt, evidence.result, merged, ctx.now);
      break;
    case "webhook":
    case "history":
      // Plum holds an order under our poNumber: adopted by looking this orderId up (ownership checked there).
      merged.existence ??= { source: evidence.kind, orderId: evidence.orderId };
      break;
    case "lookup": {
      // A late answer to an older look-up never moves the throttle backwards.
      merged.lastLookupAt =
        row.lastLookupAt !== null && row.lastLookupAt > evidence.startedAt ? row.lastLookupAt : evidence.startedAt;
      const result = evidence.result;
      if (result.kind === "ok") {
        const orderId = toId(result.order.orderId);
        if (orderId !== null && isOurOrder(row.poNumber, row.request, result.order)) {
          merged.found = { orderId, order: result.order };
          merged.existence ??= { source: "lookup", orderId };
        } else if (orderId === null) {
          merged.lookupMissed = true;
        } else {
          merged.notOurs = true;
        }
        break;
      }
      merged.lookupMissed = true;
      if (result.kind === "rateLimited") merged.penaltyMs = result.penaltySeconds * 1000;
      const trusted =
        result.kind === "notFound" &&
        evidence.by === "poNumber" &&
        merged.existence === null &&
        evidence.startedAt.getTime() >= trustedAfter(row, ctx.policy).getTime();
      if (trusted) {
        merged.sends = merged.sends.map((s) => (isUnresolved(s) ? { ...s, answer: "empty", empty: "notFound" } : s));
      }
      break;
    }
  }
  return merged;
}

/** Exponential in the time since the newest attempt, at least the look-up interval and any penalty. */
function backoff(row: PlacementRow, ctx: DecideContext, penaltyMs: number): Date {
  const since = ctx.now.getTime() - (row.lastSentAt ?? row.createdAt).getTime();
  const delay = Math.min(Math.max(ctx.policy.lookupIntervalMs, since, penaltyMs), ctx.policy.maxBackoffMs);
  return later(ctx.now, Math.max(delay, penaltyMs));
}

function unknownErrors(sends: AttemptRecord[]): OrderFailure[] {
  const newest = [...sends].reverse().find(isUnresolved);
  return [outcomeUnknownFailure(newest?.errorId ?? null)];
}

export function decide(row: PlacementRow, evidence: Evidence, ctx: DecideContext): Decision {
  if (row.state !== "PENDING") throw new Error("decide() is for PENDING rows; PLACED and REJECTED are final");
  if (evidence.kind === "operator") return decideOperator(row, evidence, ctx);
  const { now, policy, driver } = ctx;
  const m = merge(row, evidence, ctx);
  const facts: PlacementPatch = { sends: m.sends, existence: m.existence, lastLookupAt: m.lastLookupAt };
  const wait = (until: Date | null, errors: OrderFailure[], alert: AlertReason | null = null): Decision => ({
    patch: { ...facts, errors, nextCheckAt: until, alert },
    action: { type: "wait", until, errors, alert },
  });
  const reject = (failure: OrderFailure, reopenable = false): Decision => ({
    patch: { ...facts, state: "REJECTED", errors: [failure], nextCheckAt: null, alert: null, reopenable },
    action: { type: "rejected", failure },
  });
  const lookup = (target: LookupTarget): Decision => ({ patch: facts, action: { type: "lookup", target } });
  const throttledUntil =
    m.lastLookupAt === null
      ? null
      : later(m.lastLookupAt, policy.lookupIntervalMs).getTime() > now.getTime()
        ? later(m.lastLookupAt, policy.lookupIntervalMs)
        : null;
  const byPoNumber = { poNumber: row.poNumber };

  if (m.found !== null) {
    const { orderId, order } = m.found;
    return {
      patch: {
        ...facts,
        state: "PLACED",
        orderId,
        order,
        errors: [],
        nextCheckAt: null,
        alert: m.lateSuccess ? "order_needs_operator" : null,
        placedAt: parsePlumDate(order.orderDate) ?? now,
      },
      action: { type: "placed", orderId, order, lateSuccess: m.lateSuccess },
    };
  }

  const pendingErrors = unknownErrors(m.sends);
  if (m.existence !== null) {
    // An order exists: adopt it by look-up (by its orderId when the proof names one), never send, never reject.
    const target = m.existence.orderId === null ? byPoNumber : { orderId: m.existence.orderId };
    if (m.notOurs) return wait(later(now, policy.maxBackoffMs), pendingErrors, "po_number_held_by_different_order");
    if (m.lookupMissed) {
      const overdue = now.getTime() >= trustedAfter(row, policy).getTime();
      return wait(backoff(row, ctx, m.penaltyMs), pendingErrors, overdue ? "order_needs_operator" : null);
    }
    if (throttledUntil !== null) return wait(throttledUntil, pendingErrors);
    return lookup(target);
  }
  const unresolved = m.sends.filter(isUnresolved);
  if (m.notOurs) {
    // Plum holds a different order under our poNumber. After an attempt of ours that may have reached it, ours may
    // exist too (de-duplication is undocumented): neither "placed" nor "nothing was placed" is safe. If no attempt
    // of ours can have created anything (the first one was refused as a duplicate), the poNumber is someone else's.
    if (unresolved.length > 0)
      return wait(later(now, policy.maxBackoffMs), pendingErrors, "po_number_held_by_different_order");
    return reject(conflictFailure());
  }

  const reached = m.sends.filter(mayHaveReached).length;
  if (unresolved.length > 0) {
    const alert: AlertReason | null = reached >= policy.maxSendAttempts ? "order_needs_operator" : null;
    if (evidence.kind === "answer") return wait(later(now, policy.settleMs), pendingErrors, alert);
    if (m.lookupMissed) {
      const notFound = evidence.kind === "lookup" && evidence.result.kind === "notFound";
      const until = notFound
        ? new Date(Math.max(trustedAfter(row, policy).getTime(), later(now, policy.lookupIntervalMs).getTime()))
        : backoff(row, ctx, m.penaltyMs);
      return wait(until, pendingErrors, alert);
    }
    if (throttledUntil !== null) return wait(throttledUntil, pendingErrors, alert);
    return lookup(byPoNumber);
  }

  // Every attempt is proven empty (or there is none yet).
  const last = m.sends.at(-1);
  if (last?.empty === "rejected" && last.failure?.code === OrderErrorCode.PO_NUMBER_CONFLICT) {
    // Refused as a duplicate with no attempt of ours behind it: the order Plum holds may still be ours from a
    // ledger that lost its row. Look: ours → adopt; another → PO_NUMBER_CONFLICT; nothing yet → ask again.
    if (m.lookupMissed) {
      const overdue = now.getTime() >= trustedAfter(row, policy).getTime();
      return wait(backoff(row, ctx, m.penaltyMs), pendingErrors, overdue ? "order_needs_operator" : null);
    }
    if (throttledUntil !== null) return wait(throttledUntil, pendingErrors);
    return lookup(byPoNumber);
  }
  if (last?.empty === "rejected" && last.failure) return reject(last.failure);
  if (last?.empty === "notFound" && last.errorId && NOT_PLACED_SERVER_ERROR_IDS.has(last.errorId)) {
    return reject(rejectionFailure(last.errorId, false));
  }
  if (reached >= policy.maxSendAttempts) return reject(exhaustedFailure(reached));
  const queued = last?.answer === "queued" ? last : null;
  const renewedToken =
    queued === null &&
    evidence.kind === "answer" &&
    evidence.result.kind === "unauthorized" &&
    evidence.result.renewable &&
    !m.sends.at(-2)?.renewed;
  if (renewedToken) {
    // Plum refused an expired token before looking at the order; the client renewed it. One new attempt, written
    // ahead like any other (never a hidden re-send inside the client).
    m.sends[m.sends.length - 1] = { ...(last as AttemptRecord), renewed: true };
  } else if (last?.empty === "notSent" && evidence.kind === "answer") {
    const failure = last.failure ?? unavailableFailure();
    // The caller is here: tell them nothing was placed; the same poNumber may be retried (the row reopens).
    if (driver === "mutation") return reject(failure, true);
    return wait(backoff(row, ctx, m.penaltyMs), [failure]);
  }
  // A read never sends: it hands the row to the reconciler (a queued row stays in the queue, where it is).
  if (driver === "read") return queued === null ? wait(now, pendingErrors) : stayQueued(facts, queued.n, ctx);
  const budget: SendBudget = ctx.sendBudget ?? "available";
  if (budget !== "available") {
    // Over the queue bound a new placement is refused before anything is queued: nothing was sent, so the caller
    // may retry the same poNumber (the row reopens). A row already queued, or a re-send, keeps its place.
    if (budget === "full" && driver === "mutation" && queued === null)
      return reject(queueFullFailure(ctx.queuedRetryAfterSeconds ?? 1), true);
    if (queued !== null) return stayQueued(facts, queued.n, ctx);
    return stayQueued(
      { ...facts, sends: [...m.sends, { n: m.sends.length + 1, answer: "queued" }] },
      m.sends.length + 1,
      ctx,
    );
  }
  // Sending: a queued attempt becomes the write-ahead of the same attempt number (it never left).
  const attempt = queued?.n ?? m.sends.length + 1;
  const before = queued === null ? m.sends : m.sends.slice(0, -1);
  return {
    patch: {
      ...facts,
      sends: [...before, { n: attempt, answer: "open" }],
      startAttempt: true,
      sendAttempts: attempt,
      nextCheckAt: later(now, policy.settleMs),
    },
    action: { type: "send", attempt },
  };
}

/**
 * An operator's decision on a row the engine parked for a person. It is evidence, checked like any other: "placed as
 * N" only if Plum answers order N and it is ours (and no proof names another order); "not placed" only if no proof of
 * existence is on record and a look-up by poNumber that started after Plum's whole processing window finds nothing
 * of ours. Then it is a final (never reopened) rejection. Anything else is refused, and the row stays as it was.
 */
function decideOperator(
  row: PlacementRow,
  evidence: Extract<Evidence, { kind: "operator" }>,
  ctx: DecideContext,
): Decision {
  const refused = (reason: OperatorRefusal, patch: PlacementPatch = {}): Decision => ({
    patch,
    action: { type: "refused", reason },
  });
  if (row.alert === null) return refused("not_awaiting_operator");
  const { decision, startedAt, result } = evidence;
  const by = decision.verdict === "placed" ? "orderId" : "poNumber";
  const m = merge(row, { kind: "lookup", startedAt, by, result }, ctx);
  // What the look-up proved is kept even when the decision is refused (the look-up throttle moves too).
  const facts: PlacementPatch = { sends: m.sends, existence: m.existence, lastLookupAt: m.lastLookupAt };
  const placed = (found: { orderId: string; order: PlumOrderWire }): Decision => ({
    patch: {
      ...facts,
      state: "PLACED",
      orderId: found.orderId,
      order: found.order,
      errors: [],
      nextCheckAt: null,
      alert: null,
      placedAt: parsePlumDate(found.order.orderDate) ?? ctx.now,
    },
    action: { type: "placed", orderId: found.orderId, order: found.order, lateSuccess: false },
  });
  // Neither ours, nor another's, nor a clean "not found": Plum could not answer (or answered without an orderId).
  const unreachable = m.found === null && !m.notOurs && result.kind !== "notFound";
  if (decision.verdict === "placed") {
    if (m.found === null)
      return refused(unreachable ? "plum_unreachable" : m.notOurs ? "not_ours" : "not_found_at_plum", facts);
    if (m.found.orderId !== decision.orderId) return refused("not_ours", facts);
    const named = row.existence?.orderId ?? null;
    if (named !== null && named !== decision.orderId) return refused("proof_names_other_order", facts);
    // The operator's orderId is arbitrary: "not proven someone else's" is not enough. Plum must name our poNumber
    // for it, or a proof on record (a webhook, Plum's history) must name this order.
    if (m.found.order.poNumber !== row.poNumber && named !== decision.orderId)
      return refused("ownership_unproven", facts);
    return placed(m.found);
  }
  // "Not placed", but Plum answers our order: it exists after all; adopt it (the operator sees "placed").
  if (m.found !== null) return placed(m.found);
  if (row.existence !== null || m.existence !== null || row.sends.some((s) => s.answer === "created")) {
    return refused("existence_proven", facts);
  }
  if (unreachable) return refused("plum_unreachable", facts);
  // Plum answers one order per poNumber: someone else's there cannot show that ours, which an attempt of ours may
  // have created, is absent. Neither "placed" nor "nothing was placed" is safe: a person must ask Plum.
  if (m.notOurs && row.sends.some(mayHaveReached)) return refused("not_ours", facts);
  if (startedAt.getTime() < trustedAfter(row, ctx.policy).getTime()) return refused("processing_window_open", facts);
  const failure = operatorNotPlacedFailure();
  return {
    patch: {
      ...facts,
      sends: m.sends.map((s) => (isUnresolved(s) ? { ...s, answer: "empty", empty: "notFound" } : s)),
      state: "REJECTED",
      errors: [failure],
      nextCheckAt: null,
      alert: null,
      reopenable: false,
    },
    action: { type: "rejected", failure },
  };
}

/** The row waits in the placement queue: not due for the reconciler (the dispatcher takes it in FIFO order). */
function stayQueued(facts: PlacementPatch, attempt: number, ctx: DecideContext): Decision {
  const errors = [queuedFailure(ctx.queuedRetryAfterSeconds ?? 1)];
  return { patch: { ...facts, errors, nextCheckAt: null, alert: null }, action: { type: "queued", attempt, errors } };
}
