// Opens the embedded database with the settings the ledger relies on.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";

export const SQLITE_MEMORY = ":memory:";
/** How long a writer waits for another connection's lock (another instance on the same file) before failing. */
const BUSY_TIMEOUT_MS = 5_000;

export function openSqliteDatabase(path: string): DatabaseSync {
  if (path !== SQLITE_MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  try {
    // WAL lets readers proceed during a write; NORMAL sync is durable across process crashes (WAL's guarantee),
    // trading only the last commits on power loss for far fewer fsyncs.
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
