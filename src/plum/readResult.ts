// What a read-only Plum call (catalogue, operator look-up, balance) came to. Reads place nothing, so the only
// questions are: did Plum answer with data, refuse for a business reason, or fail to answer?
import { classifyResponse } from "./classify.js";
import type { PlumCallResult } from "./result.js";

export type PlumReadResult =
  /** status 1: `data` is the operation's `data` member (or the operation's object when it has none). */
  | { kind: "ok"; data: unknown }
  /** A business refusal (an errorId such as PLE10030 "no vouchers found"): Plum answered, with nothing to give. */
  | { kind: "rejected"; errorId: string | null }
  /** Plum could not be asked or did not answer usefully (transport, 5xx, rate limit, credentials). */
  | { kind: "failed"; reason: Exclude<PlumCallResult["kind"], "ok"> | "unreadable" };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `{"data":{"<op>":{"status":1,"data":…}}}`; lookupMobileNumber's page documents its fields flat beside `status`. */
export function classifyRead(operation: string, httpStatus: number, text: string): PlumReadResult {
  if (httpStatus >= 200 && httpStatus < 300) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: "failed", reason: "unreadable" };
    }
    const envelope = isObject(body) && isObject(body["data"]) ? body["data"][operation] : undefined;
    if (isObject(envelope) && (envelope["status"] === 1 || envelope["status"] === "1")) {
      return {
        kind: "ok",
        data: envelope["data"] !== undefined && envelope["data"] !== null ? envelope["data"] : envelope,
      };
    }
  }
  const result = classifyResponse(operation, httpStatus, text);
  switch (result.kind) {
    case "rejected":
      return { kind: "rejected", errorId: result.errorId };
    case "notFound":
      return { kind: "rejected", errorId: "PLE10016" };
    case "ok":
      return { kind: "failed", reason: "unreadable" };
    default:
      return { kind: "failed", reason: result.kind };
  }
}
