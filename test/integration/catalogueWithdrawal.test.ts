// Found in review: one PLE10030 "No Vouchers Found" on the airmiles list (or a short page) was committed as an
// empty list, withdrawing every airmiles programme: every valid order was refused before the claim as
// PRODUCT_UNAVAILABLE until the next scheduled slot. A refresh that would withdraw a whole group now fails, and the
// last good snapshot stays.
import { describe, expect, it } from "vitest";
import { wholesaleWithdrawal } from "../../src/catalogue/wholesaleWithdrawal.js";
import type { CatalogueProduct } from "../../src/catalogue/product.js";
import { OrderKind } from "../../src/orders/orderKind.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";

const NO_VOUCHERS = {
  code: 404,
  errorId: "PLE10030",
  errorInfo: "Failed to find vouchers.",
  error: "No Vouchers Found",
};

describe("a refresh never withdraws a whole group at once", () => {
  const t = useTestApp({ resetSimulator: true });

  it("one PLE10030 on the airmiles list fails the refresh; valid airmiles orders are still placed", async () => {
    expect((await sendAirmiles(t.url, airmilesInput())).data?.placeAirmilesOrder.outcome).toBe("PLACED");
    t.sim.inject({ kind: "status", status: 404, operation: "getVouchers", body: NO_VOUCHERS });
    expect(await t.app.catalogue.refreshNow()).toBe("failure");
    const after = (await sendAirmiles(t.url, airmilesInput())).data?.placeAirmilesOrder;
    expect(after?.errors).toEqual([]);
    expect(after?.outcome).toBe("PLACED");
  });
});

describe("wholesaleWithdrawal", () => {
  const product = (productId: number, patch: Partial<CatalogueProduct>): CatalogueProduct =>
    ({
      productId,
      kind: OrderKind.AIRMILES,
      role: "product",
      parentProductId: null,
      active: true,
      ...patch,
    }) as CatalogueProduct;
  const skywards = product(1, {});
  const etihad = product(2, {});
  const airtel = product(10, { kind: OrderKind.TOPUP, role: "operator" });
  const airtelPlan = product(11, { kind: OrderKind.TOPUP, parentProductId: 10 });

  it("allows single withdrawals and explicit inactive flags, refuses a group going missing", () => {
    expect(wholesaleWithdrawal([], [skywards])).toBeNull(); // the first snapshot
    expect(wholesaleWithdrawal([skywards, etihad], [skywards])).toBeNull(); // one programme withdrawn
    expect(wholesaleWithdrawal([skywards, etihad], [{ ...skywards, active: false }])).toBeNull(); // Plum says inactive
    expect(wholesaleWithdrawal([skywards, etihad, airtel], [airtel])).toBe("airmiles programmes");
    expect(wholesaleWithdrawal([skywards, airtel], [skywards])).toBe("top-up operators");
    expect(wholesaleWithdrawal([skywards, airtel, airtelPlan], [skywards, airtel])).toBe("plans of operator 10");
  });
});
