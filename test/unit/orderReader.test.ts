// OrderReader on its ports: its OrderReadStore and the placement's refresh as in-memory doubles, Plum's
// look-up as a typed stub. Covers who sees which row (the caller's own poNumber namespace, admins), when Plum is
// asked (never for a row the ledger answers, only admins for misses), and what a look-up's answer becomes.
import { describe, expect, it, vi } from "vitest";
import { Scope, type Caller } from "../../src/auth/caller.js";
import type { OrderRecord } from "../../src/orders/orderRecord.js";
import { OrderReader, UpstreamUnavailableError, type OrderLookups } from "../../src/orders/OrderReader.js";
import type { PlacementService } from "../../src/orders/PlacementService.js";
import type { OrderReadStore } from "../../src/orders/readerPorts.js";
import { UpstreamRefusedError, type UpstreamBudget } from "../../src/orders/upstreamBudget.js";
import type { PlumCallResult } from "../../src/plum/result.js";
import { orderRecord } from "../support/orderRecords.js";

/** OrderReader takes the whole PlacementService but uses only its refresh: the double is typed as that member. */
type ReaderPlacement = Pick<PlacementService, "refresh">;

const alice: Caller = { subject: "alice", scopes: new Set([Scope.read]), authenticated: true };
const bob: Caller = { subject: "bob", scopes: new Set([Scope.read]), authenticated: true };
const admin: Caller = { subject: "ops", scopes: new Set([Scope.read, Scope.admin]), authenticated: true };

class MemoryReadStore implements OrderReadStore {
  readonly byOrderIdsCalls: (readonly string[])[] = [];
  constructor(readonly rows: OrderRecord[] = []) {}

  findByCallerPoNumber(subject: string | null, poNumber: string): Promise<OrderRecord | null> {
    return Promise.resolve(this.rows.find((r) => r.subject === subject && r.callerPoNumber === poNumber) ?? null);
  }

  findByPlumPoNumber(poNumber: string): Promise<OrderRecord | null> {
    return Promise.resolve(this.rows.find((r) => r.poNumber === poNumber) ?? null);
  }

  findByOrderIds(orderIds: readonly string[]): Promise<OrderRecord[]> {
    this.byOrderIdsCalls.push(orderIds);
    return Promise.resolve(this.rows.filter((r) => r.orderId !== null && orderIds.includes(r.orderId)));
  }

  remember(order: Parameters<OrderReadStore["remember"]>[0]): Promise<OrderRecord> {
    const row = orderRecord({
      poNumber: order.poNumber,
      orderId: order.orderId,
      order: order.order,
      placedAt: order.placedAt,
      source: "LOOKUP",
      fingerprint: null,
    });
    this.rows.push(row);
    return Promise.resolve(row);
  }
}

function reader(
  rows: OrderRecord[],
  answers: Record<string, PlumCallResult> = {},
  refreshed?: (row: OrderRecord) => OrderRecord,
) {
  const ledger = new MemoryReadStore(rows);
  const getOrderDetails = vi.fn<OrderLookups["getOrderDetails"]>((lookup) =>
    Promise.resolve(
      answers["orderId" in lookup ? lookup.orderId : lookup.poNumber] ?? { kind: "notFound", httpStatus: 404 },
    ),
  );
  const refresh = vi.fn<ReaderPlacement["refresh"]>((row) => Promise.resolve(refreshed?.(row) ?? row));
  const placement: ReaderPlacement = { refresh };
  const orders = new OrderReader({
    store: ledger,
    plum: { getOrderDetails },
    // The one cast: a double of the one member used, not of the whole service.
    placement: placement as PlacementService,
    lookupConcurrency: 2,
  });
  return { orders, ledger, getOrderDetails, refresh };
}

function countingBudget(refuseAfter = Infinity): UpstreamBudget & { taken: number } {
  const budget = {
    taken: 0,
    take(): void {
      if (budget.taken >= refuseAfter) throw new UpstreamRefusedError("TOO_MANY_UPSTREAM_CALLS", null);
      budget.taken += 1;
    },
  };
  return budget;
}

const plumOrder = (orderId: number, poNumber: string | null): PlumCallResult => ({
  kind: "ok",
  httpStatus: 200,
  order: { orderId, poNumber, orderDate: "2026-12-01 10:00:00", orderStatus: "complete" },
});

