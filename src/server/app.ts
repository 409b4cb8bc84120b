// The composition root: builds every part from the configuration, starts listening, and knows how to stop in
// order (stop taking requests, finish in-flight orders, then close upstream and ledger).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DestinationStream, Logger } from "pino";
import { createCallerResolver } from "../auth/callerResolver.js";
import type { Config } from "../config/config.js";
import { CatalogueService } from "../catalogue/CatalogueService.js";
import { OperatorDetector } from "../catalogue/OperatorDetector.js";
import { WalletBalanceReader } from "../catalogue/WalletBalanceReader.js";
import { CatalogueReads } from "../graph/catalogue/CatalogueReads.js";
import type { GraphContext } from "../graph/context.js";
import { buildOrdersSchema } from "../graph/schema.js";
import { OrderReader } from "../orders/OrderReader.js";
import { PlacementService } from "../orders/PlacementService.js";
import { ReconcilerLoop } from "../orders/ReconcilerLoop.js";
import { PlumClient } from "../plum/PlumClient.js";
import { createPlumSimulator, type PlumSimulator } from "../simulator/index.js";
import type { Ledger } from "../storage/ledger.js";
import { openLedger } from "../storage/openLedger.js";
import { createWebhookHandler } from "../webhooks/webhookHandler.js";
import { createApolloServer } from "./apolloServer.js";
import { createCredentials, type PlumCredentials } from "./credentials.js";
import { createGraphqlHandler } from "./graphqlHandler.js";
import { createHttpServer, requestScope } from "./httpServer.js";
import { createLogger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { createReadiness } from "./readiness.js";
import { sendJson } from "./respond.js";

export interface AppOptions {
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  replicaId?: string;
}

export interface RunningApp {
  url: string;
  port: number;
  log: Logger;
  ledger: Ledger;
  metrics: Metrics;
  /** The built-in simulator when no XOXODAY_API_URL is configured (never in production). */
  simulator: PlumSimulator | null;
  reconciler: ReconcilerLoop;
  catalogue: CatalogueService;
  credentials: PlumCredentials;
  /** Graceful stop: no new requests, in-flight ones finish (bounded), then upstream and ledger close. */
  close(): Promise<void>;
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = createLogger(config.logLevel, options.logStream);
  const replicaId = options.replicaId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ledger = await openLedger(config.database.url, { poolMax: config.database.poolMax });
  log.info({ engine: ledger.engine }, "ledger ready");

  let simulator: PlumSimulator | null = null;
  let apiUrl = config.plum.apiUrl;
  if (apiUrl === undefined) {
    if (config.production) throw new Error("the Plum simulator is never used in production");
    // Call bodies (with personal data and bearer tokens) are kept only under test, where assertions read them;
    // counters are kept always.
    simulator = await createPlumSimulator({
      port: config.simulatorPort,
      recordCalls: config.env === "test",
      // A restarted simulator must not hand out ids the ledger already holds (order_id is unique there).
      firstOrderId: Date.now(),
    });
    apiUrl = simulator.apiUrl;
    log.warn(
      { simulator: simulator.baseUrl },
      "XOXODAY_API_URL is not set: orders go to the BUILT-IN PLUM SIMULATOR. No real order is placed and no money is spent.",
    );
  }

  const credentials = await createCredentials({ config, ledger, simulator, log });
  const metrics = createMetrics({
    pendingReconciliation: () => ledger.countPending(),
    tokenExpiresAt: () => credentials.expiresAt(),
    catalogueRefreshedAt: async () => (await ledger.catalogue.meta()).refreshedAt,
  });
  const plum = new PlumClient({
    apiUrl,
    tokens: credentials,
    connectTimeoutMs: config.plum.connectTimeoutMs,
    headersTimeoutMs: config.plum.headersTimeoutMs,
    bodyTimeoutMs: config.plum.bodyTimeoutMs,
    maxConnections: config.plum.maxConnections,
    record: (entry) => ledger.appendAttempt(entry),
    observe: (operation, outcome, seconds) => metrics.plumDuration.observe({ operation, outcome }, seconds),
  });

  const placement = new PlacementService({
    store: ledger,
    // The engine's calls return what they exchanged; the engine commits it with its next ledger write.
    plum: {
      placeOrder: (data, options) => plum.exchangePlaceOrder(data, options),
      getOrderDetails: (lookup) => plum.exchangeOrderDetails(lookup),
    },
    log,
    replicaId,
    policy: {
      settleMs: config.reconcile.settleMs,
      maxProcessingMs: config.reconcile.maxProcessingMs,
      lookupIntervalMs: config.reconcile.lookupIntervalMs,
      maxBackoffMs: config.reconcile.maxBackoffMs,
      maxSendAttempts: config.reconcile.maxSendAttempts,
    },
    leaseMs: config.reconcile.leaseMs,
    onOutcome: (kind, outcome, code) => metrics.orders.inc({ kind: kind ?? "unknown", outcome, code: code ?? "none" }),
  });
  const reader = new OrderReader({ ledger, plum, placement, lookupConcurrency: 4 });
  const reconciler = new ReconcilerLoop(placement, config.reconcile.intervalMs, log, (n) => metrics.reconciled.inc(n));

  const catalogue = new CatalogueService({
    store: ledger.catalogue,
    plum,
    log,
    owner: replicaId,
    refreshIntervalMs: config.catalogue.refreshIntervalMs,
    maxAgeMs: config.catalogue.maxAgeMs,
    onDemandIntervalMs: config.catalogue.onDemandIntervalMs,
    callsPerMinute: config.catalogue.callsPerMinute,
    dailyCallBudget: config.catalogue.dailyCallBudget,
    onRefresh: (reason, outcome) => metrics.catalogueRefreshes.inc({ reason, outcome }),
  });
  const catalogueServices = {
    service: catalogue,
    operators: new OperatorDetector(plum, config.catalogue.operatorCacheMs),
    balance: new WalletBalanceReader(plum, config.catalogue.balanceCacheMs),
    walletCurrency: config.catalogue.walletCurrency,
  };

  // The first check is given a moment before requests are taken (a new database then starts with a snapshot), but
  // a slow Plum never holds up the start: the refresh continues in the background and reads wait for it.
  const firstCheck = catalogue.start();
  await Promise.race([firstCheck, new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);

  const apollo = createApolloServer(await buildOrdersSchema(), config, log);
  await apollo.start();

  const callerOf = createCallerResolver(config.auth);
  const services = { placement, reader, catalogue: catalogueServices };
  const graphql = createGraphqlHandler(apollo, {
    maxBodyBytes: config.graphql.maxBodyBytes,
    context: async (req): Promise<GraphContext> => {
      const { requestId, log: requestLog } = requestScope(req);
      const caller = await callerOf(req.headers.authorization);
      return { requestId, log: requestLog, caller, authEnabled: config.auth.enabled, services, ordersById: reader.createLoader(caller), catalogue: new CatalogueReads(catalogue) };
    },
  });

  let shuttingDown = false;
  const server = createHttpServer({
    log,
    metrics,
    routerSecret: config.auth.routerSecret,
    shuttingDown: () => shuttingDown,
    routes: {
      graphql,
      webhook: createWebhookHandler({
        ledger,
        apiKey: config.plum.webhookKey,
        log,
        onResult: (result) => metrics.webhooks.inc({ result }),
      }),
      health: (res) => sendJson(res, 200, { status: "ok" }),
      ready: createReadiness({ ledger, credentials: () => credentials.state(), shuttingDown: () => shuttingDown }),
      metrics: async (res) => {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        res.end(text);
      },
    },
  });
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const responses = new Set<ServerResponse>();
  server.on("request", (_req, res) => {
    inFlight += 1;
    responses.add(res);
    res.on("close", () => {
      inFlight -= 1;
      responses.delete(res);
      if (inFlight === 0) drained?.();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}/graphql`;
  simulator?.setWebhook({ url: `http://127.0.0.1:${port}/webhooks/xoxoday`, apiKey: config.plum.webhookKey });
  reconciler.start();
  credentials.start();
  if (!config.auth.enabled) log.warn("No AUTH_JWKS_URL or AUTH_JWT_SECRET: JWT verification is OFF and every caller may do everything.");
  if (!config.auth.routerSecret) log.warn("No ROUTER_SECRET: any client that can reach this port may call the subgraph.");
  if (!config.plum.webhookKey) log.warn("No XOXODAY_WEBHOOK_KEY: delivery callbacks are accepted without a key.");
  log.info({ url, replicaId }, "orders subgraph listening");

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      shuttingDown = true;
      // In-flight requests finish, but their connections close after the response (new ones do in httpServer).
      for (const res of responses) if (!res.headersSent) res.shouldKeepAlive = false;
      log.info({ inFlight }, "shutting down: no new requests, finishing in-flight ones");
      await reconciler.stop();
      credentials.stop();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        // In-flight orders finish within the upstream budget; the grace period bounds the wait regardless.
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await stopped;
      // A refresh in progress ends after its current call (bounded by the Plum client's timeouts).
      await catalogue.stop({ abort: true });
      await apollo.stop();
      await plum.close();
      await ledger.close();
      await simulator?.close();
      log.info("stopped");
    })());

  return { url, port, log, ledger, metrics, simulator, reconciler, catalogue, credentials, close };
}
