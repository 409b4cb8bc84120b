import { afterEach, describe, expect, it } from "vitest";
import {
  createPlumSimulator,
  ETIHAD_GUEST_PRODUCT_ID,
  type PlumSimulator,
  type SimulatorOptions,
} from "../../src/simulator/index.js";
import { airmilesOrder, callApi, closedPortUrl, orderData, startReceiver, topupOrder } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: SimulatorOptions): Promise<PlumSimulator> {
  const sim = await createPlumSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

async function receiver(statuses: number[] = []) {
  const r = await startReceiver(statuses);
  cleanups.push(r.close);
  return r;
}

async function placeDelayed(sim: PlumSimulator): Promise<{ orderId: number; poNumber: string }> {
  const request = airmilesOrder({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 25 });
  const result = await callApi(sim, "placeOrder", request);
  return { orderId: orderData(result, "placeOrder")["orderId"] as number, poNumber: String(request["poNumber"]) };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe("webhooks", () => {
  it("deliver() completes the order and posts the callback with the api key", async () => {
    const hook = await receiver();
    const sim = await simulator({ webhook: { url: hook.url, apiKey: "abcdef1234567890" } });
    const { orderId, poNumber } = await placeDelayed(sim);
    await sim.deliver(orderId);

    expect(sim.findOrder({ orderId })?.deliveryStatus).toBe("delivered");
    expect(hook.received).toHaveLength(1);
    const [call] = hook.received;
    expect(call?.headers["x-api-key"]).toBe("abcdef1234567890");
    expect(call?.headers["content-type"]).toBe("application/json");
    const body = call?.body as { id: number; data: Record<string, unknown>; createdAt: string };
    expect(Number.isSafeInteger(body.id)).toBe(true);
    expect(body.data).toEqual({
      orderId,
      poNumber,
      orderDate: expect.stringMatching(DATE_TIME),
      deliveryStatus: "delivered",
    });
    expect(body.createdAt).toMatch(DATE_TIME);
    expect(sim.webhookDeliveries()).toEqual([{ id: body.id, status: 200, attempt: 1, body }]);
    expect(sim.webhookDisabled()).toBe(false);
  });

  it("retries non-200 answers up to 3 attempts in total", async () => {
    const hook = await receiver([500, 204]);
    const sim = await simulator({ webhook: { url: hook.url } });
    const { orderId } = await placeDelayed(sim);
    await sim.deliver(orderId);
    expect(hook.received).toHaveLength(3);
    expect(hook.received[0]?.headers["x-api-key"]).toBeUndefined();
    const deliveries = sim.webhookDeliveries();
    expect(deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 204],
      [3, 200],
    ]);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(1);
    expect(sim.webhookDisabled()).toBe(false);
  });

  it("disables the webhook after 3 failed attempts and sends nothing more", async () => {
    const hook = await receiver([500, 500, 500]);
    const sim = await simulator({ webhook: { url: hook.url } });
    const first = await placeDelayed(sim);
    const second = await placeDelayed(sim);
    await sim.deliver(first.orderId);
    expect(sim.webhookDisabled()).toBe(true);
    await sim.deliver(second.orderId);
    expect(hook.received).toHaveLength(3);
    expect(sim.webhookDeliveries()).toHaveLength(3);
    expect(sim.findOrder({ orderId: second.orderId })?.deliveryStatus).toBe("delivered");
    // reset() re-enables it, as re-enabling in the dashboard would.
    sim.reset();
    expect(sim.webhookDisabled()).toBe(false);
  });

  it("counts connection failures as failed attempts", async () => {
    const sim = await simulator({ webhook: { url: await closedPortUrl() } });
    const { orderId } = await placeDelayed(sim);
    await sim.deliver(orderId);
    expect(sim.webhookDeliveries().map((d) => d.status)).toEqual([null, null, null]);
    expect(sim.webhookDisabled()).toBe(true);
  });

  it("sends capitalized statuses when asked, and refunds canceled orders", async () => {
    const hook = await receiver();
    const sim = await simulator({ webhook: { url: hook.url, statusCase: "capitalized" } });
    const { orderId } = await placeDelayed(sim);
    const charged = 1_000_000 - sim.balance();
    expect(charged).toBeGreaterThan(0);
    await sim.deliver(orderId, "canceled");
    expect((hook.received[0]?.body as { data: { deliveryStatus: string } }).data.deliveryStatus).toBe("Canceled");
    expect(sim.findOrder({ orderId })?.deliveryStatus).toBe("canceled");
    expect(sim.balance()).toBe(1_000_000);
  });

  it("auto-delivers delayed orders after autoDeliverMs, with increasing ids", async () => {
    const hook = await receiver();
    const sim = await simulator({ webhook: { url: hook.url }, autoDeliverMs: 50 });
    const a = await placeDelayed(sim);
    const topup = await callApi(sim, "placeOrder", topupOrder());
    const b = Number(orderData(topup, "placeOrder")["orderId"]);
    const deadline = Date.now() + 3_000;
    while (hook.received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const bodies = hook.received.map((r) => r.body as { id: number; data: { orderId: number } });
    expect(bodies.map((body) => body.data.orderId).sort()).toEqual([a.orderId, b].sort());
    expect(bodies[1]!.id).toBeGreaterThan(bodies[0]!.id);
    expect(sim.findOrder({ orderId: a.orderId })?.deliveryStatus).toBe("delivered");
    await expect(sim.deliver(a.orderId)).rejects.toThrow(/already delivered/);
  });

  it("does not call back for realtime orders, and deliver() rejects unknown orders", async () => {
    const hook = await receiver();
    const sim = await simulator({ webhook: { url: hook.url }, autoDeliverMs: 10 });
    await callApi(sim, "placeOrder", airmilesOrder());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hook.received).toHaveLength(0);
    await expect(sim.deliver(1)).rejects.toThrow(/does not exist/);
  });
});
