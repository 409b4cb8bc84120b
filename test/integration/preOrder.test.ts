// Operator detection, the admin-only wallet balance, and Cache-Control: catalogue reads carry a max-age up to the
// next scheduled refresh; order reads, admin fields and anything mixed with them are `no-store`.
import { describe, expect, it } from "vitest";
import {
  AirmilesProgrammesDocument,
  DetectTopupOperatorDocument,
  OrderByPoNumberDocument,
  ProductByIdDocument,
  TopupOperatorsDocument,
  WalletBalanceDocument,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { bearer, JWT_ENV, tokenFor } from "../support/jwtTokens.js";
import { AIRTEL_OPERATOR_ID, ETIHAD_GUEST_PRODUCT_ID, JIO_OPERATOR_ID } from "../../src/simulator/index.js";

const t = useTestApp({ env: JWT_ENV, resetSimulator: true });

const reader = () => tokenFor("user-1", "orders:read orders:write").then(bearer);
const admin = () => tokenFor("ops-1", "orders:read orders:admin").then(bearer);

describe("detectTopupOperator", () => {
  it("finds the operator and its plans (the page text's answer shape), and caches the answer", async () => {
    const headers = await reader();
    const response = await gql(
      t.url,
      DetectTopupOperatorDocument,
      { phoneCode: "+91", phoneNumber: "9812345678" },
      headers,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.detectTopupOperator).toMatchObject({
      active: true,
      operator: {
        productId: AIRTEL_OPERATOR_ID,
        name: "Airtel",
        countryCode: "IN",
        plans: [{ denominations: [100, 200, 500] }],
      },
    });
    const again = await gql(
      t.url,
      DetectTopupOperatorDocument,
      { phoneCode: "+91", phoneNumber: "9812345678" },
      headers,
    );
    expect(again.data).toEqual(response.data);
    expect(t.sim.count("lookupMobileNumber")).toBe(1);
    const sent = t.sim.calls("lookupMobileNumber")[0]?.body as { variables: { data: unknown } };
    expect(sent.variables.data).toEqual({ mobile_number: "+919812345678" });
  });

  it("accepts the spec example's answer shape (operator, countryCode, productId)", async () => {
    t.sim.setCatalogue({ lookupShape: "spec" });
    const response = await gql(
      t.url,
      DetectTopupOperatorDocument,
      { phoneCode: "+91", phoneNumber: "7012345678" },
      await reader(),
    );
    expect(response.data?.detectTopupOperator).toMatchObject({
      active: null,
      operator: { productId: JIO_OPERATOR_ID, name: "Jio" },
    });
  });

  it("matches an operator Plum names without an id to the catalogue's, by name", async () => {
    t.sim.inject({
      kind: "status",
      status: 200,
      operation: "lookupMobileNumber",
      body: { data: { lookupMobileNumber: { status: 1, network_operator: "jio", is_active: 1 } } },
    });
    const response = await gql(
      t.url,
      DetectTopupOperatorDocument,
      { phoneCode: "+91", phoneNumber: "8912345678" },
      await reader(),
    );
    expect(response.data?.detectTopupOperator).toMatchObject({
      active: true,
      operator: { productId: JIO_OPERATOR_ID, name: "Jio" },
    });
  });

  it("answers operator: null when Plum cannot tell", async () => {
    const response = await gql(
      t.url,
      DetectTopupOperatorDocument,
      { phoneCode: "+91", phoneNumber: "6012345678" },
      await reader(),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.detectTopupOperator).toEqual({ operator: null, active: false });
  });

  it("refuses a malformed number as BAD_USER_INPUT naming the argument, without asking Plum or echoing it", async () => {
    for (const [phoneCode, phoneNumber, field] of [
      ["+91", "98-12", "phoneNumber"],
      ["91", "9812345678", "phoneCode"],
      ["+91", "98123", "phoneNumber"],
    ] as const) {
      const response = await gql(t.url, DetectTopupOperatorDocument, { phoneCode, phoneNumber }, await reader());
      expect(response.data?.detectTopupOperator ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: [field] });
      expect(JSON.stringify(response.errors)).not.toContain(phoneNumber);
    }
    expect(t.sim.count("lookupMobileNumber")).toBe(0);
  });

  it("is UPSTREAM_UNAVAILABLE when Plum cannot be asked", async () => {
    t.sim.inject({ kind: "status", status: 503, operation: "lookupMobileNumber" });
    const response = await gql(
      t.url,
      DetectTopupOperatorDocument,
      { phoneCode: "+91", phoneNumber: "9912345678" },
      await reader(),
    );
    expect(response.errors?.[0]?.extensions?.["code"]).toBe("UPSTREAM_UNAVAILABLE");
  });
});

describe("walletBalance", () => {
  it("is for orders:admin only", async () => {
    const response = await gql(t.url, WalletBalanceDocument, {}, await reader());
    expect(response.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(t.sim.count("getBalance")).toBe(0);
  });

  it("reports Plum's balance to admins, cached", async () => {
    t.sim.setBalance(1234.5);
    const headers = await admin();
    const response = await gql(t.url, WalletBalanceDocument, {}, headers);
    expect(response.errors).toBeUndefined();
    expect(response.data?.walletBalance).toMatchObject({ value: 1234.5, currencyCode: "USD" });
    await gql(t.url, WalletBalanceDocument, {}, headers);
    expect(t.sim.count("getBalance")).toBeLessThanOrEqual(1);
    expect(response.headers["cache-control"]).toBe("no-store");
  });
});

describe("Cache-Control", () => {
  function maxAge(header: unknown): number {
    const match = /^max-age=(\d+), public$/.exec(String(header));
    if (match === null) throw new Error(`not a public max-age: ${String(header)}`);
    return Number(match[1]);
  }

  it("catalogue reads may be cached up to the next scheduled refresh (at most 6 h)", async () => {
    const headers = await reader();
    for (const response of [
      await gql(t.url, AirmilesProgrammesDocument, {}, headers),
      await gql(t.url, TopupOperatorsDocument, { countryCode: "IN" }, headers),
      await gql(t.url, ProductByIdDocument, { productId: ETIHAD_GUEST_PRODUCT_ID }, headers),
    ]) {
      expect(response.errors).toBeUndefined();
      const seconds = maxAge(response.headers["cache-control"]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(6 * 3600);
    }
  });

  it("order reads, operator look-ups and anything mixed with order data are no-store", async () => {
    const headers = await reader();
    const order = await gql(t.url, OrderByPoNumberDocument, { poNumber: "PO-none" }, headers);
    expect(order.headers["cache-control"]).toBe("no-store");
    const detect = await gql(
      t.url,
      DetectTopupOperatorDocument,
      { phoneCode: "+91", phoneNumber: "9812345670" },
      headers,
    );
    expect(detect.headers["cache-control"]).toBe("no-store");
    const mixed = await gql(
      t.url,
      `{ airmilesProgrammes { productId } orderByPoNumber(poNumber: "PO-none") { orderId } }`,
      {},
      headers,
    );
    expect(mixed.errors).toBeUndefined();
    expect(mixed.headers["cache-control"]).toBe("no-store");
    const entities = await gql(
      t.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } ... on Order { orderId } } }`,
      {
        r: [
          { __typename: "Product", productId: ETIHAD_GUEST_PRODUCT_ID },
          { __typename: "Order", orderId: "1" },
        ],
      },
      headers,
    );
    expect(entities.errors).toBeUndefined();
    expect(entities.headers["cache-control"]).toBe("no-store");
  });
});
