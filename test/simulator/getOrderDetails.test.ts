import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlumSimulator, ETIHAD_GUEST_PRODUCT_ID, type PlumSimulator } from "../../src/simulator/index.js";
import { airmilesOrder, callApi, orderData, topupOrder } from "./helpers.js";

let sim: PlumSimulator;
let realtime: { orderId: number; poNumber: string };
let delayed: { orderId: number; poNumber: string };
let numericStrings: { orderId: string; poNumber: string };

beforeAll(async () => {
  sim = await createPlumSimulator();
  const a = airmilesOrder();
  realtime = {
    orderId: orderData(await callApi(sim, "placeOrder", a), "placeOrder")["orderId"] as number,
    poNumber: String(a["poNumber"]),
  };
  const b = airmilesOrder({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 25 });
  delayed = {
    orderId: orderData(await callApi(sim, "placeOrder", b), "placeOrder")["orderId"] as number,
    poNumber: String(b["poNumber"]),
  };
  const c = topupOrder();
  numericStrings = {
    orderId: orderData(await callApi(sim, "placeOrder", c), "placeOrder")["orderId"] as string,
    poNumber: String(c["poNumber"]),
  };
});
afterAll(async () => {
  await sim.close();
});

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe("getOrderDetails", () => {
  it('finds an order by orderId (number or string) with poNumber "" or null', async () => {
    for (const data of [
      { orderId: realtime.orderId, poNumber: "", sendMailToReceiver: 0 },
      { orderId: String(realtime.orderId), poNumber: null, sendMailToReceiver: 0 },
    ]) {
      const result = await callApi(sim, "getOrderDetails", data);
      expect(result.status).toBe(200);
      const details = orderData(result, "getOrderDetails");
      expect(details).toMatchObject({
        orderId: realtime.orderId,
        poNumber: realtime.poNumber,
        orderStatus: "complete",
        deliveryStatus: "delivered",
        orderTotal: 50,
        currencyCode: "USD",
        vouchers: [],
        voucherDetails: [{ productStatus: "delivered", cancelledQuantity: 0 }],
        orderMeta: { email: "your.email@example.com", loyaltyMemberId: "324523423" },
      });
      expect(details["orderDate"]).toMatch(DATE_TIME);
      expect(details["deliveryDate"]).toMatch(DATE_TIME);
    }
  });

  it('finds an order by poNumber when orderId is null, 0 or "0"', async () => {
    for (const orderId of [null, 0, "0"]) {
      const result = await callApi(sim, "getOrderDetails", {
        orderId,
        poNumber: delayed.poNumber,
        sendMailToReceiver: 0,
      });
      expect(result.status).toBe(200);
      expect(orderData(result, "getOrderDetails")).toMatchObject({
        orderId: delayed.orderId,
        deliveryStatus: "pending",
        deliveryDate: "",
      });
    }
  });

  it("keeps numeric strings for products that send them", async () => {
    const result = await callApi(sim, "getOrderDetails", {
      orderId: null,
      poNumber: numericStrings.poNumber,
      sendMailToReceiver: 0,
    });
    expect(orderData(result, "getOrderDetails")).toMatchObject({
      orderId: numericStrings.orderId,
      orderTotal: "100",
      quantity: "1",
    });
  });

  it("reflects delivery and cancellation", async () => {
    const b = airmilesOrder({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 100 });
    const orderId = orderData(await callApi(sim, "placeOrder", b), "placeOrder")["orderId"] as number;
    await sim.deliver(orderId, "canceled");
    const details = orderData(
      await callApi(sim, "getOrderDetails", { orderId, poNumber: "", sendMailToReceiver: 0 }),
      "getOrderDetails",
    );
    expect(details).toMatchObject({
      deliveryStatus: "canceled",
      voucherDetails: [{ productStatus: "canceled", cancelledQuantity: 1 }],
    });
    expect(details["deliveryDate"]).toMatch(DATE_TIME);
  });

  it("404 PLE10016 when no order matches", async () => {
    for (const data of [
      { orderId: 1, poNumber: "", sendMailToReceiver: 0 },
      { orderId: null, poNumber: "PO-unknown", sendMailToReceiver: 0 },
      { orderId: "0", poNumber: "PO-unknown", sendMailToReceiver: 0 },
      { orderId: realtime.orderId, poNumber: delayed.poNumber, sendMailToReceiver: 0 },
    ]) {
      const result = await callApi(sim, "getOrderDetails", data);
      expect(result.status).toBe(404);
      expect(result.json).toEqual({
        code: 404,
        errorId: "PLE10016",
        errorInfo: "Failed to get Order details",
        error: "Order not found",
      });
    }
  });

  it("400 PLE10002 when neither key is usable", async () => {
    for (const data of [
      { orderId: null, poNumber: "", sendMailToReceiver: 0 },
      { orderId: "abc", poNumber: "" },
      null,
    ]) {
      const result = await callApi(sim, "getOrderDetails", data);
      expect(result.status).toBe(400);
      expect(result.json).toMatchObject({ code: 400, errorId: "PLE10002" });
    }
  });
});
