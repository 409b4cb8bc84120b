// GET /ready: ready to take orders = ledger reachable, Plum credentials usable, not shutting down.
import type { ServerResponse } from "node:http";
import type { CredentialsState } from "../plum/tokenManager.js";
import type { Ledger } from "../storage/ledger.js";
import { sendJson } from "../http/respond.js";

export interface ReadinessOptions {
  ledger: Pick<Ledger, "ping">;
  credentials: () => CredentialsState;
  shuttingDown: () => boolean;
}

export function createReadiness(options: ReadinessOptions) {
  return async (res: ServerResponse): Promise<void> => {
    const { ready, checks } = await readiness(options);
    sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "unready", checks });
  };
}

/** The verdict of GET /ready (also the `orders_ready` gauge). */
export async function readiness(options: ReadinessOptions) {
  {
    const database = await options.ledger.ping().then(
      () => "ok" as const,
      () => "unreachable" as const,
    );
    const credentials = options.credentials();
    const shuttingDown = options.shuttingDown();
    const ready = database === "ok" && credentials !== "expired" && !shuttingDown;
    return { ready, checks: { database, credentials, shuttingDown } };
  }
}
