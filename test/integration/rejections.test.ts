// Plum's definite rejections over HTTP: each maps to its typed error, nothing is placed, and nothing Plum said
// reaches the client verbatim.
import { describe, expect, it } from "vitest";
import {
  AIRTEL_TOPUP_PRODUCT_ID,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  KRISFLYER_PRODUCT_ID,
  QATAR_AVIOS_PRODUCT_ID,
} from "../../src/simulator/index.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { placeAirmiles, placeTopup } from "../support/orderOperations.js";
import { expectNothingVerbatim, pastSettleWindow } from "./helpers.js";

// These tests are about Plum's answers: a catalogue snapshot that is always stale (1 ms) leaves every judgement to
// Plum, as when the snapshot does not know a product (the pre-flight has its own tests in preflight.test.ts).
const t = useTestApp({ resetSimulator: true, env: { CATALOGUE_MAX_AGE_MS: "1" } });

describe("business rejections", () => {
  it("INVALID_DENOMINATION for a value outside the product's range", async () => {
    const { response, payload } = await placeAirmiles(
      t.url,
      airmilesInput({ productId: EMIRATES_SKYWARDS_PRODUCT_ID, denomination: 5 }),
    );
    expect(payload).toEqual({
      outcome: "REJECTED",
      order: null,
      errors: [
        {
          code: "INVALID_DENOMINATION",
          message: expect.any(String),
          field: ["input", "denomination"],
          upstreamErrorId: "PLE10018",
          retryable: false,
          retryAfterSeconds: null,
        },
      ],
    });
    expectNothingVerbatim(response);
    expect(t.sim.orders()).toHaveLength(0);
  });

  it("INVALID_DENOMINATION for a top-up amount that is not one of the operator's plans", async () => {
    const { payload } = await placeTopup(t.url, topupInput({ productId: AIRTEL_TOPUP_PRODUCT_ID, denomination: 150 }));
    expect(payload.errors.map((e) => e.code)).toEqual(["INVALID_DENOMINATION"]);
  });

  it.each([
    ["a product not activated for the account", KRISFLYER_PRODUCT_ID],
    ["an unknown product", 99_999],
  ])("PRODUCT_UNAVAILABLE for %s", async (_label, productId) => {
    const { response, payload } = await placeAirmiles(t.url, airmilesInput({ productId }));
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors).toEqual([
      expect.objectContaining({
        code: "PRODUCT_UNAVAILABLE",
        field: ["input", "productId"],
        upstreamErrorId: "PLE10042",
        retryable: false,
      }),
    ]);
    expectNothingVerbatim(response);
    expect(JSON.stringify(response)).not.toContain(String(productId));
  });

  it("QUANTITY_LIMIT for more than the product allows per order", async () => {
    const { response, payload } = await placeAirmiles(t.url, airmilesInput({ quantity: 2 }));
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors).toEqual([
      expect.objectContaining({
        code: "QUANTITY_LIMIT",
        field: ["input", "quantity"],
        upstreamErrorId: "PLE10041",
        retryable: false,
      }),
    ]);
    expectNothingVerbatim(response);
  });

  it("INSUFFICIENT_BALANCE when the wallet cannot pay", async () => {
    t.sim.setBalance(1);
    const { response, payload } = await placeAirmiles(t.url, airmilesInput({ denomination: 50 }));
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors).toEqual([
      expect.objectContaining({
        code: "INSUFFICIENT_BALANCE",
        field: null,
        upstreamErrorId: "PLE10010",
        retryable: false,
      }),
    ]);
    expectNothingVerbatim(response);
    expect(t.sim.balance()).toBe(1);
  });

  it("OPERATOR_VALIDATION_FAILED for a number of another operator, echoing no number", async () => {
    // 70… is a Jio prefix; product 20001 is Airtel.
    const input = topupInput({
      performOperatorValidation: true,
      userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" },
    });
    const { response, payload } = await placeTopup(t.url, input);
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors).toEqual([
      expect.objectContaining({
        code: "OPERATOR_VALIDATION_FAILED",
        field: ["input", "userMeta", "topupPhoneNumber"],
        upstreamErrorId: "PLE10001",
        retryable: false,
      }),
    ]);
    expectNothingVerbatim(response);
    expect(JSON.stringify(response)).not.toContain("7012345678");
  });

  it("places the same mismatching number when operator validation is off", async () => {
    const input = topupInput({
      performOperatorValidation: false,
      userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" },
    });
    expect((await placeTopup(t.url, input)).payload.outcome).toBe("PLACED");
  });

  it("UPSTREAM_REJECTED for a business errorId without a specific code, naming the errorId only", async () => {
    t.sim.inject({
      kind: "status",
      status: 404,
      body: {
        code: 404,
        errorId: "PLE10036",
        errorInfo: "Delivery is canceled",
        error: "Delivery is canceled for member 324523423",
      },
    });
    const { response, payload } = await placeAirmiles(
      t.url,
      airmilesInput({ userMeta: { loyaltyMemberId: "324523423" } }),
    );
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors).toEqual([
      expect.objectContaining({
        code: "UPSTREAM_REJECTED",
        field: null,
        upstreamErrorId: "PLE10036",
        retryable: false,
      }),
    ]);
    expectNothingVerbatim(response);
    expect(JSON.stringify(response)).not.toContain("324523423");
  });

  it("UPSTREAM_REJECTED for a 2xx whose status is not 1", async () => {
    t.sim.inject({ kind: "status", status: 200, body: { data: { placeOrder: { status: 0, data: null } } } });
    const { payload } = await placeAirmiles(t.url, airmilesInput());
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors).toEqual([
      expect.objectContaining({ code: "UPSTREAM_REJECTED", upstreamErrorId: null, retryable: false }),
    ]);
  });

  it("replays a recorded rejection to a retry without calling Plum again", async () => {
    const input = airmilesInput({ quantity: 2 });
    const first = await placeAirmiles(t.url, input);
    const again = await placeAirmiles(t.url, input);
    expect(again.payload).toEqual(first.payload);
    expect(t.sim.count("placeOrder")).toBe(1);
  });
});

