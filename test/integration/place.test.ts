// Both mutations over HTTP against the embedded simulator: a placed order comes back with every documented field
// mapped, and what went to Plum is exactly the seeds' request shape.
import { describe, expect, it } from "vitest";
import {
  AIRTEL_TOPUP_PRODUCT_ID,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  ETIHAD_GUEST_PRODUCT_ID,
  JIO_TOPUP_PRODUCT_ID,
} from "../../src/simulator/index.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { placeAirmiles, placeTopup } from "../support/orderOperations.js";

const t = useTestApp({ resetSimulator: true });

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("placeAirmilesOrder", () => {
  it("places a realtime order and returns every field, mapped", async () => {
    const input = airmilesInput({ denomination: 50, tag: "Rewarding", contact: "+1-4705000000" });
    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(payload.errors).toEqual([]);
    const sim = t.sim.findOrder({ poNumber: input.poNumber });
    expect(sim).toBeDefined();
    const orderId = String(sim?.orderId);
    expect(payload.order).toEqual({
      orderId,
      poNumber: input.poNumber,
      kind: "AIRMILES",
      orderTotal: 50,
      rawOrderTotal: 50,
      // No discount: Plum sends "", which is null rather than 0.
      orderDiscount: null,
      rawOrderDiscount: null,
      discountPercent: null,
      currencyCode: "USD",
      currencyValue: 1,
      amountCharged: 50,
      orderStatus: "complete",
      deliveryStatus: "delivered",
      tag: "Rewarding",
      quantity: 1,
      voucherDetails: [
        {
          orderId,
          productId: EMIRATES_SKYWARDS_PRODUCT_ID,
          productName: "Emirates Skywards Miles",
          currencyCode: "USD",
          productStatus: "delivered",
          denomination: 50,
          vendorLogo: expect.stringMatching(/^https:\/\/.+emirates-skywards\.png$/),
        },
      ],
      placedAt: expect.stringMatching(ISO_INSTANT),
      updatedAt: expect.stringMatching(ISO_INSTANT),
    });
    expect(t.sim.count("placeOrder")).toBe(1);
    expect(t.sim.orders()).toHaveLength(1);
  });

  it("maps a discounted, delayed order (Etihad: 3% off, pending)", async () => {
    const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 100 });
    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(payload.order).toMatchObject({
      kind: "AIRMILES",
      orderTotal: 100,
      rawOrderTotal: 100,
      orderDiscount: 3,
      rawOrderDiscount: 3,
      discountPercent: 3,
      amountCharged: 97,
      currencyCode: "USD",
      deliveryStatus: "pending",
      // Sent without a tag: Plum echoes "", which is null.
      tag: null,
      voucherDetails: [
        {
          productId: ETIHAD_GUEST_PRODUCT_ID,
          productName: "Etihad Guest Miles",
          productStatus: "pending",
          denomination: 100,
        },
      ],
    });
  });

  it("replays the recorded order for a retry of the same order, without a second upstream call", async () => {
    const input = airmilesInput();
    const first = await placeAirmiles(t.url, input);
    const again = await placeAirmiles(t.url, input);
    expect(again.payload.outcome).toBe("REPLAYED");
    expect(again.payload.errors).toEqual([]);
    expect(again.payload.order?.orderId).toBe(first.payload.order?.orderId);
    expect(t.sim.count("placeOrder")).toBe(1);
    expect(t.sim.orders()).toHaveLength(1);
  });
});

