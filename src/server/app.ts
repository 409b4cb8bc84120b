// The composition root: builds every part from the configuration (the pieces live in composition/), starts
// listening, and knows how to stop in order (composition/shutdown.ts). A built-in Plum is injected, never imported:
// the production entry (src/index.ts) has none, the development entry (src/dev/) starts the simulator.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { DestinationStream, Logger } from "pino";
import type { CatalogueService } from "../catalogue/CatalogueService.js";
import type { Config } from "../config/config.js";
import { buildOrdersSchema } from "../graph/schema.js";
import { PlumBudget } from "../orders/budget/PlumBudget.js";
import { withBudgetClass } from "../orders/budget/budgetClass.js";
import type { QueueDispatcher } from "../orders/QueueDispatcher.js";
import type { ReconcilerLoop } from "../orders/ReconcilerLoop.js";
import type { ReconciliationJob } from "../orders/reconciliation/ReconciliationJob.js";
import type { Ledger } from "../storage/ledger.js";
import { startWebhookExpiry } from "../webhooks/webhookExpiry.js";
import { createApolloServer } from "./apolloServer.js";
import { createAppMetrics } from "./composition/appMetrics.js";
import { checkPlumEndpoint, plumEndpoint, type BuiltInPlum, type StartBuiltInPlum } from "./composition/builtInPlum.js";
import { createHttpServers, listen } from "./composition/httpServers.js";
import { openAppLedger } from "./composition/ledger.js";
import { createPlumClients } from "./composition/plumClients.js";
import { createServices } from "./composition/services.js";
import { createShutdown, trackInFlight } from "./composition/shutdown.js";
import type { PlumCredentials } from "./credentials.js";
import { createLogger } from "./logger.js";
import type { Metrics } from "./metrics.js";

export type { BuiltInPlum } from "./composition/builtInPlum.js";

export interface AppOptions<P extends BuiltInPlum = BuiltInPlum> {
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  replicaId?: string;
  /** Starts a Plum beside the app when XOXODAY_API_URL is not set (development and tests; refused in production). */
  builtInPlum?: StartBuiltInPlum<P>;
}

export interface RunningApp<P extends BuiltInPlum = BuiltInPlum> {
  url: string;
  port: number;
  /** The ops listener's port when OPS_PORT is set (/ready and /metrics are then not on `port`). */
  opsPort: number | null;
  log: Logger;
  ledger: Ledger;
  metrics: Metrics;
  /** The built-in simulator when no XOXODAY_API_URL is configured (never in production). */
  simulator: P | null;
  reconciler: ReconcilerLoop;
  /** Sends the placement queue as the shared budget allows. */
  dispatcher: QueueDispatcher;
  /** The scheduled comparison with Plum's order history. */
  reconciliation: ReconciliationJob;
  catalogue: CatalogueService;
  credentials: PlumCredentials;
  /** Graceful stop: no new requests, in-flight ones finish (bounded), then upstream and ledger close. */
  close(): Promise<void>;
}

export async function startApp<P extends BuiltInPlum = BuiltInPlum>(
  config: Config,
  options: AppOptions<P> = {},
): Promise<RunningApp<P>> {
  checkPlumEndpoint(config, options.builtInPlum);
  const log = createLogger(config.logLevel, options.logStream);
  const replicaId = options.replicaId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ledger = await openAppLedger(config, log);
  const { apiUrl, builtIn } = await plumEndpoint(config, options.builtInPlum, log);

  let shuttingDown = false;
  let credentialsRef: PlumCredentials | null = null;
  const budget = new PlumBudget(ledger.budget, {
    windowMs: config.budget.windowMs,
    marginMs: config.budget.marginMs,
    limits: config.budget.limits,
    reservedShare: config.budget.reservedShare,
  });
  const metrics = createAppMetrics({
    config,
    ledger,
    budget,
    credentials: () => credentialsRef,
    shuttingDown: () => shuttingDown,
  });
  const plum = await createPlumClients({ config, apiUrl, builtIn, ledger, budget, metrics, log });
  const { credentials } = plum;
  credentialsRef = credentials;
  const services = createServices({ config, ledger, plum, budget, metrics, log, replicaId });
  const { catalogue, reconciler, dispatcher, reconciliation } = services;

  // The first check is given a moment before requests are taken (a new database then starts with a snapshot), but
  // a slow Plum never holds up the start: the refresh continues in the background and reads wait for it.
  const firstCheck = catalogue.start();
  await Promise.race([firstCheck, new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);

  const apollo = createApolloServer(await buildOrdersSchema(), config, log);
  await apollo.start();

  const servers = createHttpServers({
    config,
    apollo,
    services,
    ledger,
    credentials,
    metrics,
    log,
    shuttingDown: () => shuttingDown,
  });
  const inFlight = trackInFlight(servers.server);
  const { port, opsPort } = await listen(servers, config, log);
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}/graphql`;
  builtIn?.setWebhook({ url: `http://127.0.0.1:${port}/webhooks/xoxoday`, apiKey: config.plum.webhookKey });
  reconciler.start();
  dispatcher.start();
  // Its timers keep the context: history pages and adoptions draw on the reconciliation share.
  withBudgetClass("reconciliation", () => reconciliation.start());
  credentials.start();
  const stopWebhookExpiry = startWebhookExpiry({ store: ledger, ttlMs: config.plum.webhookUnmatchedTtlMs, log });
  warnAboutDevelopmentSettings(config, log);
  log.info({ url, replicaId }, "orders subgraph listening");

  const close = createShutdown({
    log,
    graceMs: config.shutdownGraceMs,
    markShuttingDown: () => (shuttingDown = true),
    inFlight,
    servers,
    services,
    credentials,
    stopWebhookExpiry,
    apollo,
    plum,
    ledger,
    builtIn,
  });
  return {
    url,
    port,
    opsPort,
    log,
    ledger,
    metrics,
    simulator: builtIn,
    reconciler,
    dispatcher,
    reconciliation,
    catalogue,
    credentials,
    close,
  };
}

function warnAboutDevelopmentSettings(config: Config, log: Logger): void {
  if (!config.auth.enabled)
    log.warn("No AUTH_JWKS_URL or AUTH_JWT_SECRET: JWT verification is OFF and every caller may do everything.");
  if (!config.auth.routerSecret)
    log.warn("No ROUTER_SECRET: any client that can reach this port may call the subgraph.");
  if (!config.plum.webhookKey) log.warn("No XOXODAY_WEBHOOK_KEY: delivery callbacks are accepted without a key.");
}
