// Table tests for the pure placement decision decide(row, evidence, ctx) (src/orders/placement/decide.ts). Each block
// is named after the issue case it pins. The contract (decide.ts header, README "The placement contract"):
// - proof of existence is sticky: such a row is never re-sent and never REJECTED;
// - proof of absence is strict: a row is REJECTED, or sent again, only when every attempt is empty;
// - a read never sends.
import { describe, expect, it } from "vitest";
import { OrderErrorCode, type OrderFailure } from "../../src/orders/errorCodes.js";
import {
  conflictFailure,
  rateLimitedFailure,
  rejectionFailure,
  unavailableFailure,
} from "../../src/orders/failures.js";
import { decide, trustedAfter, type Decision, type DecideContext } from "../../src/orders/placement/decide.js";
import type { AlertReason } from "../../src/orders/placement/evidence.js";
import type {
  AttemptRecord,
  Driver,
  Evidence,
  ExistenceProof,
  PlacementPolicy,
} from "../../src/orders/placement/evidence.js";
import type { PlacementRow } from "../../src/orders/placement/row.js";
import type { PlumCallResult } from "../../src/plum/result.js";
import type { PlaceOrderData, PlumOrderWire } from "../../src/plum/wire.js";

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

const POLICY: PlacementPolicy = {
  settleMs: 30_000,
  maxProcessingMs: 120_000,
  lookupIntervalMs: 5_000,
  maxBackoffMs: 600_000,
  maxSendAttempts: 3,
};
/** maxProcessing + settle: a "not found" is proof only for a look-up that started this long after the write-ahead. */
const WINDOW_MS = POLICY.maxProcessingMs + POLICY.settleMs;

const PO = "PO-4711";
const ORDER_ID = "98765432";
const CREATED = new Date("2024-05-01T10:00:00.000Z");
/** The write-ahead of the newest attempt (row.lastSentAt). */
const SENT = new Date("2024-05-01T10:00:01.000Z");
/** SENT + maxProcessing + settle. */
const TRUSTED = new Date(SENT.getTime() + WINDOW_MS);

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const REQUEST: PlaceOrderData = {
  productId: 15365,
  quantity: 2,
  denomination: 50,
  email: "buyer@example.com",
  contact: "+1-4705000000",
  tag: "Rewarding",
  poNumber: PO,
  notifyReceiverEmail: 1,
  notifyAdminEmail: 0,
  userMeta: { loyaltyMemberId: "324523423" },
};

/** The order Plum holds for REQUEST, as getOrderDetails / placeOrder report it. */
function ourOrder(overrides: Partial<PlumOrderWire> = {}): PlumOrderWire {
  return {
    orderId: Number(ORDER_ID),
    poNumber: PO,
    quantity: 2,
    orderStatus: "complete",
    deliveryStatus: "delivered",
    orderDate: "2024-05-01 10:00:05",
    voucherDetails: [{ orderId: Number(ORDER_ID), productId: 15365, denomination: 50, productName: "Gift card" }],
    orderMeta: { email: "buyer@example.com" },
    ...overrides,
  };
}

// Attempts ------------------------------------------------------------------------------------------------------
const open = (n: number): AttemptRecord => ({ n, answer: "open" });
const unknown = (n: number, errorId: string | null = null): AttemptRecord => ({ n, answer: "unknown", errorId });
const notSentAttempt = (n: number, failure: OrderFailure = unavailableFailure()): AttemptRecord => ({
  n,
  answer: "empty",
  empty: "notSent",
  failure,
});
const rejectedAttempt = (n: number, errorId: string | null): AttemptRecord => ({
  n,
  answer: "empty",
  empty: "rejected",
  errorId,
  failure: rejectionFailure(errorId, false),
});
/** Refused as a duplicate (PLE10004) with no earlier attempt of ours behind it. */
const conflictAttempt = (n: number): AttemptRecord => ({
  n,
  answer: "empty",
  empty: "rejected",
  errorId: null,
  failure: conflictFailure(),
});
/** Cleared by a trusted "not found" look-up. */
const clearedAttempt = (n: number, errorId: string | null = null): AttemptRecord => ({
  n,
  answer: "empty",
  empty: "notFound",
  errorId,
});
const createdAttempt = (n: number): AttemptRecord => ({ n, answer: "created", empty: null });

// Rows ----------------------------------------------------------------------------------------------------------
function row(overrides: Partial<PlacementRow> = {}): PlacementRow {
  const sends = overrides.sends ?? [];
  return {
    poNumber: PO,
    state: "PENDING",
    request: REQUEST,
    sends,
    existence: null,
    lastSentAt: sends.length > 0 ? SENT : null,
    lastLookupAt: null,
    orderId: null,
    order: null,
    errors: [],
    alert: null,
    reopenable: false,
    createdAt: CREATED,
    ...overrides,
  };
}

const ctx = (now: Date, driver: Driver = "mutation", policy: PlacementPolicy = POLICY): DecideContext => ({
  now,
  driver,
  policy,
});

// Plum call results ---------------------------------------------------------------------------------------------
const ok = (order: PlumOrderWire = ourOrder()): PlumCallResult => ({ kind: "ok", httpStatus: 200, order });
const notFound: PlumCallResult = { kind: "notFound", httpStatus: 404 };
const duplicate: PlumCallResult = { kind: "duplicatePoNumber", httpStatus: 422 };
const rejected = (errorId: string | null, operatorValidation = false): PlumCallResult => ({
  kind: "rejected",
  httpStatus: 400,
  errorId,
  operatorValidation,
});
const rateLimited = (penaltySeconds: number): PlumCallResult => ({
  kind: "rateLimited",
  httpStatus: 429,
  penaltySeconds,
});
const unauthorized: PlumCallResult = { kind: "unauthorized", httpStatus: 401, renewable: false };
const notSent: PlumCallResult = { kind: "notSent", errorCode: "ECONNREFUSED" };
const unknownResult = (errorId: string | null = null, httpStatus: number | null = null): PlumCallResult => ({
  kind: "unknown",
  httpStatus,
  errorId,
  errorCode: httpStatus === null ? "ETIMEDOUT" : null,
});

// Evidence ------------------------------------------------------------------------------------------------------
const NONE: Evidence = { kind: "none" };
const answer = (attempt: number, result: PlumCallResult): Evidence => ({ kind: "answer", attempt, result });
const lookup = (startedAt: Date, result: PlumCallResult, by: "poNumber" | "orderId" = "poNumber"): Evidence => ({
  kind: "lookup",
  startedAt,
  by,
  result,
});
const webhook = (orderId: string = ORDER_ID): Evidence => ({ kind: "webhook", orderId });

const DRIVERS: Driver[] = ["mutation", "read", "reconciler"];
const SENDING_DRIVERS: Driver[] = ["mutation", "reconciler"];

const DUPLICATE_PROOF: ExistenceProof = { source: "duplicate", orderId: null };
const WEBHOOK_PROOF: ExistenceProof = { source: "webhook", orderId: ORDER_ID };

/** The reconciler's backoff for a row whose newest attempt was written ahead at `sentAt` (decide.ts backoff()). */
function expectedBackoff(now: Date, sentAt: Date, penaltyMs = 0): Date {
  const since = now.getTime() - sentAt.getTime();
  const delay = Math.min(Math.max(POLICY.lookupIntervalMs, since, penaltyMs), POLICY.maxBackoffMs);
  return at(now, Math.max(delay, penaltyMs));
}

function expectNeverSendsOrRejects(decision: Decision): void {
  expect(decision.action.type).not.toBe("send");
  expect(decision.action.type).not.toBe("rejected");
  expect(decision.patch.state).not.toBe("REJECTED");
  expect(decision.patch.startAttempt).toBeUndefined();
}

function expectWait(decision: Decision): Extract<Decision["action"], { type: "wait" }> {
  expect(decision.action.type).toBe("wait");
  expect(decision.patch.state).toBeUndefined();
  expect(decision.patch.startAttempt).toBeUndefined();
  if (decision.action.type !== "wait") throw new Error("unreachable");
  // The action and the patch say the same thing.
  expect(decision.patch.nextCheckAt).toEqual(decision.action.until);
  expect(decision.patch.errors).toEqual(decision.action.errors);
  expect(decision.patch.alert).toEqual(decision.action.alert);
  return decision.action;
}

function expectRejected(decision: Decision, code: OrderErrorCode): OrderFailure {
  expect(decision.action.type).toBe("rejected");
  expect(decision.patch.state).toBe("REJECTED");
  expect(decision.patch.errors).toHaveLength(1);
  expect(decision.patch.errors?.[0]?.code).toBe(code);
  expect(decision.patch.nextCheckAt).toBeNull();
  expect(decision.patch.alert).toBeNull();
  expect(decision.patch.startAttempt).toBeUndefined();
  if (decision.action.type !== "rejected") throw new Error("unreachable");
  expect(decision.action.failure).toEqual(decision.patch.errors?.[0]);
  return decision.action.failure;
}

function expectSend(decision: Decision, attempt: number, now: Date): void {
  expect(decision.action).toEqual({ type: "send", attempt });
  expect(decision.patch.startAttempt).toBe(true);
  expect(decision.patch.sendAttempts).toBe(attempt);
  expect(decision.patch.state).toBeUndefined();
  expect(decision.patch.nextCheckAt).toEqual(at(now, POLICY.settleMs));
  // The write-ahead of the new attempt: open, numbered, last.
  expect(decision.patch.sends).toHaveLength(attempt);
  expect(decision.patch.sends?.at(-1)).toEqual({ n: attempt, answer: "open" });
}

