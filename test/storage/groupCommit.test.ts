// The SQLite group committer on its own: what shares a transaction, what a failure takes with it, when it waits.
// The scheduler is a fake driven by hand, so nothing here sleeps.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GroupCommitter, type CommitScheduler, type GroupCommitOptions } from "../../src/storage/sqlite/groupCommit.js";
import { openSqliteDatabase } from "../../src/storage/sqlite/openDatabase.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { CHECKPOINT_INTERVAL_MS, WalCheckpoints } from "../../src/storage/sqlite/walCheckpoints.js";

class FakeScheduler implements CommitScheduler {
  soonQueue: (() => void)[] = [];
  timers: { ms: number; fn: () => void }[] = [];

  soon(fn: () => void): () => void {
    this.soonQueue.push(fn);
    return () => {
      this.soonQueue = this.soonQueue.filter((queued) => queued !== fn);
    };
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((queued) => queued !== timer);
    };
  }

  /** Ends the event-loop turn: runs what was scheduled for it. */
  endTurn(): void {
    const due = this.soonQueue;
    this.soonQueue = [];
    due.forEach((fn) => fn());
  }

  fireTimers(): void {
    const due = this.timers;
    this.timers = [];
    due.forEach(({ fn }) => fn());
  }
}

let db: DatabaseSync;
let scheduler: FakeScheduler;

function committer(options: Partial<GroupCommitOptions> = {}): GroupCommitter {
  return new GroupCommitter(db, { maxWaitMs: 1, maxOperations: 64, ...options }, scheduler);
}

const insert =
  (key: string, value = "v") =>
  () =>
    db.prepare("INSERT INTO kv (k, v) VALUES (?, ?)").run(key, value);
const keys = () =>
  db
    .prepare("SELECT k FROM kv ORDER BY id")
    .all()
    .map((row) => row["k"]);
/** The commit a write ran in (the committer's count before that commit). */
const commitOf = (c: GroupCommitter) => () => c.counts.commits;

/** Puts the committer into its loaded state: one turn with several writes. */
async function load(c: GroupCommitter): Promise<void> {
  const writes = [c.write(() => 0), c.write(() => 0), c.write(() => 0), c.write(() => 0)];
  scheduler.endTurn();
  await Promise.all(writes);
}

beforeEach(() => {
  db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE kv (id INTEGER PRIMARY KEY, k TEXT UNIQUE NOT NULL, v TEXT)");
  scheduler = new FakeScheduler();
});

afterEach(() => {
  db.close();
});

