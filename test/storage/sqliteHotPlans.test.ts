// Statements on the placement path search the index that bounds them, whatever the table holds: the queue reads
// (queueStats on every placement, the dispatcher's nextQueued, queuePosition) go through the partial queue index,
// not the state index (without ANALYZE statistics SQLite would walk every PENDING row); the stored-callback look-up
// of an order with an orderId goes through the order_id index, not every callback stored without a poNumber. The
// periodic reads search their own indexes too: the operations counts (alerts, awaiting delivery) and the
// reconciliation's placed-in-window list, which would otherwise walk every order (synchronously, on this engine).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { lease, placement } from "./fixtures.js";

describe("SQLite placement-path plans", () => {
  let dir: string;
  let ledger: SqliteLedger;
  const plans = new Map<string, string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "orders-queue-plan-"));
    ledger = new SqliteLedger(join(dir, "plan.sqlite"));
    await ledger.migrate();
    // Many PENDING rows that are not queued, a few that are: the state index would be the wrong choice.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => ledger.claim(placement(`plan-${i}`), lease("r", new Date()))),
    );
    await ledger.claimQueued(Array.from({ length: 3 }, (_, i) => placement(`plan-queued-${i}`)));
    const db = (ledger as unknown as { db: DatabaseSync }).db;
    const prepare = db.prepare.bind(db);
    const params = (sql: string): SQLInputValue[] | [Record<string, SQLInputValue>] =>
      sql.includes(":orderId")
        ? [{ orderId: "1", poNumber: "x" }]
        : sql.includes(":now")
          ? [{ now: 0, limit: 1 }]
          : sql.includes("po_number = ?")
            ? ["x"]
            : [];
    db.prepare = (sql: string) => {
      if (
        sql.includes("queued_at IS NOT NULL") ||
        sql.includes("FROM webhook_events") ||
        sql.includes("alert IS NOT NULL") ||
        sql.includes("'$.deliveryStatus'") ||
        sql.includes("placed_at >= ?")
      ) {
        const rows = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params(sql) as SQLInputValue[]));
        plans.set(sql, rows.map((row) => String(row["detail"])).join(" | "));
      }
      return prepare(sql);
    };
  });
  afterAll(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("queueStats, nextQueued and queuePosition search the queue index, not the state index", async () => {
    expect((await ledger.queueStats()).depth).toBe(3);
    expect((await ledger.nextQueued(10)).map((row) => row.poNumber)).toEqual([0, 1, 2].map((i) => `plan-queued-${i}`));
    expect(await ledger.queuePosition("plan-queued-1")).toBe(2);
    const queuePlans = [...plans].filter(([sql]) => sql.includes("queued_at IS NOT NULL"));
    expect(queuePlans).toHaveLength(3);
    for (const [, plan] of queuePlans) {
      expect(plan).toContain("orders_queue_idx");
      expect(plan).not.toContain("orders_state_next_check_idx");
      expect(plan).not.toContain("TEMP B-TREE");
    }
  });

  it("the outcome write of a placed order finds its stored callbacks by orderId", async () => {
    const l = lease("r", new Date());
    await ledger.claim(placement("plan-placed"), l);
    const written = await ledger.update("plan-placed", l.owner, { state: "PLACED", orderId: "4242" }, true);
    expect(written?.orderId).toBe("4242");
    const lookups = [...plans].filter(
      ([sql]) => sql.includes("SELECT delivery_status") && sql.includes("order_id = :orderId AND"),
    );
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.[1]).toContain("webhook_events_order_id_idx");
  });

  it("the operations counts and the reconciliation window read their own indexes, not every order", async () => {
    expect((await ledger.operationsCounts()).awaitingDelivery).toBeGreaterThanOrEqual(0);
    await ledger.placedBetween(new Date(0), new Date());
    const planOf = (part: string) => [...plans].filter(([sql]) => sql.includes(part)).map(([, plan]) => plan);
    expect(planOf("alert IS NOT NULL")).toEqual([expect.stringContaining("orders_alert_idx")]);
    expect(planOf("'$.deliveryStatus'")).toEqual([expect.stringContaining("orders_awaiting_delivery_idx")]);
    expect(planOf("placed_at >= ?")).toEqual([expect.stringContaining("orders_placed_at_idx")]);
    for (const plan of [...plans.values()]) expect(plan).not.toMatch(/SCAN orders\b/);
  });
});
