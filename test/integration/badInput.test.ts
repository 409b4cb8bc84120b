// Bad inputs over HTTP. Values the schema types accept but the rules refuse come back as a REJECTED payload with
// every INVALID_INPUT at once and nothing sent upstream; values the schema types refuse stay GraphQL errors.
import { describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { placeAirmiles, placeTopup } from "../support/orderOperations.js";
import { expectNothingVerbatim } from "./helpers.js";

// Input rules come before the catalogue pre-flight; a snapshot that is always stale (1 ms) lets valid input reach
// Plum as before, so "reaches Plum" stays observable (the pre-flight has its own tests in preflight.test.ts).
const t = useTestApp({ resetSimulator: true, env: { CATALOGUE_MAX_AGE_MS: "1" } });

// Distinctive fragments of the submitted values: none may come back in a message.
const SECRET = "zq7xsecret";

function fieldPaths(errors: { code: string; field: string[] | null }[]): string[] {
  return errors.map((e) => {
    expect(e.code).toBe("INVALID_INPUT");
    return (e.field ?? []).join(".");
  });
}

describe("rule violations", () => {
  it("reports every invalid airmiles field at once and calls nothing upstream", async () => {
    const { response, payload } = await placeAirmiles(
      t.url,
      airmilesInput({
        productId: -5,
        quantity: 0,
        denomination: 10.555,
        email: `${SECRET}@`,
        contact: `${SECRET}-call-me`,
        tag: `${SECRET}\u0007`,
        poNumber: `${SECRET} po;1`,
        userMeta: { loyaltyMemberId: `${SECRET} member` },
      }),
    );
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.order).toBeNull();
    expect(new Set(fieldPaths(payload.errors))).toEqual(
      new Set([
        "input.productId",
        "input.quantity",
        "input.denomination",
        "input.email",
        "input.contact",
        "input.tag",
        "input.poNumber",
        "input.userMeta.loyaltyMemberId",
      ]),
    );
    for (const error of payload.errors)
      expect(error).toMatchObject({ retryable: false, upstreamErrorId: null, retryAfterSeconds: null });
    expect(JSON.stringify(response)).not.toContain(SECRET);
    expect(JSON.stringify(response)).not.toContain("10.555");
    expectNothingVerbatim(response);
    expect(t.sim.count("placeOrder")).toBe(0);
    expect(t.sim.count("getOrderDetails")).toBe(0);
  });

  it("reports every invalid top-up field at once, with nested paths", async () => {
    const { response, payload } = await placeTopup(
      t.url,
      topupInput({
        productId: 0,
        denomination: -1,
        email: SECRET,
        tag: "x".repeat(101),
        poNumber: "",
        userMeta: { topupPhoneCode: `91${SECRET}`, topupPhoneNumber: `${SECRET}` },
      }),
    );
    expect(payload.outcome).toBe("REJECTED");
    expect(new Set(fieldPaths(payload.errors))).toEqual(
      new Set([
        "input.productId",
        "input.denomination",
        "input.email",
        "input.tag",
        "input.poNumber",
        "input.userMeta.topupPhoneCode",
        "input.userMeta.topupPhoneNumber",
      ]),
    );
    expect(payload.errors.find((e) => e.field?.at(-1) === "topupPhoneNumber")?.field).toEqual([
      "input",
      "userMeta",
      "topupPhoneNumber",
    ]);
    expect(JSON.stringify(response)).not.toContain(SECRET);
    expect(t.sim.count("placeOrder")).toBe(0);
  });

  it("rejects a +91 number of the wrong length, echoing no digits", async () => {
    for (const topupPhoneNumber of ["981234567", "98123456789"]) {
      const { response, payload } = await placeTopup(
        t.url,
        topupInput({ userMeta: { topupPhoneCode: "+91", topupPhoneNumber } }),
      );
      expect(payload.outcome).toBe("REJECTED");
      expect(payload.errors.map((e) => e.field)).toEqual([["input", "userMeta", "topupPhoneNumber"]]);
      expect(JSON.stringify(response)).not.toContain(topupPhoneNumber);
    }
    expect(t.sim.count("placeOrder")).toBe(0);
  });

  it("does not record anything for an invalid input: the poNumber stays free", async () => {
    const input = airmilesInput({ denomination: 0 });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("REJECTED");
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toBeNull();
    expect((await placeAirmiles(t.url, { ...input, denomination: 50 })).payload.outcome).toBe("PLACED");
  });
});

