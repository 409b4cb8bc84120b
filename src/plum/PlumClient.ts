// The one way this service talks to Plum: a dedicated undici Pool (keep-alive, capped connections, explicit
// timeouts), every request and response handed to the recorder, one renew-and-retry on an expired token.
import { Pool } from "undici";
import type { AttemptEntry, Exchange } from "./exchange.js";
import type { PlumGate } from "./gate.js";
import { plumRequestBody } from "./requestBody.js";
import { Slots } from "./slots.js";
import { classifyResponse, classifyTransportError } from "./classify.js";
import type { PlumCallResult } from "./result.js";
import { classifyRead, type PlumReadResult } from "./readResult.js";
import type { AccessTokenSource } from "./tokens.js";
import type { GetOrderDetailsData, PlaceOrderData, PlumOperationName } from "./wire.js";

export interface PlumClientOptions {
  apiUrl: string;
  tokens: AccessTokenSource;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxConnections: number;
  /** Persists every exchange (Plum asks clients to store each placeOrder request and response). */
  record: (entry: AttemptEntry) => Promise<void>;
  /** Called once per HTTP exchange, for metrics. */
  observe?: (
    operation: PlumOperationName,
    outcome: PlumCallResult["kind"] | PlumReadResult["kind"],
    seconds: number,
  ) => void;
  /** The shared rate budget (issue 16); absent: every call leaves at once. */
  gate?: PlumGate;
}

/** Plum's documented penalty (docs/plum-api.md §6.2), for read answers that do not carry theirs. */
const DEFAULT_PENALTY_SECONDS = 60;

const MAX_RESPONSE_BYTES = 1_048_576;
/** Keep audit rows bounded; a longer body is an upstream anomaly, and the head is what matters. */
const MAX_RECORDED_BODY_CHARS = 65_536;

/** The operations the attempt log records (the order's own exchanges). */
type OrderOperation = "placeOrder" | "getOrderDetails";

export type OrderLookup = { orderId: string } | { poNumber: string };

/**
 * Lets a caller fold the attempt log into its own ledger writes: the first request may already be on record (the
 * claim wrote it), and responses are collected for the caller's next update instead of one commit each. Requests
 * that are not yet on record are always written before they leave.
 */
export interface CallJournal {
  requestRecorded: boolean;
  deferred: AttemptEntry[];
  /** Requests are collected too instead of written before they leave (the caller wrote its own write-ahead). */
  collectRequests?: boolean;
  /** false: after a refusal for an expired token, renew it but do not send again (the caller decides). */
  resend?: boolean;
  /** performance.now() after which the request must not leave; it is then answered notSent (SEND_GUARD). */
  notAfter?: number;
}

export { plumRequestBody } from "./requestBody.js";

export class PlumClient {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly exchangeBudgetMs: number;
  private readonly slots: Slots;

  constructor(private readonly options: PlumClientOptions) {
    const url = new URL(options.apiUrl);
    this.path = `${url.pathname}${url.search}`;
    this.exchangeBudgetMs = options.connectTimeoutMs + options.headersTimeoutMs + options.bodyTimeoutMs;
    this.slots = new Slots(options.maxConnections);
    this.pool = new Pool(url.origin, {
      connections: options.maxConnections,
      connectTimeout: options.connectTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: 10_000,
      maxResponseSize: MAX_RESPONSE_BYTES,
      // Plum speaks HTTP/1.1; keep one request per socket so a failure maps to exactly one order.
      allowH2: false,
      pipelining: 1,
    });
  }

  placeOrder(data: PlaceOrderData, journal?: CallJournal): Promise<PlumCallResult> {
    return this.call("placeOrder", data, data.poNumber, journal);
  }

