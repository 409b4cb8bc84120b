// Mapping Plum's loosely typed order data (docs/plum-api.md §1) to the graph's order: numbers may be numeric strings,
// discounts "" when there is none, statuses free text, fields missing altogether.
import { describe, expect, it } from "vitest";
import { OrderKind } from "../../src/orders/orderKind.js";
import { mapOrder, parsePlumDate, toOrderView } from "../../src/orders/orderView.js";
import { toId, toInt, toNumber, toText } from "../../src/plum/lenient.js";
import type { PlaceOrderData, PlumOrderWire } from "../../src/plum/wire.js";
import type { OrderRecord } from "../../src/storage/ledger.js";

const REQUEST: PlaceOrderData = {
  productId: 15365,
  quantity: 1,
  denomination: 50,
  email: "your.email@example.com",
  poNumber: "PO12662",
  notifyReceiverEmail: 1,
  notifyAdminEmail: 0,
  userMeta: { loyaltyMemberId: "324523423" },
};

function record(overrides: Partial<OrderRecord> = {}): OrderRecord {
  const at = new Date("2026-11-22T10:00:00Z");
  return {
    poNumber: "PO12662",
    callerPoNumber: "PO12662",
    kind: OrderKind.AIRMILES,
    fingerprint: "f",
    subject: "user-1",
    source: "PLACEMENT",
    state: "PLACED",
    request: REQUEST,
    orderId: "98765432",
    order: {},
    errors: [],
    deliveryStatus: null,
    deliveryStatusAt: null,
    sendAttempts: 1,
    lastSentAt: at,
    nextCheckAt: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: at,
    updatedAt: at,
    placedAt: at,
    sends: [{ n: 1, answer: "created" }],
    existence: null,
    lastLookupAt: null,
    alert: null,
    reopenable: false,
    version: 1,
    readAt: at,
    ...overrides,
  };
}

describe("lenient parsing", () => {
  it("reads numbers and numeric strings alike", () => {
    expect(toNumber(50)).toBe(50);
    expect(toNumber("50")).toBe(50);
    expect(toNumber(" 0.35 ")).toBe(0.35);
    expect(toNumber("1e2")).toBe(100);
  });

  it("turns empty, missing and non-numeric values into null, never 0 or NaN", () => {
    for (const value of ["", "  ", null, undefined, "abc", "12abc", Number.NaN, Number.POSITIVE_INFINITY, "Infinity"]) {
      expect(toNumber(value)).toBeNull();
    }
  });

  it("reads integers only as integers", () => {
    expect(toInt("1")).toBe(1);
    expect(toInt(2)).toBe(2);
    expect(toInt("1.5")).toBeNull();
    expect(toInt(1.5)).toBeNull();
    expect(toInt("")).toBeNull();
  });

  it("reads an orderId sent as a number or a string, canonically", () => {
    expect(toId(98765432)).toBe("98765432");
    expect(toId("98765432")).toBe("98765432");
    expect(toId(" 98765432 ")).toBe("98765432");
    expect(toId("0098765432")).toBe("98765432");
  });

  it("refuses ids that are not positive integers", () => {
    for (const value of [0, "0", -1, "-1", 1.5, "1.5", "abc", "", null, undefined, Number.MAX_SAFE_INTEGER + 2]) {
      expect(toId(value)).toBeNull();
    }
  });

  it("passes any non-empty text through unchanged, and nothing else", () => {
    expect(toText("Some-New-Status")).toBe("Some-New-Status");
    expect(toText("")).toBeNull();
    expect(toText(1)).toBeNull();
    expect(toText(null)).toBeNull();
  });
});

