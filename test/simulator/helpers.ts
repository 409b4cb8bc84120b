// Shared helpers for the simulator tests: real HTTP calls over loopback with undici.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { PLUM_TAG, PlumOperation } from "../../src/plum/wire.js";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  AIRTEL_TOPUP_PRODUCT_ID,
  createPlumSimulator,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  type PlumSimulator,
} from "../../src/simulator/index.js";
import { closedPort } from "../support/closedPort.js";

export const TOKEN = "sim-access-token";

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function http(
  url: string,
  options: {
    method?: "GET" | "POST" | "DELETE";
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<HttpResult> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await request(url, {
    method: options.method ?? "POST",
    headers: { "content-type": "application/json", ...options.headers },
    ...(body === undefined ? {} : { body }),
    // A signal rather than headersTimeout: undici's own timers are coarse (hundreds of ms).
    ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: tryJson(text) };
}

export function apiBody(operation: keyof typeof PlumOperation, data: unknown): unknown {
  return { query: PlumOperation[operation], tag: PLUM_TAG, variables: { data } };
}

/** POST to the API route with the default token. */
export function callApi(
  sim: PlumSimulator,
  operation: keyof typeof PlumOperation,
  data: unknown,
  options: { token?: string | null; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const token = options.token === undefined ? TOKEN : options.token;
  return http(sim.apiUrl, {
    body: apiBody(operation, data),
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

let poCounter = 0;
export function uniquePo(): string {
  poCounter += 1;
  return `PO-${process.pid}-${Date.now()}-${poCounter}`;
}

export function airmilesOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    quantity: 1,
    denomination: 50,
    email: "your.email@example.com",
    contact: "+1-4705000000",
    tag: "Rewarding",
    poNumber: uniquePo(),
    notifyReceiverEmail: 1,
    notifyAdminEmail: 0,
    userMeta: { loyaltyMemberId: "324523423" },
    ...overrides,
  };
}

export function topupOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    productId: AIRTEL_TOPUP_PRODUCT_ID,
    quantity: 1,
    denomination: 100,
    email: "your.email@example.com",
    tag: "Rewarding",
    poNumber: uniquePo(),
    notifyReceiverEmail: 1,
    notifyAdminEmail: 0,
    performOperatorValidation: 0,
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9857535678" },
    ...overrides,
  };
}

/** `data.<op>.data` of a success envelope. */
export function orderData(result: HttpResult, operation: keyof typeof PlumOperation): Record<string, unknown> {
  const envelope = result.json as { data: Record<string, { status: number; data: Record<string, unknown> }> };
  const payload = envelope.data[operation];
  if (payload === undefined) throw new Error(`no ${operation} in ${result.text}`);
  return payload.data;
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A tiny webhook receiver answering the queued statuses in order (200 once they run out). */
export async function startReceiver(statuses: number[] = []): Promise<{
  url: string;
  received: ReceivedHook[];
  close: () => Promise<void>;
}> {
  const received: ReceivedHook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/plum/webhook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL nothing listens on. */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}/hook`;
}

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** getOrderDetails by poNumber (orderId null). */
export function lookUpByPo(sim: PlumSimulator, poNumber: string): Promise<HttpResult> {
  return callApi(sim, "getOrderDetails", { orderId: null, poNumber, sendMailToReceiver: 0 });
}

/** getOrderDetails by orderId (poNumber ""). */
export function lookUpById(sim: PlumSimulator, orderId: unknown): Promise<HttpResult> {
  return callApi(sim, "getOrderDetails", { orderId, poNumber: "", sendMailToReceiver: 0 });
}

/**
 * One simulator for the enclosing file, started before its tests, reset before each and closed after them. The
 * returned handle forwards to it, so tests use it as the simulator itself.
 */
export function useSharedSimulator(): PlumSimulator {
  let current: PlumSimulator | undefined;
  beforeAll(async () => {
    current = await createPlumSimulator();
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    current?.reset();
  });
  return new Proxy({} as PlumSimulator, {
    get(_target, key) {
      if (current === undefined) throw new Error("the shared simulator is used before it started");
      const value: unknown = Reflect.get(current, key);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
}
