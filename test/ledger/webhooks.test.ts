// Plum's delivery-status callbacks (POST /webhooks/xoxoday, docs/plum-api.md §5) as the ledger applies them: only with
// the right x-api-key and a valid body, once per webhook id, latest createdAt wins whatever the arrival order,
// either spelling and case of the statuses, and kept for orders the ledger learns of later.
import { request } from "undici";
import { beforeAll, describe, expect, it } from "vitest";
import { ETIHAD_GUEST_PRODUCT_ID } from "../../src/simulator/index.js";
import type { OrderStatusFieldsFragment } from "../__generated__/graphql.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber, topupInput } from "../support/orderInputs.js";
import {
  orderStatusById,
  orderStatusByPoNumber,
  placeAirmilesStatus,
  placeTopupStatus,
} from "../support/orderStatusOperations.js";
import { placeAtPlum } from "../support/plumDirect.js";

const WEBHOOK_KEY = "LedgerWebhookKey2024";

// Webhook ids are Plum's idempotency keys; each test uses its own.
let nextWebhookId = 7_000_000_001;

interface WebhookReply {
  status: number;
  json: unknown;
}

describe("delivery-status webhooks", () => {
  const t = useTestApp({ env: { XOXODAY_WEBHOOK_KEY: WEBHOOK_KEY } });
  let webhookUrl: string;

  beforeAll(() => {
    webhookUrl = `http://127.0.0.1:${t.app.port}/webhooks/xoxoday`;
  });

  async function postWebhook(body: string | object, key: string | null = WEBHOOK_KEY): Promise<WebhookReply> {
    const response = await request(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key === null ? {} : { "x-api-key": key }) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.body.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.statusCode, json };
  }

  function event(order: OrderStatusFieldsFragment, deliveryStatus: string, createdAt: string, id = nextWebhookId++) {
    return {
      id,
      data: {
        orderId: Number(order.orderId),
        poNumber: order.poNumber ?? "",
        orderDate: "2026-01-01 09:00:00",
        deliveryStatus,
      },
      createdAt,
    };
  }

  /** A delayed airmiles order placed through the service: pending until a callback says otherwise. */
  async function pendingOrder(): Promise<OrderStatusFieldsFragment> {
    const placed = await placeAirmilesStatus(
      t.url,
      airmilesInput({ poNumber: newPoNumber("WH"), productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 50 }),
    );
    expect(placed.outcome).toBe("PLACED");
    expect(placed.order?.deliveryStatus).toBe("pending");
    return placed.order as OrderStatusFieldsFragment;
  }

  async function status(order: OrderStatusFieldsFragment): Promise<string | null | undefined> {
    return (await orderStatusById(t.url, order.orderId))?.deliveryStatus;
  }

  it("keeps delayed products pending until Plum's callback, then shows the delivered status", async () => {
    const airmiles = await pendingOrder();
    const topup = await placeTopupStatus(t.url, topupInput({ poNumber: newPoNumber("WH") }));
    expect(topup.outcome).toBe("PLACED");
    expect(topup.order?.deliveryStatus).toBe("pending");
    const topupOrder = topup.order as OrderStatusFieldsFragment;
    expect(await status(airmiles)).toBe("pending");
    expect(await status(topupOrder)).toBe("pending");

    // The simulator posts the callback to the app, with the configured key.
    await t.sim.deliver(Number(airmiles.orderId), "delivered");
    await t.sim.deliver(Number(topupOrder.orderId), "canceled");
    const deliveries = t.sim
      .webhookDeliveries()
      .filter((d) => [airmiles.orderId, topupOrder.orderId].includes(String(d.body.data.orderId)));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);

    expect(await status(airmiles)).toBe("delivered");
    expect(await status(topupOrder)).toBe("cancelled");
    expect((await orderStatusByPoNumber(t.url, airmiles.poNumber as string))?.deliveryStatus).toBe("delivered");
  });

  it("refuses a wrong or missing key with 401 and changes nothing", async () => {
    const order = await pendingOrder();
    const before = await t.app.ledger.findByPlumPoNumber(order.poNumber as string);

    for (const key of ["WrongWebhookKey12345", null, `${WEBHOOK_KEY}x`, ""]) {
      expect((await postWebhook(event(order, "delivered", "2026-01-01 10:00:00"), key)).status).toBe(401);
    }
    expect(await status(order)).toBe("pending");
    expect(await t.app.ledger.findByPlumPoNumber(order.poNumber as string)).toEqual(before);
  });

  it("refuses a malformed body with 400 and changes nothing", async () => {
    const order = await pendingOrder();
    const before = await t.app.ledger.findByPlumPoNumber(order.poNumber as string);
    const valid = event(order, "delivered", "2026-01-01 10:00:00");
    const malformed: (string | object)[] = [
      "{not json",
      "",
      "[]",
      { ...valid, id: undefined },
      { ...valid, id: "not-a-number" },
      { ...valid, createdAt: "yesterday" },
      { ...valid, data: { ...valid.data, orderId: "abc" } },
      { ...valid, data: { ...valid.data, deliveryStatus: "" } },
      { id: valid.id, createdAt: valid.createdAt },
    ];
    for (const body of malformed) {
      expect((await postWebhook(body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await status(order)).toBe("pending");
    expect(await t.app.ledger.findByPlumPoNumber(order.poNumber as string)).toEqual(before);
    // None of them was stored either: the valid callback with the same id still applies.
    expect((await postWebhook(valid)).json).toEqual({ ok: true, duplicate: false });
    expect(await status(order)).toBe("delivered");
  });

  it("answers 200 to a repeated delivery and applies it once", async () => {
    const order = await pendingOrder();
    const callback = event(order, "delivered", "2026-01-01 10:00:00");

    expect(await postWebhook(callback)).toEqual({ status: 200, json: { ok: true, duplicate: false } });
    const applied = await t.app.ledger.findByPlumPoNumber(order.poNumber as string);
    expect(applied?.deliveryStatus).toBe("delivered");

    expect(await postWebhook(callback)).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    // Not applied again: the row is exactly as the first delivery left it (updatedAt included).
    expect(await t.app.ledger.findByPlumPoNumber(order.poNumber as string)).toEqual(applied);
  });

  it("ends with the latest event when a later cancellation arrives before an earlier delivery", async () => {
    const order = await pendingOrder();
    expect((await postWebhook(event(order, "canceled", "2026-01-01 10:00:05"))).status).toBe(200);
    expect(await status(order)).toBe("cancelled");
    // The earlier event arrives late: stored (200, so Plum stops retrying) but it does not win.
    expect((await postWebhook(event(order, "delivered", "2026-01-01 10:00:01"))).json).toEqual({
      ok: true,
      duplicate: false,
    });
    expect(await status(order)).toBe("cancelled");
  });

  it("accepts capitalised statuses (Delivered, Canceled) and normalises them", async () => {
    const delivered = await pendingOrder();
    const cancelled = await pendingOrder();
    t.sim.setWebhook({ url: webhookUrl, apiKey: WEBHOOK_KEY, statusCase: "capitalized" });
    try {
      await t.sim.deliver(Number(delivered.orderId), "delivered");
      await t.sim.deliver(Number(cancelled.orderId), "canceled");
    } finally {
      t.sim.setWebhook({ url: webhookUrl, apiKey: WEBHOOK_KEY });
    }
    const sent = t.sim
      .webhookDeliveries()
      .filter((d) => [delivered.orderId, cancelled.orderId].includes(String(d.body.data.orderId)));
    expect(sent.map((d) => [d.body.data.deliveryStatus, d.status])).toEqual([
      ["Delivered", 200],
      ["Canceled", 200],
    ]);
    expect(await status(delivered)).toBe("delivered");
    expect(await status(cancelled)).toBe("cancelled");
  });

  it("keeps a callback for an order the ledger does not know and applies it when the order arrives", async () => {
    // Placed at Plum outside this service: Plum itself still says pending.
    const poNumber = newPoNumber("WH-EXT");
    const upstream = await placeAtPlum(
      t.sim,
      airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, poNumber, userMeta: { loyaltyMemberId: "EY123456" } }),
    );
    expect(upstream.deliveryStatus).toBe("pending");
    const order: OrderStatusFieldsFragment = { orderId: String(upstream.orderId), poNumber, deliveryStatus: null };

    expect(await postWebhook(event(order, "canceled", "2026-01-01 10:00:00"))).toEqual({
      status: 200,
      json: { ok: true, duplicate: false },
    });
    expect(await t.app.ledger.findByOrderIds([order.orderId])).toEqual([]);

    // Reading it through the service makes the ledger remember it; the kept callback applies on the way in.
    expect(await orderStatusById(t.url, order.orderId)).toEqual({
      orderId: order.orderId,
      poNumber,
      deliveryStatus: "cancelled",
    });
    expect(await t.app.ledger.findByPlumPoNumber(poNumber)).toMatchObject({
      source: "LOOKUP",
      deliveryStatus: "cancelled",
    });
    expect((await orderStatusByPoNumber(t.url, poNumber))?.deliveryStatus).toBe("cancelled");
  });
});
