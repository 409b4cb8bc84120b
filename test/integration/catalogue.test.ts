// The catalogue reads against the embedded simulator: listings, products, operators and their plans, the
// snapshot's parsing of Plum's loose types, VoucherDetail.product, and the metrics.
import { describe, expect, it } from "vitest";
import {
  AirmilesProgrammesDocument,
  OrderProductsDocument,
  ProductByIdDocument,
  TopupOperatorsDocument,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { placeAirmiles } from "../support/orderOperations.js";
import { parsePrometheus, valueOf } from "../support/prometheusText.js";
import {
  AIRTEL_OPERATOR_ID,
  AIRTEL_TOPUP_PRODUCT_ID,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  ETIHAD_GUEST_PRODUCT_ID,
  JIO_OPERATOR_ID,
  KRISFLYER_PRODUCT_ID,
} from "../../src/simulator/index.js";

const t = useTestApp();

describe("catalogue reads", () => {
  it("lists the airmiles programmes the account can order, parsed into exact types", async () => {
    const response = await gql(t.url, AirmilesProgrammesDocument, {});
    expect(response.errors).toBeUndefined();
    const programmes = response.data?.airmilesProgrammes ?? [];
    // KrisFlyer is not activated for the account, so Plum does not offer it.
    expect(programmes.map((p) => p.productId)).not.toContain(KRISFLYER_PRODUCT_ID);
    const etihad = programmes.find((p) => p.productId === ETIHAD_GUEST_PRODUCT_ID);
    expect(etihad).toMatchObject({
      name: "Etihad Guest Miles",
      kind: "AIRMILES",
      valueType: "FIXED_DENOMINATIONS",
      denominations: [25, 50, 100],
      discountPercent: 3,
      quantityLimit: 1,
      deliveryType: "DELAYED",
      currencyCode: "USD",
      countryCode: "AE",
      loyaltyProgramme: "Etihad Guest",
      available: true,
    });
    const emirates = programmes.find((p) => p.productId === EMIRATES_SKYWARDS_PRODUCT_ID);
    expect(emirates).toMatchObject({ valueType: "OPEN_VALUE", denominations: [], minValue: 10, maxValue: 10_000 });
    expect(new Date(String(emirates?.catalogueUpdatedAt)).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("filters programmes by country", async () => {
    const response = await gql(t.url, AirmilesProgrammesDocument, { countryCode: "QA" });
    expect(response.data?.airmilesProgrammes.map((p) => p.name)).toEqual(["Qatar Privilege Club Avios"]);
  });

  it("lists a country's operators with their plans (numeric strings and CSV denominations parsed)", async () => {
    const response = await gql(t.url, TopupOperatorsDocument, { countryCode: "IN" });
    expect(response.errors).toBeUndefined();
    const operators = response.data?.topupOperators ?? [];
    expect(operators.map((o) => [o.productId, o.name])).toEqual([
      [AIRTEL_OPERATOR_ID, "Airtel"],
      [JIO_OPERATOR_ID, "Jio"],
    ]);
    const airtelPlan = operators[0]?.plans[0];
    // The simulator sends Airtel's numbers as strings ("1", "2", "0.012"): they arrive as numbers.
    expect(airtelPlan).toMatchObject({
      productId: AIRTEL_TOPUP_PRODUCT_ID,
      kind: "TOPUP",
      denominations: [100, 200, 500],
      quantityLimit: 1,
      feePercent: 0,
      exchangeRate: 0.012,
      currencyCode: "INR",
      operator: { productId: AIRTEL_OPERATOR_ID, name: "Airtel" },
    });
    expect((await gql(t.url, TopupOperatorsDocument, { countryCode: "FR" })).data?.topupOperators).toEqual([]);
  });

  it("answers one product by id, and null for an id it does not know or an operator", async () => {
    expect((await gql(t.url, ProductByIdDocument, { productId: ETIHAD_GUEST_PRODUCT_ID })).data?.product?.name).toBe(
      "Etihad Guest Miles",
    );
    expect((await gql(t.url, ProductByIdDocument, { productId: 99_999 })).data?.product).toBeNull();
    expect((await gql(t.url, ProductByIdDocument, { productId: AIRTEL_OPERATOR_ID })).data?.product).toBeNull();
  });

  it("resolves VoucherDetail.product for a placed order", async () => {
    const placed = await placeAirmiles(t.url, airmilesInput());
    const orderId = placed.payload.order?.orderId ?? "";
    const response = await gql(t.url, OrderProductsDocument, { orderId });
    expect(response.data?.order?.voucherDetails[0]?.product).toEqual({
      productId: EMIRATES_SKYWARDS_PRODUCT_ID,
      name: "Emirates Skywards Miles",
      kind: "AIRMILES",
    });
  });

  it("shows the snapshot's age and refresh outcomes in /metrics", async () => {
    const text = await (await fetch(t.url.replace("/graphql", "/metrics"))).text();
    const samples = parsePrometheus(text);
    const age = valueOf(samples, "orders_catalogue_age_seconds");
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(600);
    expect(valueOf(samples, "orders_catalogue_refreshes_total", { reason: "scheduled", outcome: "success" })).toBe(1);
  });
});
