// The slowProcessing fault: the client gets a timeout / reset / 502 at once, and the order appears later anyway.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createPlumSimulator } from "../../src/simulator/index.js";
import { airmilesOrder, callApi, eventually, lookUpById, orderData, useSharedSimulator } from "./helpers.js";

const DELAY_MS = 150;

const sim = useSharedSimulator();

function slowOrder(): { request: Record<string, unknown>; poNumber: string } {
  const request = airmilesOrder();
  return { request, poNumber: String(request["poNumber"]) };
}

/** Waits for the delayed order and checks it was created no earlier than the delay after `sentAt`. */
async function expectCreatedLater(poNumber: string, sentAt: number): Promise<void> {
  const order = await eventually(`order ${poNumber}`, () => sim.findOrder({ poNumber }));
  // Timers may fire a millisecond early relative to Date.now() granularity.
  expect(order.orderDate.getTime() - sentAt).toBeGreaterThanOrEqual(DELAY_MS - 5);
  expect(sim.ordersByPoNumber(poNumber)).toHaveLength(1);
}

describe("slowProcessing", () => {
  it('answer "timeout" (default): the client gives up first, the order is created after the delay', async () => {
    sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS });
    const { request, poNumber } = slowOrder();
    const sentAt = Date.now();
    await expect(callApi(sim, "placeOrder", request, { timeoutMs: 50 })).rejects.toThrow();
    // The client has disconnected and nothing exists yet.
    expect(sim.findOrder({ poNumber })).toBeUndefined();
    await expectCreatedLater(poNumber, sentAt);
  });

  it('answer "reset": the socket is destroyed at once, the order is created after the delay', async () => {
    sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "reset" });
    const { request, poNumber } = slowOrder();
    const sentAt = Date.now();
    await expect(callApi(sim, "placeOrder", request)).rejects.toThrow();
    expect(Date.now() - sentAt).toBeLessThan(DELAY_MS);
    expect(sim.findOrder({ poNumber })).toBeUndefined();
    await expectCreatedLater(poNumber, sentAt);
  });

  it('answer "502": a gateway 502 at once, the order is created after the delay', async () => {
    sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "502" });
    const { request, poNumber } = slowOrder();
    const sentAt = Date.now();
    const response = await callApi(sim, "placeOrder", request);
    expect(response.status).toBe(502);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
    expect(sim.findOrder({ poNumber })).toBeUndefined();
    await expectCreatedLater(poNumber, sentAt);
    // Once created it is an ordinary order: a look-up finds it.
    const orderId = sim.findOrder({ poNumber })?.orderId;
    expect(orderData(await lookUpById(sim, orderId), "getOrderDetails")["poNumber"]).toBe(poNumber);
  });

  it("reset() cancels the pending creation", async () => {
    sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "502" });
    const { request } = slowOrder();
    expect((await callApi(sim, "placeOrder", request)).status).toBe(502);
    sim.reset();
    await sleep(DELAY_MS + 100);
    expect(sim.orders()).toEqual([]);
  });

  it("close() cancels the pending creation", async () => {
    const own = await createPlumSimulator();
    own.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "502" });
    expect((await callApi(own, "placeOrder", airmilesOrder())).status).toBe(502);
    await own.close();
    await sleep(DELAY_MS + 100);
    expect(own.orders()).toEqual([]);
  });

  it("applies the business rules at creation time", async () => {
    sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "502" });
    const { request, poNumber } = slowOrder();
    expect((await callApi(sim, "placeOrder", request)).status).toBe(502);
    // The wallet empties while Plum is still busy: the order is refused when it finally runs.
    sim.setBalance(0);
    await sleep(DELAY_MS + 100);
    expect(sim.findOrder({ poNumber })).toBeUndefined();
  });

  describe("with de-duplication on, the poNumber is checked at creation time", () => {
    it("a fast re-send creates the order; the slow attempt, landing second, is refused", async () => {
      sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "reset" });
      const { request, poNumber } = slowOrder();
      await expect(callApi(sim, "placeOrder", request)).rejects.toThrow();
      const resend = await callApi(sim, "placeOrder", request);
      expect(resend.status).toBe(200);
      const orderId = orderData(resend, "placeOrder")["orderId"];
      await sleep(DELAY_MS + 100);
      expect(sim.ordersByPoNumber(poNumber).map((order) => order.orderId)).toEqual([orderId]);
      expect(sim.balance()).toBe(1_000_000 - 50);
    });

    it("a re-send after the slow attempt landed gets PLE10004", async () => {
      sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "502" });
      const { request, poNumber } = slowOrder();
      expect((await callApi(sim, "placeOrder", request)).status).toBe(502);
      await eventually("the slow order", () => sim.findOrder({ poNumber }));
      expect(await callApi(sim, "placeOrder", request)).toMatchObject({ status: 422, json: { errorId: "PLE10004" } });
      expect(sim.ordersByPoNumber(poNumber)).toHaveLength(1);
    });
  });

  it("with de-duplication off, a slow attempt plus a fast re-send make two orders", async () => {
    sim.setBehaviour({ deduplicatePoNumbers: false });
    sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "502" });
    const { request, poNumber } = slowOrder();
    expect((await callApi(sim, "placeOrder", request)).status).toBe(502);
    expect((await callApi(sim, "placeOrder", request)).status).toBe(200);
    await eventually("the second order", () => (sim.ordersByPoNumber(poNumber).length === 2 ? true : undefined));
  });

  it("honours operation and times", async () => {
    sim.inject({ kind: "slowProcessing", delayMs: DELAY_MS, answer: "502", times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await callApi(sim, "placeOrder", airmilesOrder())).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(sim.orders()).toHaveLength(1);
    await eventually("both slow orders", () => (sim.orders().length === 3 ? true : undefined));

    const request = airmilesOrder();
    const orderId = orderData(await callApi(sim, "placeOrder", request), "placeOrder")["orderId"];
    sim.inject({ operation: "getOrderDetails", kind: "slowProcessing", delayMs: DELAY_MS, answer: "502" });
    expect((await callApi(sim, "placeOrder", airmilesOrder())).status).toBe(200);
    expect((await lookUpById(sim, orderId)).status).toBe(502);
    expect((await lookUpById(sim, orderId)).status).toBe(200);
  });
});
