// Graceful stop, in order: stop taking requests and background work, let in-flight requests (orders) finish within
// the grace period, then close the listeners, upstream clients and the ledger.
import type { Server, ServerResponse } from "node:http";
import type { ApolloServer } from "@apollo/server";
import type { Logger } from "pino";
import type { GraphContext } from "../../graph/context.js";
import type { Ledger } from "../../storage/ledger.js";
import type { PlumCredentials } from "../credentials.js";
import type { BuiltInPlum } from "./builtInPlum.js";
import type { HttpServers } from "./httpServers.js";
import type { PlumClients } from "./plumClients.js";
import type { AppServices } from "./services.js";

export interface InFlight {
  count(): number;
  /** In-flight requests finish, but their connections close after the response (new ones do in httpServer). */
  endKeepAlive(): void;
  /** Resolves when no request is in flight, or after `graceMs` regardless. */
  drained(graceMs: number): Promise<void>;
}

/** Counts the requests `server` is answering (a response's close ends it). */
export function trackInFlight(server: Server): InFlight {
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
  return {
    count: () => inFlight,
    endKeepAlive: () => {
      for (const res of responses) if (!res.headersSent) res.shouldKeepAlive = false;
    },
    drained: async (graceMs) => {
      if (inFlight === 0) return;
      // In-flight orders finish within the upstream budget; the grace period bounds the wait regardless.
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    },
  };
}

export interface StoppableParts {
  log: Logger;
  graceMs: number;
  /** Sets the flag /ready and the listeners read (they refuse new work from then on). */
  markShuttingDown(): void;
  inFlight: InFlight;
  servers: HttpServers;
  services: AppServices;
  credentials: PlumCredentials;
  stopWebhookExpiry: () => void;
  apollo: ApolloServer<GraphContext>;
  plum: PlumClients;
  ledger: Ledger;
  builtIn: BuiltInPlum | null;
}

/** The app's close(): runs once, however often it is called. */
export function createShutdown(parts: StoppableParts): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= stopInOrder(parts));
}

async function stopInOrder(parts: StoppableParts): Promise<void> {
  const { log, inFlight, services } = parts;
  parts.markShuttingDown();
  inFlight.endKeepAlive();
  log.info({ inFlight: inFlight.count() }, "shutting down: no new requests, finishing in-flight ones");
  await services.reconciler.stop();
  await services.dispatcher.stop();
  await services.reconciliation.stop();
  parts.credentials.stop();
  parts.stopWebhookExpiry();
  const { server, opsServer } = parts.servers;
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await inFlight.drained(parts.graceMs);
  server.closeAllConnections();
  await stopped;
  if (opsServer !== null) await closeNow(opsServer);
  await stopUpstreamAndLedger(parts);
  log.info("stopped");
}

async function closeNow(server: Server): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await stopped;
}

async function stopUpstreamAndLedger(parts: StoppableParts): Promise<void> {
  // A refresh in progress ends after its current call (bounded by the Plum client's timeouts).
  await parts.services.catalogue.stop({ abort: true });
  await parts.apollo.stop();
  await parts.plum.plum.close();
  await parts.plum.history.close();
  await parts.ledger.close();
  await parts.builtIn?.close();
}
