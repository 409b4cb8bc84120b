// The numeric rules (issue 8, case 12): denomination finite, > 0, <= MAX_DENOMINATION, at most 2 decimals; quantity an
// integer 1..MAX_QUANTITY. Every bad value is an INVALID_INPUT failure with the field's path — never an exception
// (class-validator's own maxDecimalPlaces throws on 1e-7, which has no "." in its string form).
import { describe, expect, it } from "vitest";
import { AirmilesUserMetaInput } from "../../src/graph/inputs/AirmilesUserMetaInput.js";
import { PlaceAirmilesOrderInput } from "../../src/graph/inputs/PlaceAirmilesOrderInput.js";
import { PlaceTopupOrderInput } from "../../src/graph/inputs/PlaceTopupOrderInput.js";
import { TopupUserMetaInput } from "../../src/graph/inputs/TopupUserMetaInput.js";
import { hasAtMostDecimals, MAX_DENOMINATION, MAX_QUANTITY } from "../../src/graph/inputs/rules.js";
import { validateInput } from "../../src/graph/validation.js";
import { OrderErrorCode, type OrderFailure } from "../../src/orders/errorCodes.js";

function airmiles(overrides: Partial<PlaceAirmilesOrderInput> = {}): PlaceAirmilesOrderInput {
  return Object.assign(new PlaceAirmilesOrderInput(), {
    productId: 15365,
    quantity: 1,
    denomination: 50,
    email: "your.email@example.com",
    poNumber: "PO12662",
    notifyReceiverEmail: false,
    notifyAdminEmail: false,
    userMeta: Object.assign(new AirmilesUserMetaInput(), { loyaltyMemberId: "324523423" }),
    ...overrides,
  });
}

function topup(overrides: Partial<PlaceTopupOrderInput> = {}): PlaceTopupOrderInput {
  return Object.assign(new PlaceTopupOrderInput(), {
    productId: 20001,
    quantity: 1,
    denomination: 100,
    email: "your.email@example.com",
    poNumber: "PO12663",
    notifyReceiverEmail: false,
    notifyAdminEmail: false,
    performOperatorValidation: false,
    userMeta: Object.assign(new TopupUserMetaInput(), { topupPhoneCode: "+91", topupPhoneNumber: "9857535678" }),
    ...overrides,
  });
}

const NOT_FINITE = "denomination must be a finite number";
const OUT_OF_RANGE = "denomination must be greater than 0 and at most 1,000,000";
const DECIMALS = "denomination must have at most 2 decimals";
const NOT_INTEGER = "quantity must be an integer";
const BELOW_ONE = "quantity must be at least 1";
const ABOVE_CAP = "quantity must be at most 10 (Plum's limit per order)";

function invalid(field: string, message: string): OrderFailure {
  return {
    code: OrderErrorCode.INVALID_INPUT,
    message,
    field: ["input", field],
    upstreamErrorId: null,
    retryable: false,
  };
}

/** Validates the input with both placement inputs; the promise must resolve (a throw fails the test). */
async function bothInputs(
  overrides: Partial<PlaceAirmilesOrderInput & PlaceTopupOrderInput>,
): Promise<OrderFailure[][]> {
  return [await validateInput(airmiles(overrides)), await validateInput(topup(overrides))];
}

it("documents the limits as constants", () => {
  expect(MAX_DENOMINATION).toBe(1_000_000);
  expect(MAX_QUANTITY).toBe(10);
});

