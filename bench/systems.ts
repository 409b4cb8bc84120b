// Starting and stopping what is measured: a fresh simulator per scenario (its order book grows with every
// placement, so no scenario inherits another's memory), the real service on either ledger, the reference subgraph.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { createBenchDatabase } from "./postgres.js";
import { firstJsonLine, freePort, spawnNode, waitForHttpOk, type NodeProcess } from "./processes.js";
import { serviceEnv, SIM_ACCESS_TOKEN, simulatorEnv } from "./requests.js";

export type Engine = "sqlite" | "postgres";

export interface Simulator {
  proc: NodeProcess;
  apiUrl: string;
  baseUrl: string;
  accessToken: string;
  /** Calls received per operation (the simulator counts even with recording off). */
  counts(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startSimulator(): Promise<Simulator> {
  const proc = spawnNode("src/simulator/main.ts", { env: simulatorEnv(), stdout: "pipe" });
  const line = await firstJsonLine(proc);
  const apiUrl = String(line["apiUrl"]);
  const baseUrl = String(line["baseUrl"]);
  return {
    proc,
    apiUrl,
    baseUrl,
    accessToken: SIM_ACCESS_TOKEN,
    async counts() {
      const response = await request(`${baseUrl}/__simulator/state`);
      const state = (await response.body.json()) as { counts: Record<string, number> };
      return state.counts;
    },
    stop: () => proc.stop(),
  };
}

export interface Service {
  proc: NodeProcess;
  url: string;
  baseUrl: string;
  engine: Engine;
  databaseUrl: string;
  /** Stops the process, then drops its database / deletes its files. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  engine: Engine;
  sim: Simulator;
  logLevel: string;
  cpuProfileDir?: string;
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const work = await mkdtemp(join(tmpdir(), "orders-bench-"));
  const database = options.engine === "postgres" ? await createBenchDatabase() : null;
  const databaseUrl = database?.url ?? `sqlite:${join(work, "orders.sqlite")}`;
  const port = await freePort();
  const proc = spawnNode("src/index.ts", {
    env: serviceEnv({ port, apiUrl: options.sim.apiUrl, databaseUrl, logLevel: options.logLevel }),
    // Logs go to a file, as a container runtime would take them: the per-order log line is part of the cost.
    stdout: join(work, "service.log"),
    ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(`${baseUrl}/ready`, proc);
  } catch (error) {
    await proc.stop();
    await database?.drop();
    throw error;
  }
  return {
    proc,
    url: `${baseUrl}/graphql`,
    baseUrl,
    engine: options.engine,
    databaseUrl,
    async stop() {
      await proc.stop();
      await database?.drop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

export interface Reference {
  proc: NodeProcess;
  url: string;
  stop(): Promise<void>;
}

export async function startReference(
  sim: Simulator,
  maxConnections: number,
  cpuProfileDir?: string,
): Promise<Reference> {
  const port = await freePort();
  const proc = spawnNode("bench/referenceSubgraphMain.ts", {
    env: {
      // The same NODE_ENV as the service (which cannot run SQLite under production): graphql-js picks its
      // instanceOf implementation by NODE_ENV, so both sides of the ratio must agree.
      NODE_ENV: "development",
      PORT: String(port),
      PLUM_API_URL: sim.apiUrl,
      PLUM_ACCESS_TOKEN: sim.accessToken,
      PLUM_MAX_CONNECTIONS: String(maxConnections),
    },
    stdout: "pipe",
    ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
  });
  const line = await firstJsonLine(proc);
  return { proc, url: String(line["url"]), stop: () => proc.stop() };
}

export interface ServiceMemory {
  heapUsedBytes: number | null;
  heapTotalBytes: number | null;
  externalBytes: number | null;
}

/** The service's own view of its memory, from its /metrics (prom-client's default nodejs_* gauges). */
export async function scrapeMemory(baseUrl: string): Promise<ServiceMemory> {
  const none: ServiceMemory = { heapUsedBytes: null, heapTotalBytes: null, externalBytes: null };
  try {
    const response = await request(`${baseUrl}/metrics`);
    const text = await response.body.text();
    const gauge = (name: string): number | null => {
      const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
      return match?.[1] === undefined ? null : Number(match[1]);
    };
    return {
      heapUsedBytes: gauge("nodejs_heap_size_used_bytes"),
      heapTotalBytes: gauge("nodejs_heap_size_total_bytes"),
      externalBytes: gauge("nodejs_external_memory_bytes"),
    };
  } catch {
    return none;
  }
}
