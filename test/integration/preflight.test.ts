// Pre-flight in placement: a product the snapshot knows is checked before anything is claimed or sent. Every
// refusal here is answered without a placeOrder reaching the simulator and without a ledger row; a product the
// snapshot does not know (or a stale snapshot) goes to Plum as before. Quotes run exactly the same checks.
import { describe, expect, it } from "vitest";
import {
  QuoteAirmilesOrderDocument,
  type OrderErrorCode,
  QuoteTopupOrderDocument,
  type PlaceOrderPayloadFieldsFragment,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { placeAirmiles, placeTopup } from "../support/orderOperations.js";
import { placeCallsFor } from "../support/plumDirect.js";
import {
  AIRTEL_OPERATOR_ID,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  ETIHAD_GUEST_PRODUCT_ID,
  JIO_TOPUP_PRODUCT_ID,
  KRISFLYER_PRODUCT_ID,
} from "../../src/simulator/index.js";

const t = useTestApp({ resetSimulator: true });

async function expectRefusedBeforeClaim(
  payload: PlaceOrderPayloadFieldsFragment,
  poNumber: string,
  code: OrderErrorCode,
  field: string[],
): Promise<void> {
  expect(payload.outcome).toBe("REJECTED");
  expect(payload.order).toBeNull();
  expect(payload.errors).toEqual([expect.objectContaining({ code, field, retryable: false, upstreamErrorId: null })]);
  expect(placeCallsFor(t.sim, poNumber)).toBe(0);
  expect(t.sim.count("placeOrder")).toBe(0);
  expect(await t.app.ledger.findByPlumPoNumber(poNumber)).toBeNull();
}

describe("pre-flight refusals (nothing claimed, nothing sent)", () => {
  it("a denomination a fixed-denomination product does not offer: INVALID_DENOMINATION", async () => {
    const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 30 });
    const { payload } = await placeAirmiles(t.url, input);
    await expectRefusedBeforeClaim(payload, input.poNumber, "INVALID_DENOMINATION", ["input", "denomination"]);
  });

  it("a value outside an open-value product's range: INVALID_DENOMINATION", async () => {
    const input = airmilesInput({ productId: EMIRATES_SKYWARDS_PRODUCT_ID, denomination: 5 });
    const { payload } = await placeAirmiles(t.url, input);
    await expectRefusedBeforeClaim(payload, input.poNumber, "INVALID_DENOMINATION", ["input", "denomination"]);
  });

  it("a quantity above the product's limit: QUANTITY_LIMIT", async () => {
    const input = airmilesInput({ quantity: 2 });
    const { payload } = await placeAirmiles(t.url, input);
    await expectRefusedBeforeClaim(payload, input.poNumber, "QUANTITY_LIMIT", ["input", "quantity"]);
  });

  it("a top-up plan in placeAirmilesOrder: PRODUCT_UNAVAILABLE", async () => {
    const input = airmilesInput({ productId: JIO_TOPUP_PRODUCT_ID, denomination: 149 });
    const { payload } = await placeAirmiles(t.url, input);
    await expectRefusedBeforeClaim(payload, input.poNumber, "PRODUCT_UNAVAILABLE", ["input", "productId"]);
  });

  it("an airmiles programme, or an operator instead of a plan, in placeTopupOrder: PRODUCT_UNAVAILABLE", async () => {
    for (const productId of [ETIHAD_GUEST_PRODUCT_ID, AIRTEL_OPERATOR_ID]) {
      const input = topupInput({ productId, denomination: 50 });
      const { payload } = await placeTopup(t.url, input);
      await expectRefusedBeforeClaim(payload, input.poNumber, "PRODUCT_UNAVAILABLE", ["input", "productId"]);
    }
  });

  it("a product Plum's catalogue withdrew: PRODUCT_UNAVAILABLE; a poNumber already placed still replays", async () => {
    const placedBefore = await placeAirmiles(
      t.url,
      airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 50 }),
    );
    expect(placedBefore.payload.outcome).toBe("PLACED");
    t.sim.setCatalogue({ unlistedProductIds: [ETIHAD_GUEST_PRODUCT_ID] });
    expect(await t.app.catalogue.refreshNow()).toBe("success");
    t.sim.reset(); // counters from zero; the withdrawn product stays withdrawn in the snapshot
    try {
      const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 50 });
      const { payload } = await placeAirmiles(t.url, input);
      await expectRefusedBeforeClaim(payload, input.poNumber, "PRODUCT_UNAVAILABLE", ["input", "productId"]);
      // The order placed before the withdrawal is still answered from the ledger.
      const replay = await placeAirmiles(t.url, {
        ...airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 50 }),
        poNumber: placedBefore.payload.order?.poNumber ?? "",
      });
      expect(replay.payload.outcome).toBe("REPLAYED");
      expect(t.sim.count("placeOrder")).toBe(0);
    } finally {
      expect(await t.app.catalogue.refreshNow()).toBe("success");
    }
  });
});

