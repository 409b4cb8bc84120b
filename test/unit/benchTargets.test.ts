// The benchmark's summary table: each issue-12 target computed from the run's figures, PASS/MISS at its limit,
// "not measured" when the run did not include it.
import { describe, expect, it } from "vitest";
import type { EntitiesResult, EntityCase } from "../../bench/entities.js";
import type { LoadResult } from "../../bench/load.js";
import { componentOf } from "../../bench/profile.js";
import type { BenchResults, TargetName } from "../../bench/report.js";
import { parseMetrics } from "../../bench/serviceProbe.js";
import type { SoakResult } from "../../bench/soak.js";
import { evaluateTargets, targetsMarkdown, type TargetCheck } from "../../bench/summary.js";

type Input = Parameters<typeof evaluateTargets>[0];

function run(
  connections: number,
  rps: number,
  p50: number,
  p99: number,
  tenths: [number, number] = [p99, p99],
): LoadResult {
  return {
    connections,
    durationSeconds: 10,
    completed: rps * 10,
    rps,
    latencyMs: { p50, p90: p99, p99, max: p99, mean: p50 },
    failures: { errors: 0, timeouts: 0, non2xx: 0, mismatches: 0 },
    peakRssBytes: null,
    cpuMsPerRequest: null,
    p99FirstTenthMs: tenths[0],
    p99LastTenthMs: tenths[1],
    service: null,
  };
}

function series(target: TargetName, runs: LoadResult[]): BenchResults["throughput"][number] {
  return {
    target,
    label: target,
    rssOf: null,
    rssAfterStartBytes: null,
    profiled: false,
    runs,
    durability: null,
    components: null,
  };
}

function entities(engine: "sqlite" | "postgres", p50: number, queries = 1): EntitiesResult {
  const hits = {
    engine,
    name: "100 hits",
    representations: 100,
    hits: 100,
    misses: 0,
    iterations: 10,
    latencyMs: { p50, p90: p50, p99: p50, max: p50, mean: p50 },
    ledgerCallsPerRequest: {},
    ledgerCallsTotalPerRequest: queries,
    backgroundLedgerCalls: {},
    ledgerReadQueriesPerRequest: queries,
    upstreamCallsPerRequest: {},
    upstreamCallsTotalPerRequest: 0,
    wrongAnswers: 0,
  } satisfies EntityCase;
  return { engine, ledgerCallsPerPlacement: {}, cases: [hits] };
}

function soak(middleMb: number, endMb: number, firstP99: number, lastP99: number): SoakResult {
  const sample = (mb: number) => ({
    completed: 0,
    seconds: 0,
    rssBytes: mb * 2 ** 20,
    heapUsedBytes: null,
    heapTotalBytes: null,
    externalBytes: null,
  });
  return {
    placements: 100_000,
    connections: 16,
    seconds: 100,
    load: run(16, 1000, 5, lastP99, [firstP99, lastP99]),
    rssAfterBootBytes: 0,
    start: sample(middleMb),
    middle: sample(middleMb),
    end: sample(endMb),
    growthMiddleToEnd: (endMb - middleMb) / middleMb,
    growthStartToEnd: 0,
    samples: [],
  };
}

const byName = (checks: TargetCheck[], prefix: string) => {
  const found = checks.filter((c) => c.name.startsWith(prefix));
  expect(found.length, prefix).toBeGreaterThan(0);
  return found.map((c) => c.pass);
};

function fullRun(sqlite64Rps: number): Input {
  return {
    throughput: [
      series("floor", [run(1, 3000, 0.3, 1.2)]),
      series("ceiling", [run(1, 600, 1.3, 6.8), run(64, 2000, 24, 44)]),
      series("sqlite", [run(1, 500, 2.3, 11.2), run(64, sqlite64Rps, 60, 66)]),
      series("postgres", [run(1, 300, 2.31, 11.21), run(64, 999, 90, 66.1)]),
    ],
    reads: [
      { target: "ceiling", name: "order(orderId)", run: run(64, 1000, 50, 90) },
      { target: "sqlite", name: "order(orderId)", run: run(64, 1500, 30, 60) },
      { target: "postgres", name: "order(orderId)", run: run(64, 1499, 30, 60) },
      { target: "ceiling", name: "_entities, 20 keys", run: run(64, 100, 50, 90) },
      { target: "sqlite", name: "_entities, 20 keys", run: run(64, 200, 30, 60) },
    ],
    entities: [entities("sqlite", 9.99), entities("postgres", 10)],
    soak: soak(400, 419, 20, 24),
  };
}

