// Write transactions for the embedded engine. `fn` is synchronous on purpose: a SQLite transaction must never be
// held across an await, or other callers on the same connection would run inside it.
import type { DatabaseSync } from "node:sqlite";

/** BEGIN IMMEDIATE takes the write lock up front, so a read-then-write never fails to upgrade mid-transaction. */
export function immediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    if (isThenable(result)) throw new TypeError("a SQLite transaction body must be synchronous");
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

export function isThenable(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
