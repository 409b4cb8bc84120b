// The simulator's catalogue operations: getVouchers (both category types, parentProductId, pagination, loose wire
// types), lookupMobileNumber (both documented shapes) and getBalance, served from the catalogue placeOrder
// validates against, each with fault injection.
import { describe, expect, it } from "vitest";
import {
  AIRTEL_OPERATOR_ID,
  AIRTEL_TOPUP_PRODUCT_ID,
  ETIHAD_GUEST_PRODUCT_ID,
  JIO_OPERATOR_ID,
  JIO_TOPUP_PRODUCT_ID,
  KRISFLYER_PRODUCT_ID,
  SIMULATOR_PRODUCTS,
} from "../../src/simulator/index.js";
import { ADMIN_PREFIX } from "../../src/simulator/index.js";
import { airmilesOrder, callApi, http, orderData, useSharedSimulator } from "./helpers.js";

const sim = useSharedSimulator();

function items(result: { json: unknown }): Record<string, unknown>[] {
  const body = result.json as { data: { getVouchers: { status: number; data: Record<string, unknown>[] } } };
  expect(body.data.getVouchers.status).toBe(1);
  return body.data.getVouchers.data;
}

const vouchers = (data: Record<string, unknown>) => callApi(sim, "getVouchers", { limit: 100, page: 1, ...data });

describe("getVouchers", () => {
  it("lists the activated airmiles programmes for categoryType miles, with CSV denominations", async () => {
    const result = await vouchers({ categoryType: "miles" });
    expect(result.status).toBe(200);
    const listed = items(result);
    const expected = SIMULATOR_PRODUCTS.filter((p) => p.category === "airmiles" && p.activated).map((p) => p.productId);
    expect(listed.map((i) => i["productId"])).toEqual(expected);
    expect(listed.map((i) => i["productId"])).not.toContain(KRISFLYER_PRODUCT_ID);
    expect(listed.find((i) => i["productId"] === ETIHAD_GUEST_PRODUCT_ID)).toMatchObject({
      valueType: "fixed_denomination",
      valueDenominations: "25,50,100",
      discount: 3,
      deliveryType: "delayed",
      orderQuantityLimit: 1,
    });
  });

  it("lists operators for categoryType topup, and an operator's plans with parentProductId (numbers as strings)", async () => {
    expect(items(await vouchers({ categoryType: "topup" })).map((i) => [i["productId"], i["name"]])).toEqual([
      [AIRTEL_OPERATOR_ID, "Airtel"],
      [JIO_OPERATOR_ID, "Jio"],
    ]);
    const airtel = items(await vouchers({ categoryType: "topup", parentProductId: String(AIRTEL_OPERATOR_ID) }));
    expect(airtel).toEqual([
      expect.objectContaining({
        productId: String(AIRTEL_TOPUP_PRODUCT_ID),
        valueDenominations: "100,200,500",
        orderQuantityLimit: "1",
        fee: "0",
        exchangeRate: "0.012",
        parentProductId: AIRTEL_OPERATOR_ID,
      }),
    ]);
    expect(
      items(await vouchers({ categoryType: "topup", parentProductId: JIO_OPERATOR_ID })).map((i) => i["productId"]),
    ).toEqual([JIO_TOPUP_PRODUCT_ID]);
  });

  it("paginates with limit and page, and answers PLE10030 past the end", async () => {
    const all = items(await vouchers({ categoryType: "miles" })).map((i) => i["productId"]);
    const first = items(await callApi(sim, "getVouchers", { categoryType: "miles", limit: "2", page: "1" })).map(
      (i) => i["productId"],
    );
    const second = items(await callApi(sim, "getVouchers", { categoryType: "miles", limit: 2, page: 2 })).map(
      (i) => i["productId"],
    );
    expect([...first, ...second]).toEqual(all);
    const past = await callApi(sim, "getVouchers", { categoryType: "miles", limit: 2, page: 3 });
    expect(past.status).toBe(404);
    expect(past.json).toMatchObject({ errorId: "PLE10030" });
  });

  it("refuses a missing categoryType", async () => {
    const result = await callApi(sim, "getVouchers", { limit: 10, page: 1 });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ errorId: "PLE10033" });
  });

  it("stops listing a withdrawn product (POST /__simulator/catalogue)", async () => {
    const set = await http(`${sim.baseUrl}${ADMIN_PREFIX}/catalogue`, {
      body: { unlistedProductIds: [ETIHAD_GUEST_PRODUCT_ID] },
    });
    expect(set.status).toBe(200);
    expect(items(await vouchers({ categoryType: "miles" })).map((i) => i["productId"])).not.toContain(
      ETIHAD_GUEST_PRODUCT_ID,
    );
    expect((await http(`${sim.baseUrl}${ADMIN_PREFIX}/catalogue`, { body: { unknownSetting: 1 } })).status).toBe(400);
  });

  it("takes faults aimed at it, leaving placeOrder alone", async () => {
    sim.inject({ kind: "status", status: 502, operation: "getVouchers" });
    expect((await vouchers({ categoryType: "miles" })).status).toBe(502);
    sim.inject({ kind: "rateLimit", operation: "getVouchers" });
    const placed = await callApi(sim, "placeOrder", airmilesOrder());
    expect(orderData(placed, "placeOrder")["orderId"]).toBeDefined();
    expect((await vouchers({ categoryType: "miles" })).status).toBe(429);
    expect(sim.count("getVouchers")).toBe(2);
  });
});

