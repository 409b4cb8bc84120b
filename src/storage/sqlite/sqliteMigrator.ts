// Applies pending SQLite migrations in one IMMEDIATE transaction, so a second process opening the same file waits
// (busy_timeout) and then finds them applied.
import type { DatabaseSync } from "node:sqlite";
import { assertOrdered, assertSameHistory, type Migration } from "../migrations/migration.js";
import { int, text } from "./columns.js";
import { immediateTransaction } from "./transaction.js";

export function migrateSqlite(db: DatabaseSync, migrations: readonly Migration[], now: Date): void {
  assertOrdered(migrations);
  immediateTransaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const applied = new Map<number, string>();
    for (const row of db.prepare("SELECT version, name FROM schema_migrations").all()) {
      applied.set(int(row, "version"), text(row, "name"));
    }
    assertSameHistory(migrations, applied);
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now.getTime());
    }
  });
}
