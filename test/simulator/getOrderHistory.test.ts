// The simulator's getOrderHistory (docs/plum-api.md §4.3) over HTTP: the documented row shape, the date range by
// YYYY-MM-DD, page/limit paging, validation (PLE10032), and orders it is told to hold that nobody placed.
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PLUM_TAG, PlumOperation } from "../../src/plum/wire.js";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";

let sim: PlumSimulator;
beforeAll(async () => {
  sim = await createPlumSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

async function history(data: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await request(sim.apiUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${sim.tokens.accessToken}` },
    body: JSON.stringify({ query: PlumOperation.getOrderHistory, tag: PLUM_TAG, variables: { data } }),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

function rows(body: Record<string, unknown>): Record<string, unknown>[] {
  return (body["data"] as { getOrderHistory: { status: number; data: Record<string, unknown>[] } }).getOrderHistory
    .data;
}

const today = () => new Date().toISOString().slice(0, 10);

describe("getOrderHistory", () => {
  it("lists held orders in the documented shape, oldest first, page by page", async () => {
    const held = [
      sim.holdOrder({ poNumber: "H-1", tag: "camp" }),
      sim.holdOrder({ poNumber: "H-2" }),
      sim.holdOrder({ poNumber: "H-3" }),
    ];
    const first = await history({ startDate: today(), endDate: today(), page: 1, limit: 2 });
    expect(first.status).toBe(200);
    expect(rows(first.body).map((r) => r["poNumber"])).toEqual(["H-1", "H-2"]);
    expect(rows(first.body)[0]).toMatchObject({
      orderId: held[0]?.orderId,
      email: "held.order@example.com",
      deliveryStatus: "delivered",
      tag: "camp",
      currencyCode: "USD",
      orderDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      products: [
        expect.objectContaining({ productId: 15365, price: 25, quantity: 1, orderProductStatus: "delivered" }),
      ],
      voucherDetails: [expect.objectContaining({ productStatus: "delivered", denomination: 25 })],
    });
    expect(
      rows((await history({ startDate: today(), endDate: today(), page: 2, limit: 2 })).body).map((r) => r["poNumber"]),
    ).toEqual(["H-3"]);
    expect(rows((await history({ startDate: today(), endDate: today(), page: 3, limit: 2 })).body)).toEqual([]);
    expect(
      rows((await history({ startDate: today(), endDate: today(), page: 1, limit: 10, tag: "camp" })).body),
    ).toHaveLength(1);
    expect(sim.count("getOrderHistory")).toBe(4);
  });

  it("filters by the order's date, both ends inclusive", async () => {
    sim.holdOrder({ poNumber: "OLD" }, new Date("2026-01-10T23:59:00Z"));
    sim.holdOrder({ poNumber: "NEW" }, new Date("2026-01-12T00:00:00Z"));
    const pos = async (startDate: string, endDate: string) =>
      rows((await history({ startDate, endDate, page: 1, limit: 10 })).body).map((r) => r["poNumber"]);
    expect(await pos("2026-01-10", "2026-01-12")).toEqual(["OLD", "NEW"]);
    expect(await pos("2026-01-11", "2026-01-11")).toEqual([]);
    expect(await pos("2026-01-12", "2026-01-31")).toEqual(["NEW"]);
  });

  it("holds a second order under a poNumber it already has (no duplicate check)", () => {
    sim.holdOrder({ poNumber: "DUP" });
    sim.holdOrder({ poNumber: "DUP" });
    expect(sim.ordersByPoNumber("DUP")).toHaveLength(2);
  });

  it("refuses bad dates, reversed ranges and bad paging with PLE10032", async () => {
    for (const data of [
      {},
      { startDate: "2026-02-30", endDate: "2026-03-01" },
      { startDate: "01-01-2026", endDate: "2026-01-02" },
      { startDate: "2026-01-02", endDate: "2026-01-01" },
      { startDate: "2026-01-01", endDate: "2026-01-02", page: 0 },
      { startDate: "2026-01-01", endDate: "2026-01-02", limit: 100000 },
    ]) {
      const answer = await history(data);
      expect(answer.status, JSON.stringify(data)).toBe(400);
      expect(answer.body).toMatchObject({ errorId: "PLE10032" });
    }
  });

  it("holds an order through the admin endpoint", async () => {
    const response = await request(`${sim.baseUrl}/__simulator/orders`, {
      method: "POST",
      body: JSON.stringify({ poNumber: "ADMIN-1", denomination: 40 }),
    });
    expect(response.statusCode).toBe(201);
    await response.body.text();
    expect(sim.findOrder({ poNumber: "ADMIN-1" })).toMatchObject({ denomination: 40 });
    const bad = await request(`${sim.baseUrl}/__simulator/orders`, {
      method: "POST",
      body: JSON.stringify({ denomination: -1 }),
    });
    expect(bad.statusCode).toBe(400);
    await bad.body.text();
  });
});
