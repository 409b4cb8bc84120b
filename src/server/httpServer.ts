// The one listener: /graphql (router only), /webhooks/xoxoday (Plum), /health, /ready and /metrics (probes and
// scrapers, exempt from the router secret). Every request gets a request id, echoed in x-request-id.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { HttpServerLimits } from "../config/config.js";
import { secretMatcher } from "../auth/routerSecret.js";
import { EXPLORER_ASSETS_PATH } from "./explorer/explorerPage.js";
import type { ExplorerRoutes } from "./explorer/explorerRoutes.js";
import type { Metrics, Route } from "./metrics.js";
import { sendJson } from "../http/respond.js";

export interface RequestScope {
  requestId: string;
  log: Logger;
}

export interface HttpRoutes {
  graphql: (req: IncomingMessage, res: ServerResponse, search: string) => Promise<void>;
  webhook: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  health: (res: ServerResponse) => void;
  ready: (res: ServerResponse) => Promise<void>;
  metrics: (res: ServerResponse) => Promise<void>;
}

const REQUEST_SCOPE = Symbol("requestScope");
type ScopedRequest = IncomingMessage & { [REQUEST_SCOPE]?: RequestScope };

/** The request id and child logger of a request (set by the server before any route runs). */
export function requestScope(req: IncomingMessage): RequestScope {
  const scope = (req as ScopedRequest)[REQUEST_SCOPE];
  if (!scope) throw new Error("request scope missing");
  return scope;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createHttpServer(options: {
  routes: HttpRoutes;
  routerSecret: string | undefined;
  log: Logger;
  metrics: Metrics;
  /** The offline explorer (a page and its assets, no data); null when disabled (production). */
  explorer?: ExplorerRoutes | null;
  /** True once a graceful stop has begun (see app.ts). */
  shuttingDown?: () => boolean;
  limits: HttpServerLimits;
  /** /ready and /metrics are served on the separate ops listener (OPS_PORT) instead: 404 here. */
  opsElsewhere?: boolean;
}): Server {
  const { routes, log, metrics, limits } = options;
  const routerSecret = options.routerSecret === undefined ? null : secretMatcher(options.routerSecret);
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // node checks the two timeouts every this often (30 s by default, which let slow clients stay 66 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    (req, res) => {
      // A client-chosen id would be copied into our logs as if it were ours: only the router's is kept.
      const incoming = req.headers["x-request-id"];
      // Checked once per request: it decides the request id here and refuses a non-router caller below.
      const fromRouter = routerSecret !== null && routerSecret(req.headers["router-authorization"]);
      const requestId =
        fromRouter && typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      const traceparent =
        typeof req.headers.traceparent === "string" ? req.headers.traceparent.slice(0, 100) : undefined;
      const scope: RequestScope = { requestId, log: log.child({ requestId, ...(traceparent ? { traceparent } : {}) }) };
      (req as ScopedRequest)[REQUEST_SCOPE] = scope;
      res.setHeader("x-request-id", requestId);
      // A busy keep-alive connection outlives server.close(): while draining, every response closes its connection
      // so no further request rides on it into a stopping process.
      const draining = options.shuttingDown?.() ?? false;
      if (draining) res.shouldKeepAlive = false;

      const url = new URL(req.url ?? "/", "http://localhost");
      const route: Route =
        url.pathname === "/graphql"
          ? "graphql"
          : url.pathname === "/webhooks/xoxoday"
            ? "webhook"
            : url.pathname === "/health"
              ? "health"
              : url.pathname === "/ready" && !options.opsElsewhere
                ? "ready"
                : url.pathname === "/metrics" && !options.opsElsewhere
                  ? "metrics"
                  : options.explorer && url.pathname.startsWith(EXPLORER_ASSETS_PATH)
                    ? "explorer"
                    : "other";
      res.on("finish", () => metrics.httpRequests.inc({ route, status: String(res.statusCode) }));

      const handle = async (): Promise<void> => {
        switch (route) {
          case "graphql":
            // A browser opening /graphql gets the explorer page: static, no GraphQL work, so not behind the secret
            // (the page then sends the headers its user types in).
            if (options.explorer?.wantsPage(req, url.search)) return options.explorer.page(res);
            // Refused before any GraphQL work: parsing, context, execution.
            if (routerSecret !== null && !fromRouter) {
              sendJson(res, 401, {
                errors: [
                  { message: "Missing or invalid Router-Authorization.", extensions: { code: "UNAUTHENTICATED" } },
                ],
              });
              return;
            }
            if (draining) {
              // Refused before any work, so the router or client may safely send it to another replica.
              sendJson(
                res,
                503,
                {
                  errors: [
                    {
                      message: "The service is shutting down; retry on another replica.",
                      extensions: { code: "SERVICE_UNAVAILABLE" },
                    },
                  ],
                },
                { "retry-after": "1" },
              );
              return;
            }
            return routes.graphql(req, res, url.search);
          case "webhook":
            if (req.method !== "POST") return sendJson(res, 405, { error: "POST only" }, { allow: "POST" });
            return routes.webhook(req, res);
          case "health":
            return routes.health(res);
          case "ready":
            return routes.ready(res);
          case "metrics":
            return routes.metrics(res);
          case "explorer":
            return options.explorer?.asset(req, res, url.pathname);
          default:
            return sendJson(res, 404, { error: "not found" });
        }
      };
      handle().catch((error: unknown) => {
        scope.log.error({ err: error, route }, "request failed");
        if (!res.headersSent)
          sendJson(res, 500, {
            errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR", requestId } }],
          });
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
