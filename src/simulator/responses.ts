// Body builders for the four documented error shapes (docs/plum-api.md §2.1) and the success envelope.
import { STATUS_CODES } from "node:http";
import type { PlumBusinessErrorBody, PlumOAuthErrorBody, PlumRateLimitBody, PlumTokenErrorBody } from "../plum/wire.js";

/** What a handler wants sent; the fault layer may send something else instead. */
export type SimReply =
  | { readonly kind: "json"; readonly status: number; readonly body: unknown }
  | { readonly kind: "text"; readonly status: number; readonly contentType: string; readonly text: string };

export function jsonReply(status: number, body: unknown): SimReply {
  return { kind: "json", status, body };
}

export function textReply(status: number, text: string, contentType = "text/html; charset=utf-8"): SimReply {
  return { kind: "text", status, contentType, text };
}

/** Shape B: `code` repeats the HTTP status. */
export function businessError(status: number, errorId: string, errorInfo: string, error: string): SimReply {
  const body: PlumBusinessErrorBody = { code: status, errorId, errorInfo, error };
  return jsonReply(status, body);
}

/** Shape A. */
export function oauthError(status: number, error: string, description: string): SimReply {
  const body: PlumOAuthErrorBody = { error, error_description: description };
  return jsonReply(status, body);
}

/** Shape C. The status is undocumented upstream; 429 by default. */
export function rateLimitReply(status = 429, penaltySeconds = 60): SimReply {
  const body: PlumRateLimitBody = { errors: [{ message: "auth.request_limit_exceeded", penaltySeconds }] };
  return jsonReply(status, body);
}

/** Shape D. */
export function tokenErrorReply(): SimReply {
  const body: PlumTokenErrorBody = { success: 0, error_message_id: "auth.token_error" };
  return jsonReply(401, body);
}

export function successReply(operation: string, data: unknown): SimReply {
  return jsonReply(200, { data: { [operation]: { status: 1, data } } });
}

/** Express-style 404, as the upstream Node service would answer an unknown route. */
export function notFoundReply(method: string, path: string): SimReply {
  const safePath = path.replace(/[<>&"]/g, "");
  return textReply(
    404,
    `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error</title></head>\n<body><pre>Cannot ${method} ${safePath}</pre></body>\n</html>\n`,
  );
}

/** What a gateway in front of Plum answers when the app is down (the `nonJson` fault). */
export function gatewayHtmlReply(status: number): SimReply {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return textReply(
    status,
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  );
}
