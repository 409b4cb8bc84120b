// getOrderHistory (docs/plum-api.md §4.3): one page of the orders Plum holds for a date range. Used by the daily
// reconciliation only, on its own small undici pool so it never takes a connection slot from placements. Pages are
// not written to the attempt log: they carry every order's e-mail and phone number and no single order's story.
import type { PlumGate } from "./gate.js";
import { Pool } from "undici";
import { classifyResponse, classifyTransportError } from "./classify.js";
import { toId } from "./lenient.js";
import { plumRequestBody } from "./requestBody.js";
import type { AccessTokenSource } from "./tokens.js";

/** What reconciliation needs of a history row (the documented row has more). */
export interface HistoryRow {
  orderId: string;
  /** null when the order was placed without one (Plum sends "" or nothing). */
  poNumber: string | null;
  /** Plum's "YYYY-MM-DD HH:MM:SS", as received. */
  orderDate: string | null;
  deliveryStatus: string | null;
}

export interface HistoryQuery {
  /** YYYY-MM-DD, inclusive. */
  startDate: string;
  endDate: string;
  /** 1-based. */
  page: number;
  limit: number;
}

export type HistoryResult =
  | { kind: "ok"; rows: HistoryRow[] }
  | { kind: "rateLimited"; penaltySeconds: number }
  /** Plum could not answer (unreachable, 5xx, refused, unreadable): the run fails and is tried again. */
  | { kind: "failed"; reason: string };

/** PLE10022 / PLE10027 "Failed to find order history" (404): no orders in the range [I]. */
const NO_HISTORY_IDS = new Set(["PLE10022", "PLE10027"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}

function toRow(value: unknown): HistoryRow | null {
  if (!isObject(value)) return null;
  const orderId = toId(value["orderId"] as string | number | undefined);
  if (orderId === null) return null;
  const poNumber = text(value["poNumber"]);
  return {
    orderId,
    poNumber: poNumber === "" ? null : poNumber,
    orderDate: text(value["orderDate"]),
    deliveryStatus: text(value["deliveryStatus"]),
  };
}

/** Pure: an HTTP answer to getOrderHistory. Rows without a readable orderId cannot be compared and are dropped. */
export function classifyHistory(httpStatus: number, body: string): HistoryResult {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(body);
  } catch {
    // classifyResponse below names the failure.
  }
  if (httpStatus >= 200 && httpStatus < 300 && isObject(parsed) && isObject(parsed["data"])) {
    const envelope = parsed["data"]["getOrderHistory"];
    if (isObject(envelope) && Number(envelope["status"]) === 1 && Array.isArray(envelope["data"])) {
      return { kind: "ok", rows: envelope["data"].map(toRow).filter((row): row is HistoryRow => row !== null) };
    }
  }
  if (isObject(parsed) && typeof parsed["errorId"] === "string" && NO_HISTORY_IDS.has(parsed["errorId"]))
    return { kind: "ok", rows: [] };
  const result = classifyResponse("getOrderHistory", httpStatus, body);
  if (result.kind === "rateLimited") return { kind: "rateLimited", penaltySeconds: result.penaltySeconds };
  return { kind: "failed", reason: `${result.kind} (HTTP ${httpStatus})` };
}

export interface OrderHistoryClientOptions {
  apiUrl: string;
  tokens: AccessTokenSource;
  timeoutMs: number;
  observe?: (outcome: string, seconds: number) => void;
  /** The shared rate budget (issue 16); absent: every page leaves at once. */
  gate?: PlumGate;
}

export class OrderHistoryClient {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(private readonly options: OrderHistoryClientOptions) {
    const url = new URL(options.apiUrl);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, {
      connections: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** One page; an expired token is renewed once (a read: repeating it is harmless). */
  async page(query: HistoryQuery): Promise<HistoryResult> {
    const token = await this.options.tokens.current();
    const first = await this.request(query, token);
    if (first.status !== 401) return first.result;
    const renewed = await this.options.tokens.renew(token);
    return renewed === null || renewed === token ? first.result : (await this.request(query, renewed)).result;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async request(query: HistoryQuery, token: string): Promise<{ status: number | null; result: HistoryResult }> {
    // Over the shared budget the page is not asked for: answered like Plum's refusal, so the job waits it out.
    const refusedMs = (await this.options.gate?.admit("getOrderHistory")) ?? 0;
    if (refusedMs > 0)
      return { status: null, result: { kind: "rateLimited", penaltySeconds: Math.ceil(refusedMs / 1000) } };
    const started = performance.now();
    let outcome: { status: number | null; result: HistoryResult };
    try {
      const response = await this.pool.request({
        path: this.path,
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
        body: plumRequestBody("getOrderHistory", query),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const body = await response.body.text();
      outcome = { status: response.statusCode, result: classifyHistory(response.statusCode, body) };
    } catch (error) {
      outcome = { status: null, result: { kind: "failed", reason: classifyTransportError(error).kind } };
    }
    this.options.observe?.(outcome.result.kind, (performance.now() - started) / 1000);
    if (outcome.result.kind === "rateLimited")
      this.options.gate?.rateLimited("getOrderHistory", outcome.result.penaltySeconds);
    return outcome;
  }
}