describe("mapOrder", () => {
  it("maps a realtime airmiles answer (numbers, no discount)", () => {
    const wire: PlumOrderWire = {
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
          productId: 15365,
          productName: "Emirates Skywards Miles",
          currencyCode: "USD",
          productStatus: "delivered",
          denomination: 50,
          vendorLogo: "https://x/logo.png",
        },
      ],
    };
    expect(mapOrder(wire, "98765432", 15365)).toEqual({
      orderTotal: 50,
      rawOrderTotal: 50,
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
          orderId: "98765432",
          productId: 15365,
          productName: "Emirates Skywards Miles",
          currencyCode: "USD",
          productStatus: "delivered",
          denomination: 50,
          vendorLogo: "https://x/logo.png",
        },
      ],
    });
  });

  it("maps numbers sent as numeric strings, and discounts sent as strings", () => {
    const wire: PlumOrderWire = {
      orderId: "98765433",
      orderTotal: "100",
      rawOrderTotal: "100",
      orderDiscount: "3.00",
      rawOrderDiscount: "3",
      discountPercent: "3",
      currencyCode: "INR",
      currencyValue: "0.012",
      amountCharged: "97",
      orderStatus: "complete",
      deliveryStatus: "pending",
      quantity: "1",
      voucherDetails: [{ orderId: "98765433", productId: "20001", productStatus: "pending", denomination: "100" }],
    };
    expect(mapOrder(wire, "98765433", null)).toMatchObject({
      orderTotal: 100,
      rawOrderTotal: 100,
      orderDiscount: 3,
      rawOrderDiscount: 3,
      discountPercent: 3,
      currencyValue: 0.012,
      amountCharged: 97,
      quantity: 1,
      deliveryStatus: "pending",
      voucherDetails: [{ orderId: "98765433", productId: 20001, productStatus: "pending", denomination: 100 }],
    });
  });

  it("matches Plum's documented delivery statuses case-insensitively, merging both spellings of cancelled", () => {
    expect(mapOrder({ deliveryStatus: "Canceled" }, "1", null).deliveryStatus).toBe("cancelled");
    expect(mapOrder({ deliveryStatus: "Delivered" }, "1", null).deliveryStatus).toBe("delivered");
    expect(mapOrder({ deliveryStatus: "Pending" }, "1", null).deliveryStatus).toBe("pending");
  });

  it("passes unknown status strings through unchanged", () => {
    const mapped = mapOrder(
      {
        orderStatus: "InProcess",
        deliveryStatus: "OnHold",
        voucherDetails: [{ productId: 1, productStatus: "Partially Delivered" }],
      },
      "1",
      null,
    );
    expect(mapped.orderStatus).toBe("InProcess");
    expect(mapped.deliveryStatus).toBe("OnHold");
    expect(mapped.voucherDetails[0]?.productStatus).toBe("Partially Delivered");
  });

  it("maps missing, null and empty fields to null (and no vouchers to an empty list)", () => {
    const nulls = {
      orderTotal: null,
      rawOrderTotal: null,
      orderDiscount: null,
      rawOrderDiscount: null,
      discountPercent: null,
      currencyCode: null,
      currencyValue: null,
      amountCharged: null,
      orderStatus: null,
      deliveryStatus: null,
      tag: null,
      quantity: null,
      voucherDetails: [],
    };
    expect(mapOrder({}, "1", null)).toEqual(nulls);
    expect(
      mapOrder(
        {
          orderTotal: null,
          currencyCode: "",
          orderStatus: null,
          tag: "",
          quantity: "",
          voucherDetails: null,
          amountCharged: "n/a",
        },
        "1",
        null,
      ),
    ).toEqual(nulls);
  });

  it("fills a voucher's missing orderId and productId from the order, and drops one without any product", () => {
    const mapped = mapOrder(
      {
        voucherDetails: [
          { productName: "", currencyCode: "", vendorLogo: "", denomination: "" },
          { orderId: "0", productId: "x" },
        ],
      },
      "98765432",
      15365,
    );
    expect(mapped.voucherDetails).toEqual([
      {
        orderId: "98765432",
        productId: 15365,
        productName: null,
        currencyCode: null,
        productStatus: null,
        denomination: null,
        vendorLogo: null,
      },
      {
        orderId: "98765432",
        productId: 15365,
        productName: null,
        currencyCode: null,
        productStatus: null,
        denomination: null,
        vendorLogo: null,
      },
    ]);
    expect(mapOrder({ voucherDetails: [{ productName: "No product" }] }, "98765432", null).voucherDetails).toEqual([]);
  });
});

