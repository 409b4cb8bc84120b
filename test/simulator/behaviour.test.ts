// Persistent behaviour settings: no poNumber de-duplication and look-up lag.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createPlumSimulator } from "../../src/simulator/index.js";
import { airmilesOrder, callApi, lookUpById, lookUpByPo, orderData, useSharedSimulator } from "./helpers.js";

const sim = useSharedSimulator();

async function placed(request: Record<string, unknown>): Promise<number> {
  const result = await callApi(sim, "placeOrder", request);
  expect(result.status).toBe(200);
  return orderData(result, "placeOrder")["orderId"] as number;
}

describe("behaviour settings", () => {
  it("default to de-duplication on and no lag, and persist until changed", () => {
    expect(sim.behaviour()).toEqual({ deduplicatePoNumbers: true, lookupLagMs: 0 });
    expect(sim.setBehaviour({ lookupLagMs: 20 })).toEqual({ deduplicatePoNumbers: true, lookupLagMs: 20 });
    expect(sim.setBehaviour({ deduplicatePoNumbers: false })).toEqual({ deduplicatePoNumbers: false, lookupLagMs: 20 });
    expect(sim.behaviour()).toEqual({ deduplicatePoNumbers: false, lookupLagMs: 20 });
  });

  it("reset() returns to the values given as options", async () => {
    const own = await createPlumSimulator({ deduplicatePoNumbers: false, lookupLagMs: 50 });
    try {
      expect(own.behaviour()).toEqual({ deduplicatePoNumbers: false, lookupLagMs: 50 });
      own.setBehaviour({ deduplicatePoNumbers: true, lookupLagMs: 0 });
      own.reset();
      expect(own.behaviour()).toEqual({ deduplicatePoNumbers: false, lookupLagMs: 50 });
    } finally {
      await own.close();
    }
  });

  it("setBehaviour and the options reject invalid values", async () => {
    expect(() => sim.setBehaviour({ lookupLagMs: -1 })).toThrow(/lookupLagMs/);
    expect(() => sim.setBehaviour({ lookupLagMs: Number.NaN })).toThrow();
    expect(() => sim.setBehaviour({ deduplicate: false } as never)).toThrow();
    expect(sim.behaviour()).toEqual({ deduplicatePoNumbers: true, lookupLagMs: 0 });
    await expect(createPlumSimulator({ lookupLagMs: -5 })).rejects.toThrow(/lookupLagMs/);
  });
});

describe("deduplicatePoNumbers", () => {
  it("on (default): a repeated poNumber is refused with PLE10004", async () => {
    const request = airmilesOrder();
    await placed(request);
    expect(await callApi(sim, "placeOrder", request)).toMatchObject({ status: 422, json: { errorId: "PLE10004" } });
    expect(sim.ordersByPoNumber(String(request["poNumber"]))).toHaveLength(1);
  });

  it("off: a repeated poNumber creates and charges another order; look-ups by poNumber answer the first", async () => {
    sim.setBehaviour({ deduplicatePoNumbers: false });
    const request = airmilesOrder();
    const poNumber = String(request["poNumber"]);
    const first = await placed(request);
    const second = await placed(request);
    expect(second).not.toBe(first);

    expect(sim.orders().map((order) => order.orderId)).toEqual([first, second]);
    expect(sim.ordersByPoNumber(poNumber).map((order) => order.orderId)).toEqual([first, second]);
    expect(sim.findOrder({ poNumber })?.orderId).toBe(first);
    expect(sim.findOrder({ orderId: second })?.poNumber).toBe(poNumber);
    expect(sim.balance()).toBe(1_000_000 - 2 * 50);

    expect(orderData(await lookUpByPo(sim, poNumber), "getOrderDetails")["orderId"]).toBe(first);
    expect(orderData(await lookUpById(sim, second), "getOrderDetails")).toMatchObject({ orderId: second, poNumber });
    expect(sim.ordersByPoNumber("PO-never-used")).toEqual([]);
  });
});

describe("lookupLagMs", () => {
  const LAG_MS = 150;

  it("hides a new order from getOrderDetails (by poNumber and by orderId) until the lag has passed", async () => {
    sim.setBehaviour({ lookupLagMs: LAG_MS });
    const request = airmilesOrder();
    const poNumber = String(request["poNumber"]);
    const orderId = await placed(request);

    const hiddenByPo = await lookUpByPo(sim, poNumber);
    const hiddenById = await lookUpById(sim, orderId);
    // Guard against a stalled machine: the assertions below only mean something inside the lag.
    expect(Date.now() - (sim.findOrder({ orderId })?.orderDate.getTime() ?? 0)).toBeLessThan(LAG_MS);
    for (const hidden of [hiddenByPo, hiddenById]) {
      expect(hidden).toMatchObject({ status: 404, json: { errorId: "PLE10016", error: "Order not found" } });
    }
    // The simulator's own view (and the duplicate check) is not lagged.
    expect(sim.findOrder({ poNumber })?.orderId).toBe(orderId);
    expect(await callApi(sim, "placeOrder", request)).toMatchObject({ status: 422, json: { errorId: "PLE10004" } });

    await sleep(LAG_MS + 20);
    expect(orderData(await lookUpByPo(sim, poNumber), "getOrderDetails")["orderId"]).toBe(orderId);
    expect(orderData(await lookUpById(sim, orderId), "getOrderDetails")["poNumber"]).toBe(poNumber);
  });

  it("is read at look-up time: lowering it shows hidden orders at once", async () => {
    sim.setBehaviour({ lookupLagMs: 60_000 });
    const request = airmilesOrder();
    await placed(request);
    expect((await lookUpByPo(sim, String(request["poNumber"]))).status).toBe(404);
    sim.setBehaviour({ lookupLagMs: 0 });
    expect((await lookUpByPo(sim, String(request["poNumber"]))).status).toBe(200);
  });

  it("with de-duplication off, a poNumber look-up answers the first order once it is visible", async () => {
    sim.setBehaviour({ deduplicatePoNumbers: false, lookupLagMs: LAG_MS });
    const request = airmilesOrder();
    const poNumber = String(request["poNumber"]);
    const first = await placed(request);
    const second = await placed(request);
    await sleep(LAG_MS + 20);
    expect(orderData(await lookUpByPo(sim, poNumber), "getOrderDetails")["orderId"]).toBe(first);
    expect(orderData(await lookUpById(sim, second), "getOrderDetails")["orderId"]).toBe(second);
  });
});