  /** By orderId (poNumber sent as "") or by poNumber (orderId sent as null), per getOrderDetails' conventions. */
  getOrderDetails(lookup: OrderLookup, journal?: CallJournal): Promise<PlumCallResult> {
    const data: GetOrderDetailsData =
      "orderId" in lookup
        ? { orderId: lookup.orderId, poNumber: "", sendMailToReceiver: 0 }
        : { orderId: null, poNumber: lookup.poNumber, sendMailToReceiver: 0 };
    return this.call("getOrderDetails", data, "poNumber" in lookup ? lookup.poNumber : null, journal);
  }

  /**
   * The placement engine's calls: nothing is written here; every request and response (a renewed-token retry
   * included) comes back in `log` for the caller to commit with its next ledger write. `requestOnRecord`: the first
   * request is already committed (the write-ahead wrote it).
   */
  async exchangePlaceOrder(
    data: PlaceOrderData,
    options: { requestOnRecord: boolean; notAfter: number },
  ): Promise<Exchange> {
    // No hidden re-send after a renewed token: the engine writes a new attempt ahead and sends that.
    const journal: CallJournal = {
      requestRecorded: options.requestOnRecord,
      deferred: [],
      collectRequests: true,
      resend: false,
      notAfter: options.notAfter,
    };
    const result = await this.call("placeOrder", data, data.poNumber, journal);
    return { result, log: journal.deferred };
  }

  async exchangeOrderDetails(lookup: OrderLookup): Promise<Exchange> {
    const journal: CallJournal = { requestRecorded: false, deferred: [], collectRequests: true };
    const result = await this.getOrderDetails(lookup, journal);
    return { result, log: journal.deferred };
  }

