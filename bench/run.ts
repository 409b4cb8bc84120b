// `npm run bench`: the overhead the orders subgraph adds on top of Plum, measured on one machine over loopback.
// See bench/README.md for what each row means and how to read it.
//
//   npm run bench -- [--duration 10] [--warmup 2] [--connections 1,16,64] [--soak 100000] [--soak-connections 16]
//                    [--only floor,floor-undici,ceiling,sqlite,postgres,entities,soak] [--entity-iterations 100]
//                    [--log-level info] [--profile sqlite,postgres,ceiling] [--cpu-split sqlite,postgres]
//                    [--reads 64] [--out bench/results]
import { readdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runEntities } from "./entities.js";
import { runLoad, runUndiciLoad, type LoadResult, type LoadSpec } from "./load.js";
import { postgresVersion } from "./postgres.js";
import { cpuBusyFraction, readMemory, REPO_ROOT } from "./processes.js";
import { formatProfile, summarizeProfile, type ProfileSummary } from "./profile.js";
import { readSpecs, seedOrders } from "./reads.js";
import {
  evaluateTargets,
  TARGET_LABELS,
  toMarkdown,
  writeResults,
  type BenchResults,
  type ComponentSplit,
  type ReadResult,
  type TargetName,
  type ThroughputResult,
} from "./report.js";
import { placeMutationBody, plumPlaceOrderBody, poNumbers, serviceEnv, serviceHeaders, templated } from "./requests.js";
import { sqliteDurability } from "./durability.js";
import { postgresDurability, postgresProbe, sqliteProbe, type RunProbe } from "./serviceProbe.js";
import { runSoak } from "./soak.js";
import { startReference, startService, startSimulator, type Simulator } from "./systems.js";

const ALL_PARTS = ["floor", "floor-undici", "ceiling", "sqlite", "postgres", "entities", "soak"] as const;
type Part = (typeof ALL_PARTS)[number];
/** The service's default XOXODAY_MAX_CONNECTIONS: the reference gets the same upstream pool. */
const UPSTREAM_CONNECTIONS = 16;

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "1,16,64" },
    soak: { type: "string", default: "100000" },
    "soak-connections": { type: "string", default: "16" },
    only: { type: "string", default: ALL_PARTS.join(",") },
    "entity-iterations": { type: "string", default: "100" },
    "log-level": { type: "string", default: "info" },
    profile: { type: "string", default: "" },
    "cpu-split": { type: "string", default: "sqlite,postgres" },
    reads: { type: "string", default: "64" },
    out: { type: "string", default: "bench/results" },
  },
  strict: true,
});

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

const durationSeconds = positive("duration", args.duration);
const warmupSeconds = positive("warmup", args.warmup);
const connectionLevels = args.connections.split(",").map((c) => Math.round(positive("connections", c)));
// --soak 0 and --reads 0: none.
const soakPlacements = args.soak === "0" ? 0 : Math.round(positive("soak", args.soak));
const readLevels = args.reads === "0" ? [] : args.reads.split(",").map((c) => Math.round(positive("reads", c)));
const soakConnections = Math.round(positive("soak-connections", args["soak-connections"]));
const entityIterations = Math.round(positive("entity-iterations", args["entity-iterations"]));
const logLevel = args["log-level"];
const parts = new Set(
  args.only
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean),
);
for (const part of parts)
  if (!(ALL_PARTS as readonly string[]).includes(part)) throw new Error(`--only: unknown part "${part}"`);
const profiled = new Set(
  args.profile
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean),
);
const cpuSplit = new Set(
  args["cpu-split"]
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean),
);
/** The separate profiled pass for CPU by component runs at the highest placement concurrency. */
const splitConnections = Math.max(...connectionLevels);
const outDir = resolve(REPO_ROOT, args.out);

const argv = process.argv
  .slice(2)
  .map((a) => (/^[\w.,=/:-]+$/.test(a) ? a : JSON.stringify(a)))
  .join(" ");
const command =
  process.env["npm_lifecycle_event"] === "bench"
    ? `npm run bench${argv ? ` -- ${argv}` : ""}`
    : `tsx bench/run.ts ${argv}`.trim();
const log = (line: string) => process.stdout.write(`${line}\n`);
const has = (part: Part) => parts.has(part) && (part !== "soak" || soakPlacements > 0);

log(`$ ${command}`);
log(`Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"})`);

const timestamp = new Date().toISOString();
const loadAverageAtStart = loadavg();
const cpuBusyBeforeRun = await cpuBusyFraction();
log(
  `CPU busy before the run: ${cpuBusyBeforeRun === null ? "?" : `${(cpuBusyBeforeRun * 100).toFixed(0)}%`} (other processes on the machine)`,
);
const profileRoot = join(outDir, "profiles", timestamp.replace(/[:.]/g, "-"));
const profiles: ProfileSummary[] = [];
const notes: string[] = [];

