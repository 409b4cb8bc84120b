// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package/source area.
// Also runnable on its own: `tsx bench/profile.ts <file.cpuprofile> [top] [skip-first-ms]`.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  /** Samples in the first `skippedMs` (start-up: tsx compiling, schema building) are left out. */
  skippedMs: number;
  totalMs: number;
  /** Time not idle (what the process spent working). */
  busyMs: number;
  topFunctions: ProfileEntry[];
  byArea: ProfileEntry[];
  /** Time including callees, for JavaScript functions outside Node's internals (what a call really costs). */
  topInclusive: ProfileEntry[];
  /** Busy time by the areas of docs/performance-profile.md (see componentOf), stalls left out; shares of their sum. */
  byComponent: ProfileEntry[];
  /**
   * Stretches of the event loop busy without a break of LONG_TASK_MS or more (the spikes a request waits behind),
   * by the component with most of the stretch's time: how many, their total and the longest.
   */
  longTasks: { component: string; count: number; totalMs: number; maxMs: number }[];
}

/** A busy stretch this long delays every request queued behind it by as much. */
export const LONG_TASK_MS = 20;
/**
 * One sample covering this much time means the thread did not run between two ticks of the 1 ms sampler: it
 * was descheduled (a busy machine) or waiting in the kernel (an fsync inside a SQLite COMMIT). Counted apart,
 * as "stalled in <component>", so a spike of code is not confused with one of the machine.
 */
export const STALL_MS = 10;

export const COMPONENTS = [
  "ledger",
  "Node HTTP",
  "JWT",
  "Apollo",
  "graphql",
  "undici",
  "class-validator",
  "logging",
  "GC",
  "other",
] as const;
export type Component = (typeof COMPONENTS)[number];

/** The component a JavaScript frame of a package or of src/ belongs to (null: Node internals, natives, V8). */
export function componentOf(frame: CallFrame): Component | null {
  const url = frame.url;
  if (url === "" || url.startsWith("node:")) return null;
  const area = areaOf(frame);
  if (area.startsWith("src/storage") || area === "pg" || area.startsWith("pg-")) return "ledger";
  if (area === "jose" || area === "src/auth") return "JWT";
  if (area.startsWith("@apollo/")) return "Apollo";
  if (
    area === "graphql" ||
    area === "type-graphql" ||
    area === "graphql-query-complexity" ||
    area === "graphql-depth-limit"
  )
    return "graphql";
  if (area === "undici") return "undici";
  if (
    area === "class-validator" ||
    area === "validator" ||
    area === "libphonenumber-js" ||
    url.endsWith("/src/graph/validation.ts")
  )
    return "class-validator";
  if (
    area.startsWith("pino") ||
    area === "sonic-boom" ||
    area === "fast-redact" ||
    area === "thread-stream" ||
    url.endsWith("/src/server/logger.ts")
  )
    return "logging";
  if (/\/src\/server\/(httpServer|readBody|respond|graphqlHandler)\.ts$/.test(url)) return "Node HTTP";
  return "other";
}

/** Node's own frames with no package frame above them: the HTTP server, sockets and streams; V8's GC bucket. */
function internalComponent(frame: CallFrame): Component | null {
  if (frame.functionName === "(garbage collector)") return "GC";
  const url = frame.url;
  if (
    /^node:(internal\/)?(_?http|net|stream|internal\/streams|tls|dns|timers|internal\/http)/.test(url) ||
    url.startsWith("node:_http")
  )
    return "Node HTTP";
  if (url === "node:sqlite") return "ledger";
  return null;
}

/** Where a function lives: a package, a src/ area, a Node internal, or V8's own buckets. */
function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === "") {
    if (frame.functionName.startsWith("(")) return frame.functionName; // (garbage collector), (idle), (program)
    return "(native)";
  }
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const src = url.indexOf("/src/");
  if (src !== -1)
    return `src/${
      url
        .slice(src + 5)
        .split("/")
        .slice(0, -1)
        .join("/") || "."
    }`;
  const bench = url.indexOf("/bench/");
  if (bench !== -1) return "bench";
  return url;
}

