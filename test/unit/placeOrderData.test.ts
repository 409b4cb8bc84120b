// placeOrder's `variables.data` exactly as the seeds show it (/work/shared/seeds/*.txt), and the fingerprint that
// decides whether two requests under one poNumber are the same order.
import { describe, expect, it } from "vitest";
import { OrderKind } from "../../src/orders/orderKind.js";
import { fingerprint } from "../../src/orders/fingerprint.js";
import type { AirmilesOrderInput, TopupOrderInput } from "../../src/orders/input.js";
import { airmilesOrderData, toPlaceOrderData, topupOrderData } from "../../src/orders/toPlaceOrderData.js";
import type { PlaceOrderData } from "../../src/plum/wire.js";

// `variables.data` of the seeds' curl samples, verbatim (key order included).
const AIRMILES_SEED = `{"productId":15365,"quantity":1,"denomination":50,"email":"your.email@example.com","contact":"+1-4705000000","tag":"Rewarding","poNumber":"PO12662","notifyReceiverEmail":1,"notifyAdminEmail":0,"userMeta":{"loyaltyMemberId":"324523423"}}`;
const TOPUP_SEED = `{"productId":15365,"quantity":1,"denomination":20,"email":"your.email@example.com","tag":"Rewarding","poNumber":"PO12662","notifyReceiverEmail":1,"notifyAdminEmail":0,"performOperatorValidation":0,"userMeta":{"topupPhoneCode":"+91","topupPhoneNumber":"9857535678"}}`;

function airmilesInput(overrides: Partial<AirmilesOrderInput> = {}): AirmilesOrderInput {
  return {
    productId: 15365,
    quantity: 1,
    denomination: 50,
    email: "your.email@example.com",
    contact: "+1-4705000000",
    tag: "Rewarding",
    poNumber: "PO12662",
    notifyReceiverEmail: true,
    notifyAdminEmail: false,
    userMeta: { loyaltyMemberId: "324523423" },
    ...overrides,
  };
}

function topupInput(overrides: Partial<TopupOrderInput> = {}): TopupOrderInput {
  return {
    productId: 15365,
    quantity: 1,
    denomination: 20,
    email: "your.email@example.com",
    tag: "Rewarding",
    poNumber: "PO12662",
    notifyReceiverEmail: true,
    notifyAdminEmail: false,
    performOperatorValidation: false,
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9857535678" },
    ...overrides,
  };
}

describe("placeOrder data", () => {
  it("is the airmiles seed, byte for byte", () => {
    expect(JSON.stringify(airmilesOrderData(airmilesInput()))).toBe(AIRMILES_SEED);
  });

  it("is the top-up seed, byte for byte", () => {
    expect(JSON.stringify(topupOrderData(topupInput()))).toBe(TOPUP_SEED);
  });

  it("dispatches on the kind", () => {
    expect(JSON.stringify(toPlaceOrderData({ kind: OrderKind.AIRMILES, input: airmilesInput() }))).toBe(AIRMILES_SEED);
    expect(JSON.stringify(toPlaceOrderData({ kind: OrderKind.TOPUP, input: topupInput() }))).toBe(TOPUP_SEED);
  });

  it("sends flags as 1/0, never booleans", () => {
    const on = topupOrderData(
      topupInput({ notifyReceiverEmail: true, notifyAdminEmail: true, performOperatorValidation: true }),
    );
    const off = topupOrderData(
      topupInput({ notifyReceiverEmail: false, notifyAdminEmail: false, performOperatorValidation: false }),
    );
    expect([on.notifyReceiverEmail, on.notifyAdminEmail, on.performOperatorValidation]).toEqual([1, 1, 1]);
    expect([off.notifyReceiverEmail, off.notifyAdminEmail, off.performOperatorValidation]).toEqual([0, 0, 0]);
    const airmiles = airmilesOrderData(airmilesInput({ notifyReceiverEmail: false, notifyAdminEmail: true }));
    expect([airmiles.notifyReceiverEmail, airmiles.notifyAdminEmail]).toEqual([0, 1]);
  });

  it("omits contact and tag when not given (null, undefined or empty)", () => {
    for (const absent of [null, undefined, ""]) {
      const data = airmilesOrderData(airmilesInput({ contact: absent, tag: absent }));
      expect(Object.keys(data)).toEqual([
        "productId",
        "quantity",
        "denomination",
        "email",
        "poNumber",
        "notifyReceiverEmail",
        "notifyAdminEmail",
        "userMeta",
      ]);
      const topup = topupOrderData(topupInput({ tag: absent }));
      expect(Object.keys(topup)).toEqual([
        "productId",
        "quantity",
        "denomination",
        "email",
        "poNumber",
        "notifyReceiverEmail",
        "notifyAdminEmail",
        "performOperatorValidation",
        "userMeta",
      ]);
    }
  });

  it("never sends airmiles-only or top-up-only fields for the other kind", () => {
    expect(airmilesOrderData(airmilesInput())).not.toHaveProperty("performOperatorValidation");
    expect(topupOrderData(topupInput())).not.toHaveProperty("contact");
    // The input object may carry more than the domain shape (a GraphQL input class): only the wire fields go out.
    const extra = {
      ...topupInput(),
      contact: "+1-4705000000",
      userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9857535678", loyaltyMemberId: "x" },
    };
    const data = topupOrderData(extra);
    expect(data).not.toHaveProperty("contact");
    expect(data.userMeta).toEqual({ topupPhoneCode: "+91", topupPhoneNumber: "9857535678" });
  });
});

