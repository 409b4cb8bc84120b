// The checks a known product allows before anything is claimed or sent (pure). Placement and quotes run exactly
// these; Plum stays the authority for everything the snapshot cannot know (stock, balance, operator).
import { OrderErrorCode, type OrderFailure } from "../orders/errorCodes.js";
import type { OrderKind } from "../orders/orderKind.js";
import type { CatalogueProduct } from "./product.js";

export interface PreflightOrder {
  kind: OrderKind;
  productId: number;
  denomination: number;
  quantity: number;
}

const NOTHING_SENT = "Nothing was claimed or sent; fix it and place the order again (the poNumber is still unused).";

/** Denominations carry at most 2 decimals (input rules), so a cent's fraction is equality. */
const EPSILON = 1e-6;

export function denominationAllowed(product: CatalogueProduct, denomination: number): boolean {
  if (product.valueType === "FIXED_DENOMINATIONS") {
    return product.denominations.some((value) => Math.abs(value - denomination) < EPSILON);
  }
  if (product.minValue !== null && denomination < product.minValue - EPSILON) return false;
  if (product.maxValue !== null && denomination > product.maxValue + EPSILON) return false;
  return true;
}

export function preflightFailures(product: CatalogueProduct, order: PreflightOrder): OrderFailure[] {
  if (!product.active || product.role !== "product" || product.kind !== order.kind) {
    return [
      {
        code: OrderErrorCode.PRODUCT_UNAVAILABLE,
        message: `The catalogue has no orderable product of this kind with this productId (see airmilesProgrammes / topupOperators). ${NOTHING_SENT}`,
        field: ["input", "productId"],
        retryable: false,
      },
    ];
  }
  const failures: OrderFailure[] = [];
  if (!denominationAllowed(product, order.denomination)) {
    failures.push({
      code: OrderErrorCode.INVALID_DENOMINATION,
      message:
        product.valueType === "FIXED_DENOMINATIONS"
          ? `This product accepts only the values in Product.denominations. ${NOTHING_SENT}`
          : `This product accepts values between Product.minValue and Product.maxValue. ${NOTHING_SENT}`,
      field: ["input", "denomination"],
      retryable: false,
    });
  }
  if (product.quantityLimit !== null && product.quantityLimit > 0 && order.quantity > product.quantityLimit) {
    failures.push({
      code: OrderErrorCode.QUANTITY_LIMIT,
      message: `The quantity is above Product.quantityLimit. ${NOTHING_SENT}`,
      field: ["input", "quantity"],
      retryable: false,
    });
  }
  return failures;
}
