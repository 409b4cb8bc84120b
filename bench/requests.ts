// The request every scenario sends, in its two wire forms: Plum's placeOrder body (the floor) and the GraphQL
// mutation (the reference subgraph and the real service). Both carry the same order with a unique poNumber.
import { SignJWT } from "jose";
import { EMIRATES_SKYWARDS_PRODUCT_ID } from "../src/simulator/index.js";
import { PLUM_TAG, PlumOperation, type PlaceOrderData, type PlumRequestBody } from "../src/plum/wire.js";

/** Realtime-delivered airmiles product: the simulator answers "delivered" at once, no webhook, no reconciling. */
export const PRODUCT_ID = EMIRATES_SKYWARDS_PRODUCT_ID;
export const DENOMINATION = 10;

// Credentials shared by the simulator and the service under test; fixed values, this is loopback only.
export const SIM_ACCESS_TOKEN = "bench-access-token";
export const SIM_REFRESH_TOKEN = "sim-refresh-token";
export const SIM_CLIENT_ID = "sim-client-id";
export const SIM_CLIENT_SECRET = "sim-client-secret";
export const ROUTER_SECRET = "bench-router-secret";
export const JWT_SECRET = "bench-jwt-secret-0123456789abcdef0123456789";
export const JWT_ISSUER = "https://bench.invalid/";
export const JWT_AUDIENCE = "orders-subgraph";
export const WEBHOOK_KEY = "benchWebhookKey0123";
export const BENCH_SUBJECT = "bench-client";

/** The order as the service sends it to Plum (toPlaceOrderData's shape for this input). */
export function placeOrderData(poNumber: string): PlaceOrderData {
  return {
    productId: PRODUCT_ID,
    quantity: 1,
    denomination: DENOMINATION,
    email: "bench@example.com",
    poNumber,
    notifyReceiverEmail: 0,
    notifyAdminEmail: 0,
    userMeta: { loyaltyMemberId: "EK123456789" },
  };
}

export function plumPlaceOrderBody(poNumber: string): string {
  const body: PlumRequestBody<PlaceOrderData> = {
    query: PlumOperation.placeOrder,
    tag: PLUM_TAG,
    variables: { data: placeOrderData(poNumber) },
  };
  return JSON.stringify(body);
}

/** The same selection for the reference subgraph and the service, so both serialise the same payload. */
export const PLACE_MUTATION = `mutation Place($input: PlaceAirmilesOrderInput!) {
  placeAirmilesOrder(input: $input) {
    outcome
    order { orderId poNumber deliveryStatus amountCharged currencyCode }
    errors { code message }
  }
}`;

export function placeMutationBody(poNumber: string): string {
  return JSON.stringify({
    query: PLACE_MUTATION,
    variables: {
      input: {
        productId: PRODUCT_ID,
        quantity: 1,
        denomination: DENOMINATION,
        email: "bench@example.com",
        poNumber,
        userMeta: { loyaltyMemberId: "EK123456789" },
      },
    },
  });
}

/**
 * A body factory that only concatenates strings per request: the load generator shares the 2 cores with the
 * service, so it must not spend a JSON.stringify per request.
 */
export function templated(build: (poNumber: string) => string): (poNumber: string) => string {
  const marker = "PO_MARKER_7f3a";
  const [head, tail] = build(marker).split(marker);
  if (head === undefined || tail === undefined) throw new Error("marker not found in body template");
  return (poNumber) => head + poNumber + tail;
}

/** What the router forwards: its shared secret and the end user's JWT (all scopes, so entities are visible). */
export async function serviceHeaders(): Promise<Record<string, string>> {
  const token = await new SignJWT({ scope: "orders:write orders:read orders:admin" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(BENCH_SUBJECT)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("12h")
    .sign(new TextEncoder().encode(JWT_SECRET));
  return {
    "content-type": "application/json",
    "router-authorization": ROUTER_SECRET,
    authorization: `Bearer ${token}`,
  };
}

const PLUM_BUDGETS = ["PLUM_BUDGET_PLACE_ORDER", "PLUM_BUDGET_GET_ORDER_DETAILS", "PLUM_BUDGET_GET_ORDER_HISTORY"];
const BENCH_PLUM_BUDGET = "0";

/** The service's environment: production-like (auth, router secret, refreshable Plum credentials, no sandbox). */
export function serviceEnv(options: {
  port: number;
  apiUrl: string;
  databaseUrl: string;
  logLevel: string;
}): Record<string, string> {
  return {
    // production would refuse SQLite and demands a postgres:// URL; development with every production setting
    // given explicitly behaves the same on the request path (the only other difference is error-detail hiding).
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(options.port),
    LOG_LEVEL: options.logLevel,
    XOXODAY_API_URL: options.apiUrl,
    XOXODAY_ACCESS_TOKEN: SIM_ACCESS_TOKEN,
    XOXODAY_REFRESH_TOKEN: SIM_REFRESH_TOKEN,
    XOXODAY_CLIENT_ID: SIM_CLIENT_ID,
    XOXODAY_CLIENT_SECRET: SIM_CLIENT_SECRET,
    XOXODAY_WEBHOOK_KEY: WEBHOOK_KEY,
    DATABASE_URL: options.databaseUrl,
    ROUTER_SECRET,
    AUTH_JWT_SECRET: JWT_SECRET,
    AUTH_ISSUER: JWT_ISSUER,
    AUTH_AUDIENCE: JWT_AUDIENCE,
    ENABLE_INTROSPECTION: "false",
    ENABLE_SANDBOX: "false",
    // The benchmark is one caller placing thousands of orders and reading 100 misses per request.
    CALLER_RATE_LIMIT_PER_MINUTE: "0",
    MAX_UPSTREAM_CALLS_PER_REQUEST: "500",
    // Plum's real budget (100 placements a minute) would queue all but the first hundred orders; off, as in the
    // tests. (A budget far above what a run sends is no substitute: the gate keeps a log of the window's sends,
    // which Plum's limit bounds to 100 and a benchmark's thousands per minute would make the cost measured.)
    ...Object.fromEntries(PLUM_BUDGETS.map((name) => [name, BENCH_PLUM_BUDGET])),
  };
}

export function simulatorEnv(): Record<string, string> {
  return {
    HOST: "127.0.0.1",
    PORT: "0",
    SIM_RECORD_CALLS: "0",
    SIM_ACCESS_TOKEN,
    SIM_REFRESH_TOKEN,
    SIM_CLIENT_ID,
    SIM_CLIENT_SECRET,
    // Enough for every placement of a full run (10 USD each); the default wallet would run dry in the floor run.
    SIM_BALANCE: "1000000000000",
  };
}

/** A unique, valid poNumber per request: run id + counter ([A-Za-z0-9][A-Za-z0-9._:/-]{0,99}). */
export function poNumbers(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${(n++).toString(36)}`;
}
