// The issue's targets (issue 12) as one table, each row PASS or MISS on this run's figures (a pure function of
// the results, so it is unit-tested).
import type { LoadResult } from "./load.js";
import type { BenchResults, TargetName } from "./report.js";

export interface TargetCheck {
  name: string;
  measured: string;
  limit: string;
  /** null: not measured in this run. */
  pass: boolean | null;
}

/** The connection level the targets name for "under load". */
export const LOADED = 64;
export const ENGINES = [
  { engine: "sqlite", label: "SQLite (durable)", minShare: 0.7 },
  { engine: "postgres", label: "PostgreSQL", minShare: 0.5 },
] as const;
export const LIMITS = {
  addedP50Ms: 2,
  addedP99Ms: 10,
  p99OverCeiling: 1.5,
  readsOverCeiling: 1.5,
  entities100P50Ms: 10,
  soakRssGrowth: 0.05,
  soakTailP99Growth: 0.2,
} as const;

export function runAt(
  results: Pick<BenchResults, "throughput">,
  target: TargetName,
  connections: number,
): LoadResult | undefined {
  return results.throughput.find((t) => t.target === target)?.runs.find((r) => r.connections === connections);
}

function readAt(results: Pick<BenchResults, "reads">, target: TargetName, name: string): LoadResult | undefined {
  return results.reads.find((r) => r.target === target && r.name === name)?.run;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const fixed = (x: number) => x.toFixed(2);

function check(
  name: string,
  limit: string,
  value: number | undefined,
  pass: (v: number) => boolean,
  show: (v: number) => string,
): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) return { name, measured: "not measured", limit, pass: null };
  return { name, measured: show(value), limit, pass: pass(value) };
}

export function evaluateTargets(
  results: Pick<BenchResults, "throughput" | "reads" | "entities" | "soak">,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ceiling = runAt(results, "ceiling", LOADED);
  const floor1 = runAt(results, "floor", 1);
  for (const { engine, label, minShare } of ENGINES) {
    const loaded = runAt(results, engine, LOADED);
    const one = runAt(results, engine, 1);
    const share = loaded !== undefined && ceiling !== undefined ? loaded.rps / ceiling.rps : undefined;
    checks.push(
      check(
        `${label}: placement throughput at ${LOADED} connections / ceiling`,
        `≥ ${pct(minShare)}`,
        share,
        (v) => v >= minShare,
        (v) => `${pct(v)} (${loaded?.rps.toFixed(0)} / ${ceiling?.rps.toFixed(0)} req/s)`,
      ),
    );
    const addedP50 = one !== undefined && floor1 !== undefined ? one.latencyMs.p50 - floor1.latencyMs.p50 : undefined;
    const addedP99 = one !== undefined && floor1 !== undefined ? one.latencyMs.p99 - floor1.latencyMs.p99 : undefined;
    checks.push(
      check(
        `${label}: added p50 over the floor at 1 connection`,
        `≤ ${LIMITS.addedP50Ms} ms`,
        addedP50,
        (v) => v <= LIMITS.addedP50Ms,
        (v) => `${fixed(v)} ms`,
      ),
    );
    checks.push(
      check(
        `${label}: added p99 over the floor at 1 connection`,
        `≤ ${LIMITS.addedP99Ms} ms`,
        addedP99,
        (v) => v <= LIMITS.addedP99Ms,
        (v) => `${fixed(v)} ms`,
      ),
    );
    const p99Ratio =
      loaded !== undefined && ceiling !== undefined ? loaded.latencyMs.p99 / ceiling.latencyMs.p99 : undefined;
    checks.push(
      check(
        `${label}: p99 at ${LOADED} connections / ceiling p99`,
        `≤ ${LIMITS.p99OverCeiling}×`,
        p99Ratio,
        (v) => v <= LIMITS.p99OverCeiling,
        (v) =>
          `${v.toFixed(2)}× (${fixed(loaded?.latencyMs.p99 ?? Number.NaN)} / ${fixed(ceiling?.latencyMs.p99 ?? Number.NaN)} ms)`,
      ),
    );
    for (const read of [...new Set(results.reads.map((r) => r.name))]) {
      const mine = readAt(results, engine, read);
      const theirs = readAt(results, "ceiling", read);
      const ratio = mine !== undefined && theirs !== undefined ? mine.rps / theirs.rps : undefined;
      const at = mine?.connections ?? theirs?.connections ?? LOADED;
      checks.push(
        check(
          `${label}: read ${read} at ${at} connections / ceiling`,
          `≥ ${LIMITS.readsOverCeiling}×`,
          ratio,
          (v) => v >= LIMITS.readsOverCeiling,
          (v) => `${v.toFixed(2)}× (${mine?.rps.toFixed(0)} / ${theirs?.rps.toFixed(0)} req/s)`,
        ),
      );
    }
    const entities = results.entities
      .find((e) => e.engine === engine)
      ?.cases.find((c) => c.hits === 100 && c.misses === 0);
    checks.push(
      check(
        `${label}: _entities with 100 ledger hits, p50`,
        `< ${LIMITS.entities100P50Ms} ms, 1 ledger query, 0 upstream calls`,
        entities?.latencyMs.p50,
        (v) =>
          v < LIMITS.entities100P50Ms &&
          entities?.ledgerReadQueriesPerRequest === 1 &&
          entities.upstreamCallsTotalPerRequest === 0 &&
          entities.wrongAnswers === 0,
        (v) =>
          `${fixed(v)} ms, ${entities?.ledgerReadQueriesPerRequest} ledger quer${entities?.ledgerReadQueriesPerRequest === 1 ? "y" : "ies"}, ${entities?.upstreamCallsTotalPerRequest} upstream calls`,
      ),
    );
  }
  const soak = results.soak;
  checks.push(
    check(
      `soak: RSS growth middle → end${soak === null ? "" : ` over ${soak.placements} placements`}`,
      `< ${pct(LIMITS.soakRssGrowth)}`,
      soak?.growthMiddleToEnd,
      (v) => v < LIMITS.soakRssGrowth,
      (v) =>
        `${(v * 100).toFixed(1)}% (${((soak?.middle.rssBytes ?? 0) / 2 ** 20).toFixed(0)} → ${((soak?.end.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MB)`,
    ),
  );
  const tail = soak === null ? undefined : soak.load.p99LastTenthMs / soak.load.p99FirstTenthMs - 1;
  checks.push(
    check(
      "soak: p99 of the last 10% over the first 10%",
      `≤ +${pct(LIMITS.soakTailP99Growth)}`,
      tail,
      (v) => v <= LIMITS.soakTailP99Growth,
      (v) =>
        `${v >= 0 ? "+" : ""}${(v * 100).toFixed(0)}% (${fixed(soak?.load.p99FirstTenthMs ?? Number.NaN)} → ${fixed(soak?.load.p99LastTenthMs ?? Number.NaN)} ms)`,
    ),
  );
  return checks;
}

export function targetsMarkdown(checks: TargetCheck[]): string[] {
  return [
    "| Target | Measured | Limit | Result |",
    "|---|---|---|---|",
    ...checks.map(
      (t) =>
        `| ${t.name} | ${t.measured} | ${t.limit} | ${t.pass === null ? "not measured" : t.pass ? "PASS" : "**MISS**"} |`,
    ),
  ];
}
