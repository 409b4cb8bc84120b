// Starts the real service in-process on an ephemeral port (embedded simulator unless XOXODAY_API_URL is given),
// with test-friendly timings and captured logs.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { startDevApp } from "../../src/dev/devApp.js";
import type { RunningApp } from "../../src/server/app.js";
import type { PlumSimulator } from "../../src/simulator/index.js";
import { LogCapture } from "./logs.js";

export interface TestApp {
  app: RunningApp<PlumSimulator>;
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
  // The history reconciliation's schedule is off; tests run it with app.reconciliation.runOnce(true).
  RECONCILIATION_INTERVAL_MS: "0",
  RECONCILE_SETTLE_MS: "300",
  // Plum's processing window, scaled down: "not found" is trusted 100 + 300 ms after an attempt started.
  XOXODAY_MAX_PROCESSING_MS: "100",
  RECONCILE_LOOKUP_INTERVAL_MS: "50",
  XOXODAY_CONNECT_TIMEOUT_MS: "1000",
  XOXODAY_HEADERS_TIMEOUT_MS: "1500",
  XOXODAY_BODY_TIMEOUT_MS: "1000",
  SHUTDOWN_GRACE_MS: "5000",
  // The shared Plum budget is off here (0: not limited): these tests place and look up faster than Plum's minute
  // allows. The budget's own tests (test/budget/) turn it on with scaled windows.
  PLUM_BUDGET_PLACE_ORDER: "0",
  PLUM_BUDGET_GET_ORDER_DETAILS: "0",
  PLUM_BUDGET_GET_ORDER_HISTORY: "0",
  PLUM_BUDGET_GET_VOUCHERS: "0",
  PLUM_BUDGET_GET_BALANCE: "0",
};

export async function startTestApp(
  env: Record<string, string | undefined> = {},
  options: { replicaId?: string } = {},
): Promise<TestApp> {
  const logs = new LogCapture();
  const config = loadConfig({ ...TEST_ENV, ...env } as NodeJS.ProcessEnv);
  const app = await startDevApp(config, { logStream: logs, ...options });
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

export interface UseTestAppOptions {
  /** Merged over TEST_ENV. */
  env?: Record<string, string>;
  /** Reset the embedded simulator (orders, calls, faults) before each test. */
  resetSimulator?: boolean;
}

/**
 * Registers the hooks that give the enclosing file or describe block one app: started before its tests, closed
 * after them. The returned app reads through to the running one, so it can be used in tests and later hooks
 * (not at collection time); it is closed by these hooks, not by the test.
 */
export function useTestApp({ env = {}, resetSimulator = false }: UseTestAppOptions = {}): TestApp {
  let running: TestApp | undefined;
  const current = (): TestApp => {
    if (running === undefined) throw new Error("the test app is not running (useTestApp's beforeAll has not run)");
    return running;
  };
  beforeAll(async () => {
    running = await startTestApp(env);
  });
  afterAll(async () => {
    await running?.close();
  });
  if (resetSimulator) {
    beforeEach(() => {
      current().sim.reset();
    });
  }
  return {
    get app() {
      return current().app;
    },
    get url() {
      return current().url;
    },
    get sim() {
      return current().sim;
    },
    get logs() {
      return current().logs;
    },
    close: () => current().close(),
  };
}
