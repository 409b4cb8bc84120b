// Runs the real entry point (src/index.ts) as a child process, the way it runs in a container: only the
// environment the test gives it, JSON logs on stdout, exit code on stop.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The GraphQL URL from the "orders subgraph listening" line; rejects if the process exits first. */
  listening(timeoutMs?: number): Promise<string>;
  /** Kills the process if it is still running (for cleanup). */
  kill(): Promise<void>;
}

/** Only what a process needs to run: nothing from the test runner's environment leaks into the service. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export function startService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const findUrl = (): string | null => {
    for (const line of out.split("\n")) {
      if (!line.includes('"orders subgraph listening"')) continue;
      const record = JSON.parse(line) as { url?: unknown };
      if (typeof record.url === "string") return record.url;
    }
    return null;
  };

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async listening(timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      let exitedEarly = false;
      void exited.then(() => (exitedEarly = true));
      for (;;) {
        const url = findUrl();
        if (url !== null) return url;
        if (exitedEarly) throw new Error(`service exited before listening:\n${err}\n${out}`);
        if (Date.now() > deadline) throw new Error(`service did not start within ${timeoutMs} ms:\n${err}\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await once(child, "exit");
    },
  };
}
