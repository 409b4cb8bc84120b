// Entry point: validate the configuration, start, and stop gracefully on SIGTERM/SIGINT (exit 0).
import "reflect-metadata";
import { ConfigError } from "./config/env.js";
import { loadConfig } from "./config/config.js";
import { startApp } from "./server/app.js";

async function main(): Promise<void> {
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
  const app = await startApp(config);
  if (app.simulator !== null) {
    // A person must not miss this: stderr, plain text, beside the JSON logs on stdout.
    process.stderr.write(
      [
        "",
        "  ==============================================================================",
        "   orders subgraph: DEVELOPMENT MODE against the BUILT-IN PLUM SIMULATOR",
        "   No real Xoxoday order is placed and no money is spent.",
        `   GraphQL and Apollo Sandbox: ${app.url}`,
        `   Simulator state and fault injection: ${app.simulator.baseUrl}/__simulator/state`,
        "   Set XOXODAY_API_URL and XOXODAY_ACCESS_TOKEN to talk to Plum.",
        "  ==============================================================================",
        "",
        "",
      ].join("\n"),
    );
  }
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

main().catch((error: unknown) => {
  console.error("orders-subgraph: failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
