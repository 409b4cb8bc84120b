// Closed-loop load with autocannon: N connections, each sends the next request as soon as the previous answer
// arrives. Every request carries a fresh poNumber (setupRequest), so each one is a real new placement.
// Latencies come from autocannon's per-response event (fractional ms), not its histogram, which rounds to whole
// milliseconds: too coarse for a sub-millisecond floor and a 3 ms budget.
import autocannon from "autocannon";
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import { readCpuMs, RssSampler } from "./processes.js";
import type { RunProbe, ServiceRunStats } from "./serviceProbe.js";

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** The request body for one poNumber (cheap: called once per request in the load generator). */
  body: (poNumber: string) => string;
  nextPoNumber: () => string;
  /** True when the response is a success of the kind expected (a placed order), not just HTTP 200. */
  verify: (body: string) => boolean;
  connections: number;
  durationSeconds?: number;
  /** Stop after this many requests instead of after a duration. */
  amount?: number;
  /** RSS of this process is sampled during the run. */
  pid?: number;
  /** Called every second with the number of requests completed so far (progress, soak samples). */
  onSecond?: (completed: number) => void;
  /** Reads the service's own counters just before and after the measured run. */
  probe?: RunProbe;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  /** Verified successes. */
  completed: number;
  /** Verified successes per second. */
  rps: number;
  latencyMs: LatencySummary;
  /** Anything not a verified success: transport errors, timeouts, non-2xx, wrong bodies. */
  failures: { errors: number; timeouts: number; non2xx: number; mismatches: number };
  peakRssBytes: number | null;
  /**
   * CPU time the system under test spent per verified request (user + system). Unlike req/s this hardly depends on
   * what else runs on the machine, so it is the figure to compare when the machine was busy.
   */
  cpuMsPerRequest: number | null;
  /** p99 of the first and of the last 10% of the requests, in completion order (a slow-down over the run). */
  p99FirstTenthMs: number;
  p99LastTenthMs: number;
  /** Commits, fsyncs and event-loop delay of the service during the run (null: no probe). */
  service: ServiceRunStats | null;
}

function tenths(values: Float64Array): { p99FirstTenthMs: number; p99LastTenthMs: number } {
  const tenth = Math.max(1, Math.floor(values.length / 10));
  return {
    p99FirstTenthMs: summarize(values.subarray(0, tenth)).p99,
    p99LastTenthMs: summarize(values.subarray(values.length - tenth)).p99,
  };
}

/** Nearest-rank percentiles over all samples (sorted copy). */
export function summarize(samples: Float64Array | number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] ?? Number.NaN;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1] ?? Number.NaN, mean: sum / n };
}

/** A growable Float64Array: a few hundred thousand samples without boxing each number. */
export class Samples {
  private buffer = new Float64Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  values(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const latencies = new Samples();
  await spec.probe?.before();
  const sampler = spec.pid === undefined ? null : new RssSampler(spec.pid).start();
  const cpuBefore = spec.pid === undefined ? null : readCpuMs(spec.pid);
  const instance = autocannon({
    url: url.origin,
    connections: spec.connections,
    pipelining: 1,
    timeout: 30,
    ...(spec.amount === undefined ? { duration: spec.durationSeconds ?? 10 } : { amount: spec.amount }),
    requests: [
      {
        method: "POST",
        path: `${url.pathname}${url.search}`,
        headers: spec.headers,
        setupRequest: (request) => ({ ...request, body: spec.body(spec.nextPoNumber()) }),
      },
    ],
    verifyBody: spec.verify,
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
  });
  let completed = 0;
  instance.on("tick", (tick: { counter: number }) => {
    completed += tick.counter;
    spec.onSecond?.(completed);
  });
  const result = await instance;
  const peak = sampler?.stop() ?? null;
  const cpuAfter = spec.pid === undefined ? null : readCpuMs(spec.pid);
  const verified = result["2xx"] - result.mismatches;
  const service = spec.probe === undefined ? null : await spec.probe.after(verified, result.duration);
  return {
    connections: spec.connections,
    durationSeconds: result.duration,
    completed: verified,
    rps: verified / result.duration,
    latencyMs: summarize(latencies.values()),
    failures: {
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      mismatches: result.mismatches,
    },
    peakRssBytes: peak,
    cpuMsPerRequest:
      cpuBefore === null || cpuAfter === null || verified === 0 ? null : (cpuAfter - cpuBefore) / verified,
    ...tenths(latencies.values()),
    service,
  };
}

/**
 * The same closed loop with undici's Pool (what the service itself uses toward Plum): the floor as the service
 * sees it. Runs in the benchmark process, like autocannon.
 */
export async function runUndiciLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const pool = new Pool(url.origin, { connections: spec.connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const latencies = new Samples();
  const failures = { errors: 0, timeouts: 0, non2xx: 0, mismatches: 0 };
  const sampler = spec.pid === undefined ? null : new RssSampler(spec.pid).start();
  const started = performance.now();
  const deadline = started + (spec.durationSeconds ?? 10) * 1000;
  let completed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const body = spec.body(spec.nextPoNumber());
      const t0 = performance.now();
      try {
        const response = await pool.request({
          path: `${url.pathname}${url.search}`,
          method: "POST",
          headers: spec.headers,
          body,
        });
        const text = await response.body.text();
        const elapsed = performance.now() - t0;
        if (response.statusCode < 200 || response.statusCode >= 300) failures.non2xx += 1;
        else if (!spec.verify(text)) failures.mismatches += 1;
        else {
          latencies.push(elapsed);
          completed += 1;
        }
      } catch {
        failures.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return {
    connections: spec.connections,
    durationSeconds: seconds,
    completed,
    rps: completed / seconds,
    latencyMs: summarize(latencies.values()),
    failures,
    peakRssBytes: sampler?.stop() ?? null,
    // The floor has no system under test of its own: the simulator is shared by every row.
    cpuMsPerRequest: null,
    ...tenths(latencies.values()),
    service: null,
  };
}
