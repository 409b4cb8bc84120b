// The listeners: the GraphQL/webhook port (with /health, /ready and /metrics unless OPS_PORT moves them to their
// own listener), and how each starts listening.
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApolloServer } from "@apollo/server";
import type { Logger } from "pino";
import { createCallerResolver } from "../../auth/callerResolver.js";
import type { Config } from "../../config/config.js";
import { CatalogueReads } from "../../graph/catalogue/CatalogueReads.js";
import type { GraphContext } from "../../graph/context.js";
import { sendJson } from "../../http/respond.js";
import { CallerRateLimiter } from "../../orders/callerRateLimiter.js";
import { requestUpstreamBudget } from "../../orders/upstreamBudget.js";
import type { Ledger } from "../../storage/ledger.js";
import { createWebhookHandler } from "../../webhooks/webhookHandler.js";
import type { PlumCredentials } from "../credentials.js";
import { createExplorerRoutes } from "../explorer/explorerRoutes.js";
import { createGraphqlHandler } from "../graphqlHandler.js";
import { createHttpServer, requestScope } from "../httpServer.js";
import type { Metrics } from "../metrics.js";
import { createOpsServer } from "../opsServer.js";
import { createReadiness } from "../readiness.js";
import type { AppServices } from "./services.js";

export interface HttpServers {
  server: Server;
  /** Only when OPS_PORT is set. */
  opsServer: Server | null;
}

export function createHttpServers(deps: {
  config: Config;
  apollo: ApolloServer<GraphContext>;
  services: AppServices;
  ledger: Ledger;
  credentials: PlumCredentials;
  metrics: Metrics;
  log: Logger;
  shuttingDown: () => boolean;
}): HttpServers {
  const { config, ledger, credentials, metrics, log, shuttingDown } = deps;
  const opsRoutes = {
    health: (res: ServerResponse) => sendJson(res, 200, { status: "ok" }),
    ready: createReadiness({ ledger, credentials: () => credentials.state(), shuttingDown }),
    metrics: async (res: ServerResponse) => {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(text);
    },
  };
  const opsServer =
    config.ops.port === undefined ? null : createOpsServer({ routes: opsRoutes, log, limits: config.http });
  const server = createHttpServer({
    opsElsewhere: opsServer !== null,
    log,
    metrics,
    routerSecret: config.auth.routerSecret,
    explorer: config.graphql.sandbox ? createExplorerRoutes() : null,
    shuttingDown,
    limits: config.http,
    routes: {
      graphql: graphqlRoute(config, deps.apollo, deps.services),
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
  return { server, opsServer };
}

/** POST /graphql: each request gets its caller, its upstream budget and its own loaders. */
function graphqlRoute(config: Config, apollo: ApolloServer<GraphContext>, services: AppServices) {
  const callerOf = createCallerResolver(config.auth);
  const callerLimiter = new CallerRateLimiter({ burst: config.upstream.burst, perMinute: config.upstream.perMinute });
  return createGraphqlHandler(apollo, {
    maxBodyBytes: config.graphql.maxBodyBytes,
    context: async (req): Promise<GraphContext> => {
      const { requestId, log: requestLog } = requestScope(req);
      const caller = await callerOf(req.headers.authorization);
      // Unauthenticated development callers share one namespace and are not throttled per caller.
      const upstream = requestUpstreamBudget({
        perRequest: config.upstream.perRequest,
        limiter: callerLimiter,
        callerKey: caller.subject,
      });
      return {
        requestId,
        log: requestLog,
        caller,
        authEnabled: config.auth.enabled,
        services: services.graph,
        upstream,
        ordersById: services.reader.createLoader(caller, upstream),
        catalogue: new CatalogueReads(services.catalogue),
      };
    },
  });
}

/** Listens on the configured ports; resolves with the bound ones (0 in tests picks a free port). */
export async function listen(
  servers: HttpServers,
  config: Config,
  log: Logger,
): Promise<{ port: number; opsPort: number | null }> {
  const port = await listenOn(servers.server, config.port, config.host);
  let opsPort: number | null = null;
  if (servers.opsServer !== null) {
    opsPort = await listenOn(servers.opsServer, config.ops.port, config.ops.host);
    log.info({ opsPort, host: config.ops.host }, "ops endpoints (/health, /ready, /metrics) on their own listener");
  }
  return { port, opsPort };
}

async function listenOn(server: Server, port: number | undefined, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
