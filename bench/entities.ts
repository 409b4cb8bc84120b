// `_entities` cost: latency for 1, 10 and 100 Order representations (ledger hits, misses, a mix), and how many
// ledger calls and upstream calls each request makes.
//
// The service runs in the benchmark process here (startApp), unlike the throughput runs: counting ledger calls
// without touching src/ needs the ledger object, and the RunningApp hands it out by reference, so its methods are
// wrapped in place. Requests are sequential (one at a time), so the client sharing the event loop adds only its
// own send/receive work (tens of µs) to each latency. Upstream calls are counted by the simulator (its own process).
import "reflect-metadata";
import { performance } from "node:perf_hooks";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Pool } from "undici";
import { loadConfig } from "../src/config/config.js";
import { startApp } from "../src/server/app.js";
import type { Ledger } from "../src/storage/ledger.js";
import { summarize, type LatencySummary } from "./load.js";
import { createBenchDatabase } from "./postgres.js";
import { placeMutationBody, serviceEnv, serviceHeaders } from "./requests.js";
import { startSimulator, type Engine } from "./systems.js";

const LEDGER_METHODS = [
  "ping",
  "claim",
  "acquireLease",
  "update",
  "appendAttempt",
  "listAttempts",
  "findByPlumPoNumber",
  "findByOrderIds",
  "remember",
  "duePending",
  "countPending",
  "recordWebhookEvent",
  "getTokens",
  "withTokenLock",
] as const satisfies readonly (keyof Ledger)[];
type LedgerMethod = (typeof LEDGER_METHODS)[number];
/** Calls the service makes on its own timers (reconciler, token manager, readiness/metrics), not per request. */
const BACKGROUND_METHODS: ReadonlySet<string> = new Set<LedgerMethod>([
  "duePending",
  "countPending",
  "getTokens",
  "withTokenLock",
  "ping",
]);

/** Wraps the ledger's methods in place so every call made through the shared object is counted. */
function countLedgerCalls(ledger: Ledger): { counts: Map<LedgerMethod, number>; reset(): void } {
  const counts = new Map<LedgerMethod, number>();
  const target = ledger as unknown as Record<LedgerMethod, (...args: unknown[]) => unknown>;
  for (const name of LEDGER_METHODS) {
    const original = target[name].bind(ledger);
    target[name] = (...args: unknown[]) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return original(...args);
    };
  }
  return { counts, reset: () => counts.clear() };
}