  /**
   * A read-only operation (getVouchers, lookupMobileNumber, getBalance): nothing is placed, so nothing goes to the
   * attempt log, and a refused token is renewed and the read sent once more.
   */
  async read(operation: "getVouchers" | "lookupMobileNumber" | "getBalance", data: object): Promise<PlumReadResult> {
    const body = plumRequestBody(operation, data);
    const token = await this.options.tokens.current();
    const first = await this.readOnce(operation, body, token);
    if (first.kind === "failed" && first.reason === "unauthorized") {
      const renewed = await this.options.tokens.renew(token);
      if (renewed !== null && renewed !== token) return this.readOnce(operation, body, renewed);
    }
    return first;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** One POST to Plum's endpoint. */
  private post(body: string, token: string): ReturnType<Pool["request"]> {
    return this.pool.request({
      path: this.path,
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
      body,
      // undici's timeouts bound each phase (and the body only between chunks); this bounds the whole exchange, so
      // an operation can be trusted to end within its lease (see leaseMs in app.ts).
      signal: AbortSignal.timeout(this.exchangeBudgetMs),
    });
  }

  private async readOnce(operation: PlumOperationName, body: string, token: string): Promise<PlumReadResult> {
    if (((await this.options.gate?.admit(operation)) ?? 0) > 0) return { kind: "failed", reason: "rateLimited" };
    const release = await this.slots.take("lookup");
    const started = performance.now();
    let result: PlumReadResult;
    try {
      const response = await this.post(body, token);
      result = classifyRead(operation, response.statusCode, await response.body.text());
    } catch (error) {
      const transport = classifyTransportError(error);
      result = { kind: "failed", reason: transport.kind === "ok" ? "unreadable" : transport.kind };
    } finally {
      release();
    }
    this.options.observe?.(operation, result.kind, (performance.now() - started) / 1000);
    if (result.kind === "failed" && result.reason === "rateLimited")
      this.options.gate?.rateLimited(operation, DEFAULT_PENALTY_SECONDS);
    return result;
  }

  private async call(
    operation: OrderOperation,
    data: object,
    poNumber: string | null,
    journal: CallJournal | undefined,
  ): Promise<PlumCallResult> {
    // Over the shared budget the call never leaves: answered like Plum's refusal (nothing was processed).
    const refusedMs = (await this.options.gate?.admit(operation)) ?? 0;
    if (refusedMs > 0) return { kind: "rateLimited", httpStatus: 0, penaltySeconds: Math.ceil(refusedMs / 1000) };
    const body = plumRequestBody(operation, data);
    const token = await this.options.tokens.current();
    // "Already on record" covers the journal's first request only; later calls with it record their own.
    const requestRecorded = journal?.requestRecorded ?? false;
    if (journal !== undefined) journal.requestRecorded = false;
    const first = await this.exchange(operation, body, poNumber, token, journal, requestRecorded);
    // An expired or rotated token is rejected before the order is processed, so one retry is safe.
    if (first.kind === "unauthorized" && first.renewable) {
      const renewed = await this.options.tokens.renew(token);
      // Without a new token another attempt would meet the same refusal: no longer renewable.
      if (journal?.resend === false)
        return renewed !== null && renewed !== token ? first : { ...first, renewable: false };
      if (renewed !== null && renewed !== token) {
        // A second arrival at Plum: it takes its own slot of the shared budget.
        const again = (await this.options.gate?.admit(operation)) ?? 0;
        if (again > 0) return { kind: "rateLimited", httpStatus: 0, penaltySeconds: Math.ceil(again / 1000) };
        return this.exchange(operation, body, poNumber, renewed, journal, false);
      }
    }
    return first;
  }

  private async exchange(
    operation: OrderOperation,
    body: string,
    poNumber: string | null,
    token: string,
    journal: CallJournal | undefined,
    requestRecorded: boolean,
  ): Promise<PlumCallResult> {
    // The request is on record before it leaves: a crash after sending still leaves a trace to reconcile from.
    if (!requestRecorded) {
      const request: AttemptEntry = {
        poNumber,
        operation,
        phase: "request",
        body,
        httpStatus: null,
        errorCode: null,
        durationMs: null,
        at: new Date(),
      };
      if (journal?.collectRequests) {
        journal.deferred.push(request);
      } else {
        // Deferred entries go first so the log keeps the order things happened in.
        for (const entry of journal?.deferred.splice(0) ?? []) await this.options.record(entry);
        await this.options.record(request);
      }
    }
    const release = await this.slots.take(operation === "placeOrder" ? "send" : "lookup");
    try {
      return await this.exchangeInSlot(operation, body, poNumber, token, journal);
    } finally {
      release();
    }
  }

  private async exchangeInSlot(
    operation: OrderOperation,
    body: string,
    poNumber: string | null,
    token: string,
    journal: CallJournal | undefined,
  ): Promise<PlumCallResult> {
    const started = performance.now();
    if (journal?.notAfter !== undefined && started > journal.notAfter) {
      // Too long since the write-ahead (a slow token read, a full pool, a paused process): it must not leave now.
      const errorCode = "SEND_GUARD";
      journal.deferred.push({
        poNumber,
        operation,
        phase: "response",
        body: null,
        httpStatus: null,
        errorCode,
        durationMs: 0,
        at: new Date(),
      });
      return { kind: "notSent", errorCode };
    }
    let result: PlumCallResult;
    let httpStatus: number | null = null;
    let responseText: string | null = null;
    let errorCode: string | null = null;
    try {
      const response = await this.post(body, token);
      httpStatus = response.statusCode;
      responseText = await response.body.text();
      result = classifyResponse(operation, httpStatus, responseText);
    } catch (error) {
      result = classifyTransportError(error);
      errorCode = result.kind === "notSent" || result.kind === "unknown" ? (result.errorCode ?? null) : null;
    }
    const durationMs = performance.now() - started;
    this.options.observe?.(operation, result.kind, durationMs / 1000);
    if (result.kind === "rateLimited") this.options.gate?.rateLimited(operation, result.penaltySeconds);
    const response: AttemptEntry = {
      poNumber,
      operation,
      phase: "response",
      body: responseText === null ? null : responseText.slice(0, MAX_RECORDED_BODY_CHARS),
      httpStatus,
      errorCode,
      durationMs: Math.round(durationMs),
      at: new Date(),
    };
    if (journal !== undefined) journal.deferred.push(response);
    else await this.options.record(response);
    return result;
  }
}
