// The results file (JSON) and the Markdown tables printed at the end and kept in bench/results/latest.md.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EntitiesResult } from "./entities.js";
import type { LoadResult } from "./load.js";
import type { ProfileSummary } from "./profile.js";
import type { SoakResult } from "./soak.js";

export type TargetName = "floor" | "floor-undici" | "ceiling" | "sqlite" | "postgres";

export const TARGET_LABELS: Record<TargetName, string> = {
  floor: "Floor: Plum placeOrder straight to the simulator (autocannon)",
  "floor-undici": "Floor, undici Pool client (as the service calls Plum)",
  ceiling: "Framework ceiling: plain AS5 + @apollo/subgraph reference",
  sqlite: "Subgraph, SQLite ledger",
  postgres: "Subgraph, PostgreSQL ledger",
};

export interface ThroughputResult {
  target: TargetName;
  label: string;
  /** Whose RSS "peak RSS" is: the system under test (null for the floors, where no subgraph runs). */
  rssOf: "service" | "reference" | null;
  rssAfterStartBytes: number | null;
  profiled: boolean;
  runs: LoadResult[];
}

export interface TargetCheck {
  name: string;
  measured: string;
  limit: string;
  pass: boolean | null;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryMb: number;
  nodeVersion: string;
  platform: string;
  postgresVersion: string | null;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  /** Busy share of all CPUs over 2 s before the run started (other work on the machine). */
  cpuBusyBeforeRun: number | null;
  cpuBusyAfterRun: number | null;
}

export interface BenchResults {
  timestamp: string;
  command: string;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  throughput: ThroughputResult[];
  entities: EntitiesResult[];
  soak: SoakResult | null;
  profiles: ProfileSummary[];
  targets: TargetCheck[];
  notes: string[];
}

