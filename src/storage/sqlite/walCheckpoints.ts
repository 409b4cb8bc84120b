// WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the COMMIT that crosses its
// threshold (~1,000 pages): that commit copies ~4 MB into the database file and fsyncs it on the event loop, one
// request in ~100 paying 15 ms or more. So automatic checkpoints are off (`wal_autocheckpoint = 0`) and a timer
// checkpoints instead: PASSIVE (never waits; one process owns the file, so nothing holds it back), and TRUNCATE
// when the WAL has grown large anyway, so the file does not stay big. Each pass has a fixed cost (with FULL it
// fsyncs the WAL and the database file), so a pass waits for enough writes to be worth it, as SQLite's own
// threshold does, but never longer than MAX_DELAY_MS once anything was written.
import type { DatabaseSync } from "node:sqlite";

/** How often the timer looks. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** Writes since the last pass that make a pass worth its fsyncs (measured: every 200 ms regardless cost ~0.25 ms
 * CPU per order at one connection). */
const MIN_WRITES = 300;
/** The longest a written WAL waits for its checkpoint. */
const MAX_DELAY_MS = 1_000;
/** WAL pages after which a checkpoint also truncates the file (~16 MB at 4 KB pages). */
const TRUNCATE_AFTER_PAGES = 4_096;

export class WalCheckpoints {
  checkpoints = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastWrites = 0;
  private lastPassAt = 0;

  /** `writes` counts committed writes: an idle ledger is left alone. */
  constructor(
    private readonly db: DatabaseSync,
    private readonly writes: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  start(intervalMs = CHECKPOINT_INTERVAL_MS): void {
    this.db.exec("PRAGMA wal_autocheckpoint = 0");
    this.timer = setInterval(() => this.run(), intervalMs);
    this.timer.unref(); // never what keeps the process alive
  }

  /** One pass when enough was written, or anything a while ago (`force`: whenever anything was written). */
  run(force = false): void {
    const writes = this.writes();
    const pending = writes - this.lastWrites;
    if (pending === 0 || !this.db.isOpen) return;
    if (!force && pending < MIN_WRITES && this.now() - this.lastPassAt < MAX_DELAY_MS) return;
    this.lastWrites = writes;
    this.lastPassAt = this.now();
    try {
      const row = this.db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get();
      const pages = Number(row?.["log"] ?? 0);
      if (pages >= TRUNCATE_AFTER_PAGES) this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      this.checkpoints += 1;
    } catch {
      // A failed checkpoint loses nothing (the WAL keeps every commit); the next pass tries again.
      this.lastWrites = -1;
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