async function summarizeProfiles(target: string, dir: string, skipFirstMs: number): Promise<void> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".cpuprofile"));
  for (const file of files) {
    const summary = await summarizeProfile(join(dir, file), 25, skipFirstMs);
    profiles.push(summary);
    log(`\n[${target}] ${formatProfile(summary)}\n`);
  }
}

function describe(target: TargetName, run: LoadResult): string {
  const f = run.failures;
  const failed = f.errors + f.timeouts + f.non2xx + f.mismatches;
  return (
    `  ${target} c=${run.connections}: ${run.rps.toFixed(0)} req/s, p50 ${run.latencyMs.p50.toFixed(2)} ms, p99 ${run.latencyMs.p99.toFixed(2)} ms` +
    `${run.peakRssBytes === null ? "" : `, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MB`}` +
    `${run.cpuMsPerRequest === null ? "" : `, ${run.cpuMsPerRequest.toFixed(2)} CPU ms/req`}` +
    `${failed > 0 ? `, FAILED ${JSON.stringify(f)}` : ""}`
  );
}

/** Warm-up at each concurrency (JIT, connection pools, ledger caches), then the measured run. */
async function measure(
  target: TargetName,
  spec: Omit<LoadSpec, "connections" | "durationSeconds" | "nextPoNumber">,
  generator: typeof runLoad = runLoad,
  levels: number[] = connectionLevels,
): Promise<LoadResult[]> {
  const runs: LoadResult[] = [];
  const stamp = Date.now().toString(36);
  for (const connections of levels) {
    const { pid: _pid, probe: _probe, ...warmSpec } = spec;
    await generator({
      ...warmSpec,
      connections,
      durationSeconds: warmupSeconds,
      nextPoNumber: poNumbers(`w${stamp}c${connections}`),
    });
    const run = await generator({
      ...spec,
      connections,
      durationSeconds,
      nextPoNumber: poNumbers(`b${stamp}c${connections}`),
    });
    runs.push(run);
    log(describe(target, run));
  }
  return runs;
}

const throughput: ThroughputResult[] = [];
const reads: ReadResult[] = [];
const benchServiceEnv = serviceEnv({ port: 0, apiUrl: "", databaseUrl: "", logLevel });
/** Orders placed before the reads: enough that 20-key batches and single reads spread over many rows. */
const READ_SEED_ORDERS = 200;

/** `order(orderId)` and `_entities` with 20 keys over freshly placed orders, at each --reads level. */
async function measureReads(
  target: TargetName,
  url: string,
  headers: Record<string, string>,
  pid: number,
  probe?: () => RunProbe,
): Promise<void> {
  if (readLevels.length === 0) return;
  const ids = await seedOrders(url, headers, READ_SEED_ORDERS);
  for (const read of readSpecs(ids)) {
    const spec = {
      url,
      headers,
      body: () => read.body(),
      verify: read.verify,
      pid,
      ...(probe === undefined ? {} : { probe: probe() }),
    };
    for (const run of await measure(target, spec, runLoad, readLevels)) {
      reads.push({ target, name: read.name, run });
      log(`    (read ${read.name})`);
    }
  }
}

/**
 * CPU per order by component: a separate pass of the service under --cpu-prof at the highest concurrency, so the
 * profile holds placements only (no start-up, no reads) and its orders are counted exactly.
 */
async function componentPass(target: "sqlite" | "postgres", sim: Simulator): Promise<ComponentSplit | null> {
  const dir = join(profileRoot, `${target}-split`);
  log(`  CPU by component: a separate profiled pass, ${splitConnections} connections, ${durationSeconds} s`);
  const service = await startService({ engine: target, sim, logLevel, cpuProfileDir: dir });
  let run: LoadResult;
  let skipMs: number;
  try {
    const spec = {
      url: service.url,
      headers: await serviceHeaders(),
      body: templated(placeMutationBody),
      verify: graphVerify,
    };
    await runLoad({
      ...spec,
      connections: splitConnections,
      durationSeconds: warmupSeconds,
      nextPoNumber: poNumbers(`ws${Date.now().toString(36)}`),
    });
    skipMs = Date.now() - service.proc.startedAt;
    run = await runLoad({
      ...spec,
      pid: service.proc.pid,
      connections: splitConnections,
      durationSeconds,
      nextPoNumber: poNumbers(`s${Date.now().toString(36)}`),
    });
  } finally {
    await service.stop();
  }
  const file = (await readdir(dir).catch(() => [] as string[])).find((f) => f.endsWith(".cpuprofile"));
  const cpuMs = run.cpuMsPerRequest;
  if (file === undefined || cpuMs === null) return null;
  const summary = await summarizeProfile(join(dir, file), 25, skipMs);
  // The process's CPU time per order (from /proc), shared out by the profile's running samples: on a busy machine
  // wall-clock busy time includes time the thread was descheduled, CPU time does not.
  const msPerOrder = Object.fromEntries(summary.byComponent.map((e) => [e.name, e.share * cpuMs]));
  log(
    `  by component (CPU ms per order, ${cpuMs.toFixed(2)} in all): ${summary.byComponent.map((e) => `${e.name} ${(e.share * cpuMs).toFixed(3)}`).join(", ")}`,
  );
  return {
    profile: join(dir, file),
    pass: `separate profiled pass at ${splitConnections} connections`,
    orders: run.completed,
    cpuMsPerOrder: cpuMs,
    msPerOrder,
  };
}
const plumHeaders = (sim: Simulator) => ({
  "content-type": "application/json",
  authorization: `Bearer ${sim.accessToken}`,
});
const plumVerify = (text: string) => text.includes('"status":1');
const graphVerify = (text: string) => text.includes('"outcome":"PLACED"');