describe("lookupMobileNumber", () => {
  it("answers the page text's shape by default, from placeOrder's operator table", async () => {
    const result = await callApi(sim, "lookupMobileNumber", { mobile_number: "+919912345678" });
    expect(result.json).toEqual({
      data: {
        lookupMobileNumber: {
          status: 1,
          message: "Success",
          phone: "+919912345678",
          network_operator: "Airtel",
          is_active: true,
          parentProductId: AIRTEL_OPERATOR_ID,
        },
      },
    });
  });

  it("answers the spec example's shape when asked to", async () => {
    sim.setCatalogue({ lookupShape: "spec" });
    const result = await callApi(sim, "lookupMobileNumber", { mobile_number: "+918912345678" });
    expect(result.json).toEqual({
      data: {
        lookupMobileNumber: { status: 1, data: { operator: "Jio", countryCode: "IN", productId: JIO_OPERATOR_ID } },
      },
    });
  });

  it("cannot tell for an unknown prefix, and refuses a number not in E.164", async () => {
    const unknown = await callApi(sim, "lookupMobileNumber", { mobile_number: "+916012345678" });
    expect(unknown.json).toMatchObject({
      data: { lookupMobileNumber: { status: 1, network_operator: null, parentProductId: null } },
    });
    const malformed = await callApi(sim, "lookupMobileNumber", { mobile_number: "9912345678" });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ errorId: "PLE10001" });
  });

  it("takes faults aimed at it", async () => {
    sim.inject({ kind: "nonJson", operation: "lookupMobileNumber" });
    expect((await callApi(sim, "lookupMobileNumber", { mobile_number: "+919912345678" })).status).toBe(502);
  });
});

describe("getBalance", () => {
  it("reports the wallet placeOrder debits, and takes faults", async () => {
    sim.setBalance(500);
    expect((await callApi(sim, "getBalance", {})).json).toEqual({
      data: { getBalance: { status: 1, data: { value: 500, currency: "USD" } } },
    });
    await callApi(sim, "placeOrder", airmilesOrder({ denomination: 50 }));
    expect((await callApi(sim, "getBalance", {})).json).toMatchObject({
      data: { getBalance: { data: { value: 450 } } },
    });
    sim.inject({ kind: "tokenError", operation: "getBalance" });
    expect((await callApi(sim, "getBalance", {})).status).toBe(401);
  });
});