export const ENTITIES_QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Order {
      orderId poNumber kind orderTotal currencyCode amountCharged orderStatus deliveryStatus quantity placedAt updatedAt
      voucherDetails { productId productName denomination productStatus }
    }
  }
}`;

export interface EntityCase {
  engine: Engine;
  name: string;
  representations: number;
  hits: number;
  misses: number;
  iterations: number;
  latencyMs: LatencySummary;
  /** Ledger calls per request, by method (average over the iterations), without background calls. */
  ledgerCallsPerRequest: Record<string, number>;
  ledgerCallsTotalPerRequest: number;
  /** Calls from the service's timers that happened to fall inside the measured window (not caused by requests). */
  backgroundLedgerCalls: Record<string, number>;
  /** Read queries only: findByOrderIds + findByPoNumber (what "one ledger query" is about). */
  ledgerReadQueriesPerRequest: number;
  upstreamCallsPerRequest: Record<string, number>;
  upstreamCallsTotalPerRequest: number;
  /** Requests whose answer did not have exactly `hits` orders and `misses` nulls, or had errors. */
  wrongAnswers: number;
}

export interface EntitiesResult {
  engine: Engine;
  /** Ledger calls per placement while seeding (what one order costs the ledger). */
  ledgerCallsPerPlacement: Record<string, number>;
  cases: EntityCase[];
}

interface EntitiesResponse {
  data?: { _entities: ({ orderId: string } | null)[] } | null;
  errors?: unknown[];
}

function perRequest(counts: Map<string, number> | Record<string, number>, iterations: number): Record<string, number> {
  const entries = counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
  return Object.fromEntries(
    entries.filter(([, n]) => n > 0).map(([k, n]) => [k, Math.round((n / iterations) * 100) / 100]),
  );
}

function sum(record: Record<string, number>): number {
  return Math.round(Object.values(record).reduce((a, b) => a + b, 0) * 100) / 100;
}

export async function runEntities(options: {
  engine: Engine;
  logLevel: string;
  iterations: number;
  log: (line: string) => void;
}): Promise<EntitiesResult> {
  const sim = await startSimulator();
  const work = await mkdtemp(join(tmpdir(), "orders-bench-entities-"));
  const database = options.engine === "postgres" ? await createBenchDatabase() : null;
  const databaseUrl = database?.url ?? `sqlite:${join(work, "orders.sqlite")}`;
  const config = loadConfig(serviceEnv({ port: 0, apiUrl: sim.apiUrl, databaseUrl, logLevel: options.logLevel }));
  // Logs are discarded: the read path logs nothing at info, and the throughput runs measure logging.
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await startApp(config, { logStream: sink });
  const counter = countLedgerCalls(app.ledger);
  const headers = await serviceHeaders();
  const pool = new Pool(new URL(app.url).origin, { connections: 1, pipelining: 1 });
  const path = new URL(app.url).pathname;
  const post = async (body: string): Promise<{ ms: number; text: string }> => {
    const t0 = performance.now();
    const response = await pool.request({ path, method: "POST", headers, body });
    const text = await response.body.text();
    return { ms: performance.now() - t0, text };
  };

  try {
    // Seed 100 orders through the mutation: they are the ledger hits.
    const seeded: string[] = [];
    const runId = `ent${Date.now().toString(36)}`;
    counter.reset();
    for (let i = 0; i < 100; i++) {
      const { text } = await post(placeMutationBody(`${runId}-${i}`));
      const parsed = JSON.parse(text) as {
        data?: { placeAirmilesOrder?: { outcome: string; order: { orderId: string } | null } };
      };
      const payload = parsed.data?.placeAirmilesOrder;
      if (payload?.outcome !== "PLACED" || payload.order === null)
        throw new Error(`seeding failed: ${text.slice(0, 300)}`);
      seeded.push(payload.order.orderId);
    }
    const ledgerCallsPerPlacement = perRequest(counter.counts, 100);

    const missIds = Array.from({ length: 100 }, (_, i) => String(1_900_000_000 + i));
    const plan: { name: string; hits: number; misses: number }[] = [
      { name: "1 hit", hits: 1, misses: 0 },
      { name: "10 hits", hits: 10, misses: 0 },
      { name: "100 hits", hits: 100, misses: 0 },
      { name: "1 miss", hits: 0, misses: 1 },
      { name: "10 misses", hits: 0, misses: 10 },
      { name: "100 misses", hits: 0, misses: 100 },
      { name: "50 hits + 50 misses", hits: 50, misses: 50 },
    ];
    const cases: EntityCase[] = [];
    for (const step of plan) {
      const ids = [...seeded.slice(0, step.hits), ...missIds.slice(0, step.misses)];
      const body = JSON.stringify({
        query: ENTITIES_QUERY,
        variables: { representations: ids.map((orderId) => ({ __typename: "Order", orderId })) },
      });
      // Misses cost Plum calls: fewer iterations keep the big miss cases short.
      const iterations = step.misses >= 50 ? Math.max(10, Math.floor(options.iterations / 4)) : options.iterations;
      for (let i = 0; i < 5; i++) await post(body); // warm-up: JIT and caches, not measured
      const simBefore = await sim.counts();
      counter.reset();
      const latencies: number[] = [];
      let wrong = 0;
      for (let i = 0; i < iterations; i++) {
        const { ms, text } = await post(body);
        latencies.push(ms);
        const parsed = JSON.parse(text) as EntitiesResponse;
        const entities = parsed.data?._entities ?? [];
        const found = entities.filter((e) => e !== null).length;
        if (parsed.errors !== undefined || entities.length !== ids.length || found !== step.hits) wrong += 1;
      }
      const byRequest = new Map([...counter.counts].filter(([method]) => !BACKGROUND_METHODS.has(method)));
      const background = Object.fromEntries([...counter.counts].filter(([method]) => BACKGROUND_METHODS.has(method)));
      const ledgerCalls = perRequest(byRequest, iterations);
      const simAfter = await sim.counts();
      const upstream: Record<string, number> = {};
      for (const [operation, after] of Object.entries(simAfter))
        upstream[operation] = after - (simBefore[operation] ?? 0);
      const upstreamPerRequest = perRequest(upstream, iterations);
      const entityCase: EntityCase = {
        engine: options.engine,
        name: step.name,
        representations: ids.length,
        hits: step.hits,
        misses: step.misses,
        iterations,
        latencyMs: summarize(latencies),
        ledgerCallsPerRequest: ledgerCalls,
        ledgerCallsTotalPerRequest: sum(ledgerCalls),
        backgroundLedgerCalls: background,
        ledgerReadQueriesPerRequest: sum(
          perRequest(
            Object.fromEntries(
              ["findByOrderIds", "findByPlumPoNumber"].map((m) => [m, counter.counts.get(m as LedgerMethod) ?? 0]),
            ),
            iterations,
          ),
        ),
        upstreamCallsPerRequest: upstreamPerRequest,
        upstreamCallsTotalPerRequest: sum(upstreamPerRequest),
        wrongAnswers: wrong,
      };
      cases.push(entityCase);
      options.log(
        `  ${options.engine} _entities ${step.name}: p50 ${entityCase.latencyMs.p50.toFixed(2)} ms, p99 ${entityCase.latencyMs.p99.toFixed(2)} ms, ` +
          `ledger ${JSON.stringify(ledgerCalls)}, upstream ${JSON.stringify(upstreamPerRequest)}${wrong > 0 ? `, ${wrong} WRONG` : ""}`,
      );
    }
    return { engine: options.engine, ledgerCallsPerPlacement, cases };
  } finally {
    await pool.close();
    await app.close();
    await sim.stop();
    await database?.drop();
    await rm(work, { recursive: true, force: true });
  }
}