for (const target of ["floor", "floor-undici", "ceiling", "sqlite", "postgres"] as const) {
  if (!has(target)) continue;
  log(`\n${TARGET_LABELS[target]}`);
  // A fresh simulator per target: its order book grows with every placement.
  const sim = await startSimulator();
  const profileDir = profiled.has(target) ? join(profileRoot, target) : undefined;
  /** How long the profiled process ran before measuring began: its start-up, left out of the profile summary. */
  let startupMs = 0;
  try {
    if (target === "floor" || target === "floor-undici") {
      const spec = {
        url: sim.apiUrl,
        headers: plumHeaders(sim),
        body: templated(plumPlaceOrderBody),
        verify: plumVerify,
      };
      const runs = await measure(target, spec, target === "floor" ? runLoad : runUndiciLoad);
      throughput.push({
        target,
        label: TARGET_LABELS[target],
        rssOf: null,
        rssAfterStartBytes: null,
        profiled: false,
        runs,
        durability: null,
        components: null,
      });
    } else if (target === "ceiling") {
      const reference = await startReference(sim, UPSTREAM_CONNECTIONS, profileDir);
      try {
        const rssAfterStartBytes = readMemory(reference.proc.pid)?.rss ?? null;
        startupMs = Date.now() - reference.proc.startedAt;
        const headers = { "content-type": "application/json" };
        const spec = {
          url: reference.url,
          headers,
          body: templated(placeMutationBody),
          verify: graphVerify,
          pid: reference.proc.pid,
        };
        const runs = await measure(target, spec);
        throughput.push({
          target,
          label: TARGET_LABELS[target],
          rssOf: "reference",
          rssAfterStartBytes,
          profiled: profileDir !== undefined,
          runs,
          durability: null,
          components: null,
        });
        await measureReads(target, reference.url, headers, reference.proc.pid);
      } finally {
        await reference.stop();
      }
    } else {
      const service = await startService({
        engine: target,
        sim,
        logLevel,
        ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }),
      });
      try {
        const rssAfterStartBytes = readMemory(service.proc.pid)?.rss ?? null;
        startupMs = Date.now() - service.proc.startedAt;
        const headers = await serviceHeaders();
        const probe = () =>
          target === "sqlite" ? sqliteProbe(service.baseUrl) : postgresProbe(service.baseUrl, service.databaseUrl);
        const spec = {
          url: service.url,
          headers,
          body: templated(placeMutationBody),
          verify: graphVerify,
          pid: service.proc.pid,
          probe: probe(),
        };
        const runs = await measure(target, spec);
        const durability =
          target === "sqlite" ? await sqliteDurability(benchServiceEnv) : await postgresDurability(service.databaseUrl);
        log(`  durability: ${durability}`);
        const result: ThroughputResult = {
          target,
          label: TARGET_LABELS[target],
          rssOf: "service",
          rssAfterStartBytes,
          profiled: profileDir !== undefined,
          runs,
          durability,
          components: null,
        };
        throughput.push(result);
        await measureReads(target, service.url, headers, service.proc.pid, probe);
      } finally {
        await service.stop();
      }
      const split = throughput.find((t) => t.target === target);
      if (cpuSplit.has(target) && split !== undefined) split.components = await componentPass(target, sim);
    }
  } finally {
    await sim.stop();
  }
  if (profileDir !== undefined) await summarizeProfiles(target, profileDir, startupMs);
}

