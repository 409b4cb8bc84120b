// The charge estimate from the catalogue's pricing fields (docs/plum-api.md §4.5: fee and discount are percentages,
// exchangeRate converts the product currency to the wallet's). Plum's amountCharged on the order is the truth.
import type { CatalogueProduct } from "./product.js";

export interface ChargeEstimate {
  faceValue: number;
  currencyCode: string;
  estimatedCharge: number;
  chargeCurrencyCode: string;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

export function estimateCharge(
  product: CatalogueProduct,
  denomination: number,
  quantity: number,
  walletCurrency: string,
): ChargeEstimate {
  const faceValue = round2(denomination * quantity);
  const afterFee = faceValue * (1 + (product.feePercent ?? 0) / 100);
  const afterDiscount = afterFee * (1 - (product.discountPercent ?? 0) / 100);
  // Without a rate the charge can only be told in the product's own currency.
  const converted = product.exchangeRate === null ? afterDiscount : afterDiscount * product.exchangeRate;
  return {
    faceValue,
    currencyCode: product.currencyCode,
    estimatedCharge: round2(converted),
    chargeCurrencyCode: product.exchangeRate === null ? product.currencyCode : walletCurrency,
  };
}
