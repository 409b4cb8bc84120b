// The owner note: `<ledger file>.pid`, written by the process that holds a SQLite ledger so a refused opener can
// say which pid holds it. It is a note, not the lock: the lock is SQLite's own (see openDatabase.ts), which the OS
// drops when its holder dies. So a note left behind by a killed process never blocks anything: the next holder
// overwrites it, and a refused opener ignores a note whose pid is no longer alive. Every step is best-effort.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import type { SqliteLedgerHolder } from "./SqliteLedgerInUseError.js";

export function ownerNotePath(file: string): string {
  return `${file}.pid`;
}

/** Call only while holding the file's lock: then no other process writes the note meanwhile. */
export function writeOwnerNote(file: string): void {
  const note = ownerNotePath(file);
  const temporary = `${note}.${process.pid}.tmp`;
  const holder: SqliteLedgerHolder = { pid: process.pid, host: hostname() };
  try {
    // Write-then-rename: a reader sees the previous note or this one, never half of one.
    writeFileSync(temporary, `${JSON.stringify({ ...holder, openedAt: new Date().toISOString() })}\n`);
    renameSync(temporary, note);
  } catch {
    removeQuietly(temporary); // the note only improves an error message; its absence is harmless
  }
}

/** Call before releasing the lock (so the next holder's note cannot be the one removed); keeps another's note. */
export function removeOwnerNote(file: string): void {
  const holder = readNote(ownerNotePath(file));
  if (holder !== undefined && holder.pid === process.pid && holder.host === hostname()) {
    removeQuietly(ownerNotePath(file));
  }
}

/** The holder the note names, unless it is a process on this host that is no longer alive (a stale note). */
export function liveOwner(file: string): SqliteLedgerHolder | undefined {
  const holder = readNote(ownerNotePath(file));
  if (holder === undefined) return undefined;
  if (holder.host !== hostname()) return holder; // cannot check another host's processes: report what it says
  return isAlive(holder.pid) ? holder : undefined;
}

function readNote(note: string): SqliteLedgerHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(note, "utf8")) as { pid?: unknown; host?: unknown };
    if (typeof parsed.pid !== "number" || !Number.isSafeInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    if (typeof parsed.host !== "string") return undefined;
    return { pid: parsed.pid, host: parsed.host };
  } catch {
    return undefined; // missing or unreadable: the holder is unknown
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
