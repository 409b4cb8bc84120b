// POST /webhooks/xoxoday: Plum's delivery-status callbacks. Authenticated by x-api-key in constant time,
// idempotent by webhook id, and quick to answer 200 (Plum disables a webhook after 3 failed deliveries).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { secretMatches } from "../auth/routerSecret.js";
import type { Ledger } from "../storage/ledger.js";
import { BodyTooLargeError, readBody } from "../server/readBody.js";
import { sendJson } from "../server/respond.js";
import { parseWebhook } from "./parseWebhook.js";

const MAX_WEBHOOK_BYTES = 16_384;

export interface WebhookHandlerOptions {
  ledger: Ledger;
  /** undefined: callbacks are accepted without a key (development only; production requires one). */
  apiKey: string | undefined;
  log: Logger;
  onResult?: (result: "applied" | "duplicate" | "unauthorized" | "malformed") => void;
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
      sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, { error: "body must be a JSON delivery-status callback" });
      return;
    }
    const event = parseWebhook(body, new Date());
    if (event === null) {
      options.onResult?.("malformed");
      sendJson(res, 400, { error: "body must be a JSON delivery-status callback" });
      return;
    }
    const result = await options.ledger.recordWebhookEvent(event);
    options.log.info({ webhookId: event.id, orderId: event.orderId, deliveryStatus: event.deliveryStatus, result }, "webhook received");
    options.onResult?.(result === "duplicate" ? "duplicate" : "applied");
    sendJson(res, 200, { ok: true, duplicate: result === "duplicate" });
  };
}
