// Soak: N placements (each a new order) into one service process with the SQLite ledger, RSS sampled throughout.
// Growth between the middle and the end is the leak signal; start→middle includes warm-up of caches, the
// SQLite page cache and V8's heap sizing, so it is reported but not judged.
import { performance } from "node:perf_hooks";
import { readMemory } from "./processes.js";
import { runLoad, type LoadResult } from "./load.js";
import { placeMutationBody, poNumbers, serviceHeaders, templated } from "./requests.js";
import { scrapeMemory, startService, startSimulator } from "./systems.js";

export interface SoakSample {
  /** Placements completed so far. */
  completed: number;
  seconds: number;
  rssBytes: number;
  heapUsedBytes: number | null;
  heapTotalBytes: number | null;
  externalBytes: number | null;
}

export interface SoakResult {
  placements: number;
  connections: number;
  seconds: number;
  load: LoadResult;
  rssAfterBootBytes: number;
  start: SoakSample;
  middle: SoakSample;
  end: SoakSample;
  /** (end - middle) / middle. */
  growthMiddleToEnd: number;
  growthStartToEnd: number;
  samples: SoakSample[];
}

export async function runSoak(options: {
  placements: number;
  connections: number;
  warmupSeconds: number;
  logLevel: string;
  log: (line: string) => void;
}): Promise<SoakResult> {
  const sim = await startSimulator();
  const service = await startService({ engine: "sqlite", sim, logLevel: options.logLevel });
  try {
    const pid = service.proc.pid;
    const headers = await serviceHeaders();
    const body = templated(placeMutationBody);
    const verify = (text: string) => text.includes('"outcome":"PLACED"');
    const rssAfterBootBytes = readMemory(pid)?.rss ?? 0;
    await runLoad({
      url: service.url,
      headers,
      body,
      verify,
      nextPoNumber: poNumbers(`soakw${Date.now().toString(36)}`),
      connections: options.connections,
      durationSeconds: options.warmupSeconds,
    });

    const samples: SoakSample[] = [];
    const started = performance.now();
    const sample = async (completed: number): Promise<SoakSample> => {
      const entry: SoakSample = {
        completed,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        rssBytes: readMemory(pid)?.rss ?? 0,
        ...(await scrapeMemory(service.baseUrl)),
      };
      samples.push(entry);
      return entry;
    };
    const start = await sample(0);
    let middle: SoakSample | null = null;
    let lastSampleAt = 0;
    let lastLogAt = performance.now();
    const pending: Promise<unknown>[] = [];
    const load = await runLoad({
      url: service.url,
      headers,
      body,
      verify,
      nextPoNumber: poNumbers(`soak${Date.now().toString(36)}`),
      connections: options.connections,
      amount: options.placements,
      pid,
      onSecond: (completed) => {
        const now = performance.now();
        if (middle === null && completed >= options.placements / 2) {
          pending.push(sample(completed).then((s) => (middle = s)));
        } else if (now - lastSampleAt >= 5_000) {
          lastSampleAt = now;
          pending.push(sample(completed));
        }
        if (now - lastLogAt >= 15_000) {
          lastLogAt = now;
          const rss = readMemory(pid)?.rss ?? 0;
          const rate = completed / ((now - started) / 1000);
          const eta = (options.placements - completed) / Math.max(rate, 1);
          options.log(
            `  soak ${completed}/${options.placements} placements, ${rate.toFixed(0)}/s, RSS ${(rss / 2 ** 20).toFixed(1)} MB, ~${eta.toFixed(0)} s left`,
          );
        }
      },
    });
    await Promise.all(pending);
    const end = await sample(load.completed);
    const mid = middle ?? start;
    return {
      placements: options.placements,
      connections: options.connections,
      seconds: (performance.now() - started) / 1000,
      load,
      rssAfterBootBytes,
      start,
      middle: mid,
      end,
      growthMiddleToEnd: (end.rssBytes - mid.rssBytes) / mid.rssBytes,
      growthStartToEnd: (end.rssBytes - start.rssBytes) / start.rssBytes,
      samples: samples.sort((a, b) => a.completed - b.completed),
    };
  } finally {
    await service.stop();
    await sim.stop();
  }
}
