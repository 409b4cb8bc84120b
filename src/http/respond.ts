// JSON answers for the HTTP listeners (GraphQL, ops, webhooks). Part of src/http/, the lowest layer: it imports
// nothing from the project, so server and webhooks both may use it.
import type { ServerResponse } from "node:http";

/** Statuses answered before the body was read: the connection closes, so a slow sender cannot keep it. */
const CLOSES = new Set([401, 413]);
/** How long the answer has to reach the client before the socket is destroyed (closing with unread data resets). */
const LINGER_MS = 1_000;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  const closing = CLOSES.has(status);
  if (closing) {
    res.shouldKeepAlive = false;
    res.once("finish", () => {
      const socket = res.socket;
      socket?.end();
      setTimeout(() => socket?.destroy(), LINGER_MS).unref();
    });
  }
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...(closing ? { connection: "close" } : {}),
    ...headers,
  });
  res.end(text);
}
