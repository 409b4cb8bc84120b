// Runs the real service entry point (src/index.ts) as a child process, the way it runs in production, so tests can
// put several replicas on one database or kill one mid-request. Every started child is tracked and stopped by
// stopAllServices(), which test files call in afterAll/afterEach so nothing outlives a failed test.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  /** The GraphQL endpoint the child reported. */
  url: string;
  /** Every stdout/stderr line so far (JSON log lines from the service). */
  lines: string[];
  /** Resolves with the exit code (or the signal's name) once the child has exited. */
  exited: Promise<number | string>;
  /** SIGTERM (graceful), escalating to SIGKILL if the child does not exit in time. */
  stop(): Promise<number | string>;
  /** SIGKILL: the process dies on the spot, whatever it was doing. */
  kill(): Promise<number | string>;
}

const running = new Set<ServiceProcess>();

/**
 * Starts `node --import tsx src/index.ts` with exactly `env` (plus PATH/HOME so node and tsx work), waits for the
 * "listening" log line and returns the child. PORT defaults to 0.
 */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "/tmp",
      ...(process.env["TMPDIR"] ? { TMPDIR: process.env["TMPDIR"] } : {}),
      NODE_ENV: "test",
      PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error("the service process did not start");
  const pid = child.pid;
  const lines: string[] = [];
  const exited = new Promise<number | string>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit(code ?? signal ?? "unknown"));
  });

  let onListening: (url: string) => void = () => {};
  const listening = new Promise<string>((resolveUrl) => (onListening = resolveUrl));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      if (line.includes('"msg":"orders subgraph listening"')) {
        const url = listeningUrl(line);
        if (url !== null) onListening(url);
      }
    });
  }

  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
      running.delete(service);
    }
  };
  const service: ServiceProcess = {
    child,
    pid,
    url: "",
    lines,
    exited,
    stop: () => signalAndWait("SIGTERM", STOP_TIMEOUT_MS),
    kill: () => signalAndWait("SIGKILL", STOP_TIMEOUT_MS),
  };
  running.add(service);

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    listening.then((url) => ({ url })),
    exited.then((code) => ({ exited: code })),
    new Promise<{ timedOut: true }>((r) => (timer = setTimeout(() => r({ timedOut: true }), START_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (!("url" in outcome)) {
    await service.kill();
    const why = "exited" in outcome ? `exited with ${outcome.exited}` : `did not listen within ${START_TIMEOUT_MS} ms`;
    throw new Error(`the service ${why}:\n${lines.slice(-20).join("\n")}`);
  }
  service.url = outcome.url;
  return service;
}

/** Stops every child started by this module that is still running (SIGKILL: cleanup must not wait on drains). */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.kill()));
}

function listeningUrl(line: string): string | null {
  try {
    const parsed = JSON.parse(line) as { url?: unknown };
    return typeof parsed.url === "string" ? parsed.url : null;
  } catch {
    return null; // not a log line after all; keep waiting
  }
}
