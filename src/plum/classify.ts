// Turns an HTTP answer (or a transport failure) from Plum into a PlumCallResult. Pure functions, unit-tested
// against each documented error shape (docs/plum-api.md §2.1): A OAuth, B business, C rate limit, D token invalidation.
import { toInt } from "./lenient.js";
import type { PlumCallResult } from "./result.js";
import { PlumErrorId, type PlumOrderWire } from "./wire.js";

type Json = Record<string, unknown>;

function parseJson(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Shape C: {"errors":[{"message":"auth.request_limit_exceeded","penaltySeconds":60}]} (also D's bare message form). */
function rateLimitPenalty(body: Json): number | null {
  const errors = body.errors;
  if (Array.isArray(errors)) {
    for (const e of errors) {
      if (isObject(e) && typeof e.message === "string" && e.message.includes("request_limit_exceeded")) {
        return toInt(e.penaltySeconds as number | string | undefined) ?? 60;
      }
    }
  }
  if (body.message === "auth.request_limit_exceeded") return 60;
  return null;
}

function errorText(body: Json): string {
  const parts = [body.errorInfo, body.error, body.error_description];
  return parts
    .filter((p): p is string => typeof p === "string")
    .join(" ")
    .toLowerCase();
}

export function classifyResponse(operation: string, httpStatus: number, text: string): PlumCallResult {
  const body = parseJson(text);
  if (body === null) {
    // A 4xx without a Plum body comes from something in front of Plum: nothing was processed. Anything else
    // (2xx HTML, 5xx pages) may hide a processed order.
    // Such an answer (a gateway's or firewall's page) is no business decision either: the poNumber stays usable.
    if (httpStatus >= 400 && httpStatus < 500 && httpStatus !== 408) {
      return httpStatus === 429
        ? { kind: "rateLimited", httpStatus, penaltySeconds: 60 }
        : { kind: "unauthorized", httpStatus, renewable: false };
    }
    return { kind: "unknown", httpStatus, errorId: null, errorCode: null };
  }

  const penalty = rateLimitPenalty(body);
  if (penalty !== null || httpStatus === 429) {
    return { kind: "rateLimited", httpStatus, penaltySeconds: penalty ?? 60 };
  }

  // Shape A (OAuth) and D (token invalidation): rejected before the order was looked at.
  if (
    typeof body.error === "string" &&
    body.errorId === undefined &&
    (httpStatus === 401 || httpStatus === 403 || httpStatus === 400)
  ) {
    return { kind: "unauthorized", httpStatus, renewable: body.error === "invalid_token" };
  }
  if (body.success === 0 || body.success === "0") {
    return { kind: "unauthorized", httpStatus, renewable: true };
  }

  const errorId = typeof body.errorId === "string" ? body.errorId : null;
  if (httpStatus >= 200 && httpStatus < 300 && errorId === null) {
    const envelope = isObject(body.data) ? body.data[operation] : undefined;
    if (!isObject(envelope)) return { kind: "unknown", httpStatus, errorId: null, errorCode: null };
    const status = toInt(envelope.status as number | string | undefined);
    if (status === 1 && isObject(envelope.data)) {
      return { kind: "ok", httpStatus, order: envelope.data as PlumOrderWire };
    }
    // A readable status other than 1 is a failure Plum reported (docs/plum-api.md §6.1). Success without order data,
    // or no readable status at all, may hide a placed order: unknown, never rejected.
    if (status !== null && status !== 1)
      return { kind: "rejected", httpStatus, errorId: null, operatorValidation: false };
    return { kind: "unknown", httpStatus, errorId: null, errorCode: null };
  }

  if (errorId === PlumErrorId.orderNotFound) return { kind: "notFound", httpStatus };
  // PLE10035, and PLE10011 "failed to confirm order": Plum says to call again, which says nothing about whether the
  // order was made. Unknown: reconciled by look-up, re-sent only once it is proven absent.
  if (errorId === PlumErrorId.statusCheckFailed || errorId === PlumErrorId.confirmFailed) {
    return { kind: "unknown", httpStatus, errorId, errorCode: null };
  }
  if (errorId?.startsWith("PIPE")) return { kind: "unauthorized", httpStatus, renewable: false };
  if (httpStatus >= 500 || httpStatus === 408) return { kind: "unknown", httpStatus, errorId, errorCode: null };
  if (errorId === PlumErrorId.duplicatePoNumber) return { kind: "duplicatePoNumber", httpStatus };
  // A PLE errorId on 401/403 is the application's business answer (PLE10019 international orders, PLE10015 KYC),
  // not the auth layer's: it is a rejection with its own meaning.
  if ((httpStatus === 401 || httpStatus === 403) && errorId === null)
    return { kind: "unauthorized", httpStatus, renewable: false };
  return {
    kind: "rejected",
    httpStatus,
    errorId,
    operatorValidation: errorId === PlumErrorId.validation && errorText(body).includes("operator"),
  };
}

// Failures where the connection was never established: the request cannot have reached Plum.
const NOT_SENT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
]);

export function errorCodeOf(error: unknown): string {
  if (isObject(error)) {
    if (typeof error.code === "string") return error.code;
    if (isObject(error.cause) && typeof error.cause.code === "string") return error.cause.code;
  }
  return "UNKNOWN_ERROR";
}

export function classifyTransportError(error: unknown): PlumCallResult {
  const errorCode = errorCodeOf(error);
  // Anything after connect (timeouts, resets, aborts) may have reached Plum: the outcome is unknown.
  return NOT_SENT_CODES.has(errorCode)
    ? { kind: "notSent", errorCode }
    : { kind: "unknown", httpStatus: null, errorId: null, errorCode };
}
