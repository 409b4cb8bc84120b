// The pure parts of `orders` and `placement`: cursors (opaque, bound to their query), the page cap, and what a retry
// of the mutation would answer for a row in each state.
import { describe, expect, it } from "vitest";
import { Scope, type Caller } from "../../src/auth/caller.js";
import { OrderErrorCode } from "../../src/orders/errorCodes.js";
import { OrderKind } from "../../src/orders/orderKind.js";
import { PlaceOrderOutcome } from "../../src/orders/placeOrderOutcome.js";
import { rejectionFailure, unavailableFailure } from "../../src/orders/failures.js";
import { MAX_PAGE_SIZE, OrderList } from "../../src/orders/listing/OrderList.js";
import { decodeCursor, encodeCursor, InvalidCursorError, queryDigest } from "../../src/orders/listing/orderCursor.js";
import type { OrderListFilter, OrderListQuery, OrderListStore } from "../../src/orders/listing/ports.js";
import type { OrderRecord } from "../../src/orders/orderRecord.js";
import { placementAnswer, placementStatus } from "../../src/orders/placementStatus.js";
import { orderRecord } from "../support/orderRecords.js";

const NOW = new Date("2026-12-01T10:00:00.000Z");
const NO_FILTER: OrderListFilter = { kind: null, deliveryStatus: null, tag: null, placedFrom: null, placedTo: null };
const alice: Caller = { subject: "alice", scopes: new Set([Scope.read]), authenticated: true };
const admin: Caller = { subject: "ops", scopes: new Set([Scope.read, Scope.admin]), authenticated: true };

function record(patch: Partial<OrderRecord> = {}): OrderRecord {
  return orderRecord(
    {
      poNumber: "PO-1",
      kind: OrderKind.AIRMILES,
      subject: "alice",
      orderId: "101",
      order: { orderId: 101 },
      ...patch,
    },
    NOW,
  );
}

describe("list cursors", () => {
  const digest = queryDigest({ subject: "alice" }, NO_FILTER);

  it("round-trip for the same query and refuse any other", () => {
    const cursor = encodeCursor({ sortKey: "1764583200000123", poNumber: "PO-1" }, digest);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, digest)).toEqual({ sortKey: "1764583200000123", poNumber: "PO-1" });
    expect(() => decodeCursor(cursor, queryDigest({ subject: "bob" }, NO_FILTER))).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor, queryDigest({ everyone: true }, NO_FILTER))).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor, queryDigest({ subject: "alice" }, { ...NO_FILTER, tag: "x" }))).toThrow(
      InvalidCursorError,
    );
  });

  it("refuse malformed text, other versions and non-numeric sort keys", () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const bad of [
      "",
      "!!",
      "a".repeat(513),
      forged(null),
      forged([]),
      forged({ v: 2, k: "1", p: "PO", q: digest }),
      forged({ v: 1, k: "1; DROP", p: "PO", q: digest }),
      forged({ v: 1, k: "1", p: "", q: digest }),
    ]) {
      expect(() => decodeCursor(bad, digest), bad).toThrow(InvalidCursorError);
    }
  });
});

