// The results file (JSON) and the Markdown tables printed at the end and kept in bench/results/latest.md.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EntitiesResult } from "./entities.js";
import type { LoadResult } from "./load.js";
import type { ProfileSummary } from "./profile.js";
import type { SoakResult } from "./soak.js";
import { COMPONENTS } from "./profile.js";
import { runAt, targetsMarkdown, type TargetCheck } from "./summary.js";

export { evaluateTargets, type TargetCheck } from "./summary.js";

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
  /** SQLite pragmas and ledger settings, or PostgreSQL's synchronous_commit (null: no ledger). */
  durability: string | null;
  components: ComponentSplit | null;
}

/** CPU per order split by component, from a --cpu-prof profile of the service over a known number of orders. */
export interface ComponentSplit {
  profile: string;
  /** "the measured runs" or "a separate profiled pass at N connections". */
  pass: string;
  orders: number;
  /** The process's CPU time per order in the pass (/proc), which msPerOrder shares out. */
  cpuMsPerOrder: number;
  /** CPU ms per order by component: cpuMsPerOrder × the component's share of the profile's running samples. */
  msPerOrder: Record<string, number>;
}

export interface ReadResult {
  target: TargetName;
  name: string;
  run: LoadResult;
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
  reads: ReadResult[];
  entities: EntitiesResult[];
  soak: SoakResult | null;
  profiles: ProfileSummary[];
  targets: TargetCheck[];
  notes: string[];
}

