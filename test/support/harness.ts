// Starts the real service in-process on an ephemeral port (embedded simulator unless XOXODAY_API_URL is given),
// with test-friendly timings and captured logs.
import { loadConfig } from "../../src/config/config.js";
import { startApp, type RunningApp } from "../../src/server/app.js";
import type { PlumSimulator } from "../../src/simulator/index.js";
import { LogCapture } from "./logs.js";

export interface TestApp {
  app: RunningApp;
  url: string;
  /** The embedded simulator (throws when the app talks to an external Plum). */
  sim: PlumSimulator;
  logs: LogCapture;
  close(): Promise<void>;
}

export const TEST_ENV: Record<string, string> = {
  NODE_ENV: "test",
  PORT: "0",
  SIMULATOR_PORT: "0",
  DATABASE_URL: "sqlite::memory:",
  LOG_LEVEL: "info",
  // Tests drive the reconciler explicitly (app.reconciler.runOnce()); a short settle window keeps them fast.
  RECONCILE_INTERVAL_MS: "3600000",
  RECONCILE_SETTLE_MS: "300",
  XOXODAY_CONNECT_TIMEOUT_MS: "1000",
  XOXODAY_HEADERS_TIMEOUT_MS: "1500",
  XOXODAY_BODY_TIMEOUT_MS: "1000",
  SHUTDOWN_GRACE_MS: "5000",
};

export async function startTestApp(env: Record<string, string | undefined> = {}, options: { replicaId?: string } = {}): Promise<TestApp> {
  const logs = new LogCapture();
  const config = loadConfig({ ...TEST_ENV, ...env } as NodeJS.ProcessEnv);
  const app = await startApp(config, { logStream: logs, ...options });
  return {
    app,
    url: app.url,
    get sim(): PlumSimulator {
      if (app.simulator === null) throw new Error("this test app talks to an external Plum");
      return app.simulator;
    },
    logs,
    close: () => app.close(),
  };
}
