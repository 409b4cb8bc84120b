// The internal operations listener (OPS_PORT): /health, /ready and /metrics for probes and scrapers, kept off the
// public listener that also takes Plum's webhook. Same timeouts and connection cap as the public one.
import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import type { HttpServerLimits } from "../config/config.js";
import type { HttpRoutes } from "./httpServer.js";
import { sendJson } from "../http/respond.js";

export function createOpsServer(options: {
  routes: Pick<HttpRoutes, "health" | "ready" | "metrics">;
  log: Logger;
  limits: HttpServerLimits;
}): Server {
  const { routes, limits } = options;
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
    },
    (req, res) => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const handle = async (): Promise<void> => {
        if (req.method !== "GET" && req.method !== "HEAD")
          return sendJson(res, 405, { error: "GET only" }, { allow: "GET" });
        if (path === "/health") return routes.health(res);
        if (path === "/ready") return routes.ready(res);
        if (path === "/metrics") return routes.metrics(res);
        return sendJson(res, 404, { error: "not found" });
      };
      handle().catch((error: unknown) => {
        options.log.error({ err: error, path }, "ops request failed");
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
