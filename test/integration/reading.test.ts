// Reading orders over HTTP: by orderId and by poNumber, from the ledger for orders placed here, and through
// Plum's getOrderDetails (then remembered) for orders this service has not seen.
import { describe, expect, it } from "vitest";
import { EMIRATES_SKYWARDS_PRODUCT_ID } from "../../src/simulator/index.js";
import { OrderByPoNumberDocument } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber, topupInput } from "../support/orderInputs.js";
import { orderById, orderByPoNumber, placeAirmiles, placeTopup } from "../support/orderOperations.js";
import { placeAtPlum } from "../support/plumDirect.js";

const t = useTestApp({ resetSimulator: true });

/** Places an order at the simulator directly, as another Plum client would: this service never saw it. */
async function placeAtSimulator(poNumber: string): Promise<number> {
  const input = airmilesInput({
    denomination: 75,
    email: "elsewhere@example.com",
    tag: "Outside",
    poNumber,
    userMeta: { loyaltyMemberId: "EK-999" },
  });
  return (await placeAtPlum(t.sim, input)).orderId;
}

describe("orders placed through this service", () => {
  it("are returned by orderId and by poNumber from the ledger, without asking Plum", async () => {
    const input = airmilesInput({ tag: "Loyalty" });
    const placed = (await placeAirmiles(t.url, input)).payload.order;
    expect(placed).not.toBeNull();
    const orderId = placed?.orderId ?? "";

    const byId = await orderById(t.url, orderId);
    const byPo = await orderByPoNumber(t.url, input.poNumber);
    expect(byId).toEqual(placed);
    expect(byPo).toEqual(placed);
    expect(byId).toMatchObject({ kind: "AIRMILES", poNumber: input.poNumber, tag: "Loyalty", orderTotal: 50 });
    expect(t.sim.count("getOrderDetails")).toBe(0);
  });

  it("return a top-up with its kind", async () => {
    const input = topupInput();
    const placed = (await placeTopup(t.url, input)).payload.order;
    expect(await orderByPoNumber(t.url, input.poNumber)).toMatchObject({
      orderId: placed?.orderId,
      kind: "TOPUP",
      deliveryStatus: "pending",
    });
  });
});

describe("unknown orders", () => {
  it("are null by orderId and by poNumber", async () => {
    expect(await orderById(t.url, "12345")).toBeNull();
    expect(await orderByPoNumber(t.url, newPoNumber("nobody"))).toBeNull();
  });

  it("are null, without asking Plum, for ids and poNumbers that cannot exist", async () => {
    const before = t.sim.count("getOrderDetails");
    expect(await orderById(t.url, "not-a-number")).toBeNull();
    expect(await orderById(t.url, "0")).toBeNull();
    expect(await orderByPoNumber(t.url, "has spaces;")).toBeNull();
    expect(await orderByPoNumber(t.url, "")).toBeNull();
    expect(t.sim.count("getOrderDetails")).toBe(before);
  });

  it("stay null on a second read (a miss is not cached as an order)", async () => {
    const poNumber = newPoNumber("later");
    expect(await orderByPoNumber(t.url, poNumber)).toBeNull();
    // Created at Plum after the first read: the next read finds it.
    await placeAtSimulator(poNumber);
    expect(await orderByPoNumber(t.url, poNumber)).not.toBeNull();
  });
});

describe("orders placed at Plum by someone else", () => {
  it("are found by poNumber through getOrderDetails, then served from the ledger", async () => {
    const poNumber = newPoNumber("direct");
    const orderId = await placeAtSimulator(poNumber);

    const first = await orderByPoNumber(t.url, poNumber);
    expect(first).toMatchObject({
      orderId: String(orderId),
      poNumber,
      // Not placed through this service: the kind is unknown.
      kind: null,
      orderTotal: 75,
      amountCharged: 75,
      currencyCode: "USD",
      orderStatus: "complete",
      deliveryStatus: "delivered",
      tag: "Outside",
      quantity: 1,
      voucherDetails: [
        {
          orderId: String(orderId),
          productId: EMIRATES_SKYWARDS_PRODUCT_ID,
          productName: "Emirates Skywards Miles",
          denomination: 75,
        },
      ],
    });
    // getOrderDetails carries Plum's orderDate: placedAt is when Plum placed it.
    expect(first?.placedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    const lookups = t.sim.count("getOrderDetails");
    expect(lookups).toBe(1);

    const second = await orderByPoNumber(t.url, poNumber);
    expect(second).toEqual(first);
    expect(t.sim.count("getOrderDetails")).toBe(lookups);
    // And by orderId, also from the ledger now.
    expect(await orderById(t.url, String(orderId))).toEqual(first);
    expect(t.sim.count("getOrderDetails")).toBe(lookups);
  });

  it("are found by orderId through getOrderDetails", async () => {
    const orderId = await placeAtSimulator(newPoNumber("direct-id"));
    const order = await orderById(t.url, String(orderId));
    expect(order).toMatchObject({ orderId: String(orderId), kind: null, orderTotal: 75 });
    expect(t.sim.count("getOrderDetails")).toBe(1);
    expect(await orderById(t.url, String(orderId))).toEqual(order);
    expect(t.sim.count("getOrderDetails")).toBe(1);
  });

  it("keep the poNumber they were placed under: placing another order under it is a conflict", async () => {
    const poNumber = newPoNumber("taken");
    await placeAtSimulator(poNumber);
    expect(await orderByPoNumber(t.url, poNumber)).not.toBeNull();
    const { payload } = await placeAirmiles(t.url, airmilesInput({ poNumber }));
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors.map((e) => e.code)).toEqual(["PO_NUMBER_CONFLICT"]);
    expect(t.sim.orders().filter((o) => o.poNumber === poNumber)).toHaveLength(1);
  });
});

describe("a read when Plum cannot answer", () => {
  it("is an UPSTREAM_UNAVAILABLE GraphQL error rather than a misleading null", async () => {
    t.sim.inject({ operation: "getOrderDetails", kind: "status", status: 503 });
    const response = await gql(t.url, OrderByPoNumberDocument, { poNumber: newPoNumber("down") });
    expect(response.data?.orderByPoNumber ?? null).toBeNull();
    expect(response.errors?.map((e) => e.extensions?.["code"])).toEqual(["UPSTREAM_UNAVAILABLE"]);
    expect(JSON.stringify(response)).not.toContain("Injected fault");
  });
});
