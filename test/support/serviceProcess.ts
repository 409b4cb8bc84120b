// Runs the real entry point as a child process, the way it runs in a container (src/index.ts; src/dev/main.ts, the
// development entry with the built-in simulator, when no XOXODAY_API_URL is given outside production): only the
// environment the test gives it, JSON logs on stdout, exit code on stop. Tests can put several replicas on one
// database or kill one mid-request. Every started child is tracked until it exits; stopAllServices() kills the
// ones still running, for afterAll/afterEach, so nothing outlives a failed test.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LISTEN_TIMEOUT_MS = 20_000;
// Replicas started together pay tsx's start-up at once on a shared machine.
const REPLICA_LISTEN_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServiceProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or the signal's name when a signal ended the process. */
  exited: Promise<number | string>;
  /** The GraphQL URL from the "orders subgraph listening" line; rejects if the process exits first. */
  listening(timeoutMs?: number): Promise<string>;
  /** SIGTERM (graceful), escalating to SIGKILL if the child does not exit in time. */
  stop(): Promise<number | string>;
  /** SIGKILL: the process dies on the spot, whatever it was doing (nothing to do if it already exited). */
  kill(): Promise<number | string>;
}

const running = new Set<ServiceProcess>();

/** Only what a process needs to run: nothing from the test runner's environment leaks into the service. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** The production entry has no simulator; the development entry starts one when no Plum is configured. */
export function entryFor(env: Record<string, string>): string {
  return env.NODE_ENV !== "production" && env.XOXODAY_API_URL === undefined ? "src/dev/main.ts" : "src/index.ts";
}

/** Starts `node --import tsx <entry>` with exactly `env` (plus what node and tsx need); does not wait. */
export function startService(env: Record<string, string>, options: { entry?: string } = {}): ServiceProcess {
  const child = spawn(process.execPath, ["--import", "tsx", options.entry ?? entryFor(env)], {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let url: string | null = null;
  let onListening: (url: string) => void = () => {};
  const listeningUrl = new Promise<string>((resolve) => (onListening = resolve));
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    if (url !== null) return;
    url = urlFromLogs(out);
    if (url !== null) onListening(url);
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });

  const signalAndWait = async (signal: NodeJS.Signals): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const service: ServiceProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async listening(timeoutMs = LISTEN_TIMEOUT_MS): Promise<string> {
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        listeningUrl.then((url) => ({ url })),
        exited.then((code) => ({ exited: code })),
        new Promise<{ timedOut: true }>(
          (resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs)),
        ),
      ]);
      clearTimeout(timer);
      if ("url" in outcome) return outcome.url;
      const why =
        "exited" in outcome ? `exited with ${outcome.exited} before listening` : `did not start within ${timeoutMs} ms`;
      throw new Error(`service ${why}:\n${err}\n${out}`);
    },
    stop: () => signalAndWait("SIGTERM"),
    kill: () => signalAndWait("SIGKILL"),
  };
  running.add(service);
  void exited.then(() => running.delete(service));
  return service;
}

/**
 * Starts the service in test mode (NODE_ENV=test and PORT=0 unless `env` says otherwise) and waits until it
 * listens; a child that does not is killed.
 */
export async function startListeningService(env: Record<string, string>): Promise<ServiceProcess & { url: string }> {
  const service = startService({ NODE_ENV: "test", PORT: "0", ...env });
  try {
    return Object.assign(service, { url: await service.listening(REPLICA_LISTEN_TIMEOUT_MS) });
  } catch (error) {
    await service.kill();
    throw error;
  }
}

/** Kills every child started by this module that is still running (SIGKILL: cleanup must not wait on drains). */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.kill()));
}

/** The URL of the first complete "orders subgraph listening" log line, if there is one yet. */
function urlFromLogs(logs: string): string | null {
  for (const line of logs.split("\n").slice(0, -1)) {
    if (!line.includes('"orders subgraph listening"')) continue;
    try {
      const record = JSON.parse(line) as { url?: unknown };
      if (typeof record.url === "string") return record.url;
    } catch {
      // not a JSON log line after all; keep waiting
    }
  }
  return null;
}