const entities = [];
if (has("entities")) {
  for (const engine of ["sqlite", "postgres"] as const) {
    log(`\n_entities, ${engine} ledger (service in the benchmark process; sequential requests)`);
    entities.push(await runEntities({ engine, logLevel, iterations: entityIterations, log }));
  }
}

let soak = null;
if (has("soak")) {
  const sqlite16 = throughput.find((t) => t.target === "sqlite")?.runs.find((r) => r.connections === soakConnections);
  const estimate =
    sqlite16 === undefined
      ? ""
      : `, about ${Math.round(soakPlacements / sqlite16.rps)} s at the measured ${sqlite16.rps.toFixed(0)} req/s`;
  log(`\nSoak: ${soakPlacements} placements, SQLite ledger, ${soakConnections} connections${estimate}`);
  soak = await runSoak({ placements: soakPlacements, connections: soakConnections, warmupSeconds, logLevel, log });
  log(
    `  soak done in ${soak.seconds.toFixed(0)} s: RSS ${(soak.start.rssBytes / 2 ** 20).toFixed(1)} → ${(soak.middle.rssBytes / 2 ** 20).toFixed(1)} → ` +
      `${(soak.end.rssBytes / 2 ** 20).toFixed(1)} MB (middle → end ${(soak.growthMiddleToEnd * 100).toFixed(1)}%)`,
  );
}

notes.push(
  "Everything runs on this machine over loopback: the simulator, the system under test and the load generator (autocannon, in the benchmark process) are three processes sharing the CPUs.",
  "Each request places a new order (unique poNumber); a response counts only if it is a placed order (`outcome: PLACED`, or Plum `status: 1` for the floor).",
  `Warm-up of ${warmupSeconds} s at each concurrency before each ${durationSeconds} s measurement; latencies are per request, fractional ms, nearest-rank percentiles.`,
  `Service: production settings (JWT HS256 verification, router secret, refreshable Plum credentials, webhook key, introspection and sandbox off, LOG_LEVEL=${logLevel} to a file) under NODE_ENV=development, because production refuses SQLite.`,
  "Peak RSS: highest VmRSS of the system-under-test process sampled every 100 ms during the measured runs.",
);
if (profiled.size > 0)
  notes.push(
    `Profiled processes (${[...profiled].join(", ")}) ran with --cpu-prof, which slows them by a few percent.`,
  );

const results: BenchResults = {
  timestamp,
  command,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    nodeVersion: process.version,
    platform: `${process.platform} ${process.arch}`,
    postgresVersion: await postgresVersion(),
    loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
    cpuBusyBeforeRun,
    cpuBusyAfterRun: await cpuBusyFraction(),
  },
  settings: {
    durationSeconds,
    warmupSeconds,
    connectionLevels,
    soakPlacements,
    soakConnections,
    entityIterations,
    logLevel,
    parts: [...parts],
    profiled: [...profiled],
    cpuSplit: [...cpuSplit],
    readLevels,
    upstreamConnections: UPSTREAM_CONNECTIONS,
  },
  throughput,
  reads,
  entities,
  soak,
  profiles,
  targets: [],
  notes,
};
results.targets = evaluateTargets(results);
// req/s ratios depend on how the 2 cores were shared at that moment; CPU per request hardly does.
for (const engine of ["sqlite", "postgres"] as const) {
  for (const connections of connectionLevels) {
    const service = throughput
      .find((t) => t.target === engine)
      ?.runs.find((r) => r.connections === connections)?.cpuMsPerRequest;
    const reference = throughput
      .find((t) => t.target === "ceiling")
      ?.runs.find((r) => r.connections === connections)?.cpuMsPerRequest;
    if (service == null || reference == null || connections !== Math.max(...connectionLevels)) continue;
    notes.push(
      `CPU per request at ${connections} connections: ${engine} service ${service.toFixed(2)} ms, reference subgraph ${reference.toFixed(2)} ms ` +
        `(the service costs ${(service / reference).toFixed(1)}× the framework's CPU per order; a CPU-bound ratio of ${((reference / service) * 100).toFixed(0)}%).`,
    );
  }
}
const written = await writeResults(outDir, results);
log(`\n${toMarkdown(results)}`);
log(`Results: ${written.json}, ${written.latest}, ${written.markdown}`);

// A full run with the default output is "the latest table": bench/README.md shows it (partial runs do not replace it).
if (ALL_PARTS.every((part) => parts.has(part)) && args.out === "bench/results") {
  const readme = join(REPO_ROOT, "bench", "README.md");
  const marker = "<!-- latest-results -->";
  const text = await readFile(readme, "utf8");
  const at = text.indexOf(marker);
  if (at !== -1) {
    await writeFile(readme, `${text.slice(0, at + marker.length)}\n\n${toMarkdown(results)}`);
    log(`Updated ${readme}`);
  }
}