describe("OrderReader.byPoNumber", () => {
  const alicesOrder = orderRecord({
    poNumber: "ns-alice-PO-1",
    callerPoNumber: "PO-1",
    subject: "alice",
    orderId: "101",
  });
  const bobsOrder = orderRecord({ poNumber: "ns-bob-PO-1", callerPoNumber: "PO-1", subject: "bob", orderId: "202" });

  it("answers the caller's own placed row from the ledger, in the caller's namespace, without asking Plum", async () => {
    const { orders, getOrderDetails } = reader([alicesOrder, bobsOrder]);
    const budget = countingBudget();
    expect((await orders.byPoNumber("PO-1", alice, budget))?.orderId).toBe("101");
    expect((await orders.byPoNumber("PO-1", bob, budget))?.orderId).toBe("202");
    expect(getOrderDetails).not.toHaveBeenCalled();
    expect(budget.taken).toBe(0);
  });

  it("never shows another caller's row, by their poNumber or by Plum's, and asks Plum nothing for them", async () => {
    const { orders, getOrderDetails } = reader([alicesOrder]);
    expect(await orders.byPoNumber("PO-1", bob)).toBeNull();
    expect(await orders.byPoNumber("ns-alice-PO-1", bob)).toBeNull();
    expect(getOrderDetails).not.toHaveBeenCalled();
  });

  it("lets an admin name an order by Plum's poNumber", async () => {
    const { orders, getOrderDetails } = reader([alicesOrder]);
    expect((await orders.byPoNumber("ns-alice-PO-1", admin))?.orderId).toBe("101");
    expect(getOrderDetails).not.toHaveBeenCalled();
  });

  it("settles the caller's PENDING row through the placement's refresh (one budget slot), and shows it only once placed", async () => {
    const pending = orderRecord({
      poNumber: "ns-alice-PO-2",
      callerPoNumber: "PO-2",
      subject: "alice",
      state: "PENDING",
    });
    const stillPending = reader([pending]);
    const budget = countingBudget();
    expect(await stillPending.orders.byPoNumber("PO-2", alice, budget)).toBeNull();
    expect(stillPending.refresh).toHaveBeenCalledWith(pending);
    expect(budget.taken).toBe(1);

    const nowPlaced = reader([pending], {}, (row) => ({ ...row, state: "PLACED", orderId: "303" }));
    expect((await nowPlaced.orders.byPoNumber("PO-2", alice))?.orderId).toBe("303");
  });

  it("does not call Plum for a PENDING row when the budget refuses", async () => {
    const pending = orderRecord({
      poNumber: "ns-alice-PO-2",
      callerPoNumber: "PO-2",
      subject: "alice",
      state: "PENDING",
    });
    const { orders, refresh } = reader([pending]);
    await expect(orders.byPoNumber("PO-2", alice, countingBudget(0))).rejects.toBeInstanceOf(UpstreamRefusedError);
    expect(refresh).not.toHaveBeenCalled();
  });

  it("a miss: null for a caller (no Plum call); for an admin, asked of Plum and remembered in the ledger", async () => {
    const { orders, ledger, getOrderDetails } = reader([], { "PO-9": plumOrder(909, "PO-9") });
    expect(await orders.byPoNumber("PO-9", alice)).toBeNull();
    expect(getOrderDetails).not.toHaveBeenCalled();

    const learned = await orders.byPoNumber("PO-9", admin);
    expect(getOrderDetails).toHaveBeenCalledExactlyOnceWith({ poNumber: "PO-9" });
    expect(learned).toMatchObject({ poNumber: "PO-9", orderId: "909", source: "LOOKUP", subject: null });
    expect(ledger.rows).toHaveLength(1);
  });

  it("an admin's miss Plum does not know is null; Plum unavailable is an error, never a null", async () => {
    const { orders } = reader([], { "PO-X": { kind: "unknown", httpStatus: 503, errorId: null, errorCode: null } });
    expect(await orders.byPoNumber("PO-NONE", admin)).toBeNull();
    await expect(orders.byPoNumber("PO-X", admin)).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });
});

describe("OrderReader.byOrderIds", () => {
  const rows = [
    orderRecord({ poNumber: "ns-alice-A", subject: "alice", orderId: "11" }),
    orderRecord({ poNumber: "ns-bob-B", subject: "bob", orderId: "12" }),
  ];

  it("answers a batch with one ledger query, in input order, with duplicates and non-canonical ids", async () => {
    const { orders, ledger, getOrderDetails } = reader(rows);
    const answers = await orders.byOrderIds(["12", "0011", "11", "not-an-id", "99"], alice);
    expect(answers.map((r) => (r instanceof Error || r === null ? r : r.orderId))).toEqual([
      "12",
      "11",
      "11",
      null,
      null,
    ]);
    expect(ledger.byOrderIdsCalls).toEqual([["12", "11", "99"]]);
    // A caller's misses are not asked of Plum.
    expect(getOrderDetails).not.toHaveBeenCalled();
  });

  it("asks Plum only for an admin's misses; a miss the budget refuses is that entry's error", async () => {
    const { orders, getOrderDetails } = reader(rows, { "21": plumOrder(21, "PO-21"), "22": plumOrder(22, null) });
    const answers = await orders.byOrderIds(["11", "21", "22", "23"], admin, countingBudget(2));
    expect(getOrderDetails.mock.calls.map(([lookup]) => lookup)).toEqual([{ orderId: "21" }, { orderId: "22" }]);
    expect(answers[0]).toMatchObject({ orderId: "11" });
    expect(answers[1]).toMatchObject({ orderId: "21", poNumber: "PO-21" });
    // Placed without a poNumber: served, not cached (the ledger is keyed by poNumber).
    expect(answers[2]).toMatchObject({ orderId: "22", source: "LOOKUP" });
    expect(answers[3]).toBeInstanceOf(UpstreamRefusedError);
  });
});
