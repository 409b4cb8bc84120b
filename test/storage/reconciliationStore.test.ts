// The reconciliation's ledger tables on both engines: the single-flight lease on the lock row (held, due, forced,
// expired and taken over, renewed only by its holder), run records, discrepancy upserts and resolution, and the
// placed orders a run expects Plum to list.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunOutcome } from "../../src/orders/reconciliation/ports.js";
import type { Ledger } from "../../src/storage/ledger.js";
import { PostgresLedger } from "../../src/storage/postgres/PostgresLedger.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const WINDOW = { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-11-08T00:00:00Z") };

function outcome(patch: Partial<RunOutcome> = {}): RunOutcome {
  return {
    status: "succeeded",
    windowFrom: WINDOW.from,
    windowTo: WINDOW.to,
    pages: 1,
    historyOrders: 0,
    adopted: 0,
    discrepancies: 0,
    error: null,
    ...patch,
  };
}

describe.each([
  { engine: "SQLite", postgres: false },
  { engine: "PostgreSQL", postgres: true },
])("$engine: reconciliation store", ({ postgres }) => {
  let db: TestDatabase | undefined;
  let ledger: Ledger;

  beforeAll(async () => {
    db = postgres ? await createTestDatabase() : undefined;
    ledger = db ? new PostgresLedger({ connectionString: db.url }) : new SqliteLedger(":memory:");
    await ledger.migrate();
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.drop();
  });

  it("is single-flight: a held lease refuses every other claim, forced or not, until it is released or expires", async () => {
    const a = await ledger.claimReconciliation("a", 60_000, false);
    expect(a).not.toBeNull();
    expect(await ledger.claimReconciliation("b", 60_000, false)).toBeNull();
    expect(await ledger.claimReconciliation("b", 60_000, true)).toBeNull();
    expect(await ledger.renewReconciliation("b", 60_000)).toBe(false);
    expect(await ledger.renewReconciliation("a", 60_000)).toBe(true);
    await ledger.finishReconciliation("a", a?.runId ?? 0, outcome(), 3_600_000);
    // Released, but not due for an hour: only a forced run starts.
    expect(await ledger.claimReconciliation("b", 60_000, false)).toBeNull();
    const forced = await ledger.claimReconciliation("b", 60_000, true);
    expect(forced).not.toBeNull();
    await ledger.finishReconciliation("b", forced?.runId ?? 0, outcome({ status: "failed", error: "x" }), 0);
    // Due at once (nextInMs 0).
    const due = await ledger.claimReconciliation("c", 1, false);
    expect(due).not.toBeNull();
    await sleep(20);
    // c's lease (1 ms) expired: d takes over; c can neither renew nor release d's lease.
    const takeover = await ledger.claimReconciliation("d", 60_000, true);
    expect(takeover).not.toBeNull();
    expect(await ledger.renewReconciliation("c", 60_000)).toBe(false);
    await ledger.finishReconciliation("c", due?.runId ?? 0, outcome({ status: "failed", error: "lease lost" }), 0);
    expect(await ledger.claimReconciliation("e", 60_000, true)).toBeNull();
    await ledger.finishReconciliation("d", takeover?.runId ?? 0, outcome(), 0);

    const runs = await ledger.listRuns(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000), 10);
    expect(runs.map((r) => [r.status, r.error])).toEqual([
      ["succeeded", null],
      ["failed", "lease lost"],
      ["failed", "x"],
      ["succeeded", null],
    ]);
    expect(runs[0]).toMatchObject({ pages: 1, windowFrom: WINDOW.from, windowTo: WINDOW.to });
  });

  it("upserts discrepancies, counts the open ones by alert, and resolves those a later run covering their date no longer finds", async () => {
    const inWindow = new Date("2026-11-03T00:00:00Z");
    const outside = new Date("2026-10-01T00:00:00Z");
    const first = await ledger.claimReconciliation("r1", 60_000, true);
    const found = [
      {
        kind: "plum_order_not_in_ledger" as const,
        poNumber: "PO-A",
        orderId: "1",
        orderDate: inWindow,
        ledgerState: null,
      },
      {
        kind: "duplicate_upstream_order" as const,
        poNumber: "PO-B",
        orderId: "2",
        orderDate: outside,
        ledgerState: "PLACED",
      },
    ];
    expect(await ledger.recordDiscrepancies(first?.runId ?? 0, found, WINDOW)).toBe(2);
    await ledger.finishReconciliation("r1", first?.runId ?? 0, outcome({ discrepancies: 2 }), 0);
    expect(await ledger.countOpenDiscrepancies()).toEqual({
      plum_order_not_in_ledger: 1,
      duplicate_upstream_order: 1,
      ledger_order_not_at_plum: 0,
    });

    // The next run finds only PO-B again (not new) and no longer PO-A, whose date it covers: PO-A is resolved.
    const second = await ledger.claimReconciliation("r2", 60_000, true);
    expect(await ledger.recordDiscrepancies(second?.runId ?? 0, [found[1] as (typeof found)[number]], WINDOW)).toBe(0);
    await ledger.finishReconciliation("r2", second?.runId ?? 0, outcome(), 0);
    expect(await ledger.countOpenDiscrepancies()).toMatchObject({
      plum_order_not_in_ledger: 0,
      duplicate_upstream_order: 1,
    });
    const listed = await ledger.listDiscrepancies(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000), 10);
    expect(listed.find((d) => d.poNumber === "PO-A")?.resolvedAt).not.toBeNull();
    expect(listed.find((d) => d.poNumber === "PO-B")).toMatchObject({
      resolvedAt: null,
      ledgerState: "PLACED",
      orderDate: outside,
    });
  });

  it("stores a discrepancy without a poNumber, reads it back as null, and finds it again as the same one", async () => {
    const run = await ledger.claimReconciliation("r-none", 60_000, true);
    const found = [
      {
        kind: "plum_order_not_in_ledger" as const,
        poNumber: null,
        orderId: "77",
        orderDate: new Date("2026-11-03T00:00:00Z"),
        ledgerState: null,
      },
    ];
    expect(await ledger.recordDiscrepancies(run?.runId ?? 0, found, WINDOW)).toBe(1);
    await ledger.finishReconciliation("r-none", run?.runId ?? 0, outcome({ discrepancies: 1 }), 0);
    const again = await ledger.claimReconciliation("r-none-2", 60_000, true);
    expect(await ledger.recordDiscrepancies(again?.runId ?? 0, found, WINDOW)).toBe(0);
    await ledger.finishReconciliation("r-none-2", again?.runId ?? 0, outcome(), 0);
    const listed = await ledger.listDiscrepancies(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000), 10);
    expect(listed.filter((d) => d.orderId === "77")).toEqual([
      expect.objectContaining({ poNumber: null, resolvedAt: null }),
    ]);
  });

  it("finds the placed orders of a window and the rows a history names", async () => {
    const placedAt = new Date("2026-11-05T12:00:00Z");
    await ledger.remember({ poNumber: "PO-W", orderId: "9001", order: { orderId: 9001 }, placedAt });
    await ledger.remember({
      poNumber: "PO-OLD",
      orderId: "9002",
      order: { orderId: 9002 },
      placedAt: new Date("2026-09-01T00:00:00Z"),
    });
    expect(await ledger.placedBetween(WINDOW.from, WINDOW.to)).toEqual([
      { poNumber: "PO-W", orderId: "9001", placedAt },
    ]);
    const rows = await ledger.findForReconciliation(["PO-W", "PO-NONE"], ["9002"]);
    expect(rows.map((r) => r.poNumber).sort()).toEqual(["PO-OLD", "PO-W"]);
  });
});
