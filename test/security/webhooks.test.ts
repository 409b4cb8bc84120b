// Finding 7: a callback from 2099 won over every later one; an orderId and a poNumber naming different orders
// rewrote the poNumber's order; a NUL character was a 500 (Plum disables a webhook after three); events for
// unknown orders were kept forever. Over real HTTP, on PostgreSQL (whose refusal of NUL caused the 500).
import pg from "pg";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { placeAirmiles, placeTopup } from "../support/orderOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const KEY = "webhookKey0123456789";
const TTL_MS = 300;

describe("webhook hardening", () => {
  let db: TestDatabase;
  let t: TestApp;
  let counter = Date.now();

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({
      DATABASE_URL: db.url,
      XOXODAY_WEBHOOK_KEY: KEY,
      WEBHOOK_UNMATCHED_TTL_MS: String(TTL_MS),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  async function deliver(data: Record<string, unknown>, createdAt: string = new Date().toISOString()): Promise<number> {
    counter += 1;
    const response = await request(`${new URL(t.url).origin}/webhooks/xoxoday`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KEY },
      body: JSON.stringify({ id: counter, data: { orderDate: "2026-12-01 10:00:00", ...data }, createdAt }),
    });
    const text = await response.body.text();
    if (process.env["DEBUG_WEBHOOKS"]) console.log(response.statusCode, text);
    return response.statusCode;
  }
  const statusOf = async (poNumber: string) =>
    (await t.app.ledger.findByPlumPoNumber(poNumber))?.deliveryStatus ?? null;

  it("refuses a createdAt far in the future (400, nothing changed); later real events still apply", async () => {
    const input = topupInput();
    const placed = (await placeTopup(t.url, input)).payload.order as { orderId: string };
    const before = await statusOf(input.poNumber);
    const future = { orderId: placed.orderId, poNumber: input.poNumber, deliveryStatus: "cancelled" };
    expect(await deliver(future, "2099-01-01T00:00:00.000Z")).toBe(400);
    expect(await deliver(future, new Date(Date.now() + 3_600_000).toISOString())).toBe(400);
    expect(await statusOf(input.poNumber)).toBe(before);
    expect(await deliver({ orderId: placed.orderId, poNumber: input.poNumber, deliveryStatus: "Delivered" })).toBe(200);
    expect(await statusOf(input.poNumber)).toBe("delivered");
    // A little ahead (clock skew within the allowance) is a real event.
    const skewed = new Date(Date.now() + 60_000).toISOString();
    expect(
      await deliver({ orderId: placed.orderId, poNumber: input.poNumber, deliveryStatus: "cancelled" }, skewed),
    ).toBe(200);
    expect(await statusOf(input.poNumber)).toBe("cancelled");
  });

  it("allows a zoneless createdAt the largest UTC offset (Plum may stamp local time, e.g. IST), and no more", async () => {
    const input = topupInput();
    const placed = (await placeTopup(t.url, input)).payload.order as { orderId: string };
    const zoneless = (at: number): string => new Date(at).toISOString().slice(0, 19).replace("T", " ");
    const event = { orderId: placed.orderId, poNumber: input.poNumber, deliveryStatus: "delivered" };
    // Plum's documented shape ("YYYY-MM-DD HH:MM:SS", no zone) in IST reads 5.5 h ahead as UTC: a real event.
    expect(await deliver(event, zoneless(Date.now() + 5.5 * 3_600_000))).toBe(200);
    expect(await statusOf(input.poNumber)).toBe("delivered");
    // Beyond any zone: refused, nothing changed.
    expect(await deliver({ ...event, deliveryStatus: "cancelled" }, zoneless(Date.now() + 15 * 3_600_000))).toBe(400);
    expect(await deliver({ ...event, deliveryStatus: "cancelled" }, "2099-01-01 00:00:00")).toBe(400);
    expect(await statusOf(input.poNumber)).toBe("delivered");
  });

  it("applies an event only when its orderId and poNumber name the same order", async () => {
    const a = airmilesInput();
    const b = topupInput();
    const placedA = (await placeAirmiles(t.url, a)).payload.order as { orderId: string };
    const placedB = (await placeTopup(t.url, b)).payload.order as { orderId: string };
    const [statusA, statusB] = [await statusOf(a.poNumber), await statusOf(b.poNumber)];

    // A's orderId with B's poNumber: the attack. Then B's poNumber with an orderId no order has.
    expect(await deliver({ orderId: placedA.orderId, poNumber: b.poNumber, deliveryStatus: "cancelled" })).toBe(200);
    expect(await deliver({ orderId: "999999999991", poNumber: b.poNumber, deliveryStatus: "cancelled" })).toBe(200);
    expect([await statusOf(a.poNumber), await statusOf(b.poNumber)]).toEqual([statusA, statusB]);
    expect(t.logs.text).toContain("name different orders; not applied");

    // A matching pair applies.
    expect(await deliver({ orderId: placedB.orderId, poNumber: b.poNumber, deliveryStatus: "delivered" })).toBe(200);
    expect(await statusOf(b.poNumber)).toBe("delivered");
  });

  it("answers 400, never 500, to NUL, control characters and lone surrogates, and changes nothing", async () => {
    const input = topupInput();
    const placed = (await placeTopup(t.url, input)).payload.order as { orderId: string };
    const before = await statusOf(input.poNumber);
    for (const bad of ["deli\u0000vered", "delivered\u0007", "\ud83d", "cancel\udc00led"]) {
      expect(
        await deliver({ orderId: placed.orderId, poNumber: input.poNumber, deliveryStatus: bad }),
        JSON.stringify(bad),
      ).toBe(400);
      expect(
        await deliver({ orderId: placed.orderId, poNumber: `${input.poNumber}${bad}`, deliveryStatus: "delivered" }),
      ).toBe(400);
      expect(
        await deliver(
          { orderId: placed.orderId, poNumber: input.poNumber, deliveryStatus: "delivered" },
          `2026-12-01${bad}`,
        ),
      ).toBe(400);
    }
    expect(await statusOf(input.poNumber)).toBe(before);
  });

  it("expires events that matched no order after WEBHOOK_UNMATCHED_TTL_MS", async () => {
    const unknownOrderId = String(counter + 5_000_000);
    expect(await deliver({ orderId: unknownOrderId, poNumber: "", deliveryStatus: "delivered" })).toBe(200);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const stored = async () =>
        (await client.query("SELECT count(*)::int AS n FROM webhook_events WHERE order_id = $1", [unknownOrderId]))
          .rows[0]?.n;
      expect(await stored()).toBe(1);
      // The expiry runs every TTL here: bounded wait for at most a few of its passes.
      const deadline = Date.now() + 10 * TTL_MS;
      while ((await stored()) !== 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, TTL_MS / 3));
      expect(await stored()).toBe(0);
      // Applied events are kept (they keep redeliveries idempotent).
      const applied = await client.query("SELECT count(*)::int AS n FROM webhook_events WHERE applied_at IS NOT NULL");
      expect(applied.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
