// Callbacks for orders the ledger never learns of (or naming two different orders) are kept only so long: every
// hour (or TTL, if shorter) those received more than the TTL ago are deleted.
import type { Logger } from "pino";
import type { WebhookStore } from "./ports.js";

const HOUR_MS = 3_600_000;

export function startWebhookExpiry(options: {
  store: Pick<WebhookStore, "pruneUnmatchedWebhookEvents">;
  ttlMs: number;
  log: Logger;
}): () => void {
  const prune = async () => {
    try {
      const deleted = await options.store.pruneUnmatchedWebhookEvents(new Date(Date.now() - options.ttlMs));
      if (deleted > 0) options.log.info({ deleted }, "expired webhook events that matched no order");
    } catch (error) {
      options.log.warn({ err: error }, "expiring unmatched webhook events failed; will retry");
    }
  };
  const timer = setInterval(() => void prune(), Math.min(HOUR_MS, options.ttlMs));
  timer.unref();
  return () => clearInterval(timer);
}
