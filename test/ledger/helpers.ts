// Shared helpers for the ledger reliability tests: the placement mutation and order queries over real HTTP,
// order inputs, and bounded polling.
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { request } from "undici";
import { expect } from "vitest";
import { gql } from "../support/graphqlClient.js";
import { PLUM_TAG, PlumOperation, type PlaceOrderData } from "../../src/plum/wire.js";
import { AIRTEL_TOPUP_PRODUCT_ID, EMIRATES_SKYWARDS_PRODUCT_ID, type PlumSimulator, type SimOrder } from "../../src/simulator/index.js";
import type { AttemptEntry } from "../../src/storage/ledger.js";

export const PLACE_AIRMILES = /* GraphQL */ `
  mutation Place($input: PlaceAirmilesOrderInput!) {
    placeAirmilesOrder(input: $input) {
      outcome
      order { orderId poNumber deliveryStatus }
      errors { code upstreamErrorId retryable }
    }
  }
`;

export const PLACE_TOPUP = /* GraphQL */ `
  mutation PlaceTopup($input: PlaceTopupOrderInput!) {
    placeTopupOrder(input: $input) {
      outcome
      order { orderId poNumber deliveryStatus }
      errors { code upstreamErrorId retryable }
    }
  }
`;

export const ORDER_BY_ID = /* GraphQL */ `
  query ById($orderId: ID!) { order(orderId: $orderId) { orderId poNumber deliveryStatus } }
`;

export const ORDER_BY_PO = /* GraphQL */ `
  query ByPo($poNumber: String!) { orderByPoNumber(poNumber: $poNumber) { orderId poNumber deliveryStatus } }
`;

export interface OrderFields {
  orderId: string;
  poNumber: string | null;
  deliveryStatus: string | null;
}

export interface PlacePayload {
  outcome: "PLACED" | "REPLAYED" | "PENDING" | "REJECTED";
  order: OrderFields | null;
  errors: { code: string; upstreamErrorId: string | null; retryable: boolean }[];
}

export interface AirmilesInput {
  productId: number;
  denomination: number;
  email: string;
  poNumber: string;
  userMeta: { loyaltyMemberId: string };
}

/** A poNumber no other test (or earlier run against the same database) uses. */
export function newPoNumber(prefix = "PO"): string {
  return `${prefix}-${randomBytes(6).toString("hex")}`;
}

/** A realtime airmiles order (Emirates Skywards, open value) unless overridden. */
export function airmilesInput(poNumber: string, overrides: Partial<AirmilesInput> = {}): AirmilesInput {
  return {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    denomination: 50,
    email: "member@example.com",
    poNumber,
    userMeta: { loyaltyMemberId: "EK123456789" },
    ...overrides,
  };
}

export interface TopupInput {
  productId: number;
  denomination: number;
  email: string;
  poNumber: string;
  userMeta: { topupPhoneCode: string; topupPhoneNumber: string };
}

/** A delayed top-up (Airtel India): pending until Plum's delivery callback. */
export function topupInput(poNumber: string): TopupInput {
  return {
    productId: AIRTEL_TOPUP_PRODUCT_ID,
    denomination: 100,
    email: "customer@example.com",
    poNumber,
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9812345678" },
  };
}

/** Places an airmiles order; fails the test on a transport or GraphQL error (business failures are payload data). */
export async function placeAirmiles(url: string, input: AirmilesInput): Promise<PlacePayload> {
  const response = await gql<{ placeAirmilesOrder: PlacePayload }>(url, PLACE_AIRMILES, { input });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const payload = response.data?.placeAirmilesOrder;
  if (payload === undefined) throw new Error(`no payload: HTTP ${response.status}`);
  return payload;
}

export async function placeTopup(url: string, input: TopupInput): Promise<PlacePayload> {
  const response = await gql<{ placeTopupOrder: PlacePayload }>(url, PLACE_TOPUP, { input });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const payload = response.data?.placeTopupOrder;
  if (payload === undefined) throw new Error(`no payload: HTTP ${response.status}`);
  return payload;
}

/** Places an order at the simulator directly, bypassing the service (as another client of the account would). */
export async function placeAtPlum(sim: PlumSimulator, data: PlaceOrderData): Promise<SimOrder> {
  const response = await request(sim.apiUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${sim.tokens.accessToken}` },
    body: JSON.stringify({ query: PlumOperation.placeOrder, tag: PLUM_TAG, variables: { data } }),
  });
  const text = await response.body.text();
  expect(response.statusCode, text).toBe(200);
  const order = sim.findOrder({ poNumber: data.poNumber });
  if (order === undefined) throw new Error("the simulator did not create the order");
  return order;
}

export async function orderById(url: string, orderId: string): Promise<OrderFields | null> {
  const response = await gql<{ order: OrderFields | null }>(url, ORDER_BY_ID, { orderId });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data?.order ?? null;
}

export async function orderByPoNumber(url: string, poNumber: string): Promise<OrderFields | null> {
  const response = await gql<{ orderByPoNumber: OrderFields | null }>(url, ORDER_BY_PO, { poNumber });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data?.orderByPoNumber ?? null;
}

/** The simulator's orders under one poNumber (other tests may share the simulator). */
export function upstreamOrders(sim: PlumSimulator, poNumber: string) {
  return sim.orders().filter((order) => order.poNumber === poNumber);
}

/**
 * Polls `probe` until it returns a value other than undefined; bounded so a broken system fails the test instead
 * of hanging it. The interval is generous: two cores are shared with other test runs.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * The attempt log holds a request and a response entry for every call, in order, and no stored body carries a
 * bearer token or the access token itself.
 */
export function expectCompleteAttemptLog(attempts: AttemptEntry[], accessToken: string): void {
  for (const operation of ["placeOrder", "getOrderDetails"] as const) {
    const ofOperation = attempts.filter((a) => a.operation === operation);
    const requests = ofOperation.filter((a) => a.phase === "request");
    const responses = ofOperation.filter((a) => a.phase === "response");
    expect(responses.length, `${operation}: one response entry per request`).toBe(requests.length);
  }
  // Each request is followed by its response before the next request of this order (one call at a time).
  let open = false;
  for (const entry of attempts) {
    if (entry.phase === "request") {
      expect(open, "a request entry while the previous call had no response entry").toBe(false);
      expect(entry.body, "request bodies are stored").not.toBeNull();
      open = true;
    } else {
      expect(open, "a response entry without a request").toBe(true);
      // A response either arrived (status, possibly a body) or failed in transport (an error code).
      expect(entry.httpStatus !== null || entry.errorCode !== null, "response has a status or a transport error").toBe(true);
      open = false;
    }
  }
  expect(open, "the last request has its response entry").toBe(false);
  for (const entry of attempts) {
    const body = entry.body ?? "";
    expect(body).not.toMatch(/bearer/i);
    expect(body).not.toContain(accessToken);
  }
}
