// The composition root: builds every part from the configuration, starts listening, and knows how to stop in
// order (stop taking requests, finish in-flight orders, then close upstream and ledger).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DestinationStream, Logger } from "pino";
import type { Caller } from "../auth/caller.js";
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
import { CallerRateLimiter } from "../orders/callerRateLimiter.js";
import { ReconcilerLoop } from "../orders/ReconcilerLoop.js";
import { QueueDispatcher } from "../orders/QueueDispatcher.js";
import { PlumBudget } from "../orders/budget/PlumBudget.js";
import { withBudgetClass } from "../orders/budget/budgetClass.js";
import { budgetGate } from "../orders/budget/plumGate.js";
import type { PlumGate } from "../plum/gate.js";
import type { PlumOperationName } from "../plum/wire.js";
import { OrderList } from "../orders/listing/OrderList.js";
import { placementStatus } from "../orders/placementStatus.js";
import { ReconciliationJob } from "../orders/reconciliation/ReconciliationJob.js";
import { OrderHistoryClient } from "../plum/orderHistory.js";
import { refreshWithin, requestUpstreamBudget, type UpstreamBudget } from "../orders/upstreamBudget.js";
import { PlumClient } from "../plum/PlumClient.js";
import { createPlumSimulator, type PlumSimulator } from "../simulator/index.js";
import type { Ledger } from "../storage/ledger.js";
import { openLedger } from "../storage/openLedger.js";
import { startWebhookExpiry } from "../webhooks/webhookExpiry.js";
import { createWebhookHandler } from "../webhooks/webhookHandler.js";
import { createApolloServer } from "./apolloServer.js";
import { createExplorerRoutes } from "./explorer/explorerRoutes.js";
import { createCredentials, type PlumCredentials } from "./credentials.js";
import { createGraphqlHandler } from "./graphqlHandler.js";
import { createHttpServer, requestScope } from "./httpServer.js";
import { createOpsServer } from "./opsServer.js";
import { createLogger } from "./logger.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { createReadiness, readiness } from "./readiness.js";
import { simulatorStateFile } from "./simulatorStateFile.js";
import { sendJson } from "../http/respond.js";

export interface AppOptions {
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  replicaId?: string;
}

export interface RunningApp {
  url: string;
  port: number;
  /** The ops listener's port when OPS_PORT is set (/ready and /metrics are then not on `port`). */
  opsPort: number | null;
  log: Logger;
  ledger: Ledger;
  metrics: Metrics;
  /** The built-in simulator when no XOXODAY_API_URL is configured (never in production). */
  simulator: PlumSimulator | null;
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

export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = createLogger(config.logLevel, options.logStream);
  const replicaId = options.replicaId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ledger = await openLedger(config.database.url, { poolMax: config.database.poolMax });
  log.info({ engine: ledger.engine }, "ledger ready");

  let simulator: PlumSimulator | null = null;
  let apiUrl = config.plum.apiUrl;
  if (apiUrl === undefined) {
    if (config.production) throw new Error("the Plum simulator is never used in production");
    const stateFile = simulatorStateFile(config);
    // Call bodies (with personal data and bearer tokens) are kept only under test, where assertions read them;
    // counters are kept always.
    simulator = await createPlumSimulator({
      port: config.simulatorPort,
      recordCalls: config.env === "test",
      // A restarted simulator must not hand out ids the ledger already holds (order_id is unique there).
      firstOrderId: Date.now(),
      stateFile,
    });
    apiUrl = simulator.apiUrl;
    log.warn(
      { simulator: simulator.baseUrl, stateFile: stateFile ?? "none (in memory)" },
      "XOXODAY_API_URL is not set: orders go to the BUILT-IN PLUM SIMULATOR. No real order is placed and no money is spent.",
    );
  }

