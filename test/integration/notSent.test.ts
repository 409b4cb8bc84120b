// Failures where the request provably did not reach Plum's order processing: the client is told REJECTED but
// retryable, the poNumber stays usable, and a retry with it places exactly one order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/closedPort.js";
import { startTestApp, useTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { orderByPoNumber, placeAirmiles, placeTopup } from "../support/orderOperations.js";
import { placeCallsFor, simOrdersFor } from "../support/plumDirect.js";
import { expectNothingVerbatim } from "./helpers.js";

describe("against the simulator", () => {
  const t = useTestApp({ resetSimulator: true });

  it("RATE_LIMITED: retryable after Plum's penalty, and the same poNumber then places one order", async () => {
    const input = airmilesInput();
    t.sim.inject({ kind: "rateLimit" });
    const first = await placeAirmiles(t.url, input);
    expect(first.payload).toEqual({
      outcome: "REJECTED",
      order: null,
      errors: [
        {
          code: "RATE_LIMITED",
          message: expect.any(String),
          field: null,
          upstreamErrorId: null,
          retryable: true,
          retryAfterSeconds: 60,
        },
      ],
    });
    expectNothingVerbatim(first.response);

    // No waiting needed here: the simulator's limit is a one-off fault.
    const retry = await placeAirmiles(t.url, input);
    expect(retry.payload.outcome).toBe("PLACED");
    expect(retry.payload.order?.poNumber).toBe(input.poNumber);
    expect(t.sim.count("placeOrder")).toBe(2);
    expect(t.sim.orders()).toHaveLength(1);
    // A rate-limited attempt is known not to have been processed: no lookup was needed before resending.
    expect(t.sim.count("getOrderDetails")).toBe(0);
  });

  it("RATE_LIMITED carries the penalty Plum names, whatever the HTTP status", async () => {
    const input = topupInput();
    t.sim.inject({ kind: "rateLimit", status: 403, penaltySeconds: 17 });
    const { payload } = await placeTopup(t.url, input);
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors).toEqual([
      expect.objectContaining({ code: "RATE_LIMITED", retryable: true, retryAfterSeconds: 17 }),
    ]);
    expect((await placeTopup(t.url, input)).payload.outcome).toBe("PLACED");
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
  });

  it("UPSTREAM_UNAVAILABLE when Plum refuses the credentials outright (PIPE10017), then places on retry", async () => {
    const input = airmilesInput();
    t.sim.inject({
      kind: "status",
      status: 401,
      body: {
        code: 401,
        errorId: "PIPE10017",
        errorInfo: "Access restricted for this IP",
        error: "Failed to authorize 10.1.2.3",
      },
    });
    const first = await placeAirmiles(t.url, input);
    expect(first.payload.outcome).toBe("REJECTED");
    expect(first.payload.errors).toEqual([
      expect.objectContaining({ code: "UPSTREAM_UNAVAILABLE", retryable: true, upstreamErrorId: null }),
    ]);
    expectNothingVerbatim(first.response);
    expect(JSON.stringify(first.response)).not.toContain("10.1.2.3");
    // Not renewable: no token refresh was attempted.
    expect(t.sim.count("tokenRefresh")).toBe(0);

    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PLACED");
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(2);
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
  });

  it("renews the token after a token-invalidation body (shape D) and places the order in the same call", async () => {
    const input = airmilesInput();
    t.sim.inject({ kind: "tokenError" });
    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(t.sim.count("tokenRefresh")).toBe(1);
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(2);
    expect(simOrdersFor(t.sim, input.poNumber)).toHaveLength(1);
  });
});

describe("Plum unreachable", () => {
  let t: TestApp;
  let apiUrl: string;

  beforeAll(async () => {
    apiUrl = `http://127.0.0.1:${await closedPort()}/chef/v1/oauth/api`;
    t = await startTestApp({ XOXODAY_API_URL: apiUrl, XOXODAY_ACCESS_TOKEN: "static-test-token" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("UPSTREAM_UNAVAILABLE: REJECTED, retryable, with the poNumber kept for the retry", async () => {
    const input = airmilesInput();
    const first = await placeAirmiles(t.url, input);
    expect(first.payload).toEqual({
      outcome: "REJECTED",
      order: null,
      errors: [
        {
          code: "UPSTREAM_UNAVAILABLE",
          message: expect.any(String),
          field: null,
          upstreamErrorId: null,
          retryable: true,
          retryAfterSeconds: null,
        },
      ],
    });
    const text = JSON.stringify(first.response);
    expect(text).not.toContain("ECONNREFUSED");
    expect(text).not.toContain(apiUrl);
    expectNothingVerbatim(first.response);

    // Still down: the retry tries again (nothing was ever sent) and says the same.
    const retry = await placeAirmiles(t.url, input);
    expect(retry.payload.errors.map((e) => [e.code, e.retryable])).toEqual([["UPSTREAM_UNAVAILABLE", true]]);
    const attempts = await t.app.ledger.listAttempts(input.poNumber);
    expect(attempts.filter((a) => a.phase === "response").map((a) => a.errorCode)).toEqual([
      "ECONNREFUSED",
      "ECONNREFUSED",
    ]);

    // A read of a never-sent order does not try Plum: there is nothing to find.
    expect(await orderByPoNumber(t.url, input.poNumber)).toBeNull();
    expect((await t.app.ledger.listAttempts(input.poNumber)).length).toBe(attempts.length);
  });

  it("does not let a different order take a poNumber whose placement never went out", async () => {
    const input = airmilesInput();
    await placeAirmiles(t.url, input);
    const { payload } = await placeAirmiles(t.url, { ...input, denomination: 75 });
    expect(payload.errors.map((e) => e.code)).toEqual(["PO_NUMBER_CONFLICT"]);
  });
});