describe("benchmark targets (issue 12)", () => {
  it("passes each row at its limit and misses just beyond it", () => {
    const checks = evaluateTargets(fullRun(1400));
    expect(byName(checks, "SQLite (durable): placement throughput")).toEqual([true]); // 70% exactly
    expect(byName(checks, "SQLite (durable): added p50")).toEqual([true]); // 2.0 ms
    expect(byName(checks, "SQLite (durable): added p99")).toEqual([true]); // 10.0 ms
    expect(byName(checks, "SQLite (durable): p99 at 64")).toEqual([true]); // 1.5×
    expect(byName(checks, "SQLite (durable): read")).toEqual([true, true]); // 1.5× and 2×
    expect(byName(checks, "SQLite (durable): _entities with 100")).toEqual([true]);
    expect(byName(checks, "PostgreSQL: placement throughput")).toEqual([false]); // 49.95%
    expect(byName(checks, "PostgreSQL: added p50")).toEqual([false]);
    expect(byName(checks, "PostgreSQL: added p99")).toEqual([false]);
    expect(byName(checks, "PostgreSQL: p99 at 64")).toEqual([false]);
    expect(byName(checks, "PostgreSQL: read order")).toEqual([false]); // 1.499×
    expect(byName(checks, "PostgreSQL: read _entities")).toEqual([null]); // not measured
    expect(byName(checks, "PostgreSQL: _entities with 100")).toEqual([false]); // 10 ms is not under 10
    expect(byName(checks, "soak: RSS growth")).toEqual([true]); // 4.75%
    expect(byName(checks, "soak: p99 of the last 10%")).toEqual([true]); // +20%
  });

  it("misses the soak rows beyond 5% RSS growth and +20% tail p99, and an _entities batch needing two queries", () => {
    const input = { ...fullRun(1399), soak: soak(400, 421, 20, 24.1), entities: [entities("sqlite", 5, 2)] };
    const checks = evaluateTargets(input);
    expect(byName(checks, "SQLite (durable): placement throughput")).toEqual([false]);
    expect(byName(checks, "soak: RSS growth")).toEqual([false]);
    expect(byName(checks, "soak: p99 of the last 10%")).toEqual([false]);
    expect(byName(checks, "SQLite (durable): _entities with 100")).toEqual([false]);
  });

  it("says not measured for what the run left out, and prints a Markdown table", () => {
    const checks = evaluateTargets({
      throughput: [series("ceiling", [run(64, 2000, 24, 44)])],
      reads: [],
      entities: [],
      soak: null,
    });
    expect(checks.every((c) => c.pass === null)).toBe(true);
    const table = targetsMarkdown(evaluateTargets(fullRun(1400)));
    expect(table[0]).toBe("| Target | Measured | Limit | Result |");
    expect(table.some((line) => line.endsWith("| PASS |"))).toBe(true);
    expect(table.some((line) => line.endsWith("| **MISS** |"))).toBe(true);
    expect(table.find((line) => line.includes("SQLite (durable): placement throughput"))).toContain(
      "70% (1400 / 2000 req/s)",
    );
  });
});

describe("benchmark helpers", () => {
  it("sums a metric's series across labels", () => {
    const text = [
      "# HELP orders_ledger_commits_total x",
      'orders_ledger_commits_total{engine="sqlite"} 12',
      'orders_ledger_commits_total{engine="postgres"} 3',
      "nodejs_eventloop_lag_p99_seconds 0.0125",
    ].join("\n");
    const m = parseMetrics(text);
    expect(m.get("orders_ledger_commits_total")).toBe(15);
    expect(m.get("nodejs_eventloop_lag_p99_seconds")).toBe(0.0125);
    expect(m.get("orders_ledger_checkpoints_total")).toBeUndefined();
  });

  it("files profile frames under the profile document's components", () => {
    const frame = (url: string, functionName = "f") => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
    expect(componentOf(frame("file:///w/src/storage/sqlite/SqliteLedger.ts"))).toBe("ledger");
    expect(componentOf(frame("file:///w/node_modules/jose/dist/webapi/jwt/verify.js"))).toBe("JWT");
    expect(componentOf(frame("file:///w/node_modules/@apollo/server/dist/cjs/requestPipeline.js"))).toBe("Apollo");
    expect(componentOf(frame("file:///w/node_modules/pino/lib/proto.js"))).toBe("logging");
    expect(componentOf(frame("file:///w/node_modules/class-validator/cjs/index.js"))).toBe("class-validator");
    expect(componentOf(frame("file:///w/src/orders/PlacementService.ts"))).toBe("other");
    expect(componentOf(frame("node:internal/streams/readable"))).toBeNull();
  });
});
