// What the service did during one measured run, read from outside: its ledger commits and checkpoints (the
// orders_ledger_* counters on /metrics, when the service registers them), PostgreSQL's own counters, and the
// event-loop delay p99 (prom-client's default metrics reset their histogram at every scrape, so a scrape before
// and one after the run bracket it).
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { request } from "undici";

export interface ServiceRunStats {
  /** Ledger commits per placed order (SQLite: the ledger counter; PostgreSQL: xact_commit of its database). */
  commitsPerOrder: number | null;
  /** Operations that shared a commit, per commit (group commit); null when the counter is absent. */
  operationsPerCommit: number | null;
  /** SQLite: (commits + checkpoints) per second; PostgreSQL: pg_stat_wal wal_sync per second (whole cluster). */
  fsyncsPerSecond: number | null;
  checkpoints: number | null;
  /** The service's event-loop delay p99 over the run (prom-client, 10 ms resolution). */
  eventLoopDelayP99Ms: number | null;
  /** Where the commit and fsync figures come from. */
  source: string;
}

export interface RunProbe {
  before(): Promise<void>;
  after(orders: number, seconds: number): Promise<ServiceRunStats>;
}

/** Every sample of the exposition, summed per metric name and by its `engine` label (Prometheus text format). */
export function parseMetrics(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === undefined || match[3] === undefined) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    sums.set(match[1], (sums.get(match[1]) ?? 0) + value);
  }
  return sums;
}

export const LEDGER_COMMITS = "orders_ledger_commits_total";
export const LEDGER_GROUPED = "orders_ledger_grouped_operations_total";
export const LEDGER_CHECKPOINTS = "orders_ledger_checkpoints_total";
const ELD_P99 = "nodejs_eventloop_lag_p99_seconds";

async function scrape(baseUrl: string): Promise<Map<string, number>> {
  try {
    const response = await request(`${baseUrl}/metrics`);
    return parseMetrics(await response.body.text());
  } catch {
    return new Map();
  }
}

const delta = (after: Map<string, number>, before: Map<string, number>, name: string): number | null => {
  const a = after.get(name);
  return a === undefined ? null : a - (before.get(name) ?? 0);
};
const per = (n: number | null, d: number): number | null => (n === null || d <= 0 ? null : n / d);
const eventLoopP99 = (m: Map<string, number>): number | null => {
  const seconds = m.get(ELD_P99);
  return seconds === undefined ? null : seconds * 1000;
};

/** The SQLite service: everything from its /metrics. */
export function sqliteProbe(baseUrl: string): RunProbe {
  let before = new Map<string, number>();
  return {
    async before() {
      before = await scrape(baseUrl);
    },
    async after(orders, seconds) {
      const after = await scrape(baseUrl);
      const commits = delta(after, before, LEDGER_COMMITS);
      const grouped = delta(after, before, LEDGER_GROUPED);
      const checkpoints = delta(after, before, LEDGER_CHECKPOINTS);
      return {
        commitsPerOrder: per(commits, orders),
        operationsPerCommit: commits === null || grouped === null ? null : per(grouped, commits),
        fsyncsPerSecond: commits === null ? null : per(commits + (checkpoints ?? 0), seconds),
        checkpoints,
        eventLoopDelayP99Ms: eventLoopP99(after),
        source: commits === null ? "ledger metrics absent (n/a)" : "orders_ledger_* counters on /metrics",
      };
    },
  };
}

interface PgCounters {
  xactCommit: number | null;
  walSync: number | null;
}

async function pgCounters(databaseUrl: string): Promise<PgCounters> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const xact = await client.query<{ xact_commit: string }>(
      "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
    );
    const wal = await client.query<{ wal_sync: string }>("SELECT wal_sync FROM pg_stat_wal").catch(() => null); // PostgreSQL 14+
    const n = (v: string | undefined) => (v === undefined ? null : Number(v));
    return { xactCommit: n(xact.rows[0]?.xact_commit), walSync: n(wal?.rows[0]?.wal_sync) };
  } catch {
    return { xactCommit: null, walSync: null };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The PostgreSQL service: commits of its own database and the cluster's WAL syncs, event-loop delay from /metrics. */
export function postgresProbe(baseUrl: string, databaseUrl: string): RunProbe {
  let before: PgCounters = { xactCommit: null, walSync: null };
  return {
    async before() {
      await scrape(baseUrl);
      before = await pgCounters(databaseUrl);
    },
    async after(orders, seconds) {
      const metrics = await scrape(baseUrl);
      // Backends report their statistics at most once a second, when idle.
      await sleep(1_100);
      const after = await pgCounters(databaseUrl);
      const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
      // Our own two probe transactions (this one's queries are counted too) are negligible next to thousands.
      const commits = diff(after.xactCommit, before.xactCommit);
      return {
        commitsPerOrder: per(commits, orders),
        operationsPerCommit: null,
        fsyncsPerSecond: per(diff(after.walSync, before.walSync), seconds),
        checkpoints: null,
        eventLoopDelayP99Ms: eventLoopP99(metrics),
        source:
          "pg_stat_database xact_commit (this database, read-only transactions included); pg_stat_wal wal_sync (whole cluster)",
      };
    },
  };
}

export async function postgresDurability(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const sync = await client.query<{ synchronous_commit: string }>("SHOW synchronous_commit");
    const fsync = await client.query<{ fsync: string }>("SHOW fsync");
    return `synchronous_commit=${sync.rows[0]?.synchronous_commit ?? "?"}, fsync=${fsync.rows[0]?.fsync ?? "?"} (server settings)`;
  } catch {
    return "n/a (could not query the server)";
  } finally {
    await client.end().catch(() => undefined);
  }
}