describe("OUT_OF_STOCK", () => {
  it("is PENDING first (Plum answers 502), then REJECTED once reconciliation finds no order", async () => {
    const input = airmilesInput({ productId: QATAR_AVIOS_PRODUCT_ID, denomination: 100 });
    const first = await placeAirmiles(t.url, input);
    // A 502 may hide an order: not a rejection until Plum confirms it has none.
    expect(first.payload).toEqual({
      outcome: "PENDING",
      order: null,
      errors: [expect.objectContaining({ code: "OUTCOME_UNKNOWN", upstreamErrorId: "PLE10024", retryable: true })],
    });
    expectNothingVerbatim(first.response);

    await pastSettleWindow();
    await t.app.reconciler.runOnce();
    expect(t.sim.count("getOrderDetails")).toBeGreaterThanOrEqual(1);

    const retry = await placeAirmiles(t.url, input);
    expect(retry.payload).toEqual({
      outcome: "REJECTED",
      order: null,
      errors: [
        {
          code: "OUT_OF_STOCK",
          message: expect.any(String),
          field: ["input", "productId"],
          upstreamErrorId: "PLE10024",
          // The poNumber is spent: only a new one can succeed later.
          retryable: false,
          retryAfterSeconds: null,
        },
      ],
    });
    expectNothingVerbatim(retry.response);
    // The retry replayed the rejection: nothing was sent again.
    expect(t.sim.count("placeOrder")).toBe(1);
    expect(t.sim.orders()).toHaveLength(0);
  });
});

describe("PO_NUMBER_CONFLICT", () => {
  it("refuses a different order under a used poNumber without calling Plum", async () => {
    const input = airmilesInput({ denomination: 50 });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PLACED");
    const { response, payload } = await placeAirmiles(t.url, { ...input, denomination: 60 });
    expect(payload).toEqual({
      outcome: "REJECTED",
      order: null,
      errors: [
        {
          code: "PO_NUMBER_CONFLICT",
          message: expect.any(String),
          field: ["input", "poNumber"],
          upstreamErrorId: null,
          retryable: false,
          retryAfterSeconds: null,
        },
      ],
    });
    expectNothingVerbatim(response);
    expect(t.sim.count("placeOrder")).toBe(1);
    expect(t.sim.orders()).toHaveLength(1);
  });

  it("refuses a top-up under an airmiles order's poNumber", async () => {
    const input = airmilesInput();
    await placeAirmiles(t.url, input);
    const { payload } = await placeTopup(t.url, topupInput({ poNumber: input.poNumber }));
    expect(payload.errors.map((e) => e.code)).toEqual(["PO_NUMBER_CONFLICT"]);
    expect(t.sim.count("placeOrder")).toBe(1);
  });
});