describe("what the snapshot cannot judge goes to Plum", () => {
  it("a product the snapshot does not know is sent, and Plum's answer decides (PLE10042)", async () => {
    const input = airmilesInput({ productId: KRISFLYER_PRODUCT_ID, denomination: 50 });
    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors[0]).toMatchObject({ code: "PRODUCT_UNAVAILABLE", upstreamErrorId: "PLE10042" });
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(1);
  });

  it("a valid order passes pre-flight and is placed", async () => {
    const { payload } = await placeTopup(t.url, topupInput({ denomination: 200 }));
    expect(payload.outcome).toBe("PLACED");
    expect(t.sim.count("placeOrder")).toBe(1);
  });
});

describe("quotes: the same checks, nothing placed", () => {
  it("estimates an airmiles order's charge from the catalogue's discount", async () => {
    const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 100 });
    const response = await gql(t.url, QuoteAirmilesOrderDocument, { input });
    expect(response.errors).toBeUndefined();
    expect(response.data?.quoteAirmilesOrder).toEqual({
      valid: true,
      errors: [],
      product: { productId: ETIHAD_GUEST_PRODUCT_ID, name: "Etihad Guest Miles" },
      faceValue: 100,
      currencyCode: "USD",
      feePercent: 0,
      discountPercent: 3,
      estimatedCharge: 97,
      chargeCurrencyCode: "USD",
    });
    expect(t.sim.count("placeOrder")).toBe(0);
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toBeNull();
  });

  it("estimates a top-up's charge in the wallet currency (fee, then the exchange rate)", async () => {
    const input = topupInput({ denomination: 500 });
    const response = await gql(t.url, QuoteTopupOrderDocument, { input });
    // 500 INR × 0.012 USD/INR = 6 USD (the simulator's Airtel plan has no fee; estimate.ts's fee rule is unit-tested)
    expect(response.data?.quoteTopupOrder).toMatchObject({
      valid: true,
      faceValue: 500,
      currencyCode: "INR",
      feePercent: 0,
      estimatedCharge: 6,
      chargeCurrencyCode: "USD",
    });
    // What the wallet is then actually debited.
    const balanceBefore = t.sim.balance();
    const { payload } = await placeTopup(t.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(Math.round((balanceBefore - t.sim.balance()) * 100) / 100).toBe(6);
  });

  it("answers what placement would: the same codes and field paths", async () => {
    const badDenomination = await gql(t.url, QuoteTopupOrderDocument, { input: topupInput({ denomination: 150 }) });
    expect(badDenomination.data?.quoteTopupOrder).toMatchObject({
      valid: false,
      errors: [{ code: "INVALID_DENOMINATION", field: ["input", "denomination"] }],
      product: { productId: topupInput().productId },
      estimatedCharge: null,
    });
    const wrongKind = await gql(t.url, QuoteAirmilesOrderDocument, {
      input: airmilesInput({ productId: JIO_TOPUP_PRODUCT_ID }),
    });
    expect(wrongKind.data?.quoteAirmilesOrder.errors).toEqual([
      expect.objectContaining({ code: "PRODUCT_UNAVAILABLE", field: ["input", "productId"] }),
    ]);
    // The product is shown, so a form can tell it is a top-up plan.
    expect(wrongKind.data?.quoteAirmilesOrder.product).toEqual({
      productId: JIO_TOPUP_PRODUCT_ID,
      name: "Jio Prepaid India",
    });
    const invalidInput = await gql(t.url, QuoteAirmilesOrderDocument, {
      input: airmilesInput({ email: "not-an-email", quantity: 2 }),
    });
    const codes = invalidInput.data?.quoteAirmilesOrder.errors.map((e) => [e.code, e.field]);
    expect(codes).toEqual([["INVALID_INPUT", ["input", "email"]]]);
    const unknown = await gql(t.url, QuoteAirmilesOrderDocument, {
      input: airmilesInput({ productId: KRISFLYER_PRODUCT_ID }),
    });
    // Unknown to the catalogue: placement would send it, so the quote is valid without an estimate.
    expect(unknown.data?.quoteAirmilesOrder).toMatchObject({
      valid: true,
      errors: [],
      product: null,
      estimatedCharge: null,
    });
    expect(t.sim.count("placeOrder")).toBe(0);
  });
});
