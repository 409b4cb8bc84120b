// The per-caller budget never calls an existing order failed. Found in review: with the bucket empty, a retry of a
// PLACED poNumber was answered REJECTED "Nothing was placed" (while placement(poNumber) said REPLAYED), and so was a
// PENDING one: a frontend told "failed" may place again under a new poNumber and charge twice. Now a retry that
// needs no call to Plum is answered from the ledger without spending budget, and a pending one stays PENDING.
import { describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { bearer, JWT_ENV, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";

const PLACEMENT = `query($p: String!) { placement(poNumber: $p) { outcome errors { code } order { orderId } } }`;

describe("the per-caller budget keeps every existing order's answer", () => {
  // Two tokens, refilled one a minute: the third Plum-bound request of a caller in a test is refused.
  const t = useTestApp({
    env: {
      ...JWT_ENV,
      CALLER_RATE_LIMIT_BURST: "2",
      CALLER_RATE_LIMIT_PER_MINUTE: "1",
      MAX_UPSTREAM_CALLS_PER_REQUEST: "100",
    },
  });

  it("a retry of a PLACED poNumber replays with the bucket empty, without sending anything", async () => {
    const alice = bearer(await tokenFor("alice-budget", "orders:write orders:read"));
    const input = airmilesInput();
    const first = (await sendAirmiles(t.url, input, alice)).data?.placeAirmilesOrder;
    expect(first?.outcome).toBe("PLACED");
    expect((await sendAirmiles(t.url, airmilesInput(), alice)).data?.placeAirmilesOrder.outcome).toBe("PLACED");
    const sends = t.sim.count("placeOrder");
    const retry = (await sendAirmiles(t.url, input, alice)).data?.placeAirmilesOrder;
    expect(retry).toMatchObject({ outcome: "REPLAYED", errors: [], order: { orderId: first?.order?.orderId } });
    expect(t.sim.count("placeOrder")).toBe(sends);
    // A new poNumber is refused: nothing of it exists, so "nothing was placed" is true.
    const fresh = (await sendAirmiles(t.url, airmilesInput(), alice)).data?.placeAirmilesOrder;
    expect(fresh).toMatchObject({ outcome: "REJECTED", errors: [{ code: "RATE_LIMITED", retryable: true }] });
    expect(t.sim.count("placeOrder")).toBe(sends);
    // The bulk mutation keeps the same answers, item by item.
    const bulk = await gql<{
      placeAirmilesOrders: { outcome: string; errors: { code: string }[]; order: { orderId: string } | null }[];
    }>(
      t.url,
      `mutation($inputs: [PlaceAirmilesOrderInput!]!) { placeAirmilesOrders(inputs: $inputs) { outcome errors { code } order { orderId } } }`,
      { inputs: [input, airmilesInput()] },
      alice,
    );
    expect(bulk.data?.placeAirmilesOrders).toMatchObject([
      { outcome: "REPLAYED", errors: [], order: { orderId: first?.order?.orderId } },
      { outcome: "REJECTED", errors: [{ code: "RATE_LIMITED" }], order: null },
    ]);
    expect(t.sim.count("placeOrder")).toBe(sends);
  });

  it("a retry of a PENDING poNumber stays PENDING with the bucket empty (never REJECTED), as placement() says", async () => {
    const bob = bearer(await tokenFor("bob-budget", "orders:write orders:read"));
    const input = airmilesInput();
    t.sim.inject({ kind: "statusCheckFailed" }); // created at Plum, answered PLE10035: outcome unknown
    t.sim.inject({ kind: "status", status: 502, operation: "getOrderDetails", times: 20 }); // and look-ups cannot settle it
    const first = (await sendAirmiles(t.url, input, bob)).data?.placeAirmilesOrder;
    expect(first?.outcome).toBe("PENDING");
    expect((await sendAirmiles(t.url, airmilesInput(), bob)).data?.placeAirmilesOrder.outcome).toBe("PLACED"); // the last token
    const sends = t.sim.count("placeOrder");
    const retry = (await sendAirmiles(t.url, input, bob)).data?.placeAirmilesOrder;
    expect(retry).toMatchObject({ outcome: "PENDING", order: null, errors: [{ retryable: true }] });
    expect(["OUTCOME_UNKNOWN", "ORDER_IN_PROGRESS"]).toContain(retry?.errors[0]?.code);
    expect(retry?.errors[0]?.retryAfterSeconds).toBeGreaterThan(0);
    expect(t.sim.count("placeOrder")).toBe(sends);
    // placement() agrees (its look-up is refused by the same budget: it answers the ledger's state).
    const status = (await gql<{ placement: { outcome: string } | null }>(t.url, PLACEMENT, { p: input.poNumber }, bob))
      .data?.placement;
    expect(status?.outcome).toBe("PENDING");
    expect(t.sim.count("placeOrder")).toBe(sends);
    t.sim.clearFaults();
  });
});
