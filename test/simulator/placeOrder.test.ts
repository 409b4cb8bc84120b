import { describe, expect, it } from "vitest";
import {
  AIRTEL_TOPUP_PRODUCT_ID,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  ETIHAD_GUEST_PRODUCT_ID,
  JIO_TOPUP_PRODUCT_ID,
  KRISFLYER_PRODUCT_ID,
  QATAR_AVIOS_PRODUCT_ID,
} from "../../src/simulator/index.js";
import { TOKEN, airmilesOrder, callApi, http, orderData, topupOrder, useSharedSimulator } from "./helpers.js";

const sim = useSharedSimulator();

function expectShapeB(
  result: { status: number; json: unknown },
  status: number,
  errorId: string,
): Record<string, unknown> {
  expect(result.status).toBe(status);
  const body = result.json as Record<string, unknown>;
  expect(body).toMatchObject({ code: status, errorId });
  expect(typeof body["errorInfo"]).toBe("string");
  expect(typeof body["error"]).toBe("string");
  return body;
}

describe("placeOrder success", () => {
  it("places a realtime airmiles order with the full field set", async () => {
    const request = airmilesOrder({ poNumber: "PO12662" });
    const result = await callApi(sim, "placeOrder", request);
    expect(result.status).toBe(200);
    expect(result.headers["content-type"]).toMatch(/application\/json/);
    const envelope = result.json as { data: { placeOrder: { status: number } } };
    expect(envelope.data.placeOrder.status).toBe(1);
    const data = orderData(result, "placeOrder");
    expect(data).toEqual({
      orderId: 98765432,
      orderTotal: 50,
      rawOrderTotal: 50,
      orderDiscount: "",
      rawOrderDiscount: "",
      discountPercent: "",
      currencyCode: "USD",
      currencyValue: 1,
      amountCharged: 50,
      orderStatus: "complete",
      deliveryStatus: "delivered",
      tag: "Rewarding",
      quantity: 1,
      vouchers: [],
      voucherDetails: [
        {
          orderId: 98765432,
          productId: EMIRATES_SKYWARDS_PRODUCT_ID,
          productName: "Emirates Skywards Miles",
          currencyCode: "USD",
          productStatus: "delivered",
          denomination: 50,
          vendorLogo: expect.stringMatching(/^https:\/\//),
        },
      ],
      orderMeta: { email: "your.email@example.com", contact: "+1-4705000000" },
    });
    const order = sim.findOrder({ poNumber: "PO12662" });
    expect(order).toMatchObject({
      orderId: 98765432,
      deliveryStatus: "delivered",
      userMeta: { loyaltyMemberId: "324523423" },
    });
    expect(sim.balance()).toBe(1_000_000 - 50);
    expect(sim.count("placeOrder")).toBe(1);
    expect(sim.calls("placeOrder")[0]).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      body: { variables: { data: request } },
    });
  });

  it("places a delayed top-up order that stays pending, with numeric strings on the wire", async () => {
    const result = await callApi(sim, "placeOrder", topupOrder({ performOperatorValidation: 1 }));
    expect(result.status).toBe(200);
    const data = orderData(result, "placeOrder");
    expect(data).toMatchObject({
      orderTotal: "100",
      rawOrderTotal: "100",
      currencyCode: "INR",
      currencyValue: "0.012",
      amountCharged: "100",
      orderStatus: "complete",
      deliveryStatus: "pending",
      quantity: "1",
      vouchers: [],
      voucherDetails: [
        {
          productId: String(AIRTEL_TOPUP_PRODUCT_ID),
          productName: "Airtel Prepaid India",
          productStatus: "pending",
          denomination: "100",
        },
      ],
    });
    expect(typeof data["orderId"]).toBe("string");
    expect(Number(data["orderId"])).toBeGreaterThanOrEqual(98765432);
    // 100 INR at 0.012 USD.
    expect(sim.balance()).toBeCloseTo(1_000_000 - 1.2, 6);
    expect(sim.orders()[0]?.deliveryStatus).toBe("pending");
  });

  it("places a realtime top-up order (Jio) with a valid operator number", async () => {
    const result = await callApi(
      sim,
      "placeOrder",
      topupOrder({
        productId: JIO_TOPUP_PRODUCT_ID,
        denomination: 149,
        performOperatorValidation: 1,
        userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" },
      }),
    );
    expect(result.status).toBe(200);
    expect(orderData(result, "placeOrder")).toMatchObject({
      deliveryStatus: "delivered",
      orderTotal: 149,
      vouchers: [],
    });
  });

  it("applies the product discount as strings and charges less than the total", async () => {
    const result = await callApi(
      sim,
      "placeOrder",
      airmilesOrder({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 50 }),
    );
    expect(orderData(result, "placeOrder")).toMatchObject({
      orderTotal: 50,
      orderDiscount: "1.50",
      rawOrderDiscount: "1.5",
      discountPercent: "3",
      amountCharged: 48.5,
      deliveryStatus: "pending",
    });
    expect(sim.balance()).toBe(1_000_000 - 48.5);
  });

  it("accepts numeric strings for productId, quantity and denomination, and an empty poNumber twice", async () => {
    const first = await callApi(
      sim,
      "placeOrder",
      airmilesOrder({ productId: "15365", quantity: "1", denomination: "20", poNumber: "" }),
    );
    const second = await callApi(
      sim,
      "placeOrder",
      airmilesOrder({ productId: "15365", quantity: "1", denomination: "20", poNumber: "" }),
    );
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(orderData(second, "placeOrder")["orderId"]).toBe((orderData(first, "placeOrder")["orderId"] as number) + 1);
  });
});

