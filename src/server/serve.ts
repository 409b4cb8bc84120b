// What both entries do around the app: validate the configuration (refuse to start, listing every problem), start,
// and stop gracefully on SIGTERM/SIGINT (exit 0).
import { ConfigError } from "../config/env.js";
import { loadConfig, type Config } from "../config/config.js";
import type { RunningApp } from "./app.js";

export function serve<A extends RunningApp>(
  start: (config: Config) => Promise<A>,
  onStarted: (app: A) => void = () => {},
): void {
  run(start, onStarted).catch((error: unknown) => {
    console.error("orders-subgraph: failed to start:", error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

async function run<A extends RunningApp>(
  start: (config: Config) => Promise<A>,
  onStarted: (app: A) => void,
): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`orders-subgraph: refusing to start.\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const app = await start(config);
  onStarted(app);
  const stop = (signal: string) => {
    app.log.info({ signal }, "stop requested");
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}
