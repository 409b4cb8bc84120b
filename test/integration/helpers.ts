// Shared pieces of the HTTP integration tests: typed placements and reads against a running test app, unique
// inputs, and the check that nothing Plum said reaches the client verbatim.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import {
  OrderByIdDocument,
  OrderByPoNumberDocument,
  PlaceAirmilesOrderDocument,
  PlaceTopupOrderDocument,
  type OrderFieldsFragment,
  type PlaceAirmilesOrderInput,
  type PlaceOrderPayloadFieldsFragment,
  type PlaceTopupOrderInput,
} from "../__generated__/graphql.js";
import { gql, type GraphQLResponse } from "../support/graphqlClient.js";
import {
  AIRTEL_TOPUP_PRODUCT_ID,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  type PlumSimulator,
  type SimOrder,
} from "../../src/simulator/index.js";

export type Payload = PlaceOrderPayloadFieldsFragment;
export type OrderFields = OrderFieldsFragment;

/** Test settle window is 300 ms (test/support/harness.ts); wait comfortably past it, without tight timing. */
export const PAST_SETTLE_MS = 450;

export function pastSettleWindow(): Promise<void> {
  return sleep(PAST_SETTLE_MS);
}

export function newPo(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

export function airmiles(overrides: Partial<PlaceAirmilesOrderInput> = {}): PlaceAirmilesOrderInput {
  return {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    quantity: 1,
    denomination: 50,
    email: "member@example.com",
    poNumber: newPo("air"),
    userMeta: { loyaltyMemberId: "EK-000123" },
    ...overrides,
  };
}

export function topup(overrides: Partial<PlaceTopupOrderInput> = {}): PlaceTopupOrderInput {
  return {
    productId: AIRTEL_TOPUP_PRODUCT_ID,
    quantity: 1,
    denomination: 100,
    email: "customer@example.com",
    poNumber: newPo("top"),
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9812345678" },
    ...overrides,
  };
}

export interface Placed {
  response: GraphQLResponse<unknown>;
  payload: Payload;
}

function payloadOf(response: GraphQLResponse<unknown>, field: string): Payload {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  const data = response.data as Record<string, Payload | undefined> | null | undefined;
  const payload = data?.[field];
  if (payload === undefined) throw new Error(`no ${field} in ${JSON.stringify(response)}`);
  return payload;
}

export async function placeAirmiles(url: string, input: PlaceAirmilesOrderInput): Promise<Placed> {
  const response = await gql(url, PlaceAirmilesOrderDocument, { input });
  return { response, payload: payloadOf(response, "placeAirmilesOrder") };
}

export async function placeTopup(url: string, input: PlaceTopupOrderInput): Promise<Placed> {
  const response = await gql(url, PlaceTopupOrderDocument, { input });
  return { response, payload: payloadOf(response, "placeTopupOrder") };
}

export async function orderByPoNumber(url: string, poNumber: string): Promise<OrderFields | null> {
  const response = await gql(url, OrderByPoNumberDocument, { poNumber });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data?.orderByPoNumber ?? null;
}

export async function orderById(url: string, orderId: string): Promise<OrderFields | null> {
  const response = await gql(url, OrderByIdDocument, { orderId });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data?.order ?? null;
}

// What the simulator says in its own bodies (errorInfo/error texts, gateway pages, operator and poNumber details).
// None of it may reach a client: upstream text can carry personal data and internal detail.
const UPSTREAM_TEXTS = [
  "Failed to",
  "Validation error",
  "<html",
  "nginx",
  "Injected fault",
  "Vouchers are out of stock",
  "Not allowed to place",
  "Operator validation failed",
  "Insufficient balance",
  "Failed to redeem points",
  "ProductId and Denomination",
  "not activated for the client",
  "already exists",
  "Order not found",
  "request_limit_exceeded",
  "invalid/expired token",
  "Delivery is canceled",
];

/** The whole response, as the client received it, carries no upstream text and no stack trace. */
export function expectNothingVerbatim(response: unknown): void {
  const text = JSON.stringify(response);
  for (const upstream of UPSTREAM_TEXTS) expect(text, `response contains upstream text "${upstream}"`).not.toContain(upstream);
  expect(text).not.toMatch(/at [^"]*\.ts:\d+/);
  expect(text).not.toMatch(/stacktrace/i);
}

/** The simulator's orders under one poNumber (the reconciler may also settle rows other tests left PENDING). */
export function simOrdersFor(sim: PlumSimulator, poNumber: string): SimOrder[] {
  return sim.orders().filter((order) => order.poNumber === poNumber);
}

/** How many placeOrder requests for this poNumber reached the simulator. */
export function placeCallsFor(sim: PlumSimulator, poNumber: string): number {
  return sim.calls("placeOrder").filter((call) => {
    const body = call.body as { variables?: { data?: { poNumber?: unknown } } } | null;
    return body?.variables?.data?.poNumber === poNumber;
  }).length;
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
