import { describe, expect, it } from "vitest";
import { createPlumSimulator } from "../../src/simulator/index.js";
import { airmilesOrder, callApi, useSharedSimulator } from "./helpers.js";

const sim = useSharedSimulator();

async function place(options: { timeoutMs?: number } = {}) {
  const request = airmilesOrder();
  const poNumber = String(request["poNumber"]);
  const result = callApi(sim, "placeOrder", request, options);
  return { result, poNumber };
}

describe("fault injection", () => {
  it("latency: waits, then processes normally", async () => {
    sim.inject({ kind: "latency", ms: 200 });
    const started = Date.now();
    const { result, poNumber } = await place();
    expect((await result).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(sim.findOrder({ poNumber })).toBeDefined();
  });

  it("status: answers without processing, shape B PLE10025 by default", async () => {
    sim.inject({ kind: "status", status: 503 });
    const { result, poNumber } = await place();
    expect(await result).toMatchObject({ status: 503, json: { code: 503, errorId: "PLE10025" } });
    expect(sim.findOrder({ poNumber })).toBeUndefined();

    sim.inject({ kind: "status", status: 500, body: { code: 500, error: "boom" } });
    expect(await (await place()).result).toMatchObject({ status: 500, json: { code: 500, error: "boom" } });
    sim.inject({ kind: "status", status: 503, body: "Service Unavailable" });
    expect(await (await place()).result).toMatchObject({ status: 503, text: "Service Unavailable" });
  });

  it("createdThen502: the order exists although the client saw 502 PLE10025", async () => {
    sim.inject({ kind: "createdThen502" });
    const { result, poNumber } = await place();
    expect(await result).toMatchObject({ status: 502, json: { code: 502, errorId: "PLE10025" } });
    expect(sim.findOrder({ poNumber })).toBeDefined();
  });

  it("statusCheckFailed: the order exists although the client saw 502 PLE10035", async () => {
    sim.inject({ kind: "statusCheckFailed" });
    const { result, poNumber } = await place();
    expect(await result).toMatchObject({ status: 502, json: { code: 502, errorId: "PLE10035" } });
    const reconciled = await callApi(sim, "getOrderDetails", { orderId: null, poNumber, sendMailToReceiver: 0 });
    expect(reconciled.status).toBe(200);
  });

  it("resetBeforeProcessing: socket error, no order", async () => {
    sim.inject({ kind: "resetBeforeProcessing" });
    const { result, poNumber } = await place();
    await expect(result).rejects.toThrow();
    expect(sim.findOrder({ poNumber })).toBeUndefined();
    expect(sim.count("placeOrder")).toBe(1);
  });

  it("resetAfterProcessing: socket error, order exists", async () => {
    sim.inject({ kind: "resetAfterProcessing" });
    const { result, poNumber } = await place();
    await expect(result).rejects.toThrow();
    expect(sim.findOrder({ poNumber })).toBeDefined();
  });

  it("timeout: never answers; processed by default", async () => {
    sim.inject({ kind: "timeout" });
    const first = await place({ timeoutMs: 300 });
    await expect(first.result).rejects.toThrow();
    expect(sim.findOrder({ poNumber: first.poNumber })).toBeDefined();

    sim.inject({ kind: "timeout", processed: false });
    const second = await place({ timeoutMs: 300 });
    await expect(second.result).rejects.toThrow();
    expect(sim.findOrder({ poNumber: second.poNumber })).toBeUndefined();
  });

  it("rateLimit: shape C with 429 by default, status and penalty configurable", async () => {
    sim.inject({ kind: "rateLimit" });
    expect(await (await place()).result).toMatchObject({
      status: 429,
      json: { errors: [{ message: "auth.request_limit_exceeded", penaltySeconds: 60 }] },
    });
    sim.inject({ kind: "rateLimit", status: 403, penaltySeconds: 5 });
    expect(await (await place()).result).toMatchObject({ status: 403, json: { errors: [{ penaltySeconds: 5 }] } });
    expect(sim.orders()).toHaveLength(0);
  });

  it("nonJson: an HTML body, 502 and unprocessed by default", async () => {
    sim.inject({ kind: "nonJson" });
    const first = await place();
    const response = await first.result;
    expect(response.status).toBe(502);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
    expect(response.json).toBeUndefined();
    expect(sim.findOrder({ poNumber: first.poNumber })).toBeUndefined();

    sim.inject({ kind: "nonJson", status: 504, processed: true });
    const second = await place();
    expect((await second.result).status).toBe(504);
    expect(sim.findOrder({ poNumber: second.poNumber })).toBeDefined();
  });

  it("tokenError: 401 shape D", async () => {
    sim.inject({ kind: "tokenError" });
    expect(await (await place()).result).toMatchObject({
      status: 401,
      json: { success: 0, error_message_id: "auth.token_error" },
    });
  });

  it("matches faults by operation, honours times, consumes in order, and clears", async () => {
    sim.inject({ operation: "getOrderDetails", kind: "status", status: 500 });
    sim.inject({ kind: "status", status: 503, times: 2 });
    sim.inject({ kind: "status", status: 504 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await (await place()).result).status);
    expect(statuses).toEqual([503, 503, 504, 200]);
    expect((await callApi(sim, "getOrderDetails", { orderId: 1, poNumber: "", sendMailToReceiver: 0 })).status).toBe(
      500,
    );

    sim.inject({ operation: "any", kind: "status", status: 502, times: 2 });
    expect((await (await place()).result).status).toBe(502);
    expect((await callApi(sim, "getOrderDetails", { orderId: 1, poNumber: "", sendMailToReceiver: 0 })).status).toBe(
      502,
    );

    sim.inject({ kind: "status", status: 503 });
    sim.clearFaults();
    expect((await (await place()).result).status).toBe(200);
  });

  it("close() ends a hanging request", async () => {
    const own = await createPlumSimulator();
    own.inject({ kind: "timeout" });
    const pending = callApi(own, "placeOrder", airmilesOrder());
    await new Promise((resolve) => setTimeout(resolve, 100));
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});

describe("rate limits option", () => {
  it("answers shape C once the per-minute limit is exceeded", async () => {
    const limited = await createPlumSimulator({ rateLimits: { placeOrder: 2, getOrderDetails: 1 } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await callApi(limited, "placeOrder", airmilesOrder())).status);
      expect(statuses).toEqual([200, 200, 429]);
      const details = { orderId: null, poNumber: "x", sendMailToReceiver: 0 };
      expect((await callApi(limited, "getOrderDetails", details)).status).toBe(404);
      const over = await callApi(limited, "getOrderDetails", details);
      expect(over).toMatchObject({ status: 429, json: { errors: [{ message: "auth.request_limit_exceeded" }] } });
      expect(limited.orders()).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});
