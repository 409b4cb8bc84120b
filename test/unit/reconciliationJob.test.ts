// The reconciliation job's I/O shell on a real (in-memory SQLite) ledger with a scripted history: pacing inside
// getOrderHistory's limit, waiting out a rate limit, refusing a history that does not page, and giving the placement
// engine (not the ledger) every adoption.
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OrderKind } from "../../src/orders/orderKind.js";
import type { Evidence } from "../../src/orders/placement/evidence.js";
import { ReconciliationJob, type HistorySource } from "../../src/orders/reconciliation/ReconciliationJob.js";
import type { HistoryQuery, HistoryResult, HistoryRow } from "../../src/plum/orderHistory.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";

const silent = pino({ level: "silent" });

function rows(n: number, prefix = "PO"): HistoryRow[] {
  return Array.from({ length: n }, (_, i) => ({
    orderId: String(1000 + i),
    poNumber: `${prefix}-${i}`,
    orderDate: null,
    deliveryStatus: "delivered",
  }));
}

/** Answers pages of `all`, or the scripted answers first. */
function history(all: HistoryRow[], scripted: HistoryResult[] = []): HistorySource & { queries: HistoryQuery[] } {
  const queries: HistoryQuery[] = [];
  return {
    queries,
    page: async (query) => {
      queries.push(query);
      return (
        scripted.shift() ?? { kind: "ok", rows: all.slice((query.page - 1) * query.limit, query.page * query.limit) }
      );
    },
  };
}

describe("ReconciliationJob", () => {
  let ledger: SqliteLedger;
  let sleeps: number[];
  let applied: [string, Evidence][];

  beforeEach(async () => {
    ledger = new SqliteLedger(":memory:");
    await ledger.migrate();
    sleeps = [];
    applied = [];
  });
  afterEach(async () => {
    await ledger.close();
  });

  function job(source: HistorySource, perMinute = 200) {
    return new ReconciliationJob({
      store: ledger,
      history: source,
      log: silent,
      owner: "test",
      intervalMs: 86_400_000,
      windowDays: 7,
      pageSize: 10,
      perMinute,
      graceMs: 0,
      leaseMs: 60_000,
      placement: {
        applyEvidence: async (poNumber, evidence) => {
          applied.push([poNumber, evidence]);
          return null;
        },
      },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  }

  it("paces pages inside the per-minute budget and stops at the first short page", async () => {
    const source = history(rows(25));
    const summary = await job(source, 200).runOnce(true);
    expect(source.queries.map((q) => q.page)).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([300, 300]); // 60 s / 200
    expect(summary?.outcome).toMatchObject({ status: "succeeded", pages: 3, historyOrders: 25, discrepancies: 25 });
    await job(history(rows(5)), 60).runOnce(true);
    expect(sleeps.slice(2)).toEqual([]); // one page: no wait
  });

  it("waits out a rate limit and retries the same page; gives up after three", async () => {
    const source = history(rows(3), [{ kind: "rateLimited", penaltySeconds: 7 }]);
    expect((await job(source).runOnce(true))?.outcome.status).toBe("succeeded");
    expect(source.queries.map((q) => q.page)).toEqual([1, 1]);
    expect(sleeps).toEqual([7_000, 300]);
    const limited = { kind: "rateLimited", penaltySeconds: 1 } as const;
    const stuck = await job(history([], [limited, limited, limited, limited])).runOnce(true);
    expect(stuck?.outcome).toMatchObject({ status: "failed", error: "rate limited by Plum" });
  });

  it("fails (and records nothing as found) when Plum repeats a full page or cannot answer", async () => {
    const repeating: HistorySource = { page: async () => ({ kind: "ok", rows: rows(10) }) };
    expect((await job(repeating).runOnce(true))?.outcome).toMatchObject({
      status: "failed",
      error: "getOrderHistory repeated a page",
    });
    const broken = await job(history([], [{ kind: "failed", reason: "unknown (HTTP 502)" }])).runOnce(true);
    expect(broken?.outcome).toMatchObject({ status: "failed", error: "getOrderHistory failed: unknown (HTTP 502)" });
    expect(await ledger.countOpenDiscrepancies()).toEqual({
      plum_order_not_in_ledger: 0,
      duplicate_upstream_order: 0,
      ledger_order_not_at_plum: 0,
    });
  });

  it("hands PENDING rows to the placement engine as history evidence, and imports nothing itself", async () => {
    const claim = await ledger.claim(
      {
        poNumber: "PO-0",
        kind: OrderKind.AIRMILES,
        fingerprint: "f",
        subject: null,
        request: {
          productId: 1,
          quantity: 1,
          denomination: 1,
          email: "a@b.c",
          poNumber: "PO-0",
          notifyReceiverEmail: 0,
          notifyAdminEmail: 0,
          userMeta: { loyaltyMemberId: "1" },
        },
      },
      { owner: "x", ms: 1 },
    );
    expect(claim.claimed).toBe(true);
    const summary = await job(history(rows(2))).runOnce(true);
    expect(applied).toEqual([["PO-0", { kind: "history", orderId: "1000" }]]);
    expect(summary?.outcome).toMatchObject({ status: "succeeded", adopted: 0, discrepancies: 1 });
    expect(await ledger.findByPlumPoNumber("PO-1")).toBeNull();
    expect((await ledger.findByPlumPoNumber("PO-0"))?.state).toBe("PENDING");
  });
});
