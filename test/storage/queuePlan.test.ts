// The queue reads (queueStats on every placement, the dispatcher's nextQueued, queuePosition) go through the partial
// queue index, which holds only the queued rows. Without ANALYZE statistics SQLite would otherwise pick the state
// index and walk every PENDING row: a cost per placement growing with the in-flight and unsettled rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { lease, placement } from "./fixtures.js";

describe("SQLite queue plans", () => {
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
      sql.includes(":now") ? [{ now: 0, limit: 1 }] : sql.includes("po_number = ?") ? ["x"] : [];
    db.prepare = (sql: string) => {
      if (sql.includes("queued_at IS NOT NULL")) {
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
    expect(plans.size).toBe(3);
    for (const plan of plans.values()) {
      expect(plan).toContain("orders_queue_idx");
      expect(plan).not.toContain("orders_state_next_check_idx");
      expect(plan).not.toContain("TEMP B-TREE");
    }
  });
});