describe("numeric limits (denomination > 0, <= 1,000,000, 2 decimals; quantity 1-10)", () => {
  // Each value passes GraphQL's Float/Int types; the rules refuse it in the payload, before the ledger or Plum.
  it.each([
    ["denomination 1e-7 (exponent notation)", { denomination: 1e-7 }, "input.denomination", /1e-7|0\.0000001/],
    ["denomination 1e21", { denomination: 1e21 }, "input.denomination", /1e\+?21|1000000000000000000000/],
    ["quantity 11", { quantity: 11 }, "input.quantity", /\b11\b/],
  ])("rejects %s as an INVALID_INPUT payload error, sending nothing", async (_label, overrides, field, echo) => {
    for (const place of [
      () => placeAirmiles(t.url, airmilesInput(overrides)),
      () => placeTopup(t.url, topupInput(overrides)),
    ]) {
      const { response, payload } = await place();
      expect(response.errors).toBeUndefined();
      expect(payload.outcome).toBe("REJECTED");
      expect(payload.order).toBeNull();
      expect(fieldPaths(payload.errors)).toEqual([field]);
      expect(payload.errors[0]).toMatchObject({ retryable: false, upstreamErrorId: null, retryAfterSeconds: null });
      expect(payload.errors[0]?.message).not.toMatch(echo);
    }
    expect(t.sim.count("placeOrder")).toBe(0);
    expect(t.sim.count("getOrderDetails")).toBe(0);
  });

  it("accepts the limits themselves: denomination 1,000,000 and quantity 10 reach Plum", async () => {
    const { payload } = await placeAirmiles(t.url, airmilesInput({ denomination: 1_000_000, quantity: 10 }));
    expect(payload.errors.filter((e) => e.code === "INVALID_INPUT")).toEqual([]);
    expect(t.sim.count("placeOrder")).toBe(1);
  });
});

describe("schema type errors stay GraphQL errors", () => {
  const PLACE = `mutation ($input: PlaceAirmilesOrderInput!) { placeAirmilesOrder(input: $input) { outcome } }`;

  async function expectTypeError(query: string, variables?: Record<string, unknown>): Promise<void> {
    const response = await gql(t.url, query, variables);
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.length).toBeGreaterThan(0);
    expectNothingVerbatim(response);
    expect(t.sim.count("placeOrder")).toBe(0);
  }

  it("for a string where an Int belongs (variables)", async () => {
    await expectTypeError(PLACE, { input: { ...airmilesInput(), productId: "abc" } });
  });

  it("for a string where an Int belongs (inline literal)", async () => {
    await expectTypeError(
      `mutation { placeAirmilesOrder(input: { productId: "abc", denomination: 50, email: "a@example.com", poNumber: "PO-1", userMeta: { loyaltyMemberId: "1" } }) { outcome } }`,
    );
  });

  it("for a missing required field", async () => {
    const { poNumber: _poNumber, ...withoutPoNumber } = airmilesInput();
    await expectTypeError(PLACE, { input: withoutPoNumber });
  });

  it("for a missing userMeta field and an unknown input field", async () => {
    await expectTypeError(PLACE, { input: { ...airmilesInput(), userMeta: {} } });
    await expectTypeError(PLACE, { input: { ...airmilesInput(), surprise: 1 } });
  });

  it("for a top-up sent to the airmiles mutation", async () => {
    await expectTypeError(PLACE, { input: topupInput() });
  });

  it("without quoting the submitted values (they may be personal data)", async () => {
    const email = "type.error.canary@example.com";
    const variables = {
      input: { ...airmilesInput(), email, productId: email, userMeta: { loyaltyMemberId: "LOYALTY-CANARY-9" } },
    };
    const response = await gql(t.url, PLACE, variables);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toBe(
      'Variable "$input" has an invalid value at "input.productId": Int cannot represent non-integer value.',
    );
    expect(JSON.stringify(response)).not.toMatch(/canary/i);
  });

  it("without quoting an inline literal either", async () => {
    const response = await gql(
      t.url,
      `mutation { placeTopupOrder(input: { productId: 20001, denomination: 100, email: "literal.canary@example.com", poNumber: "PO-LIT-1", userMeta: { topupPhoneCode: "+91", topupPhoneNumber: 9876543210 } }) { outcome } }`,
    );
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toBe("String cannot represent a non string value.");
    expect(JSON.stringify(response)).not.toMatch(/9876543210|canary/);
  });

  it("for a non-finite or oversized number", async () => {
    await expectTypeError(PLACE, { input: { ...airmilesInput(), quantity: 2 ** 40 } });
    await expectTypeError(PLACE, { input: { ...airmilesInput(), denomination: "NaN" } });
  });
});
