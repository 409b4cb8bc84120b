// The catalogue as this service keeps it: Plum's getVouchers items, parsed once into exact types.
import type { OrderKind } from "../orders/orderKind.js";

export type ProductValueType = "FIXED_DENOMINATIONS" | "OPEN_VALUE";
export type ProductDeliveryType = "REALTIME" | "DELAYED";

/** "product": orderable (an airmiles programme or a top-up plan); "operator": a top-up operator, parent of plans. */
export type CatalogueRole = "product" | "operator";

export interface CatalogueProduct {
  productId: number;
  name: string;
  kind: OrderKind;
  role: CatalogueRole;
  description: string | null;
  imageUrl: string | null;
  countryCode: string | null;
  /** "" when Plum sent none (the field is required in the schema; an unknown currency is shown as empty). */
  currencyCode: string;
  valueType: ProductValueType;
  /** Allowed values for FIXED_DENOMINATIONS (from Plum's CSV), ascending; empty for OPEN_VALUE. */
  denominations: number[];
  minValue: number | null;
  maxValue: number | null;
  quantityLimit: number | null;
  deliveryType: ProductDeliveryType | null;
  feePercent: number | null;
  discountPercent: number | null;
  exchangeRate: number | null;
  loyaltyProgramme: string | null;
  loyaltyConversion: string | null;
  /** The operator a top-up plan belongs to. */
  parentProductId: number | null;
  termsAndConditions: string | null;
  /** false once a refresh no longer lists it (it was withdrawn): pre-flight refuses it. */
  active: boolean;
}

export interface CatalogueMeta {
  /** When the current snapshot was committed; null before the first successful refresh. */
  refreshedAt: Date | null;
  lastAttemptAt: Date | null;
  lastFailureAt: Date | null;
  /** getVouchers calls the last successful refresh made (the estimate for the next one); null before one. */
  lastRefreshCalls: number | null;
  /** getVouchers calls made on `budgetDay` (UTC date, YYYY-MM-DD) by every replica. */
  budgetDay: string | null;
  budgetCalls: number;
}
