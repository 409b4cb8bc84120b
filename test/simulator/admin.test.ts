import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlumSimulator, ETIHAD_GUEST_PRODUCT_ID, type PlumSimulator } from "../../src/simulator/index.js";
import { airmilesOrder, callApi, http, orderData } from "./helpers.js";

let sim: PlumSimulator;
let admin: string;

// A fresh simulator per test: some tests expire the token, which reset() deliberately keeps.
beforeEach(async () => {
  sim = await createPlumSimulator();
  admin = `${sim.baseUrl}/__simulator`;
});
afterEach(async () => {
  await sim.close();
});

describe("admin endpoints", () => {
  it("GET /state reports orders, counts and webhookDisabled", async () => {
    const request = airmilesOrder();
    await callApi(sim, "placeOrder", request);
    await callApi(sim, "getOrderDetails", { orderId: null, poNumber: request["poNumber"], sendMailToReceiver: 0 });
    const state = await http(`${admin}/state`, { method: "GET" });
    expect(state.status).toBe(200);
    expect(state.json).toMatchObject({
      orders: [{ poNumber: request["poNumber"], deliveryStatus: "delivered" }],
      counts: {
        placeOrder: 1,
        getOrderDetails: 1,
        getVouchers: 0,
        lookupMobileNumber: 0,
        getBalance: 0,
        tokenRefresh: 0,
        tokenValidate: 0,
        unknown: 0,
      },
      webhookDisabled: false,
      balance: 1_000_000 - 50,
      tokens: { accessToken: "sim-access-token" },
    });
  });

  it("POST/DELETE /faults queue and clear faults; bad specs are rejected", async () => {
    expect((await http(`${admin}/faults`, { body: { kind: "status", status: 503, times: 2 } })).status).toBe(201);
    expect((await callApi(sim, "placeOrder", airmilesOrder())).status).toBe(503);
    expect((await http(`${admin}/faults`, { method: "DELETE" })).status).toBe(200);
    expect((await callApi(sim, "placeOrder", airmilesOrder())).status).toBe(200);
    const bad = await http(`${admin}/faults`, { body: { kind: "explode" } });
    expect(bad.status).toBe(400);
    expect((await http(`${admin}/faults`, { body: { kind: "latency" } })).status).toBe(400);
  });

  it("POST /orders/:id/deliver completes a pending order", async () => {
    const result = await callApi(
      sim,
      "placeOrder",
      airmilesOrder({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 25 }),
    );
    const orderId = orderData(result, "placeOrder")["orderId"] as number;
    const delivered = await http(`${admin}/orders/${orderId}/deliver`, { body: { status: "canceled" } });
    expect(delivered).toMatchObject({ status: 200, json: { order: { orderId, deliveryStatus: "canceled" } } });
    expect((await http(`${admin}/orders/${orderId}/deliver`, { body: {} })).status).toBe(409);
    expect((await http(`${admin}/orders/1/deliver`)).status).toBe(404);
    expect((await http(`${admin}/orders/${orderId}/deliver`, { body: { status: "lost" } })).status).toBe(400);
  });

  it("POST /expire-token invalidates the access token", async () => {
    expect((await http(`${admin}/expire-token`)).status).toBe(200);
    expect((await callApi(sim, "placeOrder", airmilesOrder())).json).toMatchObject({ error: "invalid_token" });
  });

  it("POST /reset empties orders, calls and faults but keeps tokens", async () => {
    sim.expireAccessToken();
    await callApi(sim, "placeOrder", airmilesOrder());
    sim.inject({ kind: "status", status: 500 });
    expect((await http(`${admin}/reset`)).status).toBe(200);
    expect(sim.count("placeOrder")).toBe(0);
    expect(sim.calls()).toHaveLength(0);
    // The expired token stays expired: tokens are not reset.
    expect((await callApi(sim, "placeOrder", airmilesOrder())).status).toBe(401);
  });

  it("POST /balance sets the wallet", async () => {
    expect((await http(`${admin}/balance`, { body: { usd: 10 } })).status).toBe(200);
    expect((await callApi(sim, "placeOrder", airmilesOrder({ denomination: 20 }))).json).toMatchObject({
      errorId: "PLE10010",
    });
  });

  it("POST /behaviour changes the settings; GET /state shows them and orders per poNumber", async () => {
    const changed = await http(`${admin}/behaviour`, { body: { deduplicatePoNumbers: false } });
    expect(changed).toMatchObject({
      status: 200,
      json: { behaviour: { deduplicatePoNumbers: false, lookupLagMs: 0 } },
    });
    expect((await http(`${admin}/behaviour`, { body: { lookupLagMs: 25 } })).json).toEqual({
      behaviour: { deduplicatePoNumbers: false, lookupLagMs: 25 },
    });
    expect(sim.behaviour()).toEqual({ deduplicatePoNumbers: false, lookupLagMs: 25 });

    const request = airmilesOrder();
    const first = orderData(await callApi(sim, "placeOrder", request), "placeOrder")["orderId"];
    const second = orderData(await callApi(sim, "placeOrder", request), "placeOrder")["orderId"];
    const state = await http(`${admin}/state`, { method: "GET" });
    expect(state.json).toMatchObject({
      behaviour: { deduplicatePoNumbers: false, lookupLagMs: 25 },
      ordersByPoNumber: { [String(request["poNumber"])]: [first, second] },
    });

    expect((await http(`${admin}/reset`)).status).toBe(200);
    expect((await http(`${admin}/state`, { method: "GET" })).json).toMatchObject({
      behaviour: { deduplicatePoNumbers: true, lookupLagMs: 0 },
      ordersByPoNumber: {},
    });
  });

  it("POST /behaviour answers 400 on a bad body and changes nothing", async () => {
    for (const body of [
      { lookupLagMs: -1 },
      { lookupLagMs: "100" },
      { deduplicatePoNumbers: "no" },
      { dedupe: false },
      [],
      7,
    ]) {
      const result = await http(`${admin}/behaviour`, { body });
      expect(result.status).toBe(400);
      expect(result.json).toMatchObject({ error: expect.any(String) });
    }
    expect((await http(`${admin}/behaviour`, { rawBody: "{not json" })).status).toBe(400);
    expect(sim.behaviour()).toEqual({ deduplicatePoNumbers: true, lookupLagMs: 0 });
  });

  it("POST /faults accepts the slowProcessing and lookupAnswersOther kinds and validates them", async () => {
    const good = [
      { kind: "slowProcessing", delayMs: 100 },
      { kind: "slowProcessing", delayMs: 100, answer: "502", operation: "any", times: 2 },
      { kind: "lookupAnswersOther", operation: "getOrderDetails" },
      { kind: "lookupAnswersOther", mode: "otherRecipient" },
    ];
    for (const body of good) expect((await http(`${admin}/faults`, { body })).status).toBe(201);
    const bad = [
      { kind: "slowProcessing" },
      { kind: "slowProcessing", delayMs: -1 },
      { kind: "slowProcessing", delayMs: 100, answer: "504" },
      { kind: "lookupAnswersOther", operation: "placeOrder" },
      { kind: "lookupAnswersOther", mode: "otherEverything" },
    ];
    for (const body of bad) expect((await http(`${admin}/faults`, { body })).status).toBe(400);
    expect((await http(`${admin}/state`, { method: "GET" })).json).toMatchObject({ faults: good });
  });

  it("needs no auth and is not counted as upstream traffic", async () => {
    await http(`${admin}/state`, { method: "GET" });
    expect(sim.calls()).toHaveLength(0);
    expect((await http(`${admin}/nope`, { method: "GET" })).status).toBe(404);
  });
});

describe("call recording", () => {
  it("counts without keeping bodies when recordCalls is false", async () => {
    const quiet = await createPlumSimulator({ recordCalls: false });
    try {
      await callApi(quiet, "placeOrder", airmilesOrder());
      expect(quiet.count("placeOrder")).toBe(1);
      expect(quiet.calls()).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