describe("placeTopupOrder", () => {
  it("places a delayed top-up whose numbers come back as numeric strings, and maps them to numbers", async () => {
    const input = topupInput({ denomination: 200, tag: "Diwali" });
    const { payload } = await placeTopup(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(payload.errors).toEqual([]);
    const orderId = String(t.sim.findOrder({ poNumber: input.poNumber })?.orderId);
    expect(payload.order).toEqual({
      orderId,
      poNumber: input.poNumber,
      kind: "TOPUP",
      orderTotal: 200,
      rawOrderTotal: 200,
      orderDiscount: null,
      rawOrderDiscount: null,
      discountPercent: null,
      currencyCode: "INR",
      currencyValue: 0.012,
      amountCharged: 200,
      orderStatus: "complete",
      deliveryStatus: "pending",
      tag: "Diwali",
      quantity: 1,
      voucherDetails: [
        {
          orderId,
          productId: AIRTEL_TOPUP_PRODUCT_ID,
          productName: "Airtel Prepaid India",
          currencyCode: "INR",
          productStatus: "pending",
          denomination: 200,
          vendorLogo: expect.stringMatching(/airtel\.png$/),
        },
      ],
      placedAt: expect.stringMatching(ISO_INSTANT),
      updatedAt: expect.stringMatching(ISO_INSTANT),
    });
  });

  it("places a realtime top-up with operator validation for a matching number", async () => {
    const input = topupInput({
      productId: JIO_TOPUP_PRODUCT_ID,
      denomination: 149,
      performOperatorValidation: true,
      userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" },
    });
    const { payload } = await placeTopup(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    // Jio sends no logo (""): null, not an empty string.
    expect(payload.order).toMatchObject({
      kind: "TOPUP",
      deliveryStatus: "delivered",
      voucherDetails: [{ vendorLogo: null }],
    });
  });
});

describe("what is forwarded to Plum", () => {
  it("sends the airmiles seed shape: flags as 1/0, userMeta nested, the bearer token, the real endpoint", async () => {
    const input = airmilesInput({
      denomination: 50,
      email: "your.email@example.com",
      contact: "+1-4705000000",
      tag: "Rewarding",
      notifyReceiverEmail: true,
      notifyAdminEmail: false,
      userMeta: { loyaltyMemberId: "324523423" },
    });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PLACED");
    const calls = t.sim.calls("placeOrder");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({
      query: "plumProAPI.mutation.placeOrder",
      tag: "plumProAPI",
      variables: {
        data: {
          productId: EMIRATES_SKYWARDS_PRODUCT_ID,
          quantity: 1,
          denomination: 50,
          email: "your.email@example.com",
          contact: "+1-4705000000",
          tag: "Rewarding",
          poNumber: input.poNumber,
          notifyReceiverEmail: 1,
          notifyAdminEmail: 0,
          userMeta: { loyaltyMemberId: "324523423" },
        },
      },
    });
    expect(calls[0]?.authorization).toBe(`Bearer ${t.sim.tokens.accessToken}`);
    // The simulator 404s (and logs as "unknown") any other path, e.g. the playground's /api/placeOrder.
    expect(t.sim.count("unknown")).toBe(0);
  });

  it("sends the top-up seed shape and omits optional fields that were not given", async () => {
    const input = topupInput({ denomination: 100, performOperatorValidation: false });
    expect((await placeTopup(t.url, input)).payload.outcome).toBe("PLACED");
    const body = t.sim.calls("placeOrder")[0]?.body;
    expect(body).toEqual({
      query: "plumProAPI.mutation.placeOrder",
      tag: "plumProAPI",
      variables: {
        data: {
          productId: AIRTEL_TOPUP_PRODUCT_ID,
          quantity: 1,
          denomination: 100,
          email: "customer@example.com",
          poNumber: input.poNumber,
          // GraphQL defaults (false) still go out, as 0.
          notifyReceiverEmail: 0,
          notifyAdminEmail: 0,
          performOperatorValidation: 0,
          userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9812345678" },
        },
      },
    });
  });

  it("omits an airmiles order's contact and tag when not given", async () => {
    const input = airmilesInput({ contact: null, tag: null });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PLACED");
    const body = t.sim.calls("placeOrder")[0]?.body as { variables: { data: Record<string, unknown> } };
    expect(Object.keys(body.variables.data).sort()).toEqual(
      [
        "denomination",
        "email",
        "notifyAdminEmail",
        "notifyReceiverEmail",
        "poNumber",
        "productId",
        "quantity",
        "userMeta",
      ].sort(),
    );
  });

  it("keeps the exchange on record without the bearer token", async () => {
    const input = airmilesInput();
    await placeAirmiles(t.url, input);
    const attempts = await t.app.ledger.listAttempts(input.poNumber);
    expect(attempts.map((a) => `${a.operation}:${a.phase}`)).toEqual(["placeOrder:request", "placeOrder:response"]);
    expect(JSON.parse(attempts[0]?.body ?? "null")).toEqual(t.sim.calls("placeOrder")[0]?.body);
    expect(attempts[1]?.httpStatus).toBe(200);
    expect(JSON.stringify(attempts)).not.toContain(t.sim.tokens.accessToken);
    // The service's own logs name the poNumber, never the token or the recipient.
    expect(t.logs.text).toContain(input.poNumber);
    expect(t.logs.text).not.toContain(t.sim.tokens.accessToken);
    expect(t.logs.text).not.toContain(input.email);
  });
});

describe("an expired access token", () => {
  it("is renewed through the refresh endpoint and the placement retried once", async () => {
    const before = t.sim.tokens.accessToken;
    t.sim.expireAccessToken();
    const input = airmilesInput();
    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(t.sim.count("tokenRefresh")).toBe(1);
    // The first attempt was refused at the auth layer; the second, with the new token, placed the one order.
    const calls = t.sim.calls("placeOrder");
    expect(calls.map((c) => c.authorization)).toEqual([`Bearer ${before}`, `Bearer ${t.sim.tokens.accessToken}`]);
    expect(t.sim.tokens.accessToken).not.toBe(before);
    expect(t.sim.orders()).toHaveLength(1);
    // The next placement uses the new token straight away.
    expect((await placeAirmiles(t.url, airmilesInput())).payload.outcome).toBe("PLACED");
    expect(t.sim.count("tokenRefresh")).toBe(1);
    expect(t.sim.count("placeOrder")).toBe(3);
  });
});
