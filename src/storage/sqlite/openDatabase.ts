// Opens the embedded database with the settings the ledger relies on, and makes the opening connection the file's
// only user for as long as it stays open.
//
// One writer, enforced: the connection runs in `locking_mode = EXCLUSIVE` and takes the file's exclusive lock while
// opening; it keeps that lock until it is closed. Any other connection, in another process or in this one, then
// cannot even read the file, so a second opener gets SQLITE_BUSY, which becomes SqliteLedgerInUseError. Why
// SQLite's own lock rather than a lock file of ours: it is the lock SQLite itself obeys (so it also keeps out tools
// and older builds that would ignore a lock file of ours); it is an OS advisory lock on the database file, which
// the kernel releases when the holder dies, even by SIGKILL, so a restarted process is never blocked by a stale
// lock; and it is taken atomically, so of two processes starting together exactly one wins. The `<file>.pid` note
// (ownerNote.ts) only names the holder in the error message. Exclusive mode set before WAL is entered also keeps
// the WAL index in this process's memory: no -shm file, no shared memory to go stale.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { liveOwner, removeOwnerNote, writeOwnerNote } from "./ownerNote.js";
import { SqliteLedgerInUseError } from "./SqliteLedgerInUseError.js";

export const SQLITE_MEMORY = ":memory:";
/** How long a statement waits for a lock before failing, once the file is open (and held). */
const BUSY_TIMEOUT_MS = 5_000;
/**
 * How long opening waits for the file's lock. Short on purpose: a holding ledger never lets go, so waiting longer
 * only delays the refusal; it still covers a brief hold (a previous process finishing its close).
 */
const LOCK_PROBE_TIMEOUT_MS = 1_000;
const SQLITE_BUSY = 5;

/** A file connection that drops its owner note when it closes (before closing, i.e. while it still holds the lock). */
class HeldDatabase extends DatabaseSync {
  private holding = false;

  constructor(private readonly file: string) {
    super(file, { enableForeignKeyConstraints: true });
  }

  markHeld(): void {
    this.holding = true;
    writeOwnerNote(this.file);
  }

  override close(): void {
    if (this.holding) {
      this.holding = false;
      removeOwnerNote(this.file);
    }
    super.close();
  }

  override [Symbol.dispose](): void {
    if (this.isOpen) this.close();
  }
}

/**
 * `path` is a file (its directory is created) or ":memory:" (private to the connection, so exempt from the lock).
 * Throws SqliteLedgerInUseError when another connection holds the file.
 */
export function openSqliteDatabase(path: string): DatabaseSync {
  if (path === SQLITE_MEMORY) {
    const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
    try {
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.exec("PRAGMA journal_mode = WAL"); // answers "memory": an in-memory database has no WAL
      applyDurability(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }

  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const db = new HeldDatabase(file);
  try {
    // First, before anything touches the file: two processes starting together must wait on each other's lock,
    // not fail with "database is locked" on whatever pragma happens to need the file first.
    db.exec(`PRAGMA busy_timeout = ${LOCK_PROBE_TIMEOUT_MS}`);
    db.exec("PRAGMA locking_mode = EXCLUSIVE"); // takes effect at the next access, which is the next line
    try {
      db.exec("PRAGMA journal_mode = WAL");
      // Takes the exclusive lock whatever the journal mode turned out to be; in exclusive mode it is kept after COMMIT.
      db.exec("BEGIN EXCLUSIVE");
      db.exec("COMMIT");
    } catch (error) {
      if (isBusy(error)) throw new SqliteLedgerInUseError(file, liveOwner(file), { cause: error });
      throw error;
    }
    db.markHeld();
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`); // held now: back to the normal wait
    applyDurability(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function applyDurability(db: DatabaseSync): void {
  // WAL (set above): readers proceed during a write, one fsync per commit. FULL: the WAL is synced at every commit,
  // so a committed claim is on disk before the request to Plum leaves. NORMAL would sync only at checkpoints, and
  // a power loss or OS crash could then undo a claim whose order was already sent: paid for, unknown to the ledger.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
}

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" && (code & 0xff) === SQLITE_BUSY; // extended codes keep the primary in the low byte
}