describe("fingerprint", () => {
  const base = airmilesOrderData(airmilesInput());
  const print = fingerprint(OrderKind.AIRMILES, base);

  it("is a sha-256 hex digest, stable across calls", () => {
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(OrderKind.AIRMILES, airmilesOrderData(airmilesInput()))).toBe(print);
  });

  it("ignores the poNumber", () => {
    expect(fingerprint(OrderKind.AIRMILES, { ...base, poNumber: "OTHER-PO" })).toBe(print);
  });

  it("ignores key order", () => {
    const reversed = Object.fromEntries(Object.entries(base).reverse()) as unknown as PlaceOrderData;
    expect(fingerprint(OrderKind.AIRMILES, reversed)).toBe(print);
  });

  it.each<[string, Partial<PlaceOrderData>]>([
    ["productId", { productId: 15366 }],
    ["quantity", { quantity: 2 }],
    ["denomination", { denomination: 50.01 }],
    ["email", { email: "other@example.com" }],
    ["contact", { contact: "+1-4705000001" }],
    ["tag", { tag: "Other" }],
    ["notifyReceiverEmail", { notifyReceiverEmail: 0 }],
    ["notifyAdminEmail", { notifyAdminEmail: 1 }],
    ["userMeta.loyaltyMemberId", { userMeta: { loyaltyMemberId: "324523424" } }],
  ])("changes with %s", (_field, change) => {
    expect(fingerprint(OrderKind.AIRMILES, { ...base, ...change })).not.toBe(print);
  });

  it("changes when an optional field is dropped", () => {
    const { contact: _contact, ...withoutContact } = base;
    expect(fingerprint(OrderKind.AIRMILES, withoutContact)).not.toBe(print);
  });

  it("changes with the kind", () => {
    expect(fingerprint(OrderKind.TOPUP, base)).not.toBe(print);
  });

  it.each<[string, Partial<PlaceOrderData>]>([
    ["performOperatorValidation", { performOperatorValidation: 1 }],
    ["userMeta.topupPhoneCode", { userMeta: { topupPhoneCode: "+1", topupPhoneNumber: "9857535678" } }],
    ["userMeta.topupPhoneNumber", { userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9857535679" } }],
  ])("changes with the top-up field %s", (_field, change) => {
    const topup = topupOrderData(topupInput());
    expect(fingerprint(OrderKind.TOPUP, { ...topup, ...change })).not.toBe(fingerprint(OrderKind.TOPUP, topup));
  });
});
