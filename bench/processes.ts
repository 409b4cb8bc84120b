// Child processes of the benchmark: the Plum simulator, the system under test and the reference subgraph each get
// their own process, so on a 2-core machine none of them shares an event loop with the load generator.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { openSync, closeSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { request } from "undici";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Date.now() at spawn (profiles: samples before the service was ready are start-up). */
  readonly startedAt: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** Only these variables (plus PATH/HOME/TMPDIR): the bench's own environment must not leak into a service. */
  env: Record<string, string>;
  /** Write a V8 CPU profile into this directory on exit. */
  cpuProfileDir?: string;
  /** Where the child's stdout goes: a file path (logs), "pipe" (we read it) or "ignore". */
  stdout: string | "pipe" | "ignore";
}

/** Starts `node --import tsx <script>` with the same Node binary as the benchmark (npm puts Node 24 first). */
export function spawnNode(script: string, options: SpawnOptions): NodeProcess {
  const args = [
    ...(options.cpuProfileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir]),
    "--import",
    "tsx",
    script,
  ];
  const base: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  let fd: number | null = null;
  let stdout: "pipe" | "ignore" | number;
  if (options.stdout === "pipe" || options.stdout === "ignore") stdout = options.stdout;
  else {
    fd = openSync(options.stdout, "a");
    stdout = fd;
  }
  const startedAt = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...base, ...options.env },
    stdio: ["ignore", stdout, "pipe"],
  });
  if (fd !== null) closeSync(fd);
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.once("exit", (code, signal) => {
    if (code !== 0 && code !== null && signal === null) {
      process.stderr.write(`[bench] ${script} exited with code ${code}\n${stderr}\n`);
    }
  });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pid = child.pid;
  return {
    child,
    pid,
    startedAt,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killed = sleep(graceMs).then(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      });
      await Promise.race([exited, killed]);
      await exited;
    },
  };
}

/** The first line the child prints on stdout, parsed as JSON (the simulator and the reference print their URL). */
export async function firstJsonLine(proc: NodeProcess, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const stdout = proc.child.stdout;
  if (stdout === null) throw new Error("stdout is not piped");
  const lines = createInterface({ input: stdout });
  const timer = setTimeout(() => lines.close(), timeoutMs);
  try {
    for await (const line of lines) {
      if (line.trim().startsWith("{")) return JSON.parse(line) as Record<string, unknown>;
    }
  } finally {
    clearTimeout(timer);
    // Keep draining: a full pipe would block the child on its next write.
    stdout.on("data", () => undefined);
    stdout.resume();
  }
  throw new Error("the child process printed no JSON line");
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Polls `url` until it answers 200 (the service is listening and its ledger is migrated). */
export async function waitForHttpOk(url: string, proc: NodeProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`process ${proc.pid} exited before ${url} answered`);
    try {
      const response = await request(url);
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

export interface MemoryStatus {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size since the process started (VmHWM), bytes. */
  hwm: number;
}

export function readMemory(pid: number): MemoryStatus | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? "0") * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (10 ms resolution). */
export function readCpuMs(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Fields after the parenthesised command name (which may contain spaces): utime is the 12th, stime the 13th.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  // USER_HZ is 100 on Linux (the kernel's ABI value, whatever CONFIG_HZ is).
  return Number.isFinite(ticks) ? ticks * 10 : null;
}

/** Samples a process's RSS while a measurement runs; the peak is the process's, not the machine's. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  peak = 0;
  last = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 100,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): number {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peak;
  }

  private sample(): void {
    const memory = readMemory(this.pid);
    if (memory === null) return;
    this.last = memory.rss;
    if (memory.rss > this.peak) this.peak = memory.rss;
  }
}

/** Busy fraction of all CPUs over `ms` (from /proc/stat), to say whether the machine was busy before a run. */
export async function cpuBusyFraction(ms = 2_000): Promise<number | null> {
  const read = (): { idle: number; total: number } | null => {
    try {
      const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
      const values = line.trim().split(/\s+/).slice(1).map(Number);
      const idle = (values[3] ?? 0) + (values[4] ?? 0);
      return { idle, total: values.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const before = read();
  await sleep(ms);
  const after = read();
  if (before === null || after === null || after.total === before.total) return null;
  return 1 - (after.idle - before.idle) / (after.total - before.total);
}
