// The embedded engine's token lock. Instances opened on the same file in this process share one mutex, so a
// reopened ledger cannot refresh concurrently with the old one; an in-memory database is private to its instance.
import { resolve } from "node:path";
import { AsyncMutex } from "./asyncMutex.js";
import { SQLITE_MEMORY } from "./openDatabase.js";

const byFile = new Map<string, AsyncMutex>();

export function tokenMutexFor(path: string): AsyncMutex {
  if (path === SQLITE_MEMORY) return new AsyncMutex();
  const key = resolve(path);
  let mutex = byFile.get(key);
  if (mutex === undefined) {
    mutex = new AsyncMutex();
    byFile.set(key, mutex);
  }
  return mutex;
}