describe("denomination", () => {
  it.each([
    ["1e-7 (exponent notation, used to throw)", 1e-7, [DECIMALS]],
    ["5e-324 (smallest positive double)", Number.MIN_VALUE, [DECIMALS]],
    ["0", 0, [OUT_OF_RANGE]],
    ["-0", -0, [OUT_OF_RANGE]],
    ["-1", -1, [OUT_OF_RANGE]],
    ["-0.001 (negative and 3 decimals)", -0.001, [OUT_OF_RANGE, DECIMALS]],
    ["1e21 (used to reach Plum)", 1e21, [OUT_OF_RANGE]],
    ["Number.MAX_VALUE", Number.MAX_VALUE, [OUT_OF_RANGE]],
    ["1000000.01 (just above the maximum)", 1_000_000.01, [OUT_OF_RANGE]],
    ["0.001", 0.001, [DECIMALS]],
    ["10.555", 10.555, [DECIMALS]],
    ["0.1 + 0.2", 0.1 + 0.2, [DECIMALS]],
    ["NaN", Number.NaN, [NOT_FINITE]],
    ["Infinity", Number.POSITIVE_INFINITY, [NOT_FINITE]],
    ["-Infinity", Number.NEGATIVE_INFINITY, [NOT_FINITE]],
  ])("rejects %s as INVALID_INPUT at input.denomination, without throwing", async (_label, denomination, messages) => {
    for (const failures of await bothInputs({ denomination })) {
      expect(failures).toEqual(messages.map((message) => invalid("denomination", message)));
    }
  });

  it.each([
    ["1000000 (the maximum)", 1_000_000],
    ["999999.99", 999_999.99],
    ["10.5", 10.5],
    ["0.01 (the smallest)", 0.01],
    ["1e-2 (exponent notation, 2 decimals)", 1e-2],
    ["1.1", 1.1],
    ["50", 50],
    ["149", 149],
  ])("accepts %s", async (_label, denomination) => {
    for (const failures of await bothInputs({ denomination })) expect(failures).toEqual([]);
  });

  it("rejects a value that is not a number at all (not reachable through the GraphQL Float type)", async () => {
    const failures = await validateInput(airmiles({ denomination: "50" as unknown as number }));
    expect(failures).toEqual([invalid("denomination", NOT_FINITE)]);
  });
});

describe("quantity", () => {
  it.each([
    ["0", 0, [BELOW_ONE]],
    ["-1", -1, [BELOW_ONE]],
    ["11 (above Plum's cap)", 11, [ABOVE_CAP]],
    ["2147483647 (the largest GraphQL Int)", 2_147_483_647, [ABOVE_CAP]],
    ["1.5", 1.5, [NOT_INTEGER]],
    ["10.5", 10.5, [NOT_INTEGER, ABOVE_CAP]],
  ])("rejects %s as INVALID_INPUT at input.quantity, without throwing", async (_label, quantity, messages) => {
    for (const failures of await bothInputs({ quantity })) {
      expect(failures).toEqual(messages.map((message) => invalid("quantity", message)));
    }
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects %d (not reachable through the GraphQL Int type) only at input.quantity",
    async (quantity) => {
      for (const failures of await bothInputs({ quantity })) {
        expect(failures.length).toBeGreaterThan(0);
        for (const failure of failures)
          expect(failure).toMatchObject({ code: OrderErrorCode.INVALID_INPUT, field: ["input", "quantity"] });
      }
    },
  );

  it.each([1, 2, 10])("accepts %d", async (quantity) => {
    for (const failures of await bothInputs({ quantity })) expect(failures).toEqual([]);
  });
});

describe("messages", () => {
  it("name the rule, never the submitted value", async () => {
    const failures = [
      ...(await validateInput(airmiles({ denomination: 1e-7, quantity: 11 }))),
      ...(await validateInput(airmiles({ denomination: 1e21 }))),
      ...(await validateInput(airmiles({ denomination: 1_000_000.01 }))),
      ...(await validateInput(airmiles({ denomination: 10.555 }))),
    ];
    expect(failures).toHaveLength(5);
    for (const { message } of failures) {
      expect([NOT_FINITE, OUT_OF_RANGE, DECIMALS, NOT_INTEGER, BELOW_ONE, ABOVE_CAP]).toContain(message);
      expect(message).not.toMatch(/1e-7|1e\+21|1000000\.01|10\.555|\b11\b/);
    }
  });
});

describe("hasAtMostDecimals", () => {
  it.each([
    [0, 2, true],
    [10.5, 2, true],
    [99.99, 2, true],
    [1e-2, 2, true],
    [1e21, 2, true],
    [10.555, 2, false],
    [1e-7, 2, false],
    [1e-7, 7, true],
    [0.1 + 0.2, 2, false],
    [Number.NaN, 2, false],
    [Number.POSITIVE_INFINITY, 2, false],
  ])("%d with at most %d decimals: %s", (value, places, expected) => {
    expect(hasAtMostDecimals(value, places)).toBe(expected);
  });
});