describe("OrderList", () => {
  function storeOf(rows: OrderRecord[], anchorFound = true): OrderListStore & { queries: OrderListQuery[] } {
    const queries: OrderListQuery[] = [];
    return {
      queries,
      listPlaced: async (query) => {
        queries.push(query);
        return {
          anchorFound,
          rows: rows.slice(0, query.limit).map((r, i) => ({ record: r, sortKey: String(1000 - i) })),
        };
      },
      countPlaced: async () => rows.length,
    };
  }

  it("caps first at 100 (asking one more to learn whether a page follows) and refuses first < 1", async () => {
    const store = storeOf(Array.from({ length: 150 }, (_, i) => record({ poNumber: `PO-${i}` })));
    const page = await new OrderList(store).page(admin, 1000, null, NO_FILTER);
    expect(store.queries[0]?.limit).toBe(MAX_PAGE_SIZE + 1);
    expect(page.edges).toHaveLength(MAX_PAGE_SIZE);
    expect(page.hasNextPage).toBe(true);
    expect(page.totalCount).toBe(150);
    await expect(new OrderList(store).page(admin, 0, null, NO_FILTER)).rejects.toThrow(/positive/);
  });

  it("lists the caller's own orders only, everyone's for admins, nothing for a caller without a subject", async () => {
    const store = storeOf([record()]);
    await new OrderList(store).page(alice, 5, null, NO_FILTER);
    await new OrderList(store).page(admin, 5, null, NO_FILTER);
    expect(store.queries.map((q) => q.scope)).toEqual([{ subject: "alice" }, { everyone: true }]);
    const nobody: Caller = { subject: null, scopes: new Set([Scope.read]), authenticated: true };
    expect(await new OrderList(store).page(nobody, 5, null, NO_FILTER)).toEqual({
      edges: [],
      hasNextPage: false,
      endCursor: null,
      totalCount: 0,
    });
  });

  it("refuses a cursor whose row the ledger does not find in the caller's scope", async () => {
    const cursor = encodeCursor({ sortKey: "1", poNumber: "PO-1" }, queryDigest({ subject: "alice" }, NO_FILTER));
    await expect(new OrderList(storeOf([], false)).page(alice, 5, cursor, NO_FILTER)).rejects.toThrow(
      InvalidCursorError,
    );
  });
});

describe("placementAnswer: what a retry of the mutation would answer", () => {
  it("REPLAYED with the order once placed", () => {
    expect(placementAnswer(record())).toMatchObject({ outcome: PlaceOrderOutcome.REPLAYED, errors: [] });
  });

  it("the recorded rejection, retryable or not", () => {
    const definite = rejectionFailure("PLE10018", false);
    expect(placementAnswer(record({ state: "REJECTED", errors: [definite] }))).toMatchObject({
      outcome: PlaceOrderOutcome.REJECTED,
      errors: [definite],
    });
    const notSent = unavailableFailure();
    expect(placementAnswer(record({ state: "REJECTED", reopenable: true, errors: [notSent] })).errors).toEqual([
      notSent,
    ]);
  });

  it("PENDING ORDER_IN_PROGRESS while a lease is live, OUTCOME_UNKNOWN (or the row's errors) otherwise", () => {
    const inFlight = record({ state: "PENDING", leaseOwner: "r:1", leaseUntil: new Date(NOW.getTime() + 5_000) });
    expect(placementAnswer(inFlight).errors.map((e) => e.code)).toEqual([OrderErrorCode.ORDER_IN_PROGRESS]);
    const expired = record({ state: "PENDING", leaseOwner: "r:1", leaseUntil: new Date(NOW.getTime() - 1) });
    expect(placementAnswer(expired)).toMatchObject({
      outcome: PlaceOrderOutcome.PENDING,
      errors: [{ code: OrderErrorCode.OUTCOME_UNKNOWN }],
    });
  });

  it("placementStatus refreshes only PENDING rows, and is null for others' rows and orders learned from Plum", async () => {
    const refreshed: string[] = [];
    const rows = new Map([
      ["PO-P", record({ poNumber: "PO-P", state: "PENDING" })],
      ["PO-D", record({ poNumber: "PO-D" })],
      ["PO-B", record({ poNumber: "PO-B", subject: "bob" })],
      ["PO-L", record({ poNumber: "PO-L", source: "LOOKUP", kind: null, subject: null })],
    ]);
    const deps = {
      store: {
        findByCallerPoNumber: async (subject: string | null, po: string) => {
          const row = rows.get(po);
          return row !== undefined && row.subject === subject ? row : null;
        },
        findByPlumPoNumber: async (po: string) => rows.get(po) ?? null,
      },
      refresh: async (row: OrderRecord) => {
        refreshed.push(row.poNumber);
        return { ...row, state: "PLACED" as const };
      },
    };
    expect((await placementStatus(deps, "PO-P", alice))?.outcome).toBe(PlaceOrderOutcome.REPLAYED);
    expect((await placementStatus(deps, "PO-D", alice))?.outcome).toBe(PlaceOrderOutcome.REPLAYED);
    expect(refreshed).toEqual(["PO-P"]);
    expect(await placementStatus(deps, "PO-B", alice)).toBeNull();
    expect(await placementStatus(deps, "PO-L", admin)).toBeNull();
    expect(await placementStatus(deps, "PO-none", admin)).toBeNull();
  });
});