describe("group commit (SQLite)", () => {
  it("commits a lone write at once: no wait, nothing scheduled to commit it", async () => {
    const c = committer();
    const written = c.write(insert("a"));
    // Committed inside the call, before the event loop moved on.
    expect(db.isTransaction).toBe(false);
    expect(keys()).toEqual(["a"]);
    expect(c.counts).toEqual({ commits: 1, operations: 1 });
    expect(scheduler.timers).toHaveLength(0);
    await written;
    // The next turn's lone write is committed at once too.
    scheduler.endTurn();
    void c.write(insert("b"));
    expect(c.counts.commits).toBe(2);
  });

  it("gathers the writes of one event-loop turn into one transaction, settling each after its COMMIT", async () => {
    const c = committer();
    const first = c.write(commitOf(c));
    const rest = [c.write(insert("b")), c.write(insert("c")), c.write(commitOf(c))];
    expect(keys()).toEqual([]); // gathered, not yet written
    const settledInTransaction: boolean[] = [];
    const settled = rest.map((p) => p.then(() => settledInTransaction.push(db.isTransaction)));
    scheduler.endTurn();
    expect(await first).toBe(0);
    expect(await rest[2]).toBe(1); // ran in the second commit, with b and c
    await Promise.all(settled);
    expect(settledInTransaction).toEqual([false, false, false]);
    expect(keys()).toEqual(["b", "c"]);
    expect(c.counts).toEqual({ commits: 2, operations: 4 });
  });

  it("isolates a failing operation in its savepoint: only its promise rejects, only its work is undone", async () => {
    const c = committer();
    void c.write(() => 0); // commits at once; the rest of the turn is gathered
    const ok1 = c.write(insert("a"));
    const failing = c.write(() => {
      insert("half-done")();
      throw new Error("operation failed");
    });
    const duplicate = c.write(insert("a")); // a constraint error from SQLite itself
    const ok2 = c.write(insert("b"));
    scheduler.endTurn();
    await expect(ok1).resolves.toBeDefined();
    await expect(failing).rejects.toThrow("operation failed");
    await expect(duplicate).rejects.toThrow(/UNIQUE/);
    await expect(ok2).resolves.toBeDefined();
    expect(keys()).toEqual(["a", "b"]);
    expect(c.counts).toEqual({ commits: 2, operations: 3 });
  });

  it("rejects every operation of a group whose COMMIT fails, and nothing of it is written", async () => {
    // A deferred foreign key is checked at COMMIT: the last operation makes the shared COMMIT fail.
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("CREATE TABLE child (id INTEGER PRIMARY KEY, parent TEXT REFERENCES kv(k) DEFERRABLE INITIALLY DEFERRED)");
    const c = committer();
    void c.write(() => 0);
    const group = [
      c.write(insert("a")),
      c.write(insert("b")),
      c.write(() => db.prepare("INSERT INTO child (parent) VALUES ('nobody')").run()),
    ];
    scheduler.endTurn();
    const results = await Promise.allSettled(group);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(db.isTransaction).toBe(false);
    expect(keys()).toEqual([]);
    expect(c.counts).toEqual({ commits: 1, operations: 1 });
    // The connection is usable afterwards.
    const after = c.write(insert("c"));
    scheduler.fireTimers(); // the group was shared: the next write waited for company
    await after;
    expect(keys()).toEqual(["c"]);
  });

  it("when one write makes SQLite roll back the whole group (disk full), only that write fails; the others run again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "group-full-"));
    const file = new DatabaseSync(join(dir, "full.sqlite"));
    try {
      file.exec("PRAGMA journal_mode = WAL");
      file.exec("CREATE TABLE kv (id INTEGER PRIMARY KEY, k TEXT UNIQUE NOT NULL, v BLOB)");
      const pages = Number(file.prepare("PRAGMA page_count").get()?.["page_count"]);
      file.exec(`PRAGMA max_page_count = ${pages + 3}`); // room for small rows, not for a 200 KB one
      const c = new GroupCommitter(file, { maxWaitMs: 1, maxOperations: 64 }, scheduler);
      const put = (key: string, value: string | Uint8Array) => () =>
        file.prepare("INSERT INTO kv (k, v) VALUES (?, ?)").run(key, value);
      void c.write(() => 0);
      const a = c.write(put("a", "x"));
      const big = c.write(put("big", new Uint8Array(200_000)));
      const b = c.write(put("b", "x"));
      const settled = Promise.allSettled([a, big, b]);
      for (let turn = 0; turn < 5; turn++) {
        scheduler.endTurn();
        scheduler.fireTimers();
      }
      const results = await settled;
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/full/i);
      expect(
        file
          .prepare("SELECT k FROM kv ORDER BY id")
          .all()
          .map((row) => row["k"]),
      ).toEqual(["a", "b"]);
      expect(file.isTransaction).toBe(false);
    } finally {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the order of operations: a claim then its update for the same key apply in that order", async () => {
    const c = committer();
    void c.write(() => 0);
    const order: string[] = [];
    const writes = [
      c.write(() => (order.push("claim"), insert("po-1", "claimed")())),
      c.write(() => (order.push("other"), insert("po-2")())),
      c.write(() => (order.push("update"), db.prepare("UPDATE kv SET v = 'placed' WHERE k = 'po-1'").run())),
    ];
    scheduler.endTurn();
    await Promise.all(writes);
    expect(order).toEqual(["claim", "other", "update"]);
    expect(db.prepare("SELECT v FROM kv WHERE k = 'po-1'").get()?.["v"]).toBe("placed");
    expect(keys()).toEqual(["po-1", "po-2"]);
  });

  it("caps a group at maxOperations", async () => {
    const c = committer({ maxOperations: 3 });
    await load(c);
    const before = c.counts.commits;
    const ran = Array.from({ length: 8 }, () => c.write(commitOf(c)));
    scheduler.fireTimers();
    scheduler.endTurn();
    scheduler.fireTimers();
    const commits = await Promise.all(ran);
    const sizes = [...new Set(commits)].map((n) => commits.filter((m) => m === n).length);
    expect(sizes).toEqual([3, 3, 2]);
    expect(c.counts.commits - before).toBe(3);
  });

  it("under load waits at most maxWaitMs for company; with 0 only until the end of the turn", async () => {
    const waiting = committer({ maxWaitMs: 1 });
    await load(waiting);
    const late = waiting.write(insert("late"));
    expect(keys()).toEqual([]);
    expect(scheduler.timers.map((t) => t.ms)).toEqual([1]);
    scheduler.fireTimers();
    await late;
    expect(keys()).toEqual(["late"]);

    const sameTurn = committer({ maxWaitMs: 0 });
    await load(sameTurn);
    const next = sameTurn.write(insert("next"));
    expect(scheduler.timers).toHaveLength(0);
    scheduler.endTurn();
    await next;
    expect(keys()).toEqual(["late", "next"]);
  });

  it("goes back to committing at once when the load is gone", async () => {
    const c = committer({ maxWaitMs: 1 });
    await load(c);
    for (let i = 0; i < 20; i += 1) {
      const w = c.write(() => 0);
      scheduler.fireTimers();
      scheduler.endTurn();
      await w;
    }
    const before = c.counts.commits;
    void c.write(() => 0);
    expect(c.counts.commits).toBe(before + 1);
  });

  it("refuses an asynchronous operation body (a transaction must never span an await)", async () => {
    const c = committer();
    await expect(c.write(() => Promise.resolve(1))).rejects.toThrow(/synchronous/);
    expect(db.isTransaction).toBe(false);
  });

  it("drain commits what is queued (at close)", async () => {
    const c = committer();
    void c.write(() => 0);
    const queued = c.write(insert("queued"));
    c.drain();
    await queued;
    expect(keys()).toEqual(["queued"]);
  });
});