function expectPlaced(decision: Decision, orderId = ORDER_ID, alert: AlertReason | null = null): void {
  expect(decision.action.type).toBe("placed");
  if (decision.action.type !== "placed") throw new Error("unreachable");
  expect(decision.action.orderId).toBe(orderId);
  expect(decision.patch).toMatchObject({ state: "PLACED", orderId, errors: [], nextCheckAt: null, alert });
  expect(decision.patch.order).toEqual(decision.action.order);
  expect(decision.patch.startAttempt).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------------------------
// Case 1: slow Plum
// ---------------------------------------------------------------------------------------------------------------

describe("case 1: slow Plum (a not-found is proof only after Plum's whole processing window)", () => {
  const slow = () => row({ sends: [unknown(1)] });

  it("the trusted instant is the write-ahead + maxProcessing + settle", () => {
    expect(trustedAfter(slow(), POLICY)).toEqual(TRUSTED);
    // No write-ahead on record: counted from the row's creation.
    expect(trustedAfter(row({ sends: [], lastSentAt: null }), POLICY)).toEqual(at(CREATED, WINDOW_MS));
  });

  const early = [
    ["1 s after the write-ahead", at(SENT, SECOND)],
    ["30 s (settle) after the write-ahead", at(SENT, POLICY.settleMs)],
    ["120 s (maxProcessing) after the write-ahead", at(SENT, POLICY.maxProcessingMs)],
    ["1 ms before the trusted instant", at(TRUSTED, -1)],
  ] as const;
  const cases1 = DRIVERS.flatMap((driver) => early.map(([label, startedAt]) => [driver, label, startedAt] as const));

  it.each(cases1)(
    "%s: a not-found that started %s waits (never sends) until at least the trusted instant",
    (driver, _label, startedAt) => {
      const now = at(startedAt, 500);
      const decision = decide(slow(), lookup(startedAt, notFound), ctx(now, driver));
      const wait = expectWait(decision);
      expectNeverSendsOrRejects(decision);
      expect(wait.until!.getTime()).toBeGreaterThanOrEqual(TRUSTED.getTime());
      expect(wait.until).toEqual(new Date(Math.max(TRUSTED.getTime(), now.getTime() + POLICY.lookupIntervalMs)));
      expect(decision.patch.sends).toEqual([unknown(1)]);
      expect(decision.patch.lastLookupAt).toEqual(startedAt);
      expect(wait.errors[0]?.code).toBe(OrderErrorCode.OUTCOME_UNKNOWN);
      expect(wait.alert).toBeNull();
    },
  );

  const trusted = [
    ["exactly at the trusted instant", TRUSTED],
    ["a minute after the trusted instant", at(TRUSTED, MINUTE)],
  ] as const;

  it.each(SENDING_DRIVERS.flatMap((d) => trusted.map(([l, s]) => [d, l, s] as const)))(
    "%s: a not-found that started %s clears attempt 1 (empty notFound) and sends attempt 2",
    (driver, _label, startedAt) => {
      const now = at(startedAt, 800);
      const decision = decide(slow(), lookup(startedAt, notFound), ctx(now, driver));
      expectSend(decision, 2, now);
      expect(decision.patch.sends?.[0]).toMatchObject({ n: 1, answer: "empty", empty: "notFound" });
      expect(decision.patch.lastLookupAt).toEqual(startedAt);
      expect(decision.patch.existence).toBeNull();
    },
  );

  it.each(trusted)(
    "read: a not-found that started %s clears attempt 1 but never sends (hands the row to the reconciler)",
    (_label, startedAt) => {
      const now = at(startedAt, 800);
      const decision = decide(slow(), lookup(startedAt, notFound), ctx(now, "read"));
      const wait = expectWait(decision);
      expect(wait.until).toEqual(now);
      expect(decision.patch.sends).toEqual([expect.objectContaining({ n: 1, answer: "empty", empty: "notFound" })]);
    },
  );

  it("a late now does not make an early look-up trusted: only the look-up's start counts", () => {
    const decision = decide(slow(), lookup(at(TRUSTED, -1), notFound), ctx(at(TRUSTED, 10 * MINUTE), "reconciler"));
    expectWait(decision);
    expectNeverSendsOrRejects(decision);
    expect(decision.patch.sends).toEqual([unknown(1)]);
  });

  it("a not-found by orderId is never proof of absence", () => {
    const decision = decide(
      slow(),
      lookup(at(TRUSTED, MINUTE), notFound, "orderId"),
      ctx(at(TRUSTED, 2 * MINUTE), "reconciler"),
    );
    expectWait(decision);
    expectNeverSendsOrRejects(decision);
    expect(decision.patch.sends).toEqual([unknown(1)]);
  });

  it.each([
    ["an unknown answer", unknownResult()],
    ["a rate limit", rateLimited(10)],
    ["a transport failure", notSent],
    ["an order without an orderId", ok(ourOrder({ orderId: null }))],
  ] as const)("a failed look-up (%s) after the trusted instant clears nothing and backs off", (_label, result) => {
    const startedAt = at(TRUSTED, MINUTE);
    const now = at(startedAt, SECOND);
    const decision = decide(slow(), lookup(startedAt, result), ctx(now, "reconciler"));
    const wait = expectWait(decision);
    expectNeverSendsOrRejects(decision);
    expect(decision.patch.sends).toEqual([unknown(1)]);
    const penaltyMs = result.kind === "rateLimited" ? result.penaltySeconds * 1000 : 0;
    expect(wait.until).toEqual(expectedBackoff(now, SENT, penaltyMs));
  });

  it("the full slow-Plum story: unknown → early not-found waits → trusted not-found sends attempt 2", () => {
    let r = row({ sends: [open(1)] });
    const d1 = decide(r, answer(1, unknownResult(null, 504)), ctx(at(SENT, 20 * SECOND)));
    expectWait(d1);
    r = { ...r, sends: d1.patch.sends! };
    const d2 = decide(r, lookup(at(SENT, MINUTE), notFound), ctx(at(SENT, MINUTE + 100), "reconciler"));
    const w2 = expectWait(d2);
    expect(w2.until!.getTime()).toBeGreaterThanOrEqual(TRUSTED.getTime());
    r = { ...r, sends: d2.patch.sends!, lastLookupAt: d2.patch.lastLookupAt! };
    const d3 = decide(r, lookup(w2.until!, notFound), ctx(at(w2.until!, 100), "reconciler"));
    expectSend(d3, 2, at(w2.until!, 100));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Case 2: duplicate answers (PLE10004)
// ---------------------------------------------------------------------------------------------------------------

describe("case 2: duplicate answers", () => {
  const SENT2 = at(TRUSTED, 10 * SECOND); // attempt 2's write-ahead, after attempt 1 was cleared
  const TRUSTED2 = at(SENT2, WINDOW_MS);

  it.each([
    ["attempt 1 cleared by a trusted not-found", clearedAttempt(1)],
    ["attempt 1 still unknown (constructed)", unknown(1)],
    ["attempt 1 still open (constructed)", open(1)],
    ["attempt 1 definitely rejected (constructed; may have reached Plum)", rejectedAttempt(1, "PLE10018")],
  ] as const)(
    "%s, attempt 2 answered duplicate → existence {duplicate}, look up by poNumber, never rejected",
    (_label, first) => {
      for (const driver of DRIVERS) {
        const r = row({ sends: [first, open(2)], lastSentAt: SENT2, lastLookupAt: at(TRUSTED, SECOND) });
        const now = at(SENT2, 2 * SECOND);
        const decision = decide(r, answer(2, duplicate), ctx(now, driver));
        expect(decision.patch.existence).toEqual(DUPLICATE_PROOF);
        expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
        expectNeverSendsOrRejects(decision);
        expect(decision.patch.sends?.[1]).toMatchObject({ n: 2, answer: "empty", empty: "rejected" });
        expect(decision.patch.sends?.[1]?.failure?.code).toBe(OrderErrorCode.PO_NUMBER_CONFLICT);
        expect(decision.patch.sends?.[0]).toEqual(first);
      }
    },
  );

  it("attempt 1 provably never left (notSent), attempt 2 answered duplicate → no existence proof, looked up as a conflict", () => {
    const r = row({ sends: [notSentAttempt(1), open(2)], lastSentAt: SENT2 });
    const decision = decide(r, answer(2, duplicate), ctx(at(SENT2, SECOND)));
    expect(decision.patch.existence).toBeNull();
    expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
  });

  describe("with existence {duplicate} on record", () => {
    const proven = () =>
      row({ sends: [clearedAttempt(1), conflictAttempt(2)], existence: DUPLICATE_PROOF, lastSentAt: SENT2 });

    const times = [
      ["inside the trusted window", at(SENT2, MINUTE), null],
      ["1 ms before the trusted instant", at(TRUSTED2, -1), null],
      ["exactly at the trusted instant", TRUSTED2, "order_needs_operator"],
      ["long past the trusted window", at(TRUSTED2, 30 * MINUTE), "order_needs_operator"],
    ] as const;

    it.each(DRIVERS.flatMap((d) => times.map(([l, t, a]) => [d, l, t, a] as const)))(
      "%s: a not-found look-up %s waits PENDING (never REJECTED, never sent), alert %s",
      (driver, _label, startedAt, alert) => {
        const now = startedAt;
        const decision = decide(proven(), lookup(startedAt, notFound), ctx(now, driver));
        const wait = expectWait(decision);
        expectNeverSendsOrRejects(decision);
        expect(wait.alert).toBe(alert);
        expect(wait.until).toEqual(expectedBackoff(now, SENT2));
        expect(decision.patch.existence).toEqual(DUPLICATE_PROOF);
        // Existence blocks the clearing: the attempts stay as they were.
        expect(decision.patch.sends).toEqual(proven().sends);
      },
    );

    it.each(DRIVERS)("%s: with nothing new, looks up by poNumber (the proof names no orderId)", (driver) => {
      const decision = decide(proven(), NONE, ctx(at(TRUSTED2, HOUR), driver));
      expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
    });

    it("a matching look-up places it", () => {
      const decision = decide(proven(), lookup(at(SENT2, MINUTE), ok()), ctx(at(SENT2, MINUTE)));
      expectPlaced(decision);
      expect(decision.patch.existence).toEqual(DUPLICATE_PROOF); // the first proof is kept
    });
  });

  describe("a first-ever attempt answered duplicate (nothing of ours can exist)", () => {
    it.each(DRIVERS)("%s: marks the attempt a conflict, no existence proof, looks up by poNumber", (driver) => {
      const decision = decide(row({ sends: [open(1)] }), answer(1, duplicate), ctx(at(SENT, SECOND), driver));
      expect(decision.patch.existence).toBeNull();
      expect(decision.patch.sends).toEqual([
        expect.objectContaining({ n: 1, answer: "empty", empty: "rejected", failure: conflictFailure() }),
      ]);
      expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
    });

    const refused = () => row({ sends: [conflictAttempt(1)] });
    const now = at(SENT, 3 * SECOND);

    it("then a look-up finding our order → placed (a ledger that lost its row)", () => {
      const decision = decide(refused(), lookup(at(SENT, 2 * SECOND), ok()), ctx(now));
      expectPlaced(decision);
      expect(decision.patch.existence).toEqual({ source: "lookup", orderId: ORDER_ID });
    });

    it.each([
      ["another poNumber", ourOrder({ poNumber: "PO-SOMEONE-ELSE" })],
      ["another recipient email", ourOrder({ orderMeta: { email: "other@example.com" } })],
      ["another productId", ourOrder({ voucherDetails: [{ productId: 999, denomination: 50 }] })],
    ] as const)("then a look-up finding an order with %s → REJECTED PO_NUMBER_CONFLICT", (_label, order) => {
      for (const driver of DRIVERS) {
        const decision = decide(refused(), lookup(at(SENT, 2 * SECOND), ok(order)), ctx(now, driver));
        const failure = expectRejected(decision, OrderErrorCode.PO_NUMBER_CONFLICT);
        expect(failure.retryable).toBe(false);
        expect(decision.patch.reopenable).toBe(false);
      }
    });

    it.each(
      DRIVERS.flatMap(
        (d) =>
          [
            [d, at(SENT, 2 * SECOND)],
            [d, at(TRUSTED, MINUTE)],
          ] as const,
      ),
    )("%s: then a not-found look-up (started %s) → wait, never sent again, never rejected", (driver, startedAt) => {
      const n = at(startedAt, SECOND);
      const decision = decide(refused(), lookup(startedAt, notFound), ctx(n, driver));
      const wait = expectWait(decision);
      expectNeverSendsOrRejects(decision);
      expect(wait.until).toEqual(expectedBackoff(n, SENT));
    });

    it.each(DRIVERS)("%s: with nothing new, looks up again (throttled by the interval), never sends", (driver) => {
      const free = decide(refused(), NONE, ctx(at(TRUSTED, HOUR), driver));
      expect(free.action).toEqual({ type: "lookup", target: { poNumber: PO } });
      const throttled = decide(
        row({ sends: [conflictAttempt(1)], lastLookupAt: at(SENT, 10 * SECOND) }),
        NONE,
        ctx(at(SENT, 12 * SECOND), driver),
      );
      expect(expectWait(throttled).until).toEqual(at(SENT, 15 * SECOND));
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Case 3: rejection of a re-send
// ---------------------------------------------------------------------------------------------------------------

describe("case 3: a rejected re-send is final only when every earlier attempt is empty", () => {
  const SENT2 = at(TRUSTED, 10 * SECOND);

  it.each(DRIVERS)(
    "%s: rejected answer for attempt 2 while attempt 1 is still UNKNOWN → not REJECTED (waits)",
    (driver) => {
      const r = row({ sends: [unknown(1, "PLE10035"), open(2)], lastSentAt: SENT2 });
      const now = at(SENT2, SECOND);
      const decision = decide(r, answer(2, rejected("PLE10010")), ctx(now, driver));
      const wait = expectWait(decision);
      expectNeverSendsOrRejects(decision);
      expect(wait.until).toEqual(at(now, POLICY.settleMs));
      expect(wait.errors).toHaveLength(1);
      expect(wait.errors[0]).toMatchObject({ code: OrderErrorCode.OUTCOME_UNKNOWN, upstreamErrorId: "PLE10035" });
      // The rejection of attempt 2 is recorded, attempt 1 is untouched.
      expect(decision.patch.sends?.[0]).toEqual(unknown(1, "PLE10035"));
      expect(decision.patch.sends?.[1]).toMatchObject({
        n: 2,
        answer: "empty",
        empty: "rejected",
        errorId: "PLE10010",
      });
      expect(decision.patch.sends?.[1]?.failure?.code).toBe(OrderErrorCode.INSUFFICIENT_BALANCE);
    },
  );

  it.each(DRIVERS)("%s: the same row with nothing new looks up by poNumber (still not REJECTED)", (driver) => {
    const r = row({ sends: [unknown(1), rejectedAttempt(2, "PLE10010")], lastSentAt: SENT2 });
    const decision = decide(r, NONE, ctx(at(SENT2, MINUTE), driver));
    expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
  });

  it.each(
    DRIVERS.flatMap(
      (d) =>
        [
          [d, "cleared by a trusted not-found", clearedAttempt(1)],
          [d, "never sent", notSentAttempt(1)],
        ] as const,
    ),
  )("%s: rejected answer for attempt 2 with attempt 1 %s → REJECTED INSUFFICIENT_BALANCE", (driver, _label, first) => {
    const r = row({ sends: [first, open(2)], lastSentAt: SENT2 });
    const decision = decide(r, answer(2, rejected("PLE10010")), ctx(at(SENT2, SECOND), driver));
    const failure = expectRejected(decision, OrderErrorCode.INSUFFICIENT_BALANCE);
    expect(failure).toMatchObject({ upstreamErrorId: "PLE10010", retryable: false });
    expect(decision.patch.reopenable).toBe(false);
  });

  it("once a trusted not-found clears attempt 1, the recorded rejection of attempt 2 becomes final", () => {
    const r = row({ sends: [unknown(1), rejectedAttempt(2, "PLE10010")], lastSentAt: SENT2 });
    const startedAt = at(SENT2, WINDOW_MS);
    const decision = decide(r, lookup(startedAt, notFound), ctx(at(startedAt, SECOND), "reconciler"));
    expectRejected(decision, OrderErrorCode.INSUFFICIENT_BALANCE);
    expect(decision.patch.sends?.[0]).toMatchObject({ answer: "empty", empty: "notFound" });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Case 4: webhook
// ---------------------------------------------------------------------------------------------------------------

describe("case 4: a webhook naming our poNumber is proof of existence", () => {
  it.each([
    ["one unknown attempt", [unknown(1)]],
    ["one open attempt", [open(1)]],
    ["a cleared attempt and an unknown one", [clearedAttempt(1), unknown(2)]],
    ["maxSendAttempts attempts, the last unknown", [clearedAttempt(1), clearedAttempt(2), unknown(3)]],
  ] as const)("%s → existence {webhook, orderId}, look up by orderId", (_label, sends) => {
    for (const driver of DRIVERS) {
      const decision = decide(row({ sends: [...sends] }), webhook(), ctx(at(SENT, MINUTE), driver));
      expect(decision.patch.existence).toEqual(WEBHOOK_PROOF);
      expect(decision.action).toEqual({ type: "lookup", target: { orderId: ORDER_ID } });
    }
  });

  it("a webhook never replaces an earlier proof (sticky)", () => {
    const decision = decide(row({ sends: [unknown(1)], existence: DUPLICATE_PROOF }), webhook(), ctx(at(SENT, MINUTE)));
    expect(decision.patch.existence).toEqual(DUPLICATE_PROOF);
    expectNeverSendsOrRejects(decision);
  });

  it.each(DRIVERS)(
    "%s: with existence on record a trusted not-found clears nothing (the attempt stays unknown) and alerts",
    (driver) => {
      for (const existence of [WEBHOOK_PROOF, DUPLICATE_PROOF]) {
        const r = row({ sends: [unknown(1)], existence });
        const now = at(TRUSTED, MINUTE);
        const decision = decide(r, lookup(TRUSTED, notFound), ctx(now, driver));
        const wait = expectWait(decision);
        expectNeverSendsOrRejects(decision);
        expect(decision.patch.sends).toEqual([unknown(1)]);
        expect(wait.alert).toBe("order_needs_operator");
        expect(wait.until).toEqual(expectedBackoff(now, SENT));
      }
    },
  );

  describe("a row with existence set and every attempt empty never sends and never rejects", () => {
    const histories = [
      ["one cleared attempt", [clearedAttempt(1)]],
      [
        "maxSendAttempts cleared attempts (would be exhausted without the proof)",
        [clearedAttempt(1), clearedAttempt(2), clearedAttempt(3)],
      ],
      ["a never-sent attempt", [notSentAttempt(1)]],
      ["a cleared attempt with PLE10024 (would be OUT_OF_STOCK)", [clearedAttempt(1, "PLE10024")]],
      ["a rejected attempt (would be REJECTED)", [rejectedAttempt(1, "PLE10018")]],
    ] as const;
    const late = at(TRUSTED, HOUR);
    const evidences = [
      ["nothing new", NONE],
      ["a trusted not-found by poNumber", lookup(late, notFound)],
      ["a not-found by orderId", lookup(late, notFound, "orderId")],
      ["a failed look-up", lookup(late, unknownResult())],
      ["a rate-limited look-up", lookup(late, rateLimited(30))],
      ["a look-up naming another poNumber", lookup(late, ok(ourOrder({ poNumber: "PO-OTHER" })))],
      ["a replayed answer for attempt 1", answer(1, rejected("PLE10018"))],
      ["a replayed not-sent answer for attempt 1", answer(1, notSent)],
      ["another webhook", webhook()],
    ] as const;
    const cases = DRIVERS.flatMap((d) =>
      histories.flatMap(([h, s]) => evidences.map(([e, ev]) => [d, h, e, s, ev] as const)),
    );

    it.each(cases)("%s, %s, %s", (driver, _h, _e, sends, evidence) => {
      const decision = decide(
        row({ sends: [...sends], existence: WEBHOOK_PROOF }),
        evidence,
        ctx(at(late, SECOND), driver),
      );
      expectNeverSendsOrRejects(decision);
      expect(decision.patch.existence).toEqual(WEBHOOK_PROOF);
      expect(["lookup", "wait"]).toContain(decision.action.type);
      if (decision.action.type === "lookup") expect(decision.action.target).toEqual({ orderId: ORDER_ID });
    });

    it("…and a look-up finding our order places it", () => {
      const decision = decide(
        row({ sends: [clearedAttempt(1)], existence: WEBHOOK_PROOF }),
        lookup(late, ok(), "orderId"),
        ctx(at(late, SECOND), "reconciler"),
      );
      expectPlaced(decision);
    });

    it("…and a look-up naming another order parks it for an operator", () => {
      const decision = decide(
        row({ sends: [clearedAttempt(1)], existence: WEBHOOK_PROOF }),
        lookup(late, ok(ourOrder({ poNumber: "PO-OTHER" })), "orderId"),
        ctx(at(late, SECOND), "reconciler"),
      );
      const wait = expectWait(decision);
      expect(wait.alert).toBe("po_number_held_by_different_order");
      expect(wait.until).toEqual(at(at(late, SECOND), POLICY.maxBackoffMs));
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Case 5: crash after a rate limit (an open attempt is unknown)
// ---------------------------------------------------------------------------------------------------------------

describe("case 5: an open attempt (write-ahead, no answer on record) is treated as unknown", () => {
  const times = [
    ["right after the write-ahead", at(SENT, SECOND)],
    ["past the trusted window", at(TRUSTED, SECOND)],
    ["a day later", at(SENT, 24 * HOUR)],
  ] as const;

  it.each(DRIVERS.flatMap((d) => times.map(([l, t]) => [d, l, t] as const)))(
    "%s, %s: nothing new → look up by poNumber, never send",
    (driver, _l, now) => {
      const decision = decide(row({ sends: [open(1)] }), NONE, ctx(now, driver));
      expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
      expect(decision.patch.sends).toEqual([open(1)]);
      expectNeverSendsOrRejects(decision);
    },
  );

  it("an open attempt after an earlier rate-limited one is still unknown", () => {
    const r = row({ sends: [notSentAttempt(1, rateLimitedFailure(30)), open(2)] });
    const decision = decide(r, NONE, ctx(at(SENT, MINUTE), "reconciler"));
    expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
  });

  it.each(DRIVERS)("%s: OUTCOME_UNKNOWN is what a throttled wait reports for an open attempt", (driver) => {
    const now = at(SENT, 10 * SECOND);
    const decision = decide(row({ sends: [open(1)], lastLookupAt: at(now, -SECOND) }), NONE, ctx(now, driver));
    const wait = expectWait(decision);
    expect(wait.errors).toEqual([
      expect.objectContaining({ code: OrderErrorCode.OUTCOME_UNKNOWN, upstreamErrorId: null }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Case 8: a failed write after a send
// ---------------------------------------------------------------------------------------------------------------

describe("case 8: a failed write after a send leaves the attempt open: look-ups only, window from the write-ahead", () => {
  // The row was created long before the write-ahead: a window counted from createdAt would trust too early.
  const leftOpen = (lastLookupAt: Date | null = null) =>
    row({ sends: [open(1)], createdAt: at(SENT, -10 * MINUTE), lastSentAt: SENT, lastLookupAt });

  it.each(DRIVERS)("%s: nothing new → lookup (never send), however late", (driver) => {
    const decision = decide(leftOpen(), NONE, ctx(at(SENT, 5 * HOUR), driver));
    expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
  });

  it.each(DRIVERS)("%s: a not-found trusted from createdAt but not from lastSentAt waits", (driver) => {
    const startedAt = at(SENT, 100 * SECOND); // createdAt + 700 s, lastSentAt + 100 s
    const decision = decide(leftOpen(), lookup(startedAt, notFound), ctx(at(startedAt, SECOND), driver));
    const wait = expectWait(decision);
    expectNeverSendsOrRejects(decision);
    expect(wait.until).toEqual(TRUSTED);
    expect(decision.patch.sends).toEqual([open(1)]);
  });

  it.each(SENDING_DRIVERS)(
    "%s: a not-found that started exactly lastSentAt + window is trusted, even after a later untrusted look-up",
    (driver) => {
      const now = at(TRUSTED, 2 * SECOND);
      const decision = decide(leftOpen(at(TRUSTED, -10 * SECOND)), lookup(TRUSTED, notFound), ctx(now, driver));
      expectSend(decision, 2, now);
      expect(decision.patch.sends?.[0]).toMatchObject({ n: 1, answer: "empty", empty: "notFound" });
    },
  );

  it("the late-arriving answer for the open attempt is still applied (the first answer on record)", () => {
    const decision = decide(leftOpen(), answer(1, ok()), ctx(at(SENT, 5 * MINUTE), "reconciler"));
    expectPlaced(decision);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Case 9: adopt only ours
// ---------------------------------------------------------------------------------------------------------------

describe("case 9: a look-up is adopted only when the order is ours", () => {
  const startedAt = at(SENT, MINUTE);
  const now = at(startedAt, SECOND);

  const others = [
    ["another poNumber", ourOrder({ poNumber: "PO-OTHER" })],
    ["another orderMeta.email", ourOrder({ orderMeta: { email: "someone@example.com" } })],
    ["another productId", ourOrder({ voucherDetails: [{ productId: 1, denomination: 50 }] })],
    ["another productId (numeric string)", ourOrder({ voucherDetails: [{ productId: "1", denomination: 50 }] })],
    ["another denomination", ourOrder({ voucherDetails: [{ productId: 15365, denomination: 25 }] })],
    [
      "another denomination (decimal string)",
      ourOrder({ voucherDetails: [{ productId: 15365, denomination: "50.01" }] }),
    ],
    ["another quantity", ourOrder({ quantity: 3 })],
    ["another quantity (numeric string)", ourOrder({ quantity: "1" })],
  ] as const;

  it.each(DRIVERS.flatMap((d) => others.map(([l, o]) => [d, l, o] as const)))(
    "%s: %s after an unresolved attempt → not placed, PENDING, alert po_number_held_by_different_order",
    (driver, _label, order) => {
      const decision = decide(row({ sends: [unknown(1)] }), lookup(startedAt, ok(order)), ctx(now, driver));
      const wait = expectWait(decision);
      expectNeverSendsOrRejects(decision);
      expect(wait.alert).toBe("po_number_held_by_different_order");
      expect(wait.until).toEqual(at(now, POLICY.maxBackoffMs));
      expect(decision.patch.existence).toBeNull();
      expect(decision.patch.orderId).toBeUndefined();
      expect(decision.patch.sends).toEqual([unknown(1)]);
    },
  );

  it.each(others)("%s after an open attempt → the same alert", (_label, order) => {
    const decision = decide(row({ sends: [open(1)] }), lookup(startedAt, ok(order)), ctx(now, "reconciler"));
    expect(expectWait(decision).alert).toBe("po_number_held_by_different_order");
  });

  it.each(others)(
    "%s when no attempt of ours can have created it (first attempt refused as duplicate) → REJECTED PO_NUMBER_CONFLICT",
    (_l, order) => {
      const decision = decide(
        row({ sends: [conflictAttempt(1)] }),
        lookup(startedAt, ok(order)),
        ctx(now, "reconciler"),
      );
      expectRejected(decision, OrderErrorCode.PO_NUMBER_CONFLICT);
    },
  );

  it.each(others)("%s with existence on record → PENDING with the alert, never rejected", (_l, order) => {
    const decision = decide(
      row({ sends: [clearedAttempt(1)], existence: DUPLICATE_PROOF }),
      lookup(startedAt, ok(order)),
      ctx(now, "reconciler"),
    );
    expectNeverSendsOrRejects(decision);
    expect(expectWait(decision).alert).toBe("po_number_held_by_different_order");
  });

  const silent = [
    ["the full order", ourOrder()],
    ["only an orderId", { orderId: Number(ORDER_ID) }],
    ["the orderId as a string", { orderId: ORDER_ID }],
    ["poNumber empty", ourOrder({ poNumber: "" })],
    ["poNumber null", ourOrder({ poNumber: null })],
    ["orderMeta null", ourOrder({ orderMeta: null })],
    ["orderMeta without email", ourOrder({ orderMeta: { name: "x" } })],
    ["email empty", ourOrder({ orderMeta: { email: "" } })],
    ["email in another case", ourOrder({ orderMeta: { email: "BUYER@Example.COM" } })],
    ["voucherDetails null", ourOrder({ voucherDetails: null })],
    ["voucherDetails empty", ourOrder({ voucherDetails: [] })],
    ["productId and denomination missing", ourOrder({ voucherDetails: [{ productName: "Gift card" }] })],
    [
      "numbers as strings",
      ourOrder({ quantity: "2", voucherDetails: [{ productId: "15365", denomination: "50.00" }] }),
    ],
    ['denomination ""', ourOrder({ voucherDetails: [{ productId: 15365, denomination: "" }] })],
    ["quantity null", ourOrder({ quantity: null })],
  ] as const;

  it.each(DRIVERS.flatMap((d) => silent.map(([l, o]) => [d, l, o] as const)))(
    "%s: %s — a field Plum leaves out proves nothing → placed",
    (driver, _label, order) => {
      const decision = decide(row({ sends: [unknown(1)] }), lookup(startedAt, ok(order)), ctx(now, driver));
      expectPlaced(decision);
      expect(decision.patch.existence).toEqual({ source: "lookup", orderId: ORDER_ID });
    },
  );

  it("a row without a recorded request can only be told apart by poNumber", () => {
    const foreign = ourOrder({ orderMeta: { email: "someone@example.com" }, quantity: 9 });
    expectPlaced(decide(row({ sends: [unknown(1)], request: null }), lookup(startedAt, ok(foreign)), ctx(now)));
    const other = decide(
      row({ sends: [unknown(1)], request: null }),
      lookup(startedAt, ok(ourOrder({ poNumber: "X" }))),
      ctx(now),
    );
    expect(expectWait(other).alert).toBe("po_number_held_by_different_order");
  });

  it.each([
    ["missing", undefined],
    ["0", 0],
    ['"0"', "0"],
    ["not numeric", "abc"],
    ["negative", -5],
  ] as const)("an order whose orderId is %s is not placed (a missed look-up)", (_l, orderId) => {
    const decision = decide(
      row({ sends: [unknown(1)] }),
      lookup(startedAt, ok(ourOrder({ orderId }))),
      ctx(now, "reconciler"),
    );
    const wait = expectWait(decision);
    expectNeverSendsOrRejects(decision);
    expect(wait.alert).toBeNull();
    expect(wait.until).toEqual(expectedBackoff(now, SENT));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Case 11: throttle
// ---------------------------------------------------------------------------------------------------------------

describe("case 11: a pending row is looked up at most once per lookupIntervalMs, whoever asks", () => {
  const now = at(SENT, 10 * MINUTE);
  const rows = [
    ["an unknown attempt", () => row({ sends: [unknown(1)] })],
    ["existence on record", () => row({ sends: [clearedAttempt(1)], existence: WEBHOOK_PROOF })],
    ["a first attempt refused as duplicate", () => row({ sends: [conflictAttempt(1)] })],
  ] as const;
  const throttled = [
    ["0 ms ago", 0],
    ["1 s ago", SECOND],
    ["4.999 s ago", POLICY.lookupIntervalMs - 1],
  ] as const;
  const free = [
    ["exactly the interval ago", POLICY.lookupIntervalMs],
    ["a minute ago", MINUTE],
  ] as const;

  it.each(DRIVERS.flatMap((d) => rows.flatMap(([r, mk]) => throttled.map(([l, ago]) => [d, r, l, mk, ago] as const))))(
    "%s, %s, last look-up %s → wait until lastLookupAt + interval, no look-up",
    (driver, _r, _l, make, ago) => {
      const lastLookupAt = at(now, -ago);
      const decision = decide({ ...make(), lastLookupAt }, NONE, ctx(now, driver));
      const wait = expectWait(decision);
      expectNeverSendsOrRejects(decision);
      expect(wait.until).toEqual(at(lastLookupAt, POLICY.lookupIntervalMs));
    },
  );

  it.each(DRIVERS.flatMap((d) => rows.flatMap(([r, mk]) => free.map(([l, ago]) => [d, r, l, mk, ago] as const))))(
    "%s, %s, last look-up %s → look up",
    (driver, _r, _l, make, ago) => {
      const decision = decide({ ...make(), lastLookupAt: at(now, -ago) }, NONE, ctx(now, driver));
      expect(decision.action.type).toBe("lookup");
    },
  );

  it.each(DRIVERS)("%s: never looked up → look up", (driver) => {
    expect(decide(row({ sends: [unknown(1)] }), NONE, ctx(now, driver)).action.type).toBe("lookup");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Each answer to a fresh attempt 1
// ---------------------------------------------------------------------------------------------------------------

describe("the answer to a fresh open attempt 1", () => {
  const fresh = () => row({ sends: [open(1)] });
  const now = at(SENT, 2 * SECOND);

  it.each(DRIVERS)("%s: ok → placed with Plum's orderId and order date", (driver) => {
    const order = ourOrder();
    const decision = decide(fresh(), answer(1, ok(order)), ctx(now, driver));
    expectPlaced(decision);
    expect(decision.patch.order).toEqual(order);
    expect(decision.patch.placedAt).toEqual(new Date("2024-05-01T10:00:05.000Z"));
    expect(decision.patch.existence).toEqual({ source: "answer", orderId: ORDER_ID });
    expect(decision.patch.sends).toEqual([{ n: 1, answer: "created", empty: null }]);
  });

  it("ok with a zero-padded string orderId and no order date → placed with the normalised id, placedAt = now", () => {
    const decision = decide(fresh(), answer(1, ok(ourOrder({ orderId: "0098765432", orderDate: null }))), ctx(now));
    expectPlaced(decision);
    expect(decision.patch.placedAt).toEqual(now);
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["0", 0],
    ["not numeric", "n/a"],
  ] as const)("ok whose orderId is %s → unknown (waits settle, OUTCOME_UNKNOWN)", (_l, orderId) => {
    const decision = decide(fresh(), answer(1, ok(ourOrder({ orderId }))), ctx(now));
    const wait = expectWait(decision);
    expectNeverSendsOrRejects(decision);
    expect(wait.until).toEqual(at(now, POLICY.settleMs));
    expect(wait.errors[0]?.code).toBe(OrderErrorCode.OUTCOME_UNKNOWN);
    expect(decision.patch.sends).toEqual([{ n: 1, answer: "unknown", errorId: null }]);
    expect(decision.patch.existence).toBeNull();
  });

  it.each([
    ["PLE10018", false, OrderErrorCode.INVALID_DENOMINATION, ["input", "denomination"]],
    ["PLE10041", false, OrderErrorCode.QUANTITY_LIMIT, ["input", "quantity"]],
    ["PLE10010", false, OrderErrorCode.INSUFFICIENT_BALANCE, undefined],
    ["PLE10024", false, OrderErrorCode.OUT_OF_STOCK, ["input", "productId"]],
    ["PLE10012", false, OrderErrorCode.OUT_OF_STOCK, ["input", "productId"]],
    ["PLE10042", false, OrderErrorCode.PRODUCT_UNAVAILABLE, ["input", "productId"]],
    ["PLE10014", false, OrderErrorCode.PRODUCT_UNAVAILABLE, ["input", "productId"]],
    ["PLE99999", false, OrderErrorCode.UPSTREAM_REJECTED, undefined],
    [null, false, OrderErrorCode.UPSTREAM_REJECTED, undefined],
    ["PLE10001", true, OrderErrorCode.OPERATOR_VALIDATION_FAILED, ["input", "userMeta", "topupPhoneNumber"]],
  ] as const)(
    "rejected %s (operatorValidation %s) → REJECTED %s, not retryable, not reopenable",
    (errorId, opVal, code, field) => {
      for (const driver of DRIVERS) {
        const decision = decide(fresh(), answer(1, rejected(errorId, opVal)), ctx(now, driver));
        const failure = expectRejected(decision, code);
        expect(failure.upstreamErrorId).toBe(errorId);
        expect(failure.retryable).toBe(false);
        if (field) expect(failure.field).toEqual(field);
        expect(decision.patch.reopenable).toBe(false);
        expect(decision.patch.sends).toEqual([
          expect.objectContaining({ n: 1, answer: "empty", empty: "rejected", errorId }),
        ]);
      }
    },
  );

  it("rateLimited, mutation → REJECTED RATE_LIMITED, retryable, reopenable (the same poNumber may be sent)", () => {
    const decision = decide(fresh(), answer(1, rateLimited(42)), ctx(now, "mutation"));
    const failure = expectRejected(decision, OrderErrorCode.RATE_LIMITED);
    expect(failure).toMatchObject({ retryable: true, retryAfterSeconds: 42 });
    expect(decision.patch.reopenable).toBe(true);
    expect(decision.patch.sends).toEqual([expect.objectContaining({ n: 1, answer: "empty", empty: "notSent" })]);
  });

  it.each([
    ["reconciler", 42],
    ["read", 42],
    ["reconciler", 3],
    ["reconciler", 900], // beyond maxBackoff: the penalty still wins
  ] as const)("rateLimited, %s (penalty %s s) → waits at least now + penalty", (driver, penalty) => {
    const decision = decide(fresh(), answer(1, rateLimited(penalty)), ctx(now, driver));
    const wait = expectWait(decision);
    expect(wait.until!.getTime()).toBeGreaterThanOrEqual(now.getTime() + penalty * 1000);
    expect(wait.until).toEqual(expectedBackoff(now, SENT, penalty * 1000));
    expect(wait.errors).toEqual([rateLimitedFailure(penalty)]);
  });

  it.each([
    ["notSent", notSent],
    ["unauthorized", unauthorized],
  ] as const)("%s, mutation → REJECTED UPSTREAM_UNAVAILABLE, retryable, reopenable", (_l, result) => {
    const decision = decide(fresh(), answer(1, result), ctx(now, "mutation"));
    const failure = expectRejected(decision, OrderErrorCode.UPSTREAM_UNAVAILABLE);
    expect(failure.retryable).toBe(true);
    expect(decision.patch.reopenable).toBe(true);
  });

  it.each(["reconciler", "read"] as const)("notSent, %s → waits with UPSTREAM_UNAVAILABLE (backoff)", (driver) => {
    const decision = decide(fresh(), answer(1, notSent), ctx(now, driver));
    const wait = expectWait(decision);
    expect(wait.errors[0]?.code).toBe(OrderErrorCode.UPSTREAM_UNAVAILABLE);
    expect(wait.until).toEqual(expectedBackoff(now, SENT));
  });

  it.each(
    DRIVERS.flatMap(
      (d) =>
        [
          [d, "a timeout", unknownResult(null, null), null],
          [d, "a 504", unknownResult(null, 504), null],
          [d, "PLE10035", unknownResult("PLE10035", 500), "PLE10035"],
          [d, "a not-found to placeOrder", notFound, null],
        ] as const,
    ),
  )("%s: unknown (%s) → wait until now + settle, OUTCOME_UNKNOWN", (driver, _l, result, errorId) => {
    const decision = decide(fresh(), answer(1, result), ctx(now, driver));
    const wait = expectWait(decision);
    expectNeverSendsOrRejects(decision);
    expect(wait.until).toEqual(at(now, POLICY.settleMs));
    expect(wait.alert).toBeNull();
    expect(wait.errors).toEqual([
      expect.objectContaining({ code: OrderErrorCode.OUTCOME_UNKNOWN, upstreamErrorId: errorId, retryable: true }),
    ]);
    expect(decision.patch.sends).toEqual([{ n: 1, answer: "unknown", errorId }]);
  });

  it.each([
    ["PLE10024", OrderErrorCode.OUT_OF_STOCK],
    ["PLE10012", OrderErrorCode.OUT_OF_STOCK],
  ] as const)("a 502 naming %s stays PENDING, then a trusted not-found → REJECTED %s", (errorId, code) => {
    const d1 = decide(fresh(), answer(1, unknownResult(errorId, 502)), ctx(now));
    const w1 = expectWait(d1);
    expect(w1.errors[0]).toMatchObject({ code: OrderErrorCode.OUTCOME_UNKNOWN, upstreamErrorId: errorId });
    const pending = row({ sends: d1.patch.sends! });

    // An untrusted not-found is not enough.
    const early = decide(pending, lookup(at(TRUSTED, -1), notFound), ctx(at(TRUSTED, -1), "reconciler"));
    expectWait(early);
    expectNeverSendsOrRejects(early);

    for (const driver of DRIVERS) {
      const d2 = decide(pending, lookup(TRUSTED, notFound), ctx(at(TRUSTED, SECOND), driver));
      const failure = expectRejected(d2, code);
      expect(failure).toMatchObject({ upstreamErrorId: errorId, retryable: false });
      expect(d2.patch.reopenable).toBe(false);
    }
  });

  it("a 502 with an unlisted errorId then a trusted not-found → sends again (not a rejection)", () => {
    const pending = row({ sends: [unknown(1, "PLE10025")] });
    expectSend(
      decide(pending, lookup(TRUSTED, notFound), ctx(at(TRUSTED, SECOND), "reconciler")),
      2,
      at(TRUSTED, SECOND),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// maxSendAttempts
// ---------------------------------------------------------------------------------------------------------------

describe("maxSendAttempts", () => {
  const cleared3 = [clearedAttempt(1), clearedAttempt(2), clearedAttempt(3)];

  it.each(DRIVERS)(
    "%s: maxSendAttempts attempts, all cleared → REJECTED UPSTREAM_UNAVAILABLE, not retryable",
    (driver) => {
      const decision = decide(row({ sends: cleared3 }), NONE, ctx(at(TRUSTED, MINUTE), driver));
      const failure = expectRejected(decision, OrderErrorCode.UPSTREAM_UNAVAILABLE);
      expect(failure.retryable).toBe(false);
      expect(failure.message).toContain("3 attempts");
      expect(decision.patch.reopenable).toBe(false);
    },
  );

  it.each(DRIVERS)(
    "%s: the trusted not-found that clears the last of maxSendAttempts → REJECTED (exhausted)",
    (driver) => {
      const r = row({ sends: [clearedAttempt(1), clearedAttempt(2), unknown(3)] });
      const decision = decide(r, lookup(TRUSTED, notFound), ctx(at(TRUSTED, SECOND), driver));
      expect(expectRejected(decision, OrderErrorCode.UPSTREAM_UNAVAILABLE).retryable).toBe(false);
    },
  );

  describe("maxSendAttempts attempts with one unresolved → waits with alert order_needs_operator", () => {
    const withUnknown = (lastLookupAt: Date | null = null) =>
      row({ sends: [clearedAttempt(1), clearedAttempt(2), unknown(3)], lastLookupAt });

    it.each(DRIVERS)("%s: an untrusted not-found", (driver) => {
      const startedAt = at(SENT, MINUTE);
      const decision = decide(withUnknown(), lookup(startedAt, notFound), ctx(at(startedAt, SECOND), driver));
      const wait = expectWait(decision);
      expectNeverSendsOrRejects(decision);
      expect(wait.alert).toBe("order_needs_operator");
      expect(wait.until!.getTime()).toBeGreaterThanOrEqual(TRUSTED.getTime());
    });

    it.each(DRIVERS)("%s: throttled", (driver) => {
      const now = at(SENT, MINUTE);
      const decision = decide(withUnknown(at(now, -SECOND)), NONE, ctx(now, driver));
      expect(expectWait(decision).alert).toBe("order_needs_operator");
    });

    it.each(DRIVERS)("%s: the answer to attempt 3 is unknown", (driver) => {
      const r = row({ sends: [clearedAttempt(1), clearedAttempt(2), open(3)] });
      const now = at(SENT, SECOND);
      const decision = decide(r, answer(3, unknownResult(null, 504)), ctx(now, driver));
      const wait = expectWait(decision);
      expect(wait.alert).toBe("order_needs_operator");
      expect(wait.until).toEqual(at(now, POLICY.settleMs));
    });

    it.each(DRIVERS)("%s: nothing new and not throttled → still looks up (never sends attempt 4)", (driver) => {
      const decision = decide(withUnknown(), NONE, ctx(at(SENT, MINUTE), driver));
      expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
    });

    it("fewer attempts than maxSendAttempts carry no alert", () => {
      const r = row({ sends: [clearedAttempt(1), unknown(2)] });
      const decision = decide(r, lookup(at(SENT, MINUTE), notFound), ctx(at(SENT, MINUTE)));
      expect(expectWait(decision).alert).toBeNull();
    });
  });

  describe("never-sent attempts do not count toward maxSendAttempts", () => {
    it.each(
      SENDING_DRIVERS.flatMap(
        (d) =>
          [
            [d, "three never-sent attempts", [notSentAttempt(1), notSentAttempt(2), notSentAttempt(3)], 4],
            [d, "cleared, never-sent, cleared", [clearedAttempt(1), notSentAttempt(2), clearedAttempt(3)], 4],
            [
              d,
              "two cleared, two never-sent",
              [clearedAttempt(1), clearedAttempt(2), notSentAttempt(3), notSentAttempt(4)],
              5,
            ],
            [
              d,
              "rate-limited attempts",
              [notSentAttempt(1, rateLimitedFailure(5)), notSentAttempt(2, rateLimitedFailure(5))],
              3,
            ],
          ] as const,
      ),
    )("%s: %s → sends attempt %s", (driver, _l, sends, next) => {
      const now = at(TRUSTED, MINUTE);
      expectSend(decide(row({ sends: [...sends] }), NONE, ctx(now, driver)), next, now);
    });

    it("read: the same rows are never sent (handed to the reconciler)", () => {
      const now = at(TRUSTED, MINUTE);
      const decision = decide(
        row({ sends: [notSentAttempt(1), notSentAttempt(2), notSentAttempt(3)] }),
        NONE,
        ctx(now, "read"),
      );
      expect(expectWait(decision).until).toEqual(now);
    });

    it("a not-sent answer to attempt 3 after two cleared → REJECTED UPSTREAM_UNAVAILABLE, retryable and reopenable (not exhausted)", () => {
      const r = row({ sends: [clearedAttempt(1), clearedAttempt(2), open(3)] });
      const decision = decide(r, answer(3, notSent), ctx(at(SENT, SECOND), "mutation"));
      const failure = expectRejected(decision, OrderErrorCode.UPSTREAM_UNAVAILABLE);
      expect(failure.retryable).toBe(true);
      expect(decision.patch.reopenable).toBe(true);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Replays and guards
// ---------------------------------------------------------------------------------------------------------------

describe("an expired token (refused before processing, renewed by the client)", () => {
  const expired = { kind: "unauthorized", httpStatus: 401, renewable: true } as PlumCallResult;
  const now = at(SENT, 100);

  it.each(SENDING_DRIVERS)("%s: the refused attempt is empty and attempt 2 is written ahead at once", (driver) => {
    const decision = decide(row({ sends: [open(1)] }), answer(1, expired), ctx(now, driver));
    expectSend(decision, 2, now);
    expect(decision.patch.sends?.[0]).toMatchObject({ answer: "empty", empty: "notSent", renewed: true });
  });

  it("a second refusal in a row is not retried again: REJECTED UPSTREAM_UNAVAILABLE, retryable, reopenable", () => {
    const r = row({ sends: [{ n: 1, answer: "empty", empty: "notSent", renewed: true }, open(2)] });
    const failure = expectRejected(
      decide(r, answer(2, expired), ctx(now, "mutation")),
      OrderErrorCode.UPSTREAM_UNAVAILABLE,
    );
    expect(failure.retryable).toBe(true);
  });
});

describe("a late success for an attempt already answered or cleared is proof, and alerts", () => {
  it.each(DRIVERS)("%s: attempt 1 unknown, a late ok → PLACED with order_needs_operator", (driver) => {
    const decision = decide(row({ sends: [unknown(1)] }), answer(1, ok()), ctx(at(SENT, MINUTE), driver));
    expectPlaced(decision, ORDER_ID, "order_needs_operator");
    expect(decision.action).toMatchObject({ type: "placed", lateSuccess: true });
  });

  it("attempt 1 cleared, attempt 2 open, a late ok for attempt 1 → PLACED (the clearing was wrong)", () => {
    const decision = decide(
      row({ sends: [clearedAttempt(1), open(2)] }),
      answer(1, ok()),
      ctx(at(SENT, MINUTE), "reconciler"),
    );
    expectPlaced(decision, ORDER_ID, "order_needs_operator");
  });
});

describe("a second answer for an attempt already answered is ignored", () => {
  // A late success is the one exception (see above).
  const replays = [
    ["rejected", rejected("PLE10018")],
    ["duplicate", duplicate],
    ["notSent", notSent],
    ["rateLimited", rateLimited(30)],
    ["unknown", unknownResult("PLE10024", 502)],
  ] as const;

  it.each(DRIVERS.flatMap((d) => replays.map(([l, r]) => [d, l, r] as const)))(
    "%s: attempt 1 unknown, replayed answer %s → unchanged, still unknown, waits",
    (driver, _l, result) => {
      const now = at(SENT, MINUTE);
      const decision = decide(row({ sends: [unknown(1)] }), answer(1, result), ctx(now, driver));
      expect(decision.patch.sends).toEqual([unknown(1)]);
      expect(decision.patch.existence).toBeNull();
      const wait = expectWait(decision);
      expectNeverSendsOrRejects(decision);
      expect(wait.until).toEqual(at(now, POLICY.settleMs));
    },
  );

  it.each(replays)("attempt 1 cleared, attempt 2 open, a replayed %s for attempt 1 changes nothing", (_l, result) => {
    const r = row({ sends: [clearedAttempt(1), open(2)] });
    const decision = decide(r, answer(1, result), ctx(at(SENT, MINUTE), "reconciler"));
    expect(decision.patch.sends).toEqual(r.sends);
    expect(decision.patch.existence).toBeNull();
    expectNeverSendsOrRejects(decision);
  });

  it.each(replays)("an answer %s for an attempt that was never written is ignored", (_l, result) => {
    const r = row({ sends: [unknown(1)] });
    const decision = decide(r, answer(2, result), ctx(at(SENT, MINUTE), "reconciler"));
    expect(decision.patch.sends).toEqual([unknown(1)]);
    expectNeverSendsOrRejects(decision);
  });
});

describe("guards", () => {
  it.each(["PLACED", "REJECTED"] as const)("throws for a %s row", (state) => {
    for (const driver of DRIVERS) {
      expect(() => decide(row({ state, sends: [clearedAttempt(1)] }), NONE, ctx(at(SENT, MINUTE), driver))).toThrow(
        /PENDING/,
      );
    }
  });

  it.each(DRIVERS)(
    "%s: a PENDING row without attempts (an older writer's) is one unknown attempt: look up, never send",
    (driver) => {
      const now = at(CREATED, 10);
      const decision = decide(row({ sends: [] }), NONE, ctx(now, driver));
      expect(decision.action).toEqual({ type: "lookup", target: { poNumber: PO } });
      expect(decision.patch.sends).toEqual([{ n: 1, answer: "unknown" }]);
    },
  );

  it("does not mutate the row it is given", () => {
    const r = row({ sends: [unknown(1), open(2)], lastLookupAt: at(SENT, SECOND) });
    const before = structuredClone(r);
    decide(r, answer(2, duplicate), ctx(at(TRUSTED, HOUR)));
    decide(r, lookup(at(TRUSTED, HOUR), notFound), ctx(at(TRUSTED, HOUR)));
    decide(r, webhook(), ctx(at(TRUSTED, HOUR)));
    expect(r).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Exhaustive invariants
// ---------------------------------------------------------------------------------------------------------------

describe("invariants over every combination of driver × history × existence × evidence × time", () => {
  // Attempt kinds a history can hold. "open" only as the newest (a write-ahead); "created" only with its proof
  // (an ok answer writes both, with PLACED, in one patch: a PENDING row with a created attempt always has existence).
  type Kind =
    "open" | "unknown" | "unknownOOS" | "notSent" | "rejected" | "conflict" | "cleared" | "clearedOOS" | "created";
  const KINDS: Kind[] = [
    "open",
    "unknown",
    "unknownOOS",
    "notSent",
    "rejected",
    "conflict",
    "cleared",
    "clearedOOS",
    "created",
  ];
  const make: Record<Kind, (n: number) => AttemptRecord> = {
    open,
    unknown: (n) => unknown(n),
    unknownOOS: (n) => unknown(n, "PLE10024"),
    notSent: (n) => notSentAttempt(n),
    rejected: (n) => rejectedAttempt(n, "PLE10018"),
    conflict: conflictAttempt,
    cleared: (n) => clearedAttempt(n),
    clearedOOS: (n) => clearedAttempt(n, "PLE10024"),
    created: createdAttempt,
  };

  // Every claim writes attempt 1 ahead, so histories start at one attempt (a row without any is the "guards" case).
  function histories(maxLength: number): Kind[][] {
    const out: Kind[][] = [];
    let frontier: Kind[][] = [[]];
    for (let length = 1; length <= maxLength; length += 1) {
      const next: Kind[][] = [];
      for (const prefix of frontier) {
        if (prefix.at(-1) === "open") continue; // nothing follows a write-ahead still open
        for (const kind of KINDS) next.push([...prefix, kind]);
      }
      out.push(...next);
      frontier = next;
    }
    return out;
  }

  const EXISTENCES: (ExistenceProof | null)[] = [
    null,
    DUPLICATE_PROOF,
    WEBHOOK_PROOF,
    { source: "answer", orderId: ORDER_ID },
  ];

  const RESULTS: [string, PlumCallResult][] = [
    ["ok", ok()],
    ["okNoId", ok(ourOrder({ orderId: null }))],
    ["okNotOurs", ok(ourOrder({ poNumber: "PO-OTHER" }))],
    ["notFound", notFound],
    ["duplicate", duplicate],
    ["rejected", rejected("PLE10010")],
    ["rateLimited", rateLimited(20)],
    ["unauthorized", unauthorized],
    ["notSent", notSent],
    ["unknown", unknownResult()],
    ["unknownOOS", unknownResult("PLE10024", 502)],
  ];

  /** Evidence for a row whose newest write-ahead was at SENT, at a lookup start `startedAt`. */
  function evidences(length: number, startedAt: Date): [string, Evidence][] {
    const out: [string, Evidence][] = [
      ["none", NONE],
      ["webhook", webhook()],
    ];
    for (const [name, result] of RESULTS) {
      for (let attempt = 1; attempt <= length + 1; attempt += 1)
        out.push([`answer(${attempt}, ${name})`, answer(attempt, result)]);
      out.push([`lookup(poNumber, ${name})`, lookup(startedAt, result, "poNumber")]);
      out.push([`lookup(orderId, ${name})`, lookup(startedAt, result, "orderId")]);
    }
    return out;
  }

  const TIMES: [string, Date][] = [
    ["inside the window", at(SENT, MINUTE)],
    ["1 ms before trusted", at(TRUSTED, -1)],
    ["exactly trusted", TRUSTED],
    ["long after", at(TRUSTED, HOUR)],
  ];
  const LAST_LOOKUPS: ((now: Date) => Date | null)[] = [() => null, (now) => at(now, -SECOND)];

  const unresolved = (a: AttemptRecord) => a.answer === "open" || a.answer === "unknown";
  const mayHaveReached = (a: AttemptRecord) => a.empty !== "notSent";

  /**
   * The test's own reading of the contract: what this evidence may change. After it, is some attempt still
   * open/unknown, or does an order provably exist? Then the row must be neither sent again nor REJECTED.
   */
  function model(r: PlacementRow, evidence: Evidence): { sends: AttemptRecord[]; exists: boolean } {
    let sends = r.sends.map((s) => ({ ...s }));
    let exists = r.existence !== null;
    if (evidence.kind === "webhook") exists = true;
    if (evidence.kind === "answer") {
      const i = evidence.attempt - 1;
      const target = sends[i];
      if (target?.answer === "open") {
        const result = evidence.result;
        switch (result.kind) {
          case "ok": {
            const id = result.order.orderId;
            if (id !== null && id !== undefined && id !== 0) {
              exists = true;
              sends[i] = { ...target, answer: "created" };
            } else sends[i] = { ...target, answer: "unknown" };
            break;
          }
          case "duplicatePoNumber":
            if (sends.slice(0, i).some(mayHaveReached)) exists = true;
            sends[i] = { ...target, answer: "empty", empty: "rejected" };
            break;
          case "rejected":
            sends[i] = { ...target, answer: "empty", empty: "rejected" };
            break;
          case "rateLimited":
          case "unauthorized":
          case "notSent":
            sends[i] = { ...target, answer: "empty", empty: "notSent" };
            break;
          case "unknown":
          case "notFound":
            sends[i] = { ...target, answer: "unknown" };
            break;
        }
      } else if (target !== undefined && target.answer !== "created" && evidence.result.kind === "ok") {
        // A late success for an attempt already answered or cleared: proof that the order exists after all.
        const id = evidence.result.order.orderId;
        if (id !== null && id !== undefined && id !== 0) {
          exists = true;
          sends[i] = { ...target, answer: "created", empty: null };
        }
      }
    }
    if (evidence.kind === "lookup") {
      const result = evidence.result;
      if (result.kind === "ok" && result.order.orderId != null && result.order.poNumber === r.poNumber) exists = true;
      const window = (r.lastSentAt ?? r.createdAt).getTime() + WINDOW_MS;
      if (
        result.kind === "notFound" &&
        evidence.by === "poNumber" &&
        !exists &&
        evidence.startedAt.getTime() >= window
      ) {
        sends = sends.map((s) => (unresolved(s) ? { ...s, answer: "empty", empty: "notFound" } : s));
      }
    }
    return { sends, exists };
  }

  function blocked({ sends, exists }: { sends: AttemptRecord[]; exists: boolean }): { why: string } | null {
    if (exists) return { why: "an order provably exists" };
    const open = sends.filter(unresolved).map((s) => s.n);
    if (open.length > 0) return { why: `attempt(s) ${open.join(",")} still open/unknown` };
    return null;
  }

  it("I1: never send or REJECT while an attempt is open/unknown or existence is set; I2: a read never sends", () => {
    const violations: string[] = [];
    let decisions = 0;
    for (const kinds of histories(3)) {
      for (const existence of EXISTENCES) {
        if (kinds.includes("created") && existence?.source !== "answer") continue; // unreachable rows
        for (const [timeLabel, startedAt] of TIMES) {
          const now = at(startedAt, 200);
          for (const lastLookup of LAST_LOOKUPS) {
            const r = row({
              sends: kinds.map((k, i) => make[k](i + 1)),
              existence,
              lastSentAt: kinds.length > 0 ? SENT : null,
              lastLookupAt: lastLookup(now),
              createdAt: kinds.length > 0 ? CREATED : SENT,
            });
            for (const [evLabel, evidence] of evidences(kinds.length, startedAt)) {
              const expectedState = model(r, evidence);
              const block = blocked(expectedState);
              for (const driver of DRIVERS) {
                const name = () =>
                  `${driver} [${kinds.join(",")}] existence=${existence?.source ?? "none"} ${evLabel} ${timeLabel} lastLookup=${r.lastLookupAt ? "1s ago" : "never"}`;
                let decision: Decision;
                try {
                  decision = decide(r, evidence, ctx(now, driver));
                } catch (error) {
                  violations.push(`${name()}: threw ${String(error)}`);
                  continue;
                }
                decisions += 1;
                const { action, patch } = decision;
                const sendsOrRejects =
                  action.type === "send" || action.type === "rejected" || patch.state === "REJECTED";
                if (sendsOrRejects && block) violations.push(`I1 ${name()}: ${action.type} although ${block.why}`);
                if (driver === "read" && action.type === "send")
                  violations.push(`I2 ${name()}: a read sent attempt ${action.attempt}`);
                // Sticky existence: a proof on record is never dropped.
                if (
                  r.existence !== null &&
                  patch.existence !== r.existence &&
                  JSON.stringify(patch.existence) !== JSON.stringify(r.existence)
                ) {
                  violations.push(
                    `sticky ${name()}: existence ${JSON.stringify(r.existence)} became ${JSON.stringify(patch.existence)}`,
                  );
                }
                // The write-ahead and the action agree.
                if ((action.type === "send") !== (patch.startAttempt === true))
                  violations.push(`write-ahead ${name()}: ${action.type} with startAttempt ${patch.startAttempt}`);
                if (
                  action.type === "send" &&
                  (action.attempt !== r.sends.length + 1 || patch.sends?.at(-1)?.answer !== "open")
                ) {
                  violations.push(`write-ahead ${name()}: attempt ${action.attempt} after ${r.sends.length}`);
                }
                // An attempt is never added except by a send, never dropped, never renumbered.
                const expectedLength = r.sends.length + (action.type === "send" ? 1 : 0);
                if (
                  (patch.sends?.length ?? r.sends.length) !== expectedLength ||
                  patch.sends?.some((s, i) => s.n !== i + 1)
                ) {
                  violations.push(`history ${name()}: ${JSON.stringify(patch.sends)}`);
                }
                // An attempt is resolved only by evidence that may resolve it (and then exactly as the model says).
                const expected = expectedState.sends;
                const got = patch.sends ?? r.sends;
                for (const [i, want] of expected.entries()) {
                  const have = got[i];
                  if (
                    have === undefined ||
                    unresolved(have) !== unresolved(want) ||
                    have.answer !== want.answer ||
                    (have.empty ?? null) !== (want.empty ?? null)
                  ) {
                    violations.push(
                      `resolution ${name()}: attempt ${i + 1} is ${JSON.stringify(have)}, expected ${want.answer}/${want.empty ?? "-"}`,
                    );
                  }
                }
                // A wait leaves the row PENDING; placed sets PLACED.
                if (action.type === "wait" && patch.state !== undefined)
                  violations.push(`wait ${name()}: state ${patch.state}`);
                if (action.type === "placed" && patch.state !== "PLACED")
                  violations.push(`placed ${name()}: state ${patch.state}`);
              }
            }
          }
        }
      }
    }
    expect(decisions).toBeGreaterThan(100_000);
    expect(violations.slice(0, 20)).toEqual([]);
    expect(violations).toHaveLength(0);
  });

  it("I3: an operator's decision never sends, never REJECTs an order that may exist, and adopts only our order", () => {
    const violations: string[] = [];
    let decisions = 0;
    for (const kinds of histories(3)) {
      for (const existence of EXISTENCES) {
        if (kinds.includes("created") && existence?.source !== "answer") continue;
        for (const alert of [null, "order_needs_operator", "po_number_held_by_different_order"] as const) {
          for (const [timeLabel, startedAt] of TIMES) {
            const now = at(startedAt, 200);
            const r = row({ sends: kinds.map((k, i) => make[k](i + 1)), existence, alert, lastSentAt: SENT });
            for (const [resultLabel, result] of RESULTS) {
              for (const decisionOf of [{ verdict: "placed", orderId: ORDER_ID }, { verdict: "notPlaced" }] as const) {
                const evidence: Evidence = { kind: "operator", decision: decisionOf, startedAt, result };
                const name = `[${kinds.join(",")}] existence=${existence?.source ?? "none"} alert=${alert} ${decisionOf.verdict} ${resultLabel} ${timeLabel}`;
                const { action, patch } = decide(r, evidence, ctx(now, "reconciler"));
                decisions += 1;
                if (action.type === "send" || patch.startAttempt) violations.push(`sent ${name}`);
                if (alert === null && action.type !== "refused") violations.push(`no alert, not refused ${name}`);
                const ours = result.kind === "ok" && result.order.orderId != null && result.order.poNumber === PO;
                if (action.type === "placed" && !ours) violations.push(`adopted what is not ours ${name}`);
                if (action.type === "rejected") {
                  const exists = existence !== null || kinds.includes("created") || ours;
                  if (decisionOf.verdict !== "notPlaced") violations.push(`rejected on "placed" ${name}`);
                  if (exists) violations.push(`rejected although an order exists ${name}`);
                  if (startedAt.getTime() < TRUSTED.getTime())
                    violations.push(`rejected inside the processing window ${name}`);
                  if (result.kind !== "notFound" && result.kind !== "ok")
                    violations.push(`rejected on an inconclusive look-up ${name}`);
                  if (patch.reopenable !== false) violations.push(`reopenable ${name}`);
                }
                if (action.type === "refused" && (patch.state !== undefined || patch.alert !== undefined))
                  violations.push(`refused but changed ${name}`);
                if (
                  r.existence !== null &&
                  patch.existence !== undefined &&
                  JSON.stringify(patch.existence) !== JSON.stringify(r.existence)
                ) {
                  violations.push(`sticky ${name}`);
                }
              }
            }
          }
        }
      }
    }
    expect(decisions).toBeGreaterThan(10_000);
    expect(violations.slice(0, 20)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Operator decisions (issue 14): evidence checked at Plum, never taken on the operator's word
// ---------------------------------------------------------------------------------------------------------------

describe("an operator's decision on a row that needs one", () => {
  const NEEDS: Partial<PlacementRow> = { alert: "order_needs_operator", sends: [unknown(1), unknown(2), unknown(3)] };
  const placedAs = (orderId: string, result: PlumCallResult, startedAt = at(TRUSTED, MINUTE)): Evidence => ({
    kind: "operator",
    decision: { verdict: "placed", orderId },
    startedAt,
    result,
  });
  const notPlaced = (result: PlumCallResult, startedAt = at(TRUSTED, MINUTE)): Evidence => ({
    kind: "operator",
    decision: { verdict: "notPlaced" },
    startedAt,
    result,
  });
  const now = at(TRUSTED, 2 * MINUTE);
  const expectRefused = (decision: Decision, reason: string) => {
    expect(decision.action).toEqual({ type: "refused", reason });
    expect(decision.patch.state).toBeUndefined();
    expect(decision.patch.alert).toBeUndefined();
    expect(decision.patch.startAttempt).toBeUndefined();
  };

  it("is refused on a row without an alert, whatever Plum says (the engine is still deciding it)", () => {
    for (const evidence of [placedAs(ORDER_ID, ok()), notPlaced(notFound)]) {
      expectRefused(decide(row({ ...NEEDS, alert: null }), evidence, ctx(now, "reconciler")), "not_awaiting_operator");
    }
  });

  describe("placed as orderId N", () => {
    it("adopts N when Plum answers N and it is ours, clearing the alert", () => {
      const decision = decide(row(NEEDS), placedAs(ORDER_ID, ok()), ctx(now, "reconciler"));
      expectPlaced(decision);
      expect(decision.patch.alert).toBeNull();
    });

    it("adopts N even inside the processing window (Plum's answer is the proof)", () => {
      expectPlaced(
        decide(row(NEEDS), placedAs(ORDER_ID, ok(), at(SENT, SECOND)), ctx(at(SENT, 2 * SECOND), "reconciler")),
      );
    });

    it("is refused when N is not ours (another poNumber, recipient, product, denomination or quantity)", () => {
      const others = [
        ourOrder({ poNumber: "PO-OTHER" }),
        ourOrder({ orderMeta: { email: "someone.else@example.com" } }),
        ourOrder({ quantity: 1 }),
        ourOrder({
          voucherDetails: [{ orderId: Number(ORDER_ID), productId: 99999, denomination: 50, productName: "x" }],
        }),
      ];
      for (const order of others)
        expectRefused(decide(row(NEEDS), placedAs(ORDER_ID, ok(order)), ctx(now, "reconciler")), "not_ours");
    });

    it("is refused when Plum answers a different orderId than the operator named", () => {
      expectRefused(decide(row(NEEDS), placedAs("11111111", ok()), ctx(now, "reconciler")), "not_ours");
    });

    it("is refused when Plum does not know N, or cannot answer", () => {
      expectRefused(decide(row(NEEDS), placedAs(ORDER_ID, notFound), ctx(now, "reconciler")), "not_found_at_plum");
      for (const result of [unknownResult(), notSent, rateLimited(30), unauthorized]) {
        expectRefused(decide(row(NEEDS), placedAs(ORDER_ID, result), ctx(now, "reconciler")), "plum_unreachable");
      }
    });

    it("is refused unless Plum names our poNumber for N or a proof on record names N (an arbitrary orderId proves nothing)", () => {
      for (const order of [ourOrder({ poNumber: "" }), ourOrder({ poNumber: undefined })]) {
        expectRefused(decide(row(NEEDS), placedAs(ORDER_ID, ok(order)), ctx(now, "reconciler")), "ownership_unproven");
        // A webhook or Plum's history named N for our poNumber: that is the proof.
        const proven = row({ ...NEEDS, existence: { source: "webhook", orderId: ORDER_ID } });
        expectPlaced(decide(proven, placedAs(ORDER_ID, ok(order)), ctx(now, "reconciler")));
      }
    });

    it("is refused when the proof on record names another order (two orders may exist)", () => {
      const proof: ExistenceProof = { source: "webhook", orderId: "22222222" };
      expectRefused(
        decide(row({ ...NEEDS, existence: proof }), placedAs(ORDER_ID, ok()), ctx(now, "reconciler")),
        "proof_names_other_order",
      );
    });
  });

  describe("not placed", () => {
    it("is a final, non-reopenable rejection after a trusted look-up finds nothing", () => {
      const decision = decide(row(NEEDS), notPlaced(notFound), ctx(now, "reconciler"));
      const failure = expectRejected(decision, OrderErrorCode.UPSTREAM_UNAVAILABLE);
      expect(failure.retryable).toBe(false);
      expect(decision.patch.reopenable).toBe(false);
      expect(decision.patch.sends?.every((s) => s.answer === "empty")).toBe(true);
    });

    it("is refused when Plum holds someone else's order under the poNumber after an attempt of ours may have reached it", () => {
      const held = { ...NEEDS, alert: "po_number_held_by_different_order" as const };
      const decision = decide(
        row(held),
        notPlaced(ok(ourOrder({ orderMeta: { email: "x@example.com" } }))),
        ctx(now, "reconciler"),
      );
      expectRefused(decision, "not_ours");
      expectNeverSendsOrRejects(decision);
    });

    it("is refused while any proof of existence is on record", () => {
      const proofs: Partial<PlacementRow>[] = [
        { existence: DUPLICATE_PROOF },
        { existence: WEBHOOK_PROOF },
        { existence: { source: "history", orderId: ORDER_ID } },
        { sends: [createdAttempt(1), unknown(2)] },
      ];
      for (const proof of proofs) {
        const decision = decide(row({ ...NEEDS, ...proof }), notPlaced(notFound), ctx(now, "reconciler"));
        expectRefused(decision, "existence_proven");
        expectNeverSendsOrRejects(decision);
      }
    });

    it("is refused while Plum may still be creating the order (look-up before the processing window ended)", () => {
      const decision = decide(row(NEEDS), notPlaced(notFound, at(TRUSTED, -SECOND)), ctx(now, "reconciler"));
      expectRefused(decision, "processing_window_open");
      expectNeverSendsOrRejects(decision);
    });

    it("is refused when Plum cannot answer the check", () => {
      for (const result of [
        unknownResult(),
        notSent,
        rateLimited(30),
        unauthorized,
        ok(ourOrder({ orderId: undefined })),
      ]) {
        expectRefused(decide(row(NEEDS), notPlaced(result), ctx(now, "reconciler")), "plum_unreachable");
      }
    });

    it("adopts the order when the look-up finds ours after all (the operator was wrong)", () => {
      expectPlaced(decide(row(NEEDS), notPlaced(ok()), ctx(now, "reconciler")));
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Issue 16: the shared budget and the placement queue. A queued attempt never left: it is neither proof of absence
// for anything Plum may hold nor an unresolved attempt; only a send with a budget slot turns it into a write-ahead.
// ---------------------------------------------------------------------------------------------------------------

const queuedAttempt = (n: number): AttemptRecord => ({ n, answer: "queued" });
const budgetCtx = (
  now: Date,
  driver: Driver,
  sendBudget: "available" | "exhausted" | "full",
  retryAfter = 42,
): DecideContext => ({
  ...ctx(now, driver),
  sendBudget,
  queuedRetryAfterSeconds: retryAfter,
});

describe("issue 16: queued rows and the send budget", () => {
  const NOW = at(SENT, 10 * SECOND);

  it("without a slot, a first send is queued instead of written ahead (nothing leaves, not due for the reconciler)", () => {
    for (const driver of SENDING_DRIVERS) {
      const d = decide(
        row({ sends: [notSentAttempt(1)], lastSentAt: SENT }),
        NONE,
        budgetCtx(NOW, driver, "exhausted"),
      );
      expect(d.action).toEqual({
        type: "queued",
        attempt: 2,
        errors: [expect.objectContaining({ code: OrderErrorCode.QUEUED, retryAfterSeconds: 42, retryable: true })],
      });
      expect(d.patch.sends).toEqual([notSentAttempt(1), queuedAttempt(2)]);
      expect(d.patch.startAttempt).toBeUndefined();
      expect(d.patch.state).toBeUndefined();
      expect(d.patch.nextCheckAt).toBeNull();
    }
  });

  it("with a slot, the queued attempt becomes the write-ahead of the same attempt number", () => {
    const queued = row({ sends: [queuedAttempt(1)], lastSentAt: null });
    const d = decide(queued, NONE, budgetCtx(NOW, "reconciler", "available"));
    expect(d.action).toEqual({ type: "send", attempt: 1 });
    expect(d.patch.sends).toEqual([open(1)]);
    expect(d.patch.startAttempt).toBe(true);
    expect(d.patch.sendAttempts).toBe(1);
    // The default (no budget configured) is a slot.
    expect(decide(queued, NONE, ctx(NOW, "reconciler")).action).toEqual({ type: "send", attempt: 1 });
  });

  it("a queued row stays queued, keeps its attempt number, for every driver without a slot and for reads", () => {
    const queued = row({ sends: [notSentAttempt(1), queuedAttempt(2)] });
    for (const budget of ["exhausted", "full"] as const) {
      for (const driver of DRIVERS) {
        const d = decide(queued, NONE, budgetCtx(NOW, driver, budget));
        expect(d.action.type).toBe("queued");
        expect(d.patch.sends).toEqual([notSentAttempt(1), queuedAttempt(2)]);
      }
    }
    // A read never sends, even with a slot.
    expect(decide(queued, NONE, budgetCtx(NOW, "read", "available")).action.type).toBe("queued");
  });

  it("over the queue bound a new mutation is refused RATE_LIMITED (retryable, reopenable); the reconciler queues", () => {
    const fresh = row({ sends: [notSentAttempt(1)] });
    const refused = decide(fresh, NONE, budgetCtx(NOW, "mutation", "full", 7));
    expect(refused.action).toEqual({
      type: "rejected",
      failure: expect.objectContaining({ code: OrderErrorCode.RATE_LIMITED, retryable: true, retryAfterSeconds: 7 }),
    });
    expect(refused.patch).toMatchObject({ state: "REJECTED", reopenable: true });
    expect(decide(fresh, NONE, budgetCtx(NOW, "reconciler", "full")).action.type).toBe("queued");
  });

  it("a queued attempt is not proof of absence: a row with an unresolved earlier attempt looks, never queues or sends", () => {
    const d = decide(
      row({ sends: [unknown(1), queuedAttempt(2)] }),
      NONE,
      budgetCtx(TRUSTED, "reconciler", "available"),
    );
    expect(d.action).toEqual({ type: "lookup", target: { poNumber: PO } });
  });

  it("existence proof wins over the queue: never sent, adopted by look-up", () => {
    const queued = row({ sends: [queuedAttempt(1)], existence: WEBHOOK_PROOF });
    for (const budget of ["available", "exhausted", "full"] as const) {
      const d = decide(queued, NONE, budgetCtx(NOW, "reconciler", budget));
      expectNeverSendsOrRejects(d);
      expect(d.action).toEqual({ type: "lookup", target: { orderId: ORDER_ID } });
    }
  });

  it("an answer naming a queued attempt is ignored (it cannot be ours); a late success of an earlier one is adopted", () => {
    const queued = row({ sends: [notSentAttempt(1), queuedAttempt(2)] });
    const stray = decide(queued, answer(2, notFound), budgetCtx(NOW, "reconciler", "exhausted"));
    expect(stray.patch.sends).toEqual([notSentAttempt(1), queuedAttempt(2)]);
    const late = decide(queued, answer(1, ok()), budgetCtx(NOW, "reconciler", "exhausted"));
    expect(late.action.type).toBe("placed");
    expect(late.patch.state).toBe("PLACED");
  });

  it("queued attempts do not count towards maxSendAttempts (they never reached Plum)", () => {
    const d = decide(
      row({ sends: [notSentAttempt(1), notSentAttempt(2), queuedAttempt(3)] }),
      NONE,
      budgetCtx(NOW, "reconciler", "available"),
    );
    expect(d.action).toEqual({ type: "send", attempt: 3 });
  });
});