describe("toOrderView", () => {
  it("exposes a placed order with the ledger's identity and Plum's figures", () => {
    const view = toOrderView(
      record({ order: { orderId: 98765432, orderTotal: "50", deliveryStatus: "delivered", voucherDetails: [{}] } }),
    );
    expect(view).toMatchObject({
      orderId: "98765432",
      poNumber: "PO12662",
      kind: OrderKind.AIRMILES,
      orderTotal: 50,
      deliveryStatus: "delivered",
      subject: "user-1",
      placedAt: new Date("2026-11-22T10:00:00Z"),
    });
    // The voucher's product comes from what was sent when Plum left it out; its status is the order's.
    expect(view?.voucherDetails).toEqual([
      {
        orderId: "98765432",
        productId: 15365,
        productName: null,
        currencyCode: null,
        productStatus: "delivered",
        denomination: null,
        vendorLogo: null,
      },
    ]);
  });

  it("gives every item the order's current status, so a webhook moves both together", () => {
    const order = {
      orderId: 1,
      deliveryStatus: "pending",
      voucherDetails: [{ productStatus: "pending" }, { productStatus: "Pending" }],
    };
    expect(toOrderView(record({ order }))?.voucherDetails.map((v) => v.productStatus)).toEqual(["pending", "pending"]);
    const delivered = toOrderView(record({ order, deliveryStatus: "delivered" }));
    expect(delivered?.deliveryStatus).toBe("delivered");
    expect(delivered?.voucherDetails.map((v) => v.productStatus)).toEqual(["delivered", "delivered"]);
    // Without any status the items keep what Plum sent.
    const unknown = toOrderView(record({ order: { orderId: 1, voucherDetails: [{ productStatus: "x" }] } }));
    expect(unknown?.voucherDetails.map((v) => v.productStatus)).toEqual(["x"]);
  });

  it("is null while there is no Plum order (pending or rejected rows)", () => {
    expect(toOrderView(record({ state: "PENDING", orderId: null, order: null }))).toBeNull();
    expect(toOrderView(record({ state: "REJECTED", orderId: null, order: null }))).toBeNull();
    expect(toOrderView(record({ orderId: "1", order: null }))).toBeNull();
  });

  it("lets the latest webhook status win over the status Plum answered at placement", () => {
    const view = toOrderView(record({ order: { deliveryStatus: "pending" }, deliveryStatus: "delivered" }));
    expect(view?.deliveryStatus).toBe("delivered");
  });

  it("shows an order placed without a poNumber with a null poNumber, and a looked-up order without a kind", () => {
    const view = toOrderView({
      ...record({ kind: null, source: "LOOKUP", request: null, subject: null, order: {} }),
      poNumber: null,
      callerPoNumber: null,
    });
    expect(view).toMatchObject({ poNumber: null, kind: null, subject: null, voucherDetails: [] });
  });
});

describe("parsePlumDate", () => {
  it("reads Plum's zone-less dates as UTC", () => {
    expect(parsePlumDate("2026-11-22 10:15:30")).toEqual(new Date("2026-11-22T10:15:30Z"));
    expect(parsePlumDate("2026-11-22T10:15:30")).toEqual(new Date("2026-11-22T10:15:30Z"));
  });

  it("is null for blank or unreadable dates (deliveryDate is blank while pending)", () => {
    expect(parsePlumDate("")).toBeNull();
    expect(parsePlumDate(null)).toBeNull();
    expect(parsePlumDate(undefined)).toBeNull();
    expect(parsePlumDate("not a date")).toBeNull();
  });
});