describe("placeOrder business errors", () => {
  it("400 PLE10001 for missing or invalid required fields", async () => {
    for (const overrides of [
      { productId: undefined },
      { quantity: 0 },
      { denomination: -5 },
      { email: "" },
      { email: "not-an-email" },
    ]) {
      expectShapeB(await callApi(sim, "placeOrder", airmilesOrder(overrides)), 400, "PLE10001");
    }
    expectShapeB(await callApi(sim, "placeOrder", null), 400, "PLE10001");
    expect(sim.orders()).toHaveLength(0);
  });

  it("404 PLE10042 for an unknown or not-activated product", async () => {
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ productId: 99999 })), 404, "PLE10042");
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ productId: KRISFLYER_PRODUCT_ID })), 404, "PLE10042");
  });

  it("400 PLE10001 when the category's userMeta is missing", async () => {
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ userMeta: {} })), 400, "PLE10001");
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ userMeta: undefined })), 400, "PLE10001");
    expectShapeB(
      await callApi(sim, "placeOrder", topupOrder({ userMeta: { topupPhoneCode: "+91" } })),
      400,
      "PLE10001",
    );
  });

  it("400 PLE10018 for a denomination the product does not allow", async () => {
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ denomination: 5 })), 400, "PLE10018");
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ denomination: 10_001 })), 400, "PLE10018");
    expectShapeB(
      await callApi(sim, "placeOrder", airmilesOrder({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 30 })),
      400,
      "PLE10018",
    );
    expectShapeB(await callApi(sim, "placeOrder", topupOrder({ denomination: 150 })), 400, "PLE10018");
  });

  it("409 PLE10041 above the quantity limit", async () => {
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ quantity: 2 })), 409, "PLE10041");
    expectShapeB(await callApi(sim, "placeOrder", topupOrder({ quantity: 2 })), 409, "PLE10041");
  });

  it("400 PLE10001 mentioning operator validation on an operator mismatch", async () => {
    const wrongPrefix = await callApi(
      sim,
      "placeOrder",
      topupOrder({ performOperatorValidation: 1, userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" } }),
    );
    expect(expectShapeB(wrongPrefix, 400, "PLE10001")["error"]).toMatch(/operator validation/i);
    const wrongCountry = await callApi(
      sim,
      "placeOrder",
      topupOrder({
        performOperatorValidation: "1",
        userMeta: { topupPhoneCode: "+44", topupPhoneNumber: "9857535678" },
      }),
    );
    expect(expectShapeB(wrongCountry, 400, "PLE10001")["error"]).toMatch(/operator validation/i);
    // Without validation the same number is accepted.
    const unchecked = await callApi(
      sim,
      "placeOrder",
      topupOrder({ performOperatorValidation: 0, userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" } }),
    );
    expect(unchecked.status).toBe(200);
  });

  it("502 PLE10024 for an out-of-stock product", async () => {
    expectShapeB(
      await callApi(sim, "placeOrder", airmilesOrder({ productId: QATAR_AVIOS_PRODUCT_ID })),
      502,
      "PLE10024",
    );
  });

  it("422 PLE10004 for a repeated non-empty poNumber, without a second order", async () => {
    const request = airmilesOrder();
    expect((await callApi(sim, "placeOrder", request)).status).toBe(200);
    const repeat = expectShapeB(await callApi(sim, "placeOrder", request), 422, "PLE10004");
    expect(repeat["errorInfo"]).toBe("Failed to validate client's externalOrderId");
    expect(sim.orders()).toHaveLength(1);
  });

  it("422 PLE10010 when the balance is short", async () => {
    sim.setBalance(49.99);
    expectShapeB(await callApi(sim, "placeOrder", airmilesOrder({ denomination: 50 })), 422, "PLE10010");
    expect(sim.orders()).toHaveLength(0);
    expect((await callApi(sim, "placeOrder", airmilesOrder({ denomination: 49.99 }))).status).toBe(200);
    expect(sim.balance()).toBe(0);
  });

  it("checks in the documented order (first failure wins)", async () => {
    // Unknown product beats a bad denomination; quantity beats stock; stock beats duplicate PO.
    expectShapeB(
      await callApi(sim, "placeOrder", airmilesOrder({ productId: 99999, denomination: 1 })),
      404,
      "PLE10042",
    );
    expectShapeB(
      await callApi(sim, "placeOrder", airmilesOrder({ productId: QATAR_AVIOS_PRODUCT_ID, quantity: 5 })),
      409,
      "PLE10041",
    );
    const placed = airmilesOrder();
    await callApi(sim, "placeOrder", placed);
    expectShapeB(await callApi(sim, "placeOrder", { ...placed, productId: QATAR_AVIOS_PRODUCT_ID }), 502, "PLE10024");
    sim.setBalance(0);
    expectShapeB(await callApi(sim, "placeOrder", placed), 422, "PLE10004");
  });
});

describe("API route", () => {
  it("400 PLE10001 for an unknown query or a non-JSON body", async () => {
    const unknown = await http(sim.apiUrl, {
      body: { query: "plumProAPI.mutation.getFilters", tag: "plumProAPI", variables: { data: {} } },
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expectShapeB(unknown, 400, "PLE10001");
    const nonJson = await http(sim.apiUrl, {
      rawBody: "query=placeOrder",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expectShapeB(nonJson, 400, "PLE10001");
    expect(sim.count("unknown")).toBe(2);
    expect(sim.calls("unknown")[1]?.body).toBe("query=placeOrder");
  });

  it("404 for the playground URL /api/placeOrder and other paths", async () => {
    const result = await http(`${sim.apiUrl}/placeOrder`, {
      body: { query: "plumProAPI.mutation.placeOrder" },
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(result.status).toBe(404);
    expect((await http(`${sim.baseUrl}/nope`, { method: "GET" })).status).toBe(404);
    expect(sim.count("placeOrder")).toBe(0);
    expect(sim.orders()).toHaveLength(0);
  });
});