const mb = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? "–" : (bytes / 2 ** 20).toFixed(0);
const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "–" : value.toFixed(2));
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)}`;

const opt = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);

function serviceTables(results: BenchResults): string[] {
  const lines: string[] = [];
  const ledgers = results.throughput.filter((t) => t.durability !== null);
  if (ledgers.length > 0) {
    lines.push(
      "| System | Conns | Durability | Commits / order | Operations / commit | fsyncs / s | Checkpoints | CPU ms / order | Event-loop delay p99 ms |",
    );
    lines.push("|---|--:|---|--:|--:|--:|--:|--:|--:|");
    for (const t of ledgers) {
      for (const run of t.runs) {
        const s = run.service;
        lines.push(
          `| ${t.label} | ${run.connections} | ${t.durability} | ${opt(s?.commitsPerOrder)} | ${opt(s?.operationsPerCommit, 1)} | ${opt(s?.fsyncsPerSecond, 0)} | ` +
            `${opt(s?.checkpoints, 0)} | ${opt(run.cpuMsPerRequest)} | ${opt(s?.eventLoopDelayP99Ms, 1)} |`,
        );
      }
    }
    const sources = [
      ...new Set(
        ledgers.flatMap((t) => t.runs.map((r) => r.service?.source)).filter((x): x is string => x !== undefined),
      ),
    ];
    lines.push(
      "",
      `Commits and fsyncs: ${sources.join("; ")}. Event-loop delay: prom-client's default metrics on /metrics (10 ms resolution), scraped just before and after each run.`,
      "",
    );
  }
  const split = results.throughput.filter((t) => t.components !== null);
  if (split.length > 0) {
    lines.push(`| CPU ms per order by component | Orders profiled | ${COMPONENTS.join(" | ")} | total |`);
    lines.push(`|---|--:|${COMPONENTS.map(() => "--:").join("|")}|--:|`);
    for (const t of split) {
      const c = t.components;
      if (c === null) continue;
      const total = Object.values(c.msPerOrder).reduce((a, b) => a + b, 0);
      lines.push(
        `| ${t.label} (${c.pass}) | ${c.orders} | ${COMPONENTS.map((name) => opt(c.msPerOrder[name], 3)).join(" | ")} | ${opt(total, 3)} |`,
      );
    }
    lines.push(
      "",
      "By component: the process's CPU time per order in the profiled pass (/proc), shared out by a `--cpu-prof` profile of it (start-up and warm-up left out; samples of 10 ms or more, when the thread was not running, left out), each sample given to the innermost package or src/ frame on its stack; profiling itself adds a few percent.",
      "",
    );
  }
  if (results.reads.length > 0) {
    lines.push("| Read | System | Conns | req/s | p50 ms | p99 ms | CPU ms / req | vs ceiling |");
    lines.push("|---|---|--:|--:|--:|--:|--:|--:|");
    for (const r of results.reads) {
      const ceiling = results.reads.find((c) => c.target === "ceiling" && c.name === r.name)?.run;
      const failures =
        r.run.failures.errors + r.run.failures.timeouts + r.run.failures.non2xx + r.run.failures.mismatches;
      lines.push(
        `| ${r.name} | ${TARGET_LABELS[r.target]} | ${r.run.connections} | ${r.run.rps.toFixed(0)}${failures > 0 ? ` (${failures} failed)` : ""} | ${ms(r.run.latencyMs.p50)} | ` +
          `${ms(r.run.latencyMs.p99)} | ${opt(r.run.cpuMsPerRequest)} | ${ceiling === undefined ? "–" : `${(r.run.rps / ceiling.rps).toFixed(2)}×`} |`,
      );
    }
    lines.push(
      "",
      "Reads: the service answers from its ledger; the ceiling (no ledger) asks Plum's getOrderDetails for every order, as a subgraph without one must.",
      "",
    );
  }
  return lines;
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
    lines.push(
      "| System | Conns | req/s | p50 ms | p99 ms | Peak RSS MB | CPU ms / req | Throughput / ceiling | p50 − floor ms | p99 − floor ms |",
    );
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
  lines.push(...serviceTables(results));
  if (results.entities.length > 0) {
    lines.push(
      "| `_entities` | Ledger | p50 ms | p99 ms | Ledger calls / request | Upstream calls / request | Ledger calls per placement (seeding) |",
    );
    lines.push("|---|---|--:|--:|---|---|---|");
    for (const entities of results.entities) {
      for (const c of entities.cases) {
        const calls =
          Object.entries(c.ledgerCallsPerRequest)
            .map(([k, n]) => `${k} ${n}`)
            .join(", ") || "0";
        const upstream =
          Object.entries(c.upstreamCallsPerRequest)
            .map(([k, n]) => `${k} ${n}`)
            .join(", ") || "0";
        const placement = Object.entries(entities.ledgerCallsPerPlacement)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ");
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
    lines.push(
      "| Soak (SQLite ledger) | Placements | Conns | Duration | req/s | RSS start MB | RSS middle MB | RSS end MB | Growth middle → end | V8 heap used, start / middle / end MB | V8 heap total MB | External MB | p99 first / last 10% ms |",
    );
    lines.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|---|---|");
    lines.push(
      `| one process | ${s.load.completed} of ${s.placements} | ${s.connections} | ${s.seconds.toFixed(0)} s | ${s.load.rps.toFixed(0)} | ` +
        `${mb(s.start.rssBytes)} | ${mb(s.middle.rssBytes)} | ${mb(s.end.rssBytes)} | ${(s.growthMiddleToEnd * 100).toFixed(1)}% | ` +
        `${mb(s.start.heapUsedBytes)} / ${mb(s.middle.heapUsedBytes)} / ${mb(s.end.heapUsedBytes)} | ` +
        `${mb(s.start.heapTotalBytes)} / ${mb(s.middle.heapTotalBytes)} / ${mb(s.end.heapTotalBytes)} | ` +
        `${mb(s.start.externalBytes)} / ${mb(s.middle.externalBytes)} / ${mb(s.end.externalBytes)} | ` +
        `${ms(s.load.p99FirstTenthMs)} / ${ms(s.load.p99LastTenthMs)} |`,
    );
    lines.push("");
  }
  if (results.targets.length > 0) {
    lines.push(...targetsMarkdown(results.targets), "");
  }
  for (const note of results.notes) lines.push(`- ${note}`);
  return `${lines.join("\n")}\n`;
}

export async function writeResults(
  dir: string,
  results: BenchResults,
): Promise<{ json: string; latest: string; markdown: string }> {
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