  // The metrics exist before the credentials (a refresh at start-up is counted); their sources read them later.
  let credentialsRef: PlumCredentials | null = null;
  const budget = new PlumBudget(ledger.budget, {
    windowMs: config.budget.windowMs,
    marginMs: config.budget.marginMs,
    limits: config.budget.limits,
    reservedShare: config.budget.reservedShare,
  });
  const limited = (Object.keys(config.budget.limits) as PlumOperationName[]).filter((op) => config.budget.limits[op] !== null);
  const metrics = createMetrics({
    queueDepth: async () => (await ledger.queueStats()).depth,
    queueOldestAgeSeconds: async () => {
      const { oldestQueuedAt, now } = await ledger.queueStats();
      return oldestQueuedAt === null ? null : Math.max(0, Math.round((now.getTime() - oldestQueuedAt.getTime()) / 1000));
    },
    plumBudget: () =>
      Promise.all(limited.map(async (operation) => ({ operation, used: (await budget.usage(operation)).used, limit: budget.limit(operation) ?? 0 }))),
    pendingReconciliation: () => ledger.countPending(),
    tokenExpiresAt: () => credentialsRef?.expiresAt() ?? null,
    refreshTokenExpiresAt: () => credentialsRef?.refreshExpiresAt() ?? null,
    openDiscrepancies: () => ledger.countOpenDiscrepancies(),
    catalogueRefreshedAt: async () => (await ledger.catalogue.meta()).refreshedAt,
    operationsCounts: () => ledger.operationsCounts(),
    ready: async () => {
      const current = credentialsRef;
      return current !== null && (await readiness({ ledger, credentials: () => current.state(), shuttingDown: () => shuttingDown })).ready;
    },
  });
  const credentials = await createCredentials({ config, ledger, simulator, log, onRefresh: (result) => metrics.tokenRefreshes.inc({ result }) });
  credentialsRef = credentials;
  const gate = countPenalties(budgetGate(budget, { maxWaitMs: config.budget.lookupWaitMs, log }), metrics);
  const plum = new PlumClient({
    apiUrl,
    tokens: credentials,
    connectTimeoutMs: config.plum.connectTimeoutMs,
    headersTimeoutMs: config.plum.headersTimeoutMs,
    bodyTimeoutMs: config.plum.bodyTimeoutMs,
    maxConnections: config.plum.maxConnections,
    record: (entry) => ledger.appendAttempt(entry),
    observe: (operation, outcome, seconds) => metrics.plumDuration.observe({ operation, outcome }, seconds),
    gate,
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
    ...(config.poNumberKey === undefined ? {} : { poNumberKey: config.poNumberKey }),
    policy: {
      settleMs: config.reconcile.settleMs,
      maxProcessingMs: config.reconcile.maxProcessingMs,
      lookupIntervalMs: config.reconcile.lookupIntervalMs,
      maxBackoffMs: config.reconcile.maxBackoffMs,
      maxSendAttempts: config.reconcile.maxSendAttempts,
    },
    leaseMs: config.reconcile.leaseMs,
    onOutcome: (kind, outcome, code) => metrics.orders.inc({ kind: kind ?? "unknown", outcome, code: code ?? "none" }),
    onAlert: (reason) => metrics.operatorAlerts.inc({ reason }),
    queue: { budget, store: ledger, bound: config.budget.queueMax },
  });
  const dispatcher = new QueueDispatcher(placement, config.budget.dispatchIntervalMs, log);
  const reader = new OrderReader({ store: ledger, plum, placement, lookupConcurrency: 4 });
  // The reconciler's look-ups draw on the reconciliation share of the budget.
  const reconciler = new ReconcilerLoop(placement, config.reconcile.intervalMs, log, (n) => metrics.reconciled.inc(n), (fn) =>
    withBudgetClass("reconciliation", fn),
  );

  const history = new OrderHistoryClient({
    apiUrl,
    tokens: credentials,
    timeoutMs: config.plum.connectTimeoutMs + config.plum.headersTimeoutMs + config.plum.bodyTimeoutMs,
    observe: (outcome, seconds) => metrics.plumDuration.observe({ operation: "getOrderHistory", outcome }, seconds),
    gate,
  });
  const reconciliation = new ReconciliationJob({
    store: ledger,
    history,
    placement,
    log,
    owner: replicaId,
    intervalMs: config.reconciliation.intervalMs,
    windowDays: config.reconciliation.windowDays,
    pageSize: config.reconciliation.pageSize,
    perMinute: config.reconciliation.historyPerMinute,
    graceMs: config.reconciliation.graceMs,
    // Renewed before every page and adoption (a page may wait out Plum's 60 s penalty); a replica that dies mid-run
    // frees the job within three minutes.
    leaseMs: 180_000,
    onFinished: (outcome) => metrics.reconciliationRuns.inc({ result: outcome.status }),
  });
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
  const services = {
    placement,
    reader,
    orderList: new OrderList(ledger),
    callerRow: (subject: string | null, poNumber: string) => ledger.findByCallerPoNumber(subject, poNumber),
    placementStatus: (poNumber: string, caller: Caller, upstream: UpstreamBudget) =>
      placementStatus(
        { store: ledger, refresh: (row) => refreshWithin(upstream, row, (r) => placement.refresh(r)), queuedEstimate: (po) => placement.queuedEstimate(po) },
        poNumber,
        caller,
      ),
    bulk: { maxItems: config.budget.bulkMax, queued: () => dispatcher.nudge() },
    reconciliation: { job: reconciliation, store: ledger },
    catalogue: catalogueServices,
  };
  const callerLimiter = new CallerRateLimiter({ burst: config.upstream.burst, perMinute: config.upstream.perMinute });
  const graphql = createGraphqlHandler(apollo, {
    maxBodyBytes: config.graphql.maxBodyBytes,
    context: async (req): Promise<GraphContext> => {
      const { requestId, log: requestLog } = requestScope(req);
      const caller = await callerOf(req.headers.authorization);
      // Unauthenticated development callers share one namespace and are not throttled per caller.
      const upstream = requestUpstreamBudget({ perRequest: config.upstream.perRequest, limiter: callerLimiter, callerKey: caller.subject });
      return {
        requestId, log: requestLog, caller, authEnabled: config.auth.enabled, services, upstream,
        ordersById: reader.createLoader(caller, upstream), catalogue: new CatalogueReads(catalogue),
      };
    },
  });

