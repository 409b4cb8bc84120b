// WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the COMMIT that crosses its
// threshold (~1,000 pages): that commit copies ~4 MB into the database file and fsyncs it on the event loop, one
// request in ~100 paying 15 ms or more. So automatic checkpoints are off (`wal_autocheckpoint = 0`) and a timer
// checkpoints instead, often enough that each pass is small: PASSIVE (never waits; one process owns the file, so
// nothing holds it back), and TRUNCATE when the WAL has grown large anyway, so the file does not stay big.
import type { DatabaseSync } from "node:sqlite";

/** Between checkpoints: short, so each one copies only a few pages. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** WAL pages after which a checkpoint also truncates the file (~16 MB at 4 KB pages). */
const TRUNCATE_AFTER_PAGES = 4_096;

export class WalCheckpoints {
  checkpoints = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastCommits = -1;

  /** `commits` tells whether anything was written since the previous pass (an idle ledger is left alone). */
  constructor(
    private readonly db: DatabaseSync,
    private readonly commits: () => number,
  ) {}

  start(intervalMs = CHECKPOINT_INTERVAL_MS): void {
    this.db.exec("PRAGMA wal_autocheckpoint = 0");
    this.timer = setInterval(() => this.run(), intervalMs);
    this.timer.unref(); // never what keeps the process alive
  }

  /** One pass (also the last one at close: the WAL is then checkpointed by SQLite itself). */
  run(): void {
    const commits = this.commits();
    if (commits === this.lastCommits || !this.db.isOpen) return;
    this.lastCommits = commits;
    try {
      const row = this.db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get();
      const pages = Number(row?.["log"] ?? 0);
      if (pages >= TRUNCATE_AFTER_PAGES) this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      this.checkpoints += 1;
    } catch {
      // A failed checkpoint loses nothing (the WAL keeps every commit); the next pass tries again.
      this.lastCommits = -1;
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
