// Findings 3 (120 aliases of order(orderId:) as an admin caused 120 Plum look-ups) and 4 (any user could spend the
// account's Plum budget: reads of pending orders each called getOrderDetails, no per-caller throttle). Now one
// request makes at most MAX_UPSTREAM_CALLS_PER_REQUEST Plum calls, and each caller has a token bucket for
// everything that may reach Plum, answering RATE_LIMITED with retryAfterSeconds.
import { describe, expect, it } from "vitest";
import { CallerRateLimiter } from "../../src/orders/callerRateLimiter.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { bearer, JWT_ENV, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };
const codes = (res: Errors) => (res.errors ?? []).map((e) => e.extensions?.["code"]);

describe("per-request cap on upstream calls", () => {
  const t = useTestApp({ env: { ...JWT_ENV, MAX_UPSTREAM_CALLS_PER_REQUEST: "10", CALLER_RATE_LIMIT_BURST: "1000" } });

  it("120 aliases of order(orderId:) as an admin make at most 10 Plum look-ups; the rest are refused", async () => {
    const admin = bearer(await tokenFor("ops", "orders:read orders:admin"));
    const aliases = Array.from(
      { length: 120 },
      (_, i) => `o${i}: order(orderId: "${60_000_000 + i}") { orderId }`,
    ).join("\n");
    const before = t.sim.count("getOrderDetails");
    const res = await gql(t.url, `{ ${aliases} }`, undefined, admin);
    expect(t.sim.count("getOrderDetails") - before).toBe(10);
    expect(codes(res).filter((c) => c === "TOO_MANY_UPSTREAM_CALLS")).toHaveLength(110);
    expect(JSON.stringify(res)).not.toMatch(/Internal server error/);
  });
});

describe("per-caller token bucket", () => {
  const t = useTestApp({
    env: {
      ...JWT_ENV,
      CALLER_RATE_LIMIT_BURST: "3",
      CALLER_RATE_LIMIT_PER_MINUTE: "6",
      MAX_UPSTREAM_CALLS_PER_REQUEST: "100",
    },
  });

  it("refuses a caller's placements past the burst with RATE_LIMITED and retryAfterSeconds; nothing is claimed", async () => {
    const mallory = bearer(await tokenFor("mallory", "orders:write orders:read"));
    for (let i = 0; i < 3; i += 1)
      expect((await sendAirmiles(t.url, airmilesInput(), mallory)).data?.placeAirmilesOrder.outcome).toBe("PLACED");
    const sends = t.sim.count("placeOrder");
    const input = airmilesInput();
    const refused = (await sendAirmiles(t.url, input, mallory)).data?.placeAirmilesOrder;
    expect(refused?.outcome).toBe("REJECTED");
    expect(refused?.errors[0]).toMatchObject({ code: "RATE_LIMITED", retryable: true });
    expect(refused?.errors[0]?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused?.errors[0]?.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(t.sim.count("placeOrder")).toBe(sends);
    expect(await t.app.ledger.findByCallerPoNumber("mallory", input.poNumber)).toBeNull();

    // Another caller's budget is untouched.
    const alice = bearer(await tokenFor("alice", "orders:write orders:read"));
    expect((await sendAirmiles(t.url, airmilesInput(), alice)).data?.placeAirmilesOrder.outcome).toBe("PLACED");
  });

  it("throttles reads of a pending order (each would ask Plum) with RATE_LIMITED and retryAfterSeconds", async () => {
    const bob = bearer(await tokenFor("bob", "orders:write orders:read"));
    const input = airmilesInput();
    t.sim.inject({ kind: "status", status: 502, body: {}, operation: "placeOrder" });
    expect((await sendAirmiles(t.url, input, bob)).data?.placeAirmilesOrder.outcome).toBe("PENDING");
    const aliases = Array.from(
      { length: 50 },
      (_, i) => `r${i}: orderByPoNumber(poNumber: "${input.poNumber}") { orderId }`,
    ).join("\n");
    const before = t.sim.count("getOrderDetails");
    const res = await gql(t.url, `{ ${aliases} }`, undefined, bob);
    const limited = (res.errors ?? []).filter((e) => e.extensions?.["code"] === "RATE_LIMITED");
    // The placement took one of bob's 3 tokens: at most 2 reads may ask Plum.
    expect(limited.length).toBeGreaterThanOrEqual(48);
    expect(t.sim.count("getOrderDetails") - before).toBeLessThanOrEqual(2);
    for (const error of limited) expect(error.extensions?.["retryAfterSeconds"]).toBeGreaterThanOrEqual(1);
  });
});

describe("CallerRateLimiter", () => {
  it("refills at the configured rate and says how long to wait", () => {
    let now = 0;
    const limiter = new CallerRateLimiter({ burst: 2, perMinute: 6, now: () => now });
    expect([limiter.take("a"), limiter.take("a")]).toEqual([0, 0]);
    expect(limiter.take("a")).toBe(10);
    now += 5_000;
    expect(limiter.take("a")).toBe(5);
    now += 5_000;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("b")).toBe(0);
    expect(new CallerRateLimiter({ burst: 1, perMinute: 0 }).take("a")).toBe(0);
  });
});
