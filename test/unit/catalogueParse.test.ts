// Parsing Plum's catalogue shapes (docs/plum-api.md §4.4, §4.5, §4.7) and the pure catalogue rules: pre-flight,
// the charge estimate, the refresh schedule, the call pacer.
import { describe, expect, it } from "vitest";
import { estimateCharge } from "../../src/catalogue/estimate.js";
import { CallPacer } from "../../src/catalogue/fetchCatalogue.js";
import { parseOperatorLookup } from "../../src/catalogue/parseOperatorLookup.js";
import { parseDenominations, parseVoucher, voucherItems } from "../../src/catalogue/parseVoucher.js";
import { denominationAllowed, preflightFailures } from "../../src/catalogue/preflight.js";
import type { CatalogueProduct } from "../../src/catalogue/product.js";
import { budgetDay, lastSlot, nextSlot, slotsLeftToday } from "../../src/catalogue/schedule.js";
import { parseBalance } from "../../src/catalogue/WalletBalanceReader.js";
import { OrderKind } from "../../src/orders/orderKind.js";
import { classifyRead } from "../../src/plum/readResult.js";

describe("parseVoucher", () => {
  it("parses a fixed-denomination item with a CSV valueDenominations", () => {
    const product = parseVoucher(
      {
        productId: 15366,
        name: "Etihad Guest Miles",
        valueType: "fixed_denomination",
        valueDenominations: "100, 25,50,50,",
        currencyCode: "usd",
        countries: [{ code: "ae", name: "UAE" }],
        orderQuantityLimit: 1,
        deliveryType: "Delayed",
        fee: 0,
        discount: "3",
        loyaltyName: "Etihad Guest",
        termsAndConditionsInstructions: "  Non-refundable.  ",
      },
      OrderKind.AIRMILES,
      "product",
    );
    expect(product).toMatchObject({
      productId: 15366,
      valueType: "FIXED_DENOMINATIONS",
      denominations: [25, 50, 100],
      currencyCode: "USD",
      countryCode: "AE",
      quantityLimit: 1,
      deliveryType: "DELAYED",
      feePercent: 0,
      discountPercent: 3,
      loyaltyProgramme: "Etihad Guest",
      termsAndConditions: "Non-refundable.",
      active: true,
    });
  });

  it("parses an open-value item whose numbers are strings", () => {
    const product = parseVoucher(
      {
        productId: "15365",
        name: "Emirates",
        valueType: "open_value",
        minValue: "10",
        maxValue: "10000.50",
        valueDenominations: "",
        exchangeRate: "1",
      },
      OrderKind.AIRMILES,
      "product",
    );
    expect(product).toMatchObject({
      productId: 15365,
      valueType: "OPEN_VALUE",
      denominations: [],
      minValue: 10,
      maxValue: 10_000.5,
      exchangeRate: 1,
    });
  });

  it("leaves missing or empty fields null instead of guessing", () => {
    const product = parseVoucher({ productId: 1, name: "Bare", valueDenominations: "5" }, OrderKind.TOPUP, "product");
    expect(product).toEqual({
      productId: 1,
      name: "Bare",
      kind: OrderKind.TOPUP,
      role: "product",
      description: null,
      imageUrl: null,
      countryCode: null,
      currencyCode: "",
      valueType: "FIXED_DENOMINATIONS",
      denominations: [5],
      minValue: null,
      maxValue: null,
      quantityLimit: null,
      deliveryType: null,
      feePercent: null,
      discountPercent: null,
      exchangeRate: null,
      loyaltyProgramme: null,
      loyaltyConversion: null,
      parentProductId: null,
      termsAndConditions: null,
      active: true,
    });
    // Neither a value type nor denominations: open value.
    expect(parseVoucher({ productId: 2, name: "Open", discount: "" }, OrderKind.AIRMILES, "product")?.valueType).toBe(
      "OPEN_VALUE",
    );
  });

  it("skips items without a usable id or name, and notes an inactive flag", () => {
    expect(parseVoucher({ name: "No id" }, OrderKind.AIRMILES, "product")).toBeNull();
    expect(parseVoucher({ productId: "abc", name: "Bad id" }, OrderKind.AIRMILES, "product")).toBeNull();
    expect(parseVoucher({ productId: 3, name: " " }, OrderKind.AIRMILES, "product")).toBeNull();
    expect(parseVoucher("not an object", OrderKind.AIRMILES, "product")).toBeNull();
    expect(parseVoucher({ productId: 4, name: "Off", isActive: 0 }, OrderKind.AIRMILES, "product")?.active).toBe(false);
    expect(parseVoucher({ productId: 5, name: "Off", status: "Inactive" }, OrderKind.AIRMILES, "product")?.active).toBe(
      false,
    );
  });

  it("reads denominations from CSV strings and arrays alike", () => {
    expect(parseDenominations("149,299")).toEqual([149, 299]);
    expect(parseDenominations([299, "149", "x", -1, 0])).toEqual([149, 299]);
    expect(parseDenominations(undefined)).toEqual([]);
    expect(parseDenominations("")).toEqual([]);
  });

  it("finds the items whether data is the array or holds it", () => {
    expect(voucherItems([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(voucherItems({ vouchers: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(voucherItems({ nothing: true })).toBeNull();
  });
});

describe("classifyRead", () => {
  it("returns the operation's data, flat answers included", () => {
    expect(
      classifyRead("getVouchers", 200, JSON.stringify({ data: { getVouchers: { status: 1, data: [1, 2] } } })),
    ).toEqual({ kind: "ok", data: [1, 2] });
    const flat = { status: "1", network_operator: "Airtel" };
    expect(classifyRead("lookupMobileNumber", 200, JSON.stringify({ data: { lookupMobileNumber: flat } }))).toEqual({
      kind: "ok",
      data: flat,
    });
  });

  it("tells refusals from failures", () => {
    const noVouchers = JSON.stringify({
      code: 404,
      errorId: "PLE10030",
      errorInfo: "Failed to find vouchers.",
      error: "No Vouchers Found",
    });
    expect(classifyRead("getVouchers", 404, noVouchers)).toEqual({ kind: "rejected", errorId: "PLE10030" });
    expect(classifyRead("getVouchers", 502, "<html>")).toEqual({ kind: "failed", reason: "unknown" });
    expect(classifyRead("getVouchers", 200, "not json")).toEqual({ kind: "failed", reason: "unreadable" });
    const limited = JSON.stringify({ errors: [{ message: "auth.request_limit_exceeded", penaltySeconds: 60 }] });
    expect(classifyRead("getVouchers", 429, limited)).toEqual({ kind: "failed", reason: "rateLimited" });
    expect(classifyRead("getBalance", 401, JSON.stringify({ error: "invalid_token" }))).toEqual({
      kind: "failed",
      reason: "unauthorized",
    });
  });
});

describe("parseOperatorLookup (both documented shapes)", () => {
  it("reads the page text's fields", () => {
    expect(
      parseOperatorLookup({
        status: 1,
        phone: "+91…",
        network_operator: "Airtel",
        is_active: "true",
        parentProductId: "20100",
      }),
    ).toEqual({
      operatorId: 20100,
      name: "Airtel",
      countryCode: null,
      active: true,
    });
  });

  it("reads the spec example's fields", () => {
    expect(parseOperatorLookup({ status: 1, operator: "Jio", countryCode: "in", productId: 20200 })).toEqual({
      operatorId: 20200,
      name: "Jio",
      countryCode: "IN",
      active: null,
    });
  });

  it("says nothing when Plum cannot tell", () => {
    expect(parseOperatorLookup({ status: 1, network_operator: null, is_active: false })).toEqual({
      operatorId: null,
      name: null,
      countryCode: null,
      active: false,
    });
    expect(parseOperatorLookup(null)).toBeNull();
  });
});

describe("parseBalance", () => {
  it("reads {value, currency}, numeric strings and the points fallback", () => {
    const at = new Date(0);
    expect(parseBalance({ value: "1500.25", currency: "usd" }, at)).toEqual({
      value: 1500.25,
      currencyCode: "USD",
      asOf: at,
    });
    expect(parseBalance({ points: 10 }, at)?.value).toBe(10);
    expect(parseBalance({ currency: "USD" }, at)).toBeNull();
  });
});

function product(overrides: Partial<CatalogueProduct> = {}): CatalogueProduct {
  return {
    productId: 1,
    name: "P",
    kind: OrderKind.AIRMILES,
    role: "product",
    description: null,
    imageUrl: null,
    countryCode: null,
    currencyCode: "USD",
    valueType: "FIXED_DENOMINATIONS",
    denominations: [25, 50.5],
    minValue: null,
    maxValue: null,
    quantityLimit: 1,
    deliveryType: null,
    feePercent: null,
    discountPercent: null,
    exchangeRate: null,
    loyaltyProgramme: null,
    loyaltyConversion: null,
    parentProductId: null,
    termsAndConditions: null,
    active: true,
    ...overrides,
  };
}

describe("pre-flight rules", () => {
  const order = { kind: OrderKind.AIRMILES, productId: 1, denomination: 25, quantity: 1 };

  it("accepts what the catalogue offers", () => {
    expect(preflightFailures(product(), order)).toEqual([]);
    expect(denominationAllowed(product(), 50.5)).toBe(true);
    expect(denominationAllowed(product({ valueType: "OPEN_VALUE", minValue: 10, maxValue: 100 }), 10)).toBe(true);
    expect(denominationAllowed(product({ valueType: "OPEN_VALUE", minValue: null, maxValue: null }), 1e6)).toBe(true);
  });

  it("reports a bad denomination and a quantity over the limit together, with their fields", () => {
    const failures = preflightFailures(product(), { ...order, denomination: 30, quantity: 2 });
    expect(failures.map((f) => [f.code, f.field])).toEqual([
      ["INVALID_DENOMINATION", ["input", "denomination"]],
      ["QUANTITY_LIMIT", ["input", "quantity"]],
    ]);
    expect(
      preflightFailures(product({ valueType: "OPEN_VALUE", minValue: 10, maxValue: 100 }), {
        ...order,
        denomination: 100.01,
      })[0]?.code,
    ).toBe("INVALID_DENOMINATION");
    expect(preflightFailures(product({ quantityLimit: null }), { ...order, quantity: 5 })).toEqual([]);
  });

  it("refuses another kind, an operator and a withdrawn product as PRODUCT_UNAVAILABLE only", () => {
    for (const p of [product({ kind: OrderKind.TOPUP }), product({ role: "operator" }), product({ active: false })]) {
      expect(preflightFailures(p, { ...order, denomination: 30 }).map((f) => [f.code, f.field])).toEqual([
        ["PRODUCT_UNAVAILABLE", ["input", "productId"]],
      ]);
    }
  });
});

describe("estimateCharge", () => {
  it("applies fee and discount percentages, then converts with the exchange rate", () => {
    expect(estimateCharge(product({ feePercent: 2, exchangeRate: 0.012, currencyCode: "INR" }), 500, 1, "USD")).toEqual(
      {
        faceValue: 500,
        currencyCode: "INR",
        estimatedCharge: 6.12,
        chargeCurrencyCode: "USD",
      },
    );
    expect(estimateCharge(product({ discountPercent: 3 }), 50, 2, "USD")).toMatchObject({
      faceValue: 100,
      estimatedCharge: 97,
      chargeCurrencyCode: "USD",
    });
  });

  it("stays in the product's currency without an exchange rate", () => {
    expect(estimateCharge(product({ currencyCode: "AED" }), 50, 1, "USD")).toMatchObject({
      estimatedCharge: 50,
      chargeCurrencyCode: "AED",
    });
  });
});

describe("refresh schedule (4× a day from midnight IST)", () => {
  const sixHours = 6 * 3_600_000;

  it("slots fall on 00:00, 06:00, 12:00 and 18:00 IST (18:30, 00:30, 06:30, 12:30 UTC)", () => {
    expect(lastSlot(new Date("2026-12-01T10:00:00Z"), sixHours).toISOString()).toBe("2026-12-01T06:30:00.000Z");
    expect(nextSlot(new Date("2026-12-01T10:00:00Z"), sixHours).toISOString()).toBe("2026-12-01T12:30:00.000Z");
    expect(lastSlot(new Date("2026-12-01T00:10:00Z"), sixHours).toISOString()).toBe("2026-11-30T18:30:00.000Z");
    expect(lastSlot(new Date("2026-12-01T06:30:00Z"), sixHours).toISOString()).toBe("2026-12-01T06:30:00.000Z");
  });

  it("counts the slots left on the UTC day the daily budget counts against", () => {
    expect(slotsLeftToday(new Date("2026-12-01T00:00:00Z"), sixHours)).toBe(4);
    expect(slotsLeftToday(new Date("2026-12-01T10:00:00Z"), sixHours)).toBe(2);
    expect(slotsLeftToday(new Date("2026-12-01T18:30:00Z"), sixHours)).toBe(0);
    expect(budgetDay(new Date("2026-12-01T23:59:59Z"))).toBe("2026-12-01");
  });
});

describe("CallPacer", () => {
  it("lets `perMinute` calls start in any minute and waits for the next", async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new CallPacer({
      perMinute: 2,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    await pacer.take();
    now += 10_000;
    await pacer.take();
    await pacer.take();
    expect(waits).toEqual([50_000]);
    expect(now).toBe(60_000);
  });
});
