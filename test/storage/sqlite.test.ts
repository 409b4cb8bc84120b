import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteMigrations } from "../../src/storage/migrations/sqliteMigrations.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { migrateSqlite } from "../../src/storage/sqlite/sqliteMigrator.js";
import { describeLedgerConformance } from "./conformance.js";
import { lease, placement } from "./fixtures.js";

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

describeLedgerConformance(
  "SQLite :memory:",
  async () => {
    const ledger = new SqliteLedger(":memory:");
    await ledger.migrate();
    return { ledger, cleanup: () => ledger.close() };
  },
  { durable: false },
);

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

  it("migration 8 keeps rows placed before the namespaces under their caller's poNumber", async () => {
    const path = freshPath();
    const setup = new SqliteLedger(path);
    await setup.close();
    const db = new DatabaseSync(path);
    try {
      migrateSqlite(
        db,
        sqliteMigrations.filter((m) => m.version <= 5),
        new Date(),
      );
      db.prepare(
        `INSERT INTO orders (po_number, kind, fingerprint, subject, source, state, request, errors, send_attempts, sends,
           created_at, updated_at) VALUES ('PO-OLD-1', 'AIRMILES', 'f', 'alice', 'PLACEMENT', 'PLACED', '{}', '[]', 1, '[]', 1, 1)`,
      ).run();
    } finally {
      db.close();
    }
    const ledger = new SqliteLedger(path);
    try {
      await ledger.migrate();
      expect(await ledger.findByCallerPoNumber("alice", "PO-OLD-1")).toMatchObject({
        poNumber: "PO-OLD-1",
        callerPoNumber: "PO-OLD-1",
      });
      expect(await ledger.findByCallerPoNumber("bob", "PO-OLD-1")).toBeNull();
      // A new claim by alice for her old poNumber (under any Plum poNumber) is the old row, not a second order.
      const claim = await ledger.claim(
        placement("pn1-new", { callerPoNumber: "PO-OLD-1", subject: "alice" }),
        lease("r", new Date()),
      );
      expect(claim).toMatchObject({ claimed: false, record: { poNumber: "PO-OLD-1" } });
    } finally {
      await ledger.close();
    }
  });

  it("a row a previous version claimed after migration 8 (no caller poNumber) is found by its caller after a restart", async () => {
    const path = freshPath();
    const first = new SqliteLedger(path);
    await first.migrate();
    await first.close();
    const db = new DatabaseSync(path);
    try {
      // What the previous version's claim writes: it knows nothing of caller_po_number (SQLite leaves it nullable).
      db.prepare(
        `INSERT INTO orders (po_number, kind, fingerprint, subject, source, state, request, errors, send_attempts, sends,
           created_at, updated_at) VALUES ('PO-ROLLBACK-1', 'AIRMILES', 'f', 'alice', 'PLACEMENT', 'PENDING', '{}', '[]', 1,
           '[{"n":1,"answer":"unknown"}]', 1, 1)`,
      ).run();
    } finally {
      db.close();
    }
    const ledger = new SqliteLedger(path);
    try {
      await ledger.migrate();
      expect(await ledger.findByCallerPoNumber("alice", "PO-ROLLBACK-1")).toMatchObject({
        poNumber: "PO-ROLLBACK-1",
        state: "PENDING",
      });
      const claim = await ledger.claim(
        placement("pn1-other", { callerPoNumber: "PO-ROLLBACK-1", subject: "alice" }),
        lease("r", new Date()),
      );
      expect(claim).toMatchObject({ claimed: false, record: { poNumber: "PO-ROLLBACK-1" } });
    } finally {
      await ledger.close();
    }
  });
});