const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? "–" : (bytes / 2 ** 20).toFixed(0));
const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "–" : value.toFixed(2));
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)}`;

function runAt(results: BenchResults, target: TargetName, connections: number): LoadResult | undefined {
  return results.throughput.find((t) => t.target === target)?.runs.find((r) => r.connections === connections);
}

/** Every check the issue sets, evaluated on this run's numbers (null pass: not measured in this run). */
export function evaluateTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ceiling64 = runAt(results, "ceiling", 64);
  const floor1 = runAt(results, "floor", 1);
  for (const [engine, minimum] of [["sqlite", 0.7], ["postgres", 0.5]] as const) {
    const run = runAt(results, engine, 64);
    const ratio = run !== undefined && ceiling64 !== undefined ? run.rps / ceiling64.rps : undefined;
    checks.push({
      name: `${engine}: throughput at 64 connections / framework ceiling`,
      measured: ratio === undefined ? "not measured" : `${(ratio * 100).toFixed(0)}% (${run?.rps.toFixed(0)} / ${ceiling64?.rps.toFixed(0)} req/s)`,
      limit: `≥ ${minimum * 100}%`,
      pass: ratio === undefined ? null : ratio >= minimum,
    });
  }
  for (const engine of ["sqlite", "postgres"] as const) {
    const run = runAt(results, engine, 1);
    const p50 = run !== undefined && floor1 !== undefined ? run.latencyMs.p50 - floor1.latencyMs.p50 : undefined;
    const p99 = run !== undefined && floor1 !== undefined ? run.latencyMs.p99 - floor1.latencyMs.p99 : undefined;
    checks.push({
      name: `${engine}: added p50 over the floor at 1 connection`,
      measured: p50 === undefined ? "not measured" : `${p50.toFixed(2)} ms`,
      limit: "≤ 3 ms",
      pass: p50 === undefined ? null : p50 <= 3,
    });
    checks.push({
      name: `${engine}: added p99 over the floor at 1 connection`,
      measured: p99 === undefined ? "not measured" : `${p99.toFixed(2)} ms`,
      limit: "≤ 10 ms",
      pass: p99 === undefined ? null : p99 <= 10,
    });
  }
  for (const entities of results.entities) {
    const hits = entities.cases.find((c) => c.hits === 100 && c.misses === 0);
    if (hits === undefined) continue;
    checks.push({
      name: `${entities.engine}: _entities with 100 ledger hits`,
      measured: `${hits.ledgerReadQueriesPerRequest} ledger read quer${hits.ledgerReadQueriesPerRequest === 1 ? "y" : "ies"} (${hits.ledgerCallsTotalPerRequest} ledger calls), ${hits.upstreamCallsTotalPerRequest} upstream calls, p50 ${hits.latencyMs.p50.toFixed(2)} ms${hits.wrongAnswers > 0 ? `, ${hits.wrongAnswers} wrong answers` : ""}`,
      limit: "1 ledger query, 0 upstream calls, p50 < 15 ms",
      pass:
        hits.ledgerCallsTotalPerRequest === 1 && hits.ledgerReadQueriesPerRequest === 1 &&
        hits.upstreamCallsTotalPerRequest === 0 && hits.latencyMs.p50 < 15 && hits.wrongAnswers === 0,
    });
  }
  if (results.soak !== null) {
    checks.push({
      name: `soak: RSS growth middle → end over ${results.soak.placements} placements`,
      measured: `${(results.soak.growthMiddleToEnd * 100).toFixed(1)}% (${mb(results.soak.middle.rssBytes)} → ${mb(results.soak.end.rssBytes)} MB)`,
      limit: "< 10%",
      pass: results.soak.growthMiddleToEnd < 0.1,
    });
  }
  return checks;
}

export function toMarkdown(results: BenchResults): string {
  const m = results.machine;
  const lines: string[] = [];
  lines.push(`Command: \`${results.command}\``);
  lines.push("");
  lines.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${(m.totalMemoryMb / 1024).toFixed(1)} GB, Node ${m.nodeVersion}, ${m.platform}` +
      `${m.postgresVersion === null ? "" : `, PostgreSQL ${m.postgresVersion}`}; ${results.timestamp}. ` +
      `CPU busy before the run: ${m.cpuBusyBeforeRun === null ? "?" : `${(m.cpuBusyBeforeRun * 100).toFixed(0)}%`}, ` +
      `load average ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(" / ")} at start.`,
  );
  lines.push("");
  if (results.throughput.length > 0) {
    lines.push("| System | Conns | req/s | p50 ms | p99 ms | Peak RSS MB | CPU ms / req | Throughput / ceiling | p50 − floor ms | p99 − floor ms |");
    lines.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (const target of results.throughput) {
      for (const run of target.runs) {
        const ceiling = runAt(results, "ceiling", run.connections);
        const floor = runAt(results, "floor", run.connections);
        const isSubgraph = target.target === "sqlite" || target.target === "postgres" || target.target === "ceiling";
        const failures = run.failures.errors + run.failures.timeouts + run.failures.non2xx + run.failures.mismatches;
        lines.push(
          `| ${target.label}${target.profiled ? " (profiled)" : ""} | ${run.connections} | ${run.rps.toFixed(0)}${failures > 0 ? ` (${failures} failed)` : ""} | ` +
            `${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p99)} | ${mb(run.peakRssBytes)} | ${run.cpuMsPerRequest === null ? "–" : run.cpuMsPerRequest.toFixed(2)} | ` +
            `${isSubgraph && ceiling !== undefined ? `${((run.rps / ceiling.rps) * 100).toFixed(0)}%` : "–"} | ` +
            `${isSubgraph && floor !== undefined ? signed(run.latencyMs.p50 - floor.latencyMs.p50) : "–"} | ` +
            `${isSubgraph && floor !== undefined ? signed(run.latencyMs.p99 - floor.latencyMs.p99) : "–"} |`,
        );
      }
    }
    lines.push("");
  }
  if (results.entities.length > 0) {
    lines.push("| `_entities` | Ledger | p50 ms | p99 ms | Ledger calls / request | Upstream calls / request | Ledger calls per placement (seeding) |");
    lines.push("|---|---|--:|--:|---|---|---|");
    for (const entities of results.entities) {
      for (const c of entities.cases) {
        const calls = Object.entries(c.ledgerCallsPerRequest).map(([k, n]) => `${k} ${n}`).join(", ") || "0";
        const upstream = Object.entries(c.upstreamCallsPerRequest).map(([k, n]) => `${k} ${n}`).join(", ") || "0";
        const placement = Object.entries(entities.ledgerCallsPerPlacement).map(([k, n]) => `${k} ${n}`).join(", ");
        lines.push(
          `| ${c.name}${c.wrongAnswers > 0 ? ` (${c.wrongAnswers} wrong)` : ""} | ${entities.engine} | ${ms(c.latencyMs.p50)} | ${ms(c.latencyMs.p99)} | ` +
            `${calls} | ${upstream} | ${c === entities.cases[0] ? placement : ""} |`,
        );
      }
    }
    lines.push("");
  }
  if (results.soak !== null) {
    const s = results.soak;
    lines.push("| Soak (SQLite ledger) | Placements | Conns | Duration | req/s | RSS start MB | RSS middle MB | RSS end MB | Growth middle → end | V8 heap used, start / middle / end MB | V8 heap total MB | External MB |");
    lines.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|---|");
    lines.push(
      `| one process | ${s.load.completed} of ${s.placements} | ${s.connections} | ${s.seconds.toFixed(0)} s | ${s.load.rps.toFixed(0)} | ` +
        `${mb(s.start.rssBytes)} | ${mb(s.middle.rssBytes)} | ${mb(s.end.rssBytes)} | ${(s.growthMiddleToEnd * 100).toFixed(1)}% | ` +
        `${mb(s.start.heapUsedBytes)} / ${mb(s.middle.heapUsedBytes)} / ${mb(s.end.heapUsedBytes)} | ` +
        `${mb(s.start.heapTotalBytes)} / ${mb(s.middle.heapTotalBytes)} / ${mb(s.end.heapTotalBytes)} | ` +
        `${mb(s.start.externalBytes)} / ${mb(s.middle.externalBytes)} / ${mb(s.end.externalBytes)} |`,
    );
    lines.push("");
  }
  if (results.targets.length > 0) {
    lines.push("| Target | Measured | Limit | Result |");
    lines.push("|---|---|---|---|");
    for (const t of results.targets) {
      lines.push(`| ${t.name} | ${t.measured} | ${t.limit} | ${t.pass === null ? "not measured" : t.pass ? "pass" : "**MISS**"} |`);
    }
    lines.push("");
  }
  for (const note of results.notes) lines.push(`- ${note}`);
  return `${lines.join("\n")}\n`;
}

export async function writeResults(dir: string, results: BenchResults): Promise<{ json: string; latest: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const stamp = results.timestamp.replace(/[:.]/g, "-");
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const json = join(dir, `${stamp}.json`);
  const latest = join(dir, "latest.json");
  const markdown = join(dir, "latest.md");
  await writeFile(json, text);
  await writeFile(latest, text);
  await writeFile(markdown, toMarkdown(results));
  return { json, latest, markdown };
}
