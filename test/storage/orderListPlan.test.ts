// `orders` pages are keyset pages through the list indexes on both engines: the statements have no OFFSET, and
// the engines' plans read the partial list index in order (no sort) for admins and for one subject.
import { DatabaseSync } from "node:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListScope, OrderListQuery } from "../../src/orders/listing/ports.js";
import { listPlacedPostgres } from "../../src/storage/postgres/postgresOrderList.js";
import { PostgresLedger } from "../../src/storage/postgres/PostgresLedger.js";
import { listPlacedSqlite } from "../../src/storage/sqlite/sqliteOrderList.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { StatementCache } from "../../src/storage/sqlite/statements.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const FILTER = { kind: null, deliveryStatus: null, tag: null, placedFrom: null, placedTo: null };
const SCOPES: [string, ListScope, string][] = [
  ["everyone", { everyone: true }, "orders_placed_list_idx"],
  ["one subject", { subject: "alice" }, "orders_subject_list_idx"],
];
const query = (scope: ListScope, after: OrderListQuery["after"]): OrderListQuery => ({
  scope,
  filter: FILTER,
  after,
  limit: 21,
});

describe("SQLite list plan", () => {
  let dir: string;
  let db: DatabaseSync;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "orders-plan-"));
    const ledger = new SqliteLedger(join(dir, "plan.sqlite"));
    await ledger.migrate();
    await ledger.close();
    db = new DatabaseSync(join(dir, "plan.sqlite"));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(SCOPES)("%s: searches the list index, no OFFSET, no sort", (_name, scope, index) => {
    const statements: string[] = [];
    const cache = new StatementCache(db);
    const recording = Object.assign(Object.create(cache) as StatementCache, {
      get: (sql: string) => {
        statements.push(sql);
        return cache.get(sql);
      },
    });
    listPlacedSqlite(recording, query(scope, null));
    const select = statements.at(-1) ?? "";
    expect(select).not.toMatch(/OFFSET/i);
    const values = "subject" in scope ? [scope.subject, 22] : [22];
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${select}`)
      .all(...values)
      .map((row) => String(row["detail"]));
    expect(plan.join(" | ")).toContain(index);
    expect(plan.join(" | ")).not.toMatch(/TEMP B-TREE/);
  });
});

describe("PostgreSQL list plan", () => {
  let database: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    const ledger = new PostgresLedger({ connectionString: database.url });
    await ledger.migrate();
    await ledger.close();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it.each(SCOPES)(
    "%s: scans the list index in order after the cursor, no OFFSET, no sort",
    async (_name, scope, index) => {
      const statements: { text: string; values: unknown[] }[] = [];
      const recording = {
        query: async (text: string, values: unknown[] = []) => {
          statements.push({ text, values });
          // The anchor check must find its row for the page query to run.
          return text.startsWith("SELECT 1") ? { rows: [{}], rowCount: 1 } : { rows: [], rowCount: 0 };
        },
      } as unknown as pg.Client;
      await listPlacedPostgres(recording, query(scope, { sortKey: "1764583200000123", poNumber: "PO-1" }));
      const page = statements.at(-1);
      if (page === undefined) throw new Error("no statement");
      expect(page.text).not.toMatch(/OFFSET/i);
      // An empty table would be scanned; the plan that matters is the one for a large one.
      await client.query("BEGIN");
      try {
        await client.query("SET LOCAL enable_seqscan = off");
        const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${page.text}`, page.values);
        const plan = rows.map((row) => row["QUERY PLAN"]).join(" | ");
        expect(plan).toContain(`Index Scan using ${index}`);
        expect(plan).not.toMatch(/Sort/);
      } finally {
        await client.query("ROLLBACK");
      }
    },
  );
});