describe("durability settings (SQLite file)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "group-commit-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("stays synchronous=FULL with group commit, with automatic checkpoints off and a checkpoint pass counted", async () => {
    const file = openSqliteDatabase(join(dir, "ledger.sqlite"));
    try {
      expect(file.prepare("PRAGMA synchronous").get()?.["synchronous"]).toBe(2); // 2 = FULL
      const c = new GroupCommitter(file, { maxWaitMs: 1, maxOperations: 64 }, scheduler);
      let now = 10_000;
      const checkpoints = new WalCheckpoints(
        file,
        () => c.counts.operations,
        () => now,
      );
      checkpoints.start(60_000);
      expect(file.prepare("PRAGMA wal_autocheckpoint").get()?.["wal_autocheckpoint"]).toBe(0);
      file.exec("CREATE TABLE kv (id INTEGER PRIMARY KEY, k TEXT)");
      const insertRow = () => c.write(() => file.prepare("INSERT INTO kv (k) VALUES ('a')").run());
      checkpoints.run();
      expect(checkpoints.checkpoints).toBe(0); // nothing written yet: left alone
      await insertRow();
      checkpoints.run();
      expect(checkpoints.checkpoints).toBe(1);
      checkpoints.run(); // nothing committed since: skipped
      expect(checkpoints.checkpoints).toBe(1);
      scheduler.endTurn();
      await insertRow();
      now += 200;
      checkpoints.run(); // one write, 200 ms later: not worth a pass yet
      expect(checkpoints.checkpoints).toBe(1);
      now += 1_000;
      checkpoints.run(); // but it never waits more than a second
      expect(checkpoints.checkpoints).toBe(2);
      checkpoints.stop();
    } finally {
      file.close();
    }
  });

  it("checkpoints after catalogue refreshes too (they write outside the committer; the WAL must not only grow)", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    const ledger = new SqliteLedger(join(dir, "catalogue-only.sqlite"));
    try {
      await ledger.migrate();
      const now = new Date();
      const day = now.toISOString().slice(0, 10);
      const condition = {
        refreshedBefore: null,
        attemptedBefore: new Date(now.getTime() + 1),
        budget: { day, maxUsed: 10 },
      };
      expect(await ledger.catalogue.beginRefresh("me", 60_000, condition, now)).toBe(true);
      expect(await ledger.catalogue.commitRefresh("me", [], now, { day, calls: 1 })).toBe(true);
      expect(ledger.writeCounts().operations).toBe(0); // no order write at all
      vi.advanceTimersByTime(CHECKPOINT_INTERVAL_MS + 1);
      expect(ledger.writeCounts().checkpoints).toBe(1);
    } finally {
      await ledger.close();
      vi.useRealTimers();
    }
  });
});