function label(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  if (frame.url === "") return name;
  const url = frame.url.replace(/^file:\/\//, "");
  const modules = url.lastIndexOf("/node_modules/");
  const short =
    modules !== -1 ? url.slice(modules + 14) : url.includes("/src/") ? url.slice(url.indexOf("/src/") + 1) : url;
  return `${name} ${short}:${frame.lineNumber + 1}`;
}

export async function summarizeProfile(file: string, top = 25, skipFirstMs = 0): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  // The innermost package or src/ frame of each sample decides its component (a native SQLite call under
  // src/storage is the ledger's, a stream write under pino is logging); otherwise the innermost Node internal.
  const componentUs = new Map<Component, number>();
  const componentMemo = new Map<number, Component>();
  const componentOfNode = (leaf: number): Component => {
    const memo = componentMemo.get(leaf);
    if (memo !== undefined) return memo;
    let internal: Component | null = null;
    let found: Component | null = null;
    for (let cursor: number | undefined = leaf; cursor !== undefined && found === null; cursor = parent.get(cursor)) {
      const frame = byId.get(cursor)?.callFrame;
      if (frame === undefined) continue;
      found = componentOf(frame);
      internal ??= internalComponent(frame);
    }
    const component = found ?? internal ?? "other";
    componentMemo.set(leaf, component);
    return component;
  };
  const inclusiveUs = new Map<string, number>();
  let at = profile.startTime;
  const from = profile.startTime + skipFirstMs * 1000;
  const longTasks = new Map<string, { count: number; totalMs: number; maxMs: number }>();
  let stretchUs = 0;
  let stretch = new Map<Component, number>();
  const endStretch = () => {
    if (stretchUs >= LONG_TASK_MS * 1000) {
      const main = [...stretch.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "other";
      const entry = longTasks.get(main) ?? { count: 0, totalMs: 0, maxMs: 0 };
      entry.count += 1;
      entry.totalMs += stretchUs / 1000;
      entry.maxMs = Math.max(entry.maxMs, stretchUs / 1000);
      longTasks.set(main, entry);
    }
    stretchUs = 0;
    stretch = new Map();
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (id === undefined || at < from) continue;
    // timeDeltas[i] is the gap before sample i; attributing it to sample i is V8's own convention.
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    if (byId.get(id)?.callFrame.functionName === "(idle)") {
      endStretch();
      continue;
    }
    const component = componentOfNode(id);
    if (delta >= STALL_MS * 1000) {
      const key = `stalled in ${component}`;
      const entry = longTasks.get(key) ?? { count: 0, totalMs: 0, maxMs: 0 };
      entry.count += 1;
      entry.totalMs += delta / 1000;
      entry.maxMs = Math.max(entry.maxMs, delta / 1000);
      longTasks.set(key, entry);
      continue;
    }
    // Stalls are left out of the components: the thread was not running, so they are not its CPU.
    componentUs.set(component, (componentUs.get(component) ?? 0) + delta);
    stretchUs += delta;
    stretch.set(component, (stretch.get(component) ?? 0) + delta);
    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const frame = byId.get(cursor)?.callFrame;
      if (frame === undefined || frame.url === "" || frame.url.startsWith("node:")) continue;
      const name = label(frame);
      if (seen.has(name)) continue; // recursion: count each sample once per function
      seen.add(name);
      inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + delta);
    }
  }
  endStretch();
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    total += us;
    if (node.callFrame.functionName === "(idle)") idle += us;
    const fn = label(node.callFrame);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const area = areaOf(node.callFrame);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const busy = total - idle;
  const entries = (map: Map<string, number>) =>
    [...map.entries()]
      .filter(([name]) => name !== "(idle)" && !name.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, share: busy === 0 ? 0 : us / busy }));
  return {
    file,
    skippedMs: skipFirstMs,
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    topFunctions: entries(byFunction),
    byArea: entries(byArea),
    topInclusive: entries(inclusiveUs),
    byComponent: COMPONENTS.map((name) => {
      const us = componentUs.get(name) ?? 0;
      const running = [...componentUs.values()].reduce((a, b) => a + b, 0);
      return { name, ms: Math.round(us / 100) / 10, share: running === 0 ? 0 : us / running };
    }),
    longTasks: [...longTasks.entries()]
      .map(([component, e]) => ({
        component,
        count: e.count,
        totalMs: Math.round(e.totalMs),
        maxMs: Math.round(e.maxMs * 10) / 10,
      }))
      .sort((a, b) => b.totalMs - a.totalMs),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(6);
  return [
    `profile ${summary.file}: ${summary.busyMs} ms busy of ${summary.totalMs} ms sampled (first ${summary.skippedMs} ms, start-up, left out)`,
    "  busy time by component (innermost package or src/ frame of each sample):",
    ...summary.byComponent.map((e) => `    ${pct(e.share)}  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}`),
    `  busy stretches of ${LONG_TASK_MS} ms or more by their main component, and single samples of ${STALL_MS} ms or more ("stalled"):`,
    ...(summary.longTasks.length === 0
      ? ["    none"]
      : summary.longTasks.map((t) => `    ${t.component}: ${t.count}, ${t.totalMs} ms in all, longest ${t.maxMs} ms`)),
    "  self time by area (share of busy time):",
    ...summary.byArea.map((e) => `    ${pct(e.share)}  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}`),
    "  top functions by self time:",
    ...summary.topFunctions.map((e) => `    ${pct(e.share)}  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}`),
    "  top JavaScript functions including callees:",
    ...summary.topInclusive.map((e) => `    ${pct(e.share)}  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}`),
  ].join("\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error("usage: tsx bench/profile.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  console.log(
    formatProfile(await summarizeProfile(file, Number(process.argv[3] ?? "25"), Number(process.argv[4] ?? "0"))),
  );
}
