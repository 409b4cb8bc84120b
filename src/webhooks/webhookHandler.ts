// POST /webhooks/xoxoday: Plum's delivery-status callbacks. Authenticated by x-api-key in constant time,
// idempotent by webhook id, and quick to answer 200 (Plum disables a webhook after 3 failed deliveries).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { secretMatches } from "../auth/routerSecret.js";
import { BodyTooLargeError, readBody } from "../http/readBody.js";
import { sendJson } from "../http/respond.js";
import { createdAtTooFarAhead, parseWebhook } from "./parseWebhook.js";
import type { WebhookStore } from "./ports.js";

const MAX_WEBHOOK_BYTES = 16_384;

export interface WebhookHandlerOptions {
  store: Pick<WebhookStore, "recordWebhookEvent">;
  /** undefined: callbacks are accepted without a key (development only; production requires one). */
  apiKey: string | undefined;
  log: Logger;
  /** Events created more than this far in the future (by our clock) are refused: they would win over every later one. */
  maxFutureMs: number;
  onResult?: (result: "applied" | "duplicate" | "mismatched" | "unauthorized" | "malformed") => void;
}

export function createWebhookHandler(options: WebhookHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (options.apiKey !== undefined && !secretMatches(req.headers["x-api-key"], options.apiKey)) {
      options.onResult?.("unauthorized");
      sendJson(res, 401, { error: "invalid x-api-key" });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_WEBHOOK_BYTES));
    } catch (error) {
      options.onResult?.("malformed");
      sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, {
        error: "body must be a JSON delivery-status callback",
      });
      return;
    }
    const receivedAt = new Date();
    const event = parseWebhook(body, receivedAt);
    if (event === null) {
      options.onResult?.("malformed");
      sendJson(res, 400, { error: "body must be a JSON delivery-status callback" });
      return;
    }
    if (createdAtTooFarAhead(body, event, options.maxFutureMs)) {
      options.onResult?.("malformed");
      sendJson(res, 400, { error: "createdAt is in the future" });
      return;
    }
    const result = await options.store.recordWebhookEvent(event);
    const logged = { webhookId: event.id, orderId: event.orderId, deliveryStatus: event.deliveryStatus, result };
    if (result === "mismatched")
      options.log.warn(logged, "webhook's orderId and poNumber name different orders; not applied");
    else options.log.info(logged, "webhook received");
    options.onResult?.(result === "recorded" ? "applied" : result);
    // 200 even when not applied: a redelivery would not change it, and three failures disable the webhook.
    sendJson(res, 200, { ok: true, duplicate: result === "duplicate" });
  };
}
