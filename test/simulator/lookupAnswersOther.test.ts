// The lookupAnswersOther fault: getOrderDetails says "found" (status 1) about an order that is not the asked one.
import { describe, expect, it } from "vitest";
import {
  airmilesOrder,
  callApi,
  lookUpById,
  lookUpByPo,
  orderData,
  topupOrder,
  uniquePo,
  type HttpResult,
  useSharedSimulator,
} from "./helpers.js";

const sim = useSharedSimulator();

async function place(request: Record<string, unknown>): Promise<{ orderId: number; poNumber: string }> {
  const result = await callApi(sim, "placeOrder", request);
  return { orderId: orderData(result, "placeOrder")["orderId"] as number, poNumber: String(request["poNumber"]) };
}

/** A status-1 answer's order data. */
function found(result: HttpResult): Record<string, unknown> {
  expect(result.status).toBe(200);
  expect(result.json).toMatchObject({ data: { getOrderDetails: { status: 1 } } });
  return orderData(result, "getOrderDetails");
}

describe('lookupAnswersOther, mode "otherPoNumber" (default)', () => {
  it("answers an existing order with another poNumber, then looks up normally again", async () => {
    const asked = await place(airmilesOrder());
    const other = await place(airmilesOrder({ denomination: 70 }));
    sim.inject({ kind: "lookupAnswersOther", operation: "getOrderDetails" });

    expect(found(await lookUpByPo(sim, asked.poNumber))).toMatchObject({
      orderId: other.orderId,
      poNumber: other.poNumber,
      orderTotal: 70,
    });
    expect(found(await lookUpByPo(sim, asked.poNumber))).toMatchObject({
      orderId: asked.orderId,
      poNumber: asked.poNumber,
    });
  });

  it("also when asked by orderId", async () => {
    const asked = await place(airmilesOrder());
    const other = await place(airmilesOrder());
    sim.inject({ kind: "lookupAnswersOther" });
    expect(found(await lookUpById(sim, asked.orderId))).toMatchObject({
      orderId: other.orderId,
      poNumber: other.poNumber,
    });
  });

  it("fabricates an order when no other exists; a never-placed poNumber gets another order too", async () => {
    const asked = await place(airmilesOrder());
    sim.inject({ kind: "lookupAnswersOther", times: 2 });
    const fabricated = found(await lookUpByPo(sim, asked.poNumber));
    expect(fabricated["poNumber"]).not.toBe(asked.poNumber);
    expect(fabricated["orderId"]).not.toBe(asked.orderId);
    expect(sim.orders().map((order) => order.orderId)).not.toContain(fabricated["orderId"]);

    const never = uniquePo();
    const invented = found(await lookUpByPo(sim, never));
    expect(invented["poNumber"]).not.toBe(never);
    expect(invented).toMatchObject({ orderStatus: "complete", orderMeta: { email: expect.any(String) } });
  });
});

describe('lookupAnswersOther, mode "otherRecipient"', () => {
  it("answers the asked order with every orderMeta field changed (airmiles)", async () => {
    const request = airmilesOrder();
    const asked = await place(request);
    sim.inject({ kind: "lookupAnswersOther", operation: "getOrderDetails", mode: "otherRecipient", times: 2 });

    for (const result of [await lookUpByPo(sim, asked.poNumber), await lookUpById(sim, asked.orderId)]) {
      const details = found(result);
      expect(details).toMatchObject({ orderId: asked.orderId, poNumber: asked.poNumber });
      const meta = details["orderMeta"] as Record<string, string>;
      expect(Object.keys(meta).sort()).toEqual(["contact", "email", "loyaltyMemberId"]);
      expect(meta["email"]).not.toBe(request["email"]);
      expect(meta["contact"]).not.toBe(request["contact"]);
      expect(meta["loyaltyMemberId"]).not.toBe("324523423");
    }
    // The stored order is untouched.
    expect(sim.findOrder({ orderId: asked.orderId })).toMatchObject({
      email: request["email"],
      userMeta: { loyaltyMemberId: "324523423" },
    });
  });

  it("changes the top-up phone number", async () => {
    const asked = await place(topupOrder());
    sim.inject({ kind: "lookupAnswersOther", mode: "otherRecipient" });
    const meta = found(await lookUpByPo(sim, asked.poNumber))["orderMeta"] as Record<string, string>;
    expect(meta).toMatchObject({ topupPhoneCode: "+91" });
    expect(meta["topupPhoneNumber"]).not.toBe("9857535678");
    expect(meta["email"]).not.toBe("your.email@example.com");
  });

  it("answers the asked poNumber even when no such order exists", async () => {
    const never = uniquePo();
    sim.inject({ kind: "lookupAnswersOther", mode: "otherRecipient" });
    expect(found(await lookUpByPo(sim, never))).toMatchObject({
      poNumber: never,
      orderMeta: { email: expect.any(String) },
    });
    expect(sim.orders()).toEqual([]);
  });
});

describe("lookupAnswersOther queueing", () => {
  it("is taken only by look-ups: placeOrder skips it, even with operation any", async () => {
    sim.inject({ kind: "lookupAnswersOther", operation: "any" });
    const asked = await place(airmilesOrder());
    const other = await place(airmilesOrder());
    expect(found(await lookUpByPo(sim, asked.poNumber))["poNumber"]).toBe(other.poNumber);
    expect(found(await lookUpByPo(sim, asked.poNumber))["poNumber"]).toBe(asked.poNumber);
  });

  it("still refuses malformed look-ups", async () => {
    sim.inject({ kind: "lookupAnswersOther", times: 2 });
    expect(await lookUpByPo(sim, "")).toMatchObject({ status: 400, json: { errorId: "PLE10002" } });
    expect(await lookUpById(sim, "abc")).toMatchObject({ status: 400, json: { errorId: "PLE10002" } });
  });
});
