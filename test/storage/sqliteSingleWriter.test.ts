// A SQLite ledger file serves one process. A second process (or a second open in this one) refuses to start with
// a message that says why and what to use instead; the lock dies with its holder (SIGKILL included), so a
// restarted process opens the file; of processes started together exactly one wins; commits are synced (FULL).
// The children are real processes (test/storage/holdSqliteLedger.ts) opening the ledger through openLedger().
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openLedger } from "../../src/storage/openLedger.js";
import { openSqliteDatabase } from "../../src/storage/sqlite/openDatabase.js";
import { SqliteLedgerInUseError } from "../../src/storage/sqlite/SqliteLedgerInUseError.js";
import { startService, stopAllServices } from "../support/serviceProcess.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HOLDER = "test/storage/holdSqliteLedger.ts";
const REFUSED_EXIT_CODE = 3; // holdSqliteLedger.ts: refused with SqliteLedgerInUseError
const OPEN_TIMEOUT_MS = 20_000; // tsx start-up on a shared 2-core machine

const root = mkdtempSync(join(tmpdir(), "ledger-single-writer-"));
let counter = 0;
const children = new Set<Holder>();

afterEach(async () => {
  await Promise.all([...children].map((holder) => holder.kill()));
  await stopAllServices();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freshFile(): string {
  counter += 1;
  return join(root, `case-${counter}`, "orders.sqlite");
}

function refusal(file: string, holderPid?: number): string {
  const where = holderPid === undefined ? "in another process" : `in another process (pid ${holderPid})`;
  return (
    `the SQLite ledger ${file} is already open ${where}; SQLite serves one process — ` +
    "use PostgreSQL (DATABASE_URL=postgres://…) for several replicas"
  );
}

interface Opened {
  event: "open";
  pid: number;
  accessToken: string | null;
}

/** How a holder's start ended: it opened the ledger (and holds it), or it exited. */
type Start = { opened: Opened } | { exited: number | string };

interface Holder {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | string>;
  started: Promise<Start>;
  /** The open event; fails the test if the holder exited instead. */
  opened(): Promise<Opened>;
  stop(): Promise<number | string>;
  kill(): Promise<number | string>;
}

function startHolder(file: string, token?: string): Holder {
  const args = ["--import", "tsx", HOLDER, file, ...(token === undefined ? [] : [token])];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  const opened = new Promise<Opened>((resolve) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith('{"event":"open"'));
      if (line !== undefined) resolve(JSON.parse(line) as Opened);
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const started = Promise.race<Start>([
    opened.then((o) => ({ opened: o })),
    exited.then((code) => ({ exited: code })),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`holder neither opened nor exited in ${OPEN_TIMEOUT_MS} ms:\n${err}`)),
        OPEN_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  const signal = async (name: NodeJS.Signals): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  const holder: Holder = {
    child,
    stderr: () => err,
    exited,
    started,
    async opened() {
      const start = await started;
      if ("exited" in start) throw new Error(`holder exited with ${start.exited} instead of opening:\n${err}`);
      return start.opened;
    },
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
  };
  children.add(holder);
  void exited.then(() => children.delete(holder));
  return holder;
}

/** The refused holder exited with the refusal code, its stderr is the message, and nothing crashed. */
async function expectRefused(holder: Holder, message: string): Promise<void> {
  expect(await holder.exited, holder.stderr()).toBe(REFUSED_EXIT_CODE);
  expect(holder.stderr()).toBe(`refused: ${message}\n`);
  expect(holder.stderr()).not.toMatch(/database is locked/);
}

describe("SQLite ledger: one process per file", () => {
  it("a second process on the same file exits non-zero with the reason, naming the holder's pid", async () => {
    const file = freshFile();
    const first = startHolder(file);
    const { pid } = await first.opened();

    const second = startHolder(file);
    await expectRefused(second, refusal(file, pid));

    // The service itself refuses too, printing the same reason (exit 1, before listening).
    const service = startService({ NODE_ENV: "test", PORT: "0", DATABASE_URL: `sqlite:${file}` });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toContain(refusal(file, pid));

    // The refusals did not disturb the holder: it still holds the file and stops cleanly.
    await expectRefused(startHolder(file), refusal(file, pid));
    expect(await first.stop()).toBe(0);
    expect(existsSync(`${file}.pid`)).toBe(false);
  });

  it("after SIGKILL of the holder a new process opens the file, with what was committed, despite the stale pid note", async () => {
    const file = freshFile();
    const first = startHolder(file, "token-before-kill");
    const { pid: deadPid, accessToken } = await first.opened();
    expect(accessToken).toBe("token-before-kill");
    expect(await first.kill()).toBe("SIGKILL");
    // The killed process left its note behind; it must not block (the lock itself died with the process).
    expect(JSON.parse(readFileSync(`${file}.pid`, "utf8"))).toMatchObject({ pid: deadPid });

    const restarted = startHolder(file);
    const reopened = await restarted.opened();
    expect(reopened.accessToken).toBe("token-before-kill");
    // The note now names the live holder, not the dead one.
    await expectRefused(startHolder(file), refusal(file, reopened.pid));
    expect(await restarted.stop()).toBe(0);
  });

  it("of processes started at the same time exactly one opens the file; the others get the reason, not a crash", async () => {
    const file = freshFile();
    // A brand-new file (nobody has created it yet), then the same file once it exists.
    for (const count of [2, 3]) {
      const racers = Array.from({ length: count }, () => startHolder(file));
      const starts = await Promise.all(racers.map((racer) => racer.started));
      const winners = racers.filter((_, i) => "opened" in (starts[i] as Start));
      expect(winners, racers.map((r) => r.stderr()).join("\n")).toHaveLength(1);
      for (const loser of racers.filter((racer) => !winners.includes(racer))) {
        expect(await loser.exited, loser.stderr()).toBe(REFUSED_EXIT_CODE);
        // The winner may not have written its pid note yet when a loser gave up: the pid is optional here.
        expect(loser.stderr()).toMatch(
          /^refused: the SQLite ledger .* is already open in another process( \(pid \d+\))?; SQLite serves one process — use PostgreSQL \(DATABASE_URL=postgres:\/\/…\) for several replicas\n$/,
        );
      }
      expect(await (winners[0] as Holder).stop()).toBe(0);
    }
  });

  it("refuses a second open in the same process while the first is open, and allows it after the first closes", async () => {
    const file = freshFile();
    const first = await openLedger(`sqlite:${file}`);
    const failure = await openLedger(`sqlite:${file}`).then(
      () => new Error("opened twice"),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SqliteLedgerInUseError);
    expect((failure as SqliteLedgerInUseError).message).toBe(
      `the SQLite ledger ${file} is already open in this process (pid ${process.pid}); SQLite serves one process — ` +
        "use PostgreSQL (DATABASE_URL=postgres://…) for several replicas",
    );
    expect((failure as SqliteLedgerInUseError).holder).toMatchObject({ pid: process.pid });

    // The failed open released nothing: another process is still refused.
    await expectRefused(startHolder(file), refusal(file, process.pid));

    await first.close();
    const second = await openLedger(`sqlite:${file}`);
    await expect(second.ping()).resolves.toBeUndefined();
    await second.close();
  });

  it("opens with busy_timeout set, synchronous = FULL (2), WAL and the exclusive lock; :memory: is exempt", () => {
    const db = openSqliteDatabase(freshFile());
    try {
      expect(db.prepare("PRAGMA busy_timeout").get()).toEqual({ timeout: 5_000 });
      expect(db.prepare("PRAGMA synchronous").get()).toEqual({ synchronous: 2 });
      expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
      expect(db.prepare("PRAGMA locking_mode").get()).toEqual({ locking_mode: "exclusive" });
      expect(db.prepare("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
    } finally {
      db.close();
    }

    const memories = [openSqliteDatabase(":memory:"), openSqliteDatabase(":memory:")];
    try {
      for (const memory of memories) {
        expect(memory.prepare("PRAGMA busy_timeout").get()).toEqual({ timeout: 5_000 });
        expect(memory.prepare("PRAGMA synchronous").get()).toEqual({ synchronous: 2 });
      }
    } finally {
      for (const memory of memories) memory.close();
    }
  });
});
