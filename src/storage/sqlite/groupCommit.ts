// Group commit for the embedded ledger. With `synchronous = FULL` every COMMIT is an fsync, and two per order would
// cap throughput by themselves; so the writes of concurrent requests share one `BEGIN IMMEDIATE … COMMIT`, one
// SAVEPOINT per operation (a failing operation rolls back only its own work and rejects only its own promise).
// Every promise settles after the shared COMMIT: a caller is told "written" only once it is on disk, so a claim is
// still durable before its request leaves for Plum. The whole group runs synchronously (BEGIN, the operations,
// COMMIT in one call stack), so no other code ever runs inside the shared transaction, and an operation's body
// must be synchronous too.
import type { DatabaseSync } from "node:sqlite";
import { isThenable } from "./transaction.js";

export interface GroupCommitOptions {
  /** How long a group may wait for more operations once recent groups were shared (0: same event-loop turn only). */
  maxWaitMs: number;
  /** Operations per transaction at most (1: every operation commits alone). */
  maxOperations: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxWaitMs: 1, maxOperations: 64 };

/** When a forming group runs; injected so tests drive it without sleeping. Each returns a cancel function. */
export interface CommitScheduler {
  /** After the I/O callbacks of the current event-loop turn. */
  soon(fn: () => void): () => void;
  after(ms: number, fn: () => void): () => void;
}

export const nodeScheduler: CommitScheduler = {
  soon(fn) {
    const handle = setImmediate(fn);
    return () => clearImmediate(handle);
  },
  after(ms, fn) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

export interface CommitCounts {
  /** Write transactions committed. */
  commits: number;
  /** Operations committed (operations / commits = the mean group size). */
  operations: number;
}

interface Queued {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One operation's error made SQLite roll back the whole shared transaction (disk full, I/O). */
class GroupRolledBack extends Error {
  constructor(
    readonly index: number,
    readonly reason: unknown,
  ) {
    super("a write rolled back its whole group");
  }
}

/** Recent groups averaging above this size count as load: the next group waits (bounded) for company. */
const LOADED_MEAN = 1.25;
/** Weight of the newest group in the running mean. */
const MEAN_WEIGHT = 0.25;
const SAVEPOINT = "group_op";

export class GroupCommitter {
  readonly counts: CommitCounts = { commits: 0, operations: 0 };
  private queue: Queued[] = [];
  private cancelPending: (() => void) | null = null;
  private flushing = false;
  /** A group committed at once in this event-loop turn: more writes in the same turn are gathered instead. */
  private turnBusy = false;
  private meanGroup = 1;

  constructor(
    private readonly db: DatabaseSync,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
    private readonly scheduler: CommitScheduler = nodeScheduler,
  ) {}

  /** Runs `run` in a write transaction (shared or not); resolves with its result once that transaction committed. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Commits whatever is queued now (before the connection closes). */
  drain(): void {
    while (this.queue.length > 0 && !this.flushing) this.flush();
  }

  private schedule(): void {
    if (this.flushing) return; // picked up when the running group is done
    if (this.queue.length >= this.options.maxOperations) return this.flush();
    if (this.cancelPending !== null) return; // a group is forming
    if (this.meanGroup > LOADED_MEAN) {
      const wait = this.options.maxWaitMs;
      this.cancelPending =
        wait > 0 ? this.scheduler.after(wait, () => this.flush()) : this.scheduler.soon(() => this.flush());
      return;
    }
    if (this.turnBusy) {
      this.cancelPending = this.scheduler.soon(() => this.flush());
      return;
    }
    // No sign of concurrency: commit at once, as a plain transaction would (no added latency at one connection).
    this.turnBusy = true;
    this.scheduler.soon(() => {
      this.turnBusy = false;
    });
    this.flush();
  }

  private flush(): void {
    this.cancelPending?.();
    this.cancelPending = null;
    const group = this.queue.splice(0, this.options.maxOperations);
    if (group.length === 0) return;
    this.flushing = true;
    let outcomes: Outcome[];
    let settled: readonly Queued[] = group;
    try {
      outcomes = this.commit(group);
    } catch (error) {
      // BEGIN or COMMIT failed, or SQLite rolled the whole transaction back: nothing of this group is written.
      if (this.db.isOpen && this.db.isTransaction) this.rollbackQuietly();
      if (error instanceof GroupRolledBack && group.length > 1) {
        // Only the operation that hit the error fails; the others lost nothing of their own and run again, first
        // in the next group (their bodies are database code: re-running one after the rollback is a first run).
        const failed = group[error.index] as Queued;
        settled = [failed];
        outcomes = [{ ok: false, error: error.reason }];
        this.queue.unshift(...group.filter((queued) => queued !== failed));
      } else {
        const cause = error instanceof GroupRolledBack ? error.reason : error;
        outcomes = group.map(() => ({ ok: false, error: cause }));
      }
    } finally {
      this.flushing = false;
    }
    this.meanGroup += MEAN_WEIGHT * (group.length - this.meanGroup);
    settled.forEach((queued, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.error);
    });
    if (this.queue.length > 0) this.schedule();
  }

  private commit(group: readonly Queued[]): Outcome[] {
    const shared = group.length > 1;
    this.db.exec("BEGIN IMMEDIATE");
    const outcomes: Outcome[] = [];
    for (const [index, queued] of group.entries()) {
      if (shared) this.db.exec(`SAVEPOINT ${SAVEPOINT}`);
      try {
        const value = queued.run();
        if (isThenable(value)) throw new TypeError("a SQLite transaction body must be synchronous");
        if (shared) this.db.exec(`RELEASE ${SAVEPOINT}`);
        outcomes.push({ ok: true, value });
      } catch (error) {
        // Some errors (disk full, I/O) make SQLite roll back the whole transaction: the group's earlier work is gone.
        if (!this.db.isTransaction) throw new GroupRolledBack(index, error);
        if (shared) {
          this.db.exec(`ROLLBACK TO ${SAVEPOINT}`);
          this.db.exec(`RELEASE ${SAVEPOINT}`);
        }
        outcomes.push({ ok: false, error });
      }
    }
    const written = outcomes.filter((outcome) => outcome.ok).length;
    if (written === 0) {
      this.db.exec("ROLLBACK");
      return outcomes;
    }
    this.db.exec("COMMIT");
    this.counts.commits += 1;
    this.counts.operations += written;
    return outcomes;
  }

  private rollbackQuietly(): void {
    try {
      this.db.exec("ROLLBACK");
    } catch {
      // The group is reported failed either way; a connection that cannot roll back fails its next BEGIN too.
    }
  }
}
