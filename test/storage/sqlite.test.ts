import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteMigrations } from "../../src/storage/migrations/sqliteMigrations.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { describeLedgerConformance } from "./conformance.js";

const root = mkdtempSync(join(tmpdir(), "ledger-sqlite-"));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freshPath(): string {
  counter += 1;
  return join(root, `case-${counter}`, "orders.sqlite");
}

describeLedgerConformance("SQLite file", async () => {
  const path = freshPath();
  const ledger = new SqliteLedger(path);
  await ledger.migrate();
  const opened: SqliteLedger[] = [];
  return {
    ledger,
    // One process owns a SQLite file: a second instance while the first is open is refused (openDatabase.ts).
    concurrentInstances: false,
    reopen: async () => {
      const again = new SqliteLedger(path);
      opened.push(again);
      await again.migrate();
      return again;
    },
    cleanup: async () => {
      await ledger.close();
      for (const again of opened) await again.close();
    },
  };
});

describeLedgerConformance("SQLite :memory:", async () => {
  const ledger = new SqliteLedger(":memory:");
  await ledger.migrate();
  return { ledger, cleanup: () => ledger.close() };
}, { durable: false });

describe("SqliteLedger", () => {
  it("creates the parent directory and opens in WAL mode with the expected pragmas", async () => {
    const path = freshPath();
    const ledger = new SqliteLedger(path);
    await ledger.migrate();
    await ledger.close();
    expect(existsSync(path)).toBe(true);

    const db = new DatabaseSync(path);
    try {
      expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
      const versions = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
      expect(versions).toEqual(sqliteMigrations.map(({ version, name }) => ({ version, name })));
    } finally {
      db.close();
    }
  });

  it("applies each migration once across repeated opens of one file", async () => {
    const path = freshPath();
    for (let round = 0; round < 2; round += 1) {
      const ledger = new SqliteLedger(path);
      await ledger.migrate();
      await ledger.migrate();
      await ledger.close();
    }

    const db = new DatabaseSync(path);
    try {
      expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({ n: sqliteMigrations.length });
    } finally {
      db.close();
    }
  });

  it("refuses a database whose recorded history disagrees with the code", async () => {
    const path = freshPath();
    const ledger = new SqliteLedger(path);
    await ledger.migrate();
    await ledger.close();
    const db = new DatabaseSync(path);
    db.exec("UPDATE schema_migrations SET name = 'something-else' WHERE version = 1");
    db.close();

    const reopened = new SqliteLedger(path);
    await expect(reopened.migrate()).rejects.toThrow(/migration 1 was applied as "something-else"/);
    await reopened.close();
  });
});