  let shuttingDown = false;
  const opsRoutes = {
    health: (res: ServerResponse) => sendJson(res, 200, { status: "ok" }),
    ready: createReadiness({ ledger, credentials: () => credentials.state(), shuttingDown: () => shuttingDown }),
    metrics: async (res: ServerResponse) => {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(text);
    },
  };
  const opsServer = config.ops.port === undefined ? null : createOpsServer({ routes: opsRoutes, log, limits: config.http });
  const server = createHttpServer({
    opsElsewhere: opsServer !== null,
    log,
    metrics,
    routerSecret: config.auth.routerSecret,
    explorer: config.graphql.sandbox ? createExplorerRoutes() : null,
    shuttingDown: () => shuttingDown,
    limits: config.http,
    routes: {
      graphql,
      webhook: createWebhookHandler({
        store: ledger,
        apiKey: config.plum.webhookKey,
        maxFutureMs: config.plum.webhookMaxFutureMs,
        log,
        onResult: (result) => metrics.webhooks.inc({ result }),
      }),
      ...opsRoutes,
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
  let opsPort: number | null = null;
  if (opsServer !== null) {
    await new Promise<void>((resolve, reject) => {
      opsServer.once("error", reject);
      opsServer.listen(config.ops.port, config.ops.host, () => resolve());
    });
    opsPort = (opsServer.address() as AddressInfo).port;
    log.info({ opsPort, host: config.ops.host }, "ops endpoints (/health, /ready, /metrics) on their own listener");
  }
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}/graphql`;
  simulator?.setWebhook({ url: `http://127.0.0.1:${port}/webhooks/xoxoday`, apiKey: config.plum.webhookKey });
  reconciler.start();
  dispatcher.start();
  // Its timers keep the context: history pages and adoptions draw on the reconciliation share.
  withBudgetClass("reconciliation", () => reconciliation.start());
  credentials.start();
  const stopWebhookExpiry = startWebhookExpiry({ store: ledger, ttlMs: config.plum.webhookUnmatchedTtlMs, log });
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
      await dispatcher.stop();
      await reconciliation.stop();
      credentials.stop();
      stopWebhookExpiry();
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
      if (opsServer !== null) {
        const opsStopped = new Promise<void>((resolve) => opsServer.close(() => resolve()));
        opsServer.closeAllConnections();
        await opsStopped;
      }
      // A refresh in progress ends after its current call (bounded by the Plum client's timeouts).
      await catalogue.stop({ abort: true });
      await apollo.stop();
      await plum.close();
      await history.close();
      await ledger.close();
      await simulator?.close();
      log.info("stopped");
    })());

  return { url, port, opsPort, log, ledger, metrics, simulator, reconciler, dispatcher, reconciliation, catalogue, credentials, close };
}

/** Every rate-limit answer Plum gives is counted, whichever replica saw it. */
function countPenalties(gate: PlumGate, metrics: Metrics): PlumGate {
  return {
    admit: (operation) => gate.admit(operation),
    rateLimited(operation, penaltySeconds) {
      metrics.plumPenalties.inc({ operation });
      gate.rateLimited(operation, penaltySeconds);
    },
  };
}
