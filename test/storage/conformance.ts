// The behaviour every Ledger engine must share. Tests may share one database (PostgreSQL: one per file), so each
// uses its own poNumbers/orderIds, and time-window queries use their own era far in the past.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OrderKind } from "../../src/orders/orderKind.js";
import type { Ledger, OrderRecord } from "../../src/storage/ledger.js";
import {
  ignoreReadAt,
  aMinuteAgo,
  at,
  attempt,
  failure,
  lease,
  placement,
  plumOrder,
  sleep,
  tokens,
  uniqueOrderId,
  uniquePo,
  webhook,
} from "./fixtures.js";

export interface OpenedLedger {
  ledger: Ledger;
  /** Opens another ledger on the same storage (a restart, or a second replica while the first is open). */
  reopen?: () => Promise<Ledger>;
  /** false: the storage serves one open instance at a time (a SQLite file), so "a second replica" is the same one. */
  concurrentInstances?: boolean;
  cleanup: () => Promise<void>;
}

/** `durable: false` for engines that cannot be reopened (SQLite :memory:): the close-and-reopen case is not registered. */
export function describeLedgerConformance(
  name: string,
  open: () => Promise<OpenedLedger>,
  options: { durable: boolean } = { durable: true },
): void {
  describe(`Ledger conformance: ${name}`, () => {
    expect.addEqualityTesters([ignoreReadAt]);
    let opened: OpenedLedger;
    let ledger: Ledger;
    const others: Ledger[] = [];

    beforeEach(async () => {
      opened = await open();
      ledger = opened.ledger;
    });

    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await opened.cleanup();
    });

    /** Another instance on the same storage when the engine can open one; the same instance otherwise. */
    async function secondInstance(): Promise<Ledger> {
      if (opened.reopen === undefined) return ledger;
      const other = await opened.reopen();
      others.push(other);
      return other;
    }

    /** A PENDING row leased to `owner`, claimed a minute ago with a 30 s lease (so the lease has expired). */
    async function claimed(label: string, owner = "replica-a", now = aMinuteAgo()): Promise<OrderRecord> {
      const result = await ledger.claim(placement(uniquePo(label)), lease(owner, now));
      expect(result.claimed).toBe(true);
      return result.record;
    }

    describe("placement queue (issue 16)", () => {
      it("claims queued in input order, keeps FIFO positions, and a row leaves the queue when written ahead or final", async () => {
        const before = (await ledger.queueStats()).depth;
        const [a, b, c] = [uniquePo("q-a"), uniquePo("q-b"), uniquePo("q-c")];
        const errors = [failure()];
        const claims = await ledger.claimQueued([
          placement(a, { errors }),
          placement(b, { errors }),
          placement(c, { errors }),
        ]);
        expect(claims.map((claim) => claim.claimed)).toEqual([true, true, true]);
        for (const claim of claims) {
          expect(claim.record).toMatchObject({
            state: "PENDING",
            sends: [{ n: 1, answer: "queued" }],
            sendAttempts: 0,
            lastSentAt: null,
            nextCheckAt: null,
            leaseOwner: null,
            leaseUntil: null,
            errors,
          });
          expect(claim.record.queuedAt).toBeInstanceOf(Date);
        }
        // The same poNumber again: not claimed, the row untouched.
        const again = await ledger.claimQueued([placement(a)]);
        expect(again[0]).toMatchObject({ claimed: false, record: { poNumber: a, errors } });
        expect((await ledger.queueStats()).depth).toBe(before + 3);
        const positions = await Promise.all([a, b, c].map((po) => ledger.queuePosition(po)));
        expect(positions).toEqual([...positions].sort((x, y) => (x ?? 0) - (y ?? 0)));
        expect(new Set(positions).size).toBe(3);
        const fifo = (await ledger.nextQueued(1_000)).map((row) => row.poNumber).filter((po) => [a, b, c].includes(po));
        expect(fifo).toEqual([a, b, c]);

        // The dispatcher's write-ahead takes b out of the queue; a final state takes a out.
        const held = await ledger.acquireLease(b, { owner: "dispatcher", ms: 30_000 });
        expect(held?.queuedAt).toBeInstanceOf(Date);
        expect((await ledger.nextQueued(1_000)).map((row) => row.poNumber)).not.toContain(b);
        const written = await ledger.update(
          b,
          "dispatcher",
          { sends: [{ n: 1, answer: "open" }], startAttempt: true, sendAttempts: 1 },
          false,
          { live: true },
        );
        expect(written).toMatchObject({ sendAttempts: 1, queuedAt: null });
        expect(written?.lastSentAt).toBeInstanceOf(Date);
        expect(await ledger.queuePosition(b)).toBeNull();
        await ledger.update(a, null, { state: "REJECTED", errors: [failure()] }, false);
        expect(await ledger.queuePosition(a)).toBeNull();
        // Staying queued (a dispatcher without a slot) keeps the place.
        const cBefore = (await ledger.findByPlumPoNumber(c))?.queuedAt;
        await ledger.update(c, null, { sends: [{ n: 1, answer: "queued" }], errors }, false);
        expect((await ledger.findByPlumPoNumber(c))?.queuedAt).toEqual(cBefore);
        expect((await ledger.queueStats()).depth).toBe(before + 1);
        // A single queued claim (the mutation without a slot) is the same kind of row.
        const single = await ledger.claim(
          placement(uniquePo("q-single"), { queued: true, errors }),
          lease("x", new Date()),
        );
        expect(single.record).toMatchObject({
          sends: [{ n: 1, answer: "queued" }],
          leaseOwner: null,
          nextCheckAt: null,
        });
        for (const po of [c, single.record.poNumber])
          await ledger.update(po, null, { state: "REJECTED", errors: [failure()] }, false);
        expect((await ledger.queueStats()).depth).toBe(before);
      });

      it("the Plum budget: a sliding log per operation, a class limit, and a penalty for every taker", async () => {
        const rule = { limit: 2, classLimit: 2, windowMs: 300 };
        expect(await ledger.budget.take("getBalance", "placement", rule)).toEqual({ granted: true });
        expect(await ledger.budget.take("getBalance", "placement", rule)).toEqual({ granted: true });
        const refused = await ledger.budget.take("getBalance", "placement", rule);
        expect(refused).toMatchObject({ granted: false, penalized: false });
        if (!refused.granted) expect(refused.retryAfterMs).toBeLessThanOrEqual(300);
        expect((await ledger.budget.usage("getBalance", 300)).used).toBe(2);
        await sleep(320);
        expect(await ledger.budget.take("getBalance", "placement", rule)).toEqual({ granted: true });
        // The class limit keeps the other class's reserve.
        const split = { limit: 3, classLimit: 2, windowMs: 5_000 };
        expect((await ledger.budget.take("getVouchers", "reconciliation", split)).granted).toBe(true);
        expect((await ledger.budget.take("getVouchers", "reconciliation", split)).granted).toBe(true);
        expect((await ledger.budget.take("getVouchers", "reconciliation", split)).granted).toBe(false);
        expect((await ledger.budget.take("getVouchers", "placement", split)).granted).toBe(true);
        // A penalty refuses every taker until it ends.
        await ledger.budget.penalize("lookupMobileNumber", 250);
        expect(await ledger.budget.take("lookupMobileNumber", "placement", rule)).toMatchObject({
          granted: false,
          penalized: true,
        });
        expect((await ledger.budget.usage("lookupMobileNumber", 300)).penaltyUntil).toBeInstanceOf(Date);
        await sleep(270);
        expect(await ledger.budget.take("lookupMobileNumber", "placement", rule)).toEqual({ granted: true });
      });
    });

    describe("claim", () => {
      it("inserts a PENDING row holding the lease, due for a check when the lease expires", async () => {
        const now = aMinuteAgo();
        const newPlacement = placement(uniquePo("claim"));
        const claimLease = lease("replica-a", now);

        const result = await ledger.claim(newPlacement, claimLease);

        const expected: OrderRecord = {
          poNumber: newPlacement.poNumber,
          callerPoNumber: newPlacement.poNumber,
          kind: OrderKind.TOPUP,
          fingerprint: newPlacement.fingerprint,
          subject: "user-42",
          source: "PLACEMENT",
          state: "PENDING",
          request: newPlacement.request,
          orderId: null,
          order: null,
          errors: [],
          deliveryStatus: null,
          deliveryStatusAt: null,
          // Attempt 1 is written ahead with the claim: on record before the request leaves.
          sendAttempts: 1,
          lastSentAt: now,
          sends: [{ n: 1, answer: "open" }],
          existence: null,
          lastLookupAt: null,
          alert: null,
          reopenable: false,
          version: 0,
          readAt: expect.any(Date),
          // A placement whose process dies becomes the reconciler's work once the lease runs out.
          nextCheckAt: at(now, claimLease.ms),
          leaseOwner: "replica-a",
          leaseUntil: at(now, claimLease.ms),
          createdAt: now,
          updatedAt: now,
          placedAt: null,
          queuedAt: null,
        };
        expect(result).toEqual({ claimed: true, record: expected });
        expect(await ledger.findByPlumPoNumber(newPlacement.poNumber)).toEqual(expected);
      });

      it("returns the existing row untouched to every later caller", async () => {
        const first = await claimed("reclaim");
        const later = placement(first.poNumber, { fingerprint: "b".repeat(64), subject: "someone-else" });

        const again = await ledger.claim(later, lease("replica-b", new Date()));

        expect(again).toEqual({ claimed: false, record: first });
        expect(await ledger.findByPlumPoNumber(first.poNumber)).toEqual(first);
      });

      it("lets exactly one of 50 concurrent claims win", async () => {
        const poNumber = uniquePo("race");
        const now = new Date();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => ledger.claim(placement(poNumber), lease(`replica-${i}`, now))),
        );

        const winners = results.filter((result) => result.claimed);
        expect(winners).toHaveLength(1);
        const winner = winners[0]?.record.leaseOwner;
        expect(results.every((result) => result.record.leaseOwner === winner)).toBe(true);
      });
    });

    describe("leases", () => {
      it("refuses a live lease held by another, renews for its holder, and lets anyone take an expired one", async () => {
        const now = new Date();
        const { record } = await ledger.claim(placement(uniquePo("lease")), lease("replica-a", now));
        const po = record.poNumber;

        expect(await ledger.acquireLease(po, lease("replica-b", at(now, 1_000)))).toBeNull();

        const renewed = await ledger.acquireLease(po, lease("replica-a", at(now, 1_000)));
        expect(renewed?.leaseOwner).toBe("replica-a");
        expect(renewed?.leaseUntil).toEqual(at(now, 31_000));

        const afterExpiry = at(now, 31_001);
        const stolen = await ledger.acquireLease(po, lease("replica-b", afterExpiry));
        expect(stolen?.leaseOwner).toBe("replica-b");
        expect(stolen?.leaseUntil).toEqual(at(afterExpiry, 30_000));
        expect(stolen?.state).toBe("PENDING");

        expect(await ledger.acquireLease(po, lease("replica-a", afterExpiry))).toBeNull();
        expect(await ledger.update(po, "replica-a", { sendAttempts: 9 }, false)).toBeNull();
        expect((await ledger.findByPlumPoNumber(po))?.sendAttempts).toBe(1);
      });

      it("is only granted on PENDING rows that exist", async () => {
        const record = await claimed("lease-placed");
        await ledger.update(record.poNumber, "replica-a", { state: "PLACED" }, true);

        expect(await ledger.acquireLease(record.poNumber, lease("replica-b", new Date()))).toBeNull();
        expect(await ledger.acquireLease(uniquePo("unknown"), lease("replica-b", new Date()))).toBeNull();
      });

      it("lets exactly one of 20 concurrent acquirers take an expired lease", async () => {
        const record = await claimed("lease-race");
        const now = new Date();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => ledger.acquireLease(record.poNumber, lease(`replica-${i}`, now))),
        );

        const winners = results.filter((result) => result !== null);
        expect(winners).toHaveLength(1);
        expect((await ledger.findByPlumPoNumber(record.poNumber))?.leaseOwner).toBe(winners[0]?.leaseOwner);
      });
    });

    describe("update", () => {
      it("applies only for the lease holder", async () => {
        const now = new Date();
        const { record } = await ledger.claim(placement(uniquePo("update-owner")), lease("replica-a", now));

        expect(await ledger.update(record.poNumber, "replica-b", { sendAttempts: 1 }, true)).toBeNull();
        expect(await ledger.findByPlumPoNumber(record.poNumber)).toEqual(record);

        const updated = await ledger.update(record.poNumber, "replica-a", { sendAttempts: 1 }, false);
        expect(updated?.sendAttempts).toBe(1);
        expect(updated?.leaseOwner).toBe("replica-a");
        expect(await ledger.update(uniquePo("unknown"), "replica-a", { sendAttempts: 1 }, false)).toBeNull();
      });

      it("still applies for an owner whose lease expired when nobody took it over", async () => {
        const record = await claimed("update-expired");
        expect(record.leaseUntil?.getTime()).toBeLessThan(Date.now());

        expect((await ledger.update(record.poNumber, "replica-a", { sendAttempts: 1 }, false))?.sendAttempts).toBe(1);

        await ledger.acquireLease(record.poNumber, lease("replica-b", new Date()));
        expect(await ledger.update(record.poNumber, "replica-a", { sendAttempts: 2 }, false)).toBeNull();
      });

      it("releases the lease on request, which ends the holder's rights", async () => {
        const record = await claimed("update-release");

        const released = await ledger.update(record.poNumber, "replica-a", { sendAttempts: 1 }, true);
        expect(released?.leaseOwner).toBeNull();
        expect(released?.leaseUntil).toBeNull();

        expect(await ledger.update(record.poNumber, "replica-a", { sendAttempts: 2 }, false)).toBeNull();
        expect((await ledger.acquireLease(record.poNumber, lease("replica-b", new Date())))?.leaseOwner).toBe(
          "replica-b",
        );
      });

      it("sets every patched field, keeps omitted ones, moves updatedAt, and round-trips JSON and Dates", async () => {
        const record = await claimed("update-fields");
        const orderId = uniqueOrderId();
        const sentAt = new Date("2024-05-01T10:00:00.123Z");
        const patch = {
          state: "PLACED" as const,
          orderId,
          order: plumOrder(orderId, record.poNumber),
          errors: [failure(), { ...failure(), field: null, retryAfterSeconds: null }],
          deliveryStatus: "pending",
          sendAttempts: 2,
          lastSentAt: sentAt,
          nextCheckAt: at(sentAt, 5_000),
          placedAt: at(sentAt, 1_234),
        };

        const updated = await ledger.update(record.poNumber, "replica-a", patch, true);

        expect(updated).toEqual({
          ...record,
          ...patch,
          leaseOwner: null,
          leaseUntil: null,
          version: record.version + 1,
          updatedAt: expect.any(Date),
        });
        expect(updated?.updatedAt.getTime()).toBeGreaterThan(record.updatedAt.getTime());
        expect(await ledger.findByPlumPoNumber(record.poNumber)).toEqual(updated);
        expect(updated?.lastSentAt).toBeInstanceOf(Date);

        const reacquired = await ledger.claim(placement(record.poNumber), lease("x", new Date()));
        expect(reacquired.record).toEqual(updated);
      });

      it("keeps omitted fields and clears fields patched to null", async () => {
        const record = await claimed("update-partial");
        const orderId = uniqueOrderId();
        await ledger.update(
          record.poNumber,
          "replica-a",
          { orderId, order: plumOrder(orderId, record.poNumber), errors: [failure()], lastSentAt: new Date() },
          false,
        );

        const updated = await ledger.update(record.poNumber, "replica-a", { nextCheckAt: null, order: null }, false);

        expect(updated?.nextCheckAt).toBeNull();
        expect(updated?.order).toBeNull();
        expect(updated?.orderId).toBe(orderId);
        expect(updated?.errors).toEqual([failure()]);
        expect(updated?.lastSentAt).toBeInstanceOf(Date);
        expect(updated?.request).toEqual(record.request);
      });
    });

    describe("remember", () => {
      it("caches an unknown order as a PLACED LOOKUP row", async () => {
        const po = uniquePo("remember");
        const orderId = uniqueOrderId();
        const placedAt = new Date("2024-05-01T10:00:00.000Z");

        const record = await ledger.remember({ poNumber: po, orderId, order: plumOrder(orderId, po), placedAt });

        expect(record).toEqual({
          poNumber: po,
          callerPoNumber: po,
          kind: null,
          fingerprint: null,
          subject: null,
          source: "LOOKUP",
          state: "PLACED",
          request: null,
          orderId,
          order: plumOrder(orderId, po),
          errors: [],
          deliveryStatus: null,
          deliveryStatusAt: null,
          sendAttempts: 0,
          lastSentAt: null,
          nextCheckAt: null,
          queuedAt: null,
          leaseOwner: null,
          leaseUntil: null,
          createdAt: expect.any(Date),
          updatedAt: expect.any(Date),
          placedAt,
          sends: [],
          existence: null,
          lastLookupAt: null,
          alert: null,
          reopenable: false,
          version: 0,
          readAt: expect.any(Date),
        });
        expect(await ledger.findByPlumPoNumber(po)).toEqual(record);
      });

      it("returns the existing row unchanged when the poNumber is known", async () => {
        const record = await claimed("remember-known-po");
        const orderId = uniqueOrderId();

        const remembered = await ledger.remember({
          poNumber: record.poNumber,
          orderId,
          order: plumOrder(orderId, record.poNumber),
          placedAt: null,
        });

        expect(remembered).toEqual(record);
        expect(await ledger.findByOrderIds([orderId])).toEqual([]);
      });

      it("returns the existing row unchanged when the orderId is known under another poNumber", async () => {
        const po = uniquePo("remember-known-id");
        const orderId = uniqueOrderId();
        const first = await ledger.remember({ poNumber: po, orderId, order: plumOrder(orderId, po), placedAt: null });

        const otherPo = uniquePo("remember-other");
        const again = await ledger.remember({
          poNumber: otherPo,
          orderId,
          order: plumOrder(orderId, otherPo),
          placedAt: null,
        });

        expect(again).toEqual(first);
        expect(await ledger.findByPlumPoNumber(otherPo)).toBeNull();
      });
    });

    describe("queries", () => {
      it("finds any batch of orderIds in one call", async () => {
        const ids = [uniqueOrderId(), uniqueOrderId(), uniqueOrderId()];
        for (const orderId of ids) {
          const po = uniquePo("batch");
          await ledger.remember({ poNumber: po, orderId, order: plumOrder(orderId, po), placedAt: null });
        }
        const wanted = [ids[0] ?? "", ids[2] ?? "", uniqueOrderId(), ids[0] ?? ""];

        const found = await ledger.findByOrderIds(wanted);

        expect(found.map((record) => record.orderId).sort()).toEqual([ids[0], ids[2]].sort());
        expect(await ledger.findByOrderIds([])).toEqual([]);
      });

      it("lists due PENDING rows with a free or expired lease, oldest check first", async () => {
        // The earliest era of the suite: no other test's rows are due this early.
        const base = new Date("1990-01-01T00:00:00.000Z");
        const now = at(base, 60_000);
        const row = async (label: string, leaseMs: number, nextCheckMs: number, release: boolean) => {
          const po = uniquePo(label);
          await ledger.claim(placement(po), lease("replica-a", base, leaseMs));
          await ledger.update(po, "replica-a", { nextCheckAt: at(base, nextCheckMs) }, release);
          return po;
        };
        const second = await row("due-second", 30_000, 10_000, true);
        const first = await row("due-first", 30_000, 5_000, true);
        await row("leased", 100_000, 20_000, false);
        const expiredLease = await row("expired-lease", 30_000, 15_000, false);
        await row("future", 30_000, 120_000, true);
        const placed = await row("placed", 30_000, 1_000, false);
        await ledger.update(placed, "replica-a", { state: "PLACED" }, true);

        const due = await ledger.duePending(now, 10);
        expect(due.map((record) => record.poNumber)).toEqual([first, second, expiredLease]);
        expect((await ledger.duePending(now, 2)).map((record) => record.poNumber)).toEqual([first, second]);
        expect(await ledger.duePending(at(base, 4_000), 10)).toEqual([]);
      });

      it("makes a claimed row due once its lease expires (a crashed placement)", async () => {
        const base = new Date("2000-01-01T00:00:00.000Z");
        const { record } = await ledger.claim(placement(uniquePo("crashed")), lease("replica-a", base));
        const mine = (rows: OrderRecord[]) => rows.filter((row) => row.poNumber === record.poNumber);

        expect(mine(await ledger.duePending(at(base, 29_999), 1_000))).toEqual([]);
        expect(mine(await ledger.duePending(at(base, 30_001), 1_000))).toEqual([record]);
      });

      it("counts PENDING rows", async () => {
        const before = await ledger.countPending();
        const pending = await claimed("count-pending");
        const placed = await claimed("count-placed");
        await ledger.update(placed.poNumber, "replica-a", { state: "PLACED" }, true);
        const rejected = await claimed("count-rejected");
        await ledger.update(rejected.poNumber, "replica-a", { state: "REJECTED", errors: [failure()] }, true);

        expect(await ledger.countPending()).toBe(before + 1);
        expect(pending.state).toBe("PENDING");
      });

      it("counts rows needing an operator, PENDING rows by age, and placed orders awaiting delivery (the operations counts)", async () => {
        const before = await ledger.operationsCounts();
        const waiting = await claimed("ops-needs-operator");
        await ledger.update(waiting.poNumber, "replica-a", { alert: "order_needs_operator" }, true);
        const held = await claimed("ops-held");
        await ledger.update(held.poNumber, "replica-a", { alert: "po_number_held_by_different_order" }, true);
        const awaiting = await claimed("ops-awaiting");
        const awaitingId = uniqueOrderId();
        await ledger.update(
          awaiting.poNumber,
          "replica-a",
          {
            state: "PLACED",
            orderId: awaitingId,
            order: plumOrder(awaitingId, awaiting.poNumber),
            placedAt: aMinuteAgo(),
          },
          true,
        );
        const delivered = await claimed("ops-delivered");
        const deliveredId = uniqueOrderId();
        await ledger.update(
          delivered.poNumber,
          "replica-a",
          {
            state: "PLACED",
            orderId: deliveredId,
            order: { ...plumOrder(deliveredId, delivered.poNumber), deliveryStatus: "pending" },
            deliveryStatus: "delivered",
          },
          true,
        );

        const after = await ledger.operationsCounts();
        expect(after.needingOperator).toEqual({
          order_needs_operator: before.needingOperator.order_needs_operator + 1,
          po_number_held_by_different_order: before.needingOperator.po_number_held_by_different_order + 1,
        });
        // Claimed a minute ago: the youngest bucket; the other buckets are unchanged.
        expect(after.pendingByAge).toEqual({
          ...before.pendingByAge,
          under_five_minutes: before.pendingByAge.under_five_minutes + 2,
        });
        expect(after.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(50);
        // A webhook's status wins over the order data's: the delivered one is not waiting.
        expect(after.awaitingDelivery).toBe(before.awaitingDelivery + 1);
        expect(after.oldestAwaitingDeliveryAgeSeconds).toBeGreaterThanOrEqual(0);
      });
    });

    describe("attempts log", () => {
      it("appends and lists an order's attempts in insertion order", async () => {
        const po = uniquePo("attempts");
        const entries = [
          attempt(po),
          attempt(po, { phase: "response", body: '{"data":{}}', httpStatus: 200, durationMs: 412 }),
          attempt(po, { operation: "getOrderDetails", at: new Date("2024-05-01T09:00:00.000Z") }),
          attempt(po, {
            operation: "getOrderDetails",
            phase: "response",
            body: null,
            errorCode: "UND_ERR_HEADERS_TIMEOUT",
            durationMs: 30_000,
          }),
        ];
        for (const entry of entries) {
          await ledger.appendAttempt(entry);
          await ledger.appendAttempt(attempt(uniquePo("other")));
        }
        await ledger.appendAttempt(attempt(null, { operation: "tokenRefresh" }));

        expect(await ledger.listAttempts(po)).toEqual(entries);
        expect(await ledger.listAttempts(uniquePo("none"))).toEqual([]);
      });

      it("writes a claim's request entry with the claim, and only when the claim succeeds", async () => {
        const po = uniquePo("claim-attempt");
        const request = attempt(po);
        expect((await ledger.claim(placement(po), lease("replica-a", new Date()), request)).claimed).toBe(true);
        const second = await ledger.claim(
          placement(po),
          lease("replica-b", new Date()),
          attempt(po, { body: '{"second":1}' }),
        );

        expect(second.claimed).toBe(false);
        expect(await ledger.listAttempts(po)).toEqual([request]);
      });

      it("writes an update's attempt entries with it, in order, even when the lease is no longer held", async () => {
        const record = await claimed("update-attempts");
        const po = record.poNumber;
        const response = attempt(po, { phase: "response", body: '{"data":{}}', httpStatus: 200, durationMs: 5 });
        const lookup = attempt(po, { operation: "getOrderDetails", phase: "response", httpStatus: 404 });
        expect(
          await ledger.update(po, "replica-a", { sendAttempts: 1, attempts: [response, lookup] }, true),
        ).not.toBeNull();
        const late = attempt(po, { phase: "response", errorCode: "UND_ERR_HEADERS_TIMEOUT" });

        // The audit trail does not depend on the lease: a holder that lost it still leaves its exchange on record.
        expect(await ledger.update(po, "replica-b", { sendAttempts: 2, attempts: [late] }, true)).toBeNull();
        expect(await ledger.listAttempts(po)).toEqual([response, lookup, late]);
        expect((await ledger.findByPlumPoNumber(po))?.sendAttempts).toBe(1);
      });

      it("stores durations as whole milliseconds", async () => {
        const po = uniquePo("attempt-duration");
        await ledger.appendAttempt(attempt(po, { phase: "response", durationMs: 12.6 }));

        expect((await ledger.listAttempts(po))[0]?.durationMs).toBe(13);
      });
    });

    describe("caller poNumbers", () => {
      it("finds a caller's row by their poNumber, never another subject's, and Plum's poNumber maps back to it", async () => {
        const callerPo = uniquePo("caller");
        const plumPo = uniquePo("plum");
        const mine = await ledger.claim(
          placement(plumPo, { callerPoNumber: callerPo, subject: "alice" }),
          lease("replica-a", aMinuteAgo()),
        );
        expect(mine.claimed).toBe(true);
        expect(mine.record).toMatchObject({ poNumber: plumPo, callerPoNumber: callerPo, subject: "alice" });
        expect(await ledger.findByCallerPoNumber("alice", callerPo)).toEqual(mine.record);
        expect(await ledger.findByCallerPoNumber("bob", callerPo)).toBeNull();
        expect(await ledger.findByCallerPoNumber("alice", plumPo)).toBeNull();
        expect(await ledger.findByPlumPoNumber(plumPo)).toEqual(mine.record);
        // Without a subject (auth off) the caller's poNumber is the ledger key: one shared namespace.
        const shared = await ledger.claim(
          placement(uniquePo("shared"), { subject: null }),
          lease("replica-a", aMinuteAgo()),
        );
        expect(await ledger.findByCallerPoNumber(null, shared.record.poNumber)).toEqual(shared.record);
      });

      it("does not claim a second row for the same subject and caller poNumber, whatever Plum poNumber it names", async () => {
        const callerPo = uniquePo("twice");
        const first = await ledger.claim(
          placement(uniquePo("p1"), { callerPoNumber: callerPo, subject: "alice" }),
          lease("replica-a", aMinuteAgo()),
        );
        // A legacy row's Plum poNumber equals the caller's; a new claim derives another: still the same order.
        const second = await ledger.claim(
          placement(uniquePo("p2"), { callerPoNumber: callerPo, subject: "alice" }),
          lease("replica-b", aMinuteAgo()),
        );
        expect(second).toEqual({ claimed: false, record: first.record });
        const other = await ledger.claim(
          placement(uniquePo("p3"), { callerPoNumber: callerPo, subject: "bob" }),
          lease("replica-b", aMinuteAgo()),
        );
        expect(other.claimed).toBe(true);
      });
    });

    describe("webhook events", () => {
      async function placedOrder(label: string): Promise<OrderRecord> {
        const po = uniquePo(label);
        const orderId = uniqueOrderId();
        return ledger.remember({ poNumber: po, orderId, order: plumOrder(orderId, po), placedAt: null });
      }

      it("stores each id once; a repeated id changes nothing", async () => {
        const order = await placedOrder("webhook-dup");
        const orderId = order.orderId ?? "";
        const event = webhook({ orderId, poNumber: order.poNumber, createdAt: "2024-05-01T10:05:00.000Z" });

        expect(await ledger.recordWebhookEvent(event)).toBe("recorded");
        const applied = await ledger.findByPlumPoNumber(order.poNumber);
        expect(applied?.deliveryStatus).toBe("delivered");
        expect(applied?.deliveryStatusAt).toEqual(new Date("2024-05-01T10:05:00.000Z"));

        const replay = { ...event, deliveryStatus: "canceled", createdAt: new Date("2024-05-02T00:00:00.000Z") };
        expect(await ledger.recordWebhookEvent(replay)).toBe("duplicate");
        expect(await ledger.findByPlumPoNumber(order.poNumber)).toEqual(applied);
      });

      it("ends with the latest status whatever order deliveries arrive in", async () => {
        const late = await placedOrder("webhook-out-of-order");
        const lateId = late.orderId ?? "";
        await ledger.recordWebhookEvent(
          webhook({ orderId: lateId, deliveryStatus: "canceled", createdAt: "2024-05-01T12:00:00.000Z" }),
        );
        expect(
          await ledger.recordWebhookEvent(
            webhook({ orderId: lateId, deliveryStatus: "delivered", createdAt: "2024-05-01T11:00:00.000Z" }),
          ),
        ).toBe("recorded");
        const outOfOrder = await ledger.findByPlumPoNumber(late.poNumber);
        expect(outOfOrder?.deliveryStatus).toBe("canceled");
        expect(outOfOrder?.deliveryStatusAt).toEqual(new Date("2024-05-01T12:00:00.000Z"));

        const inOrder = await placedOrder("webhook-in-order");
        const inOrderId = inOrder.orderId ?? "";
        await ledger.recordWebhookEvent(webhook({ orderId: inOrderId, createdAt: "2024-05-01T11:00:00.000Z" }));
        await ledger.recordWebhookEvent(
          webhook({ orderId: inOrderId, deliveryStatus: "canceled", createdAt: "2024-05-01T12:00:00.000Z" }),
        );
        expect((await ledger.findByPlumPoNumber(inOrder.poNumber))?.deliveryStatus).toBe("canceled");
      });

      it("breaks createdAt ties by the higher id, numerically, in either arrival order", async () => {
        for (const arrival of [
          ["9", "10"],
          ["10", "9"],
        ]) {
          const order = await placedOrder("webhook-tie");
          const orderId = order.orderId ?? "";
          // Unique numeric ids ending …9 and …10: the second is the larger number but the smaller string.
          const prefix = uniqueOrderId();
          for (const last of arrival) {
            const event = webhook({
              id: `${prefix}${last}`,
              orderId,
              deliveryStatus: last === "10" ? "canceled" : "delivered",
              createdAt: "2024-05-01T11:00:00.000Z",
            });
            expect(await ledger.recordWebhookEvent(event)).toBe("recorded");
          }
          expect((await ledger.findByPlumPoNumber(order.poNumber))?.deliveryStatus).toBe("canceled");
        }
      });

      it("applies an event only when its orderId and poNumber name the same order", async () => {
        const a = await placedOrder("webhook-a");
        const b = await placedOrder("webhook-b");
        const crossed = webhook({ orderId: a.orderId ?? "", poNumber: b.poNumber, deliveryStatus: "cancelled" });
        expect(await ledger.recordWebhookEvent(crossed)).toBe("mismatched");
        const wrongId = webhook({ orderId: uniqueOrderId(), poNumber: b.poNumber, deliveryStatus: "cancelled" });
        expect(await ledger.recordWebhookEvent(wrongId)).toBe("mismatched");
        expect((await ledger.findByPlumPoNumber(a.poNumber))?.deliveryStatus).toBeNull();
        expect((await ledger.findByPlumPoNumber(b.poNumber))?.deliveryStatus).toBeNull();
        // Stored, but never applied later either (e.g. when another write applies stored events to b).
        await ledger.recordWebhookEvent(
          webhook({ orderId: b.orderId ?? "", poNumber: b.poNumber, createdAt: "2024-05-01T09:00:00.000Z" }),
        );
        expect((await ledger.findByPlumPoNumber(b.poNumber))?.deliveryStatus).toBe("delivered");
      });

      it("deletes events that never matched an order once older than the cut-off; applied ones stay", async () => {
        const unknown = webhook({ orderId: uniqueOrderId(), receivedAt: new Date(Date.now() - 60_000) });
        await ledger.recordWebhookEvent(unknown);
        const known = await placedOrder("webhook-kept");
        const applied = webhook({ orderId: known.orderId ?? "", receivedAt: new Date(Date.now() - 60_000) });
        await ledger.recordWebhookEvent(applied);
        expect(await ledger.pruneUnmatchedWebhookEvents(new Date(Date.now() - 30_000))).toBeGreaterThanOrEqual(1);
        // The pruned id is new again; the applied one is still a duplicate.
        expect(await ledger.recordWebhookEvent(unknown)).toBe("recorded");
        expect(await ledger.recordWebhookEvent(applied)).toBe("duplicate");
      });

      it("matches by poNumber while the order has no orderId yet", async () => {
        const record = await claimed("webhook-by-po");
        await ledger.recordWebhookEvent(webhook({ orderId: uniqueOrderId(), poNumber: record.poNumber }));

        expect((await ledger.findByPlumPoNumber(record.poNumber))?.deliveryStatus).toBe("delivered");
      });

      it("gives a pending placement it names a webhook proof of existence, due at once", async () => {
        const record = await claimed("webhook-proof");
        const orderId = uniqueOrderId();
        await ledger.recordWebhookEvent(webhook({ orderId, poNumber: record.poNumber }));

        const proven = await ledger.findByPlumPoNumber(record.poNumber);
        expect(proven).toMatchObject({ state: "PENDING", existence: { source: "webhook", orderId } });
        expect(proven?.nextCheckAt?.getTime()).toBeLessThanOrEqual(Date.now());
      });

      it("turns a reopenable rejection it names back into a pending placement with the proof (never re-sent)", async () => {
        const record = await claimed("webhook-reopenable");
        await ledger.update(
          record.poNumber,
          "replica-a",
          { state: "REJECTED", reopenable: true, errors: [failure()] },
          true,
        );
        const orderId = uniqueOrderId();
        await ledger.recordWebhookEvent(webhook({ orderId, poNumber: record.poNumber }));

        expect(await ledger.findByPlumPoNumber(record.poNumber)).toMatchObject({
          state: "PENDING",
          reopenable: false,
          existence: { source: "webhook", orderId },
        });
      });

      it("keeps events for an unknown order and applies the latest when update links the orderId", async () => {
        const orderId = uniqueOrderId();
        const events = [
          webhook({ orderId, deliveryStatus: "delivered", createdAt: "2024-05-01T11:00:00.000Z" }),
          webhook({ orderId, deliveryStatus: "canceled", createdAt: "2024-05-01T13:00:00.000Z" }),
          webhook({ orderId, deliveryStatus: "pending", createdAt: "2024-05-01T12:00:00.000Z" }),
        ];
        for (const event of events) expect(await ledger.recordWebhookEvent(event)).toBe("recorded");
        const record = await claimed("webhook-later");
        expect(record.deliveryStatus).toBeNull();

        const linked = await ledger.update(record.poNumber, "replica-a", { orderId, state: "PLACED" }, true);

        expect(linked?.deliveryStatus).toBe("canceled");
        expect(linked?.deliveryStatusAt).toEqual(new Date("2024-05-01T13:00:00.000Z"));
        expect(await ledger.findByPlumPoNumber(record.poNumber)).toEqual(linked);

        // Applied events stay applied: a later, older delivery does not roll the status back.
        await ledger.recordWebhookEvent(webhook({ orderId, createdAt: "2024-05-01T12:30:00.000Z" }));
        expect((await ledger.findByPlumPoNumber(record.poNumber))?.deliveryStatus).toBe("canceled");
      });

      it("applies events kept for an unknown order when remember brings it in", async () => {
        const po = uniquePo("webhook-remember");
        const orderId = uniqueOrderId();
        await ledger.recordWebhookEvent(webhook({ orderId, createdAt: "2024-05-01T11:00:00.000Z" }));

        const record = await ledger.remember({ poNumber: po, orderId, order: plumOrder(orderId, po), placedAt: null });

        expect(record.deliveryStatus).toBe("delivered");
        expect(record.deliveryStatusAt).toEqual(new Date("2024-05-01T11:00:00.000Z"));
      });

      it("reads a createdAt without a zone (Plum's documented format) as UTC", async () => {
        const order = await placedOrder("webhook-zoneless");
        await ledger.recordWebhookEvent(webhook({ orderId: order.orderId ?? "", createdAt: "2024-05-01 10:00:00" }));

        expect((await ledger.findByPlumPoNumber(order.poNumber))?.deliveryStatusAt).toEqual(
          new Date("2024-05-01T10:00:00.000Z"),
        );
      });

      it("rejects a createdAt that is not an instant, storing nothing", async () => {
        const order = await placedOrder("webhook-bad-date");
        const event = webhook({ orderId: order.orderId ?? "", createdAt: "yesterday" });

        await expect(ledger.recordWebhookEvent(event)).rejects.toThrow(RangeError);
        expect(await ledger.recordWebhookEvent({ ...event, createdAt: new Date("2024-05-01T10:00:00Z") })).toBe(
          "recorded",
        );
      });
    });

    describe("tokens", () => {
      it("passes the stored pair to fn and stores what it returns", async () => {
        const stored = tokens(`access-${uniqueOrderId()}`);
        expect(await ledger.withTokenLock(async () => ({ store: stored, result: "refreshed" }))).toBe("refreshed");
        expect(await ledger.getTokens()).toEqual(stored);

        const seen = await ledger.withTokenLock(async (current) => ({ store: null, result: current }));
        expect(seen).toEqual(stored);
        expect(await ledger.getTokens()).toEqual(stored);
      });

      it("commits a rotated pair together with its exchange's attempt rows", async () => {
        const stored = tokens(`access-${uniqueOrderId()}`);
        const marker = uniquePo("token-exchange");
        const answer = attempt(marker, {
          operation: "tokenRefresh",
          phase: "response",
          httpStatus: 200,
          durationMs: 12,
        });
        await ledger.withTokenLock(async () => ({ store: stored, result: undefined, attempts: [answer] }));
        expect(await ledger.getTokens()).toEqual(stored);
        expect(await ledger.listAttempts(marker)).toEqual([answer]);
      });

      it("stores nothing and releases the lock when fn throws", async () => {
        const stored = tokens(`access-${uniqueOrderId()}`);
        await ledger.withTokenLock(async () => ({ store: stored, result: undefined }));

        await expect(
          ledger.withTokenLock(async () => {
            throw new Error("refresh failed");
          }),
        ).rejects.toThrow("refresh failed");

        expect(await ledger.withTokenLock(async (current) => ({ store: null, result: current }))).toEqual(stored);
      });

      it("runs concurrent holders one after the other, across instances", async () => {
        const other = opened.concurrentInstances === false ? ledger : await secondInstance();
        const refreshed = tokens(`access-${uniqueOrderId()}`);
        const timeline: string[] = [];
        let entered = (): void => undefined;
        const firstEntered = new Promise<void>((resolve) => {
          entered = resolve;
        });

        const first = ledger.withTokenLock(async () => {
          timeline.push("first:start");
          entered();
          await sleep(100);
          timeline.push("first:end");
          return { store: refreshed, result: "first" };
        });
        await firstEntered;
        const second = other.withTokenLock(async (current) => {
          timeline.push("second:start");
          return { store: null, result: current };
        });

        expect(await first).toBe("first");
        expect(await second).toEqual(refreshed);
        expect(timeline).toEqual(["first:start", "first:end", "second:start"]);
      });
    });

    describe("lifecycle", () => {
      // Registered only for durable engines: a skipped test would read as a check not done.
      if (options.durable) {
        it("keeps everything across close and reopen", async () => {
          if (opened.reopen === undefined) throw new Error(`${name} is declared durable but cannot be reopened`);
          const record = await claimed("durable");
          const orderId = uniqueOrderId();
          const updated = await ledger.update(
            record.poNumber,
            "replica-a",
            { state: "PLACED", orderId, order: plumOrder(orderId, record.poNumber), errors: [failure()] },
            true,
          );
          await ledger.recordWebhookEvent(webhook({ orderId, createdAt: "2024-05-01T11:00:00.000Z" }));
          const withStatus = await ledger.findByPlumPoNumber(record.poNumber);
          await ledger.appendAttempt(attempt(record.poNumber));
          const stored = tokens(`access-${uniqueOrderId()}`);
          await ledger.withTokenLock(async () => ({ store: stored, result: undefined }));
          await ledger.close();

          const reopened = await secondInstance();
          await reopened.migrate();

          expect(updated?.orderId).toBe(orderId);
          expect(await reopened.findByPlumPoNumber(record.poNumber)).toEqual(withStatus);
          expect(withStatus?.deliveryStatus).toBe("delivered");
          expect(await reopened.listAttempts(record.poNumber)).toEqual([attempt(record.poNumber)]);
          expect(await reopened.getTokens()).toEqual(stored);
        });
      }

      it("migrates idempotently and answers ping until closed", async () => {
        await ledger.migrate();
        await expect(ledger.ping()).resolves.toBeUndefined();

        await ledger.close();
        await expect(ledger.ping()).rejects.toThrow();
        await ledger.close();
      });
    });
  });
}
