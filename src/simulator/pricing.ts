import type { SimProduct } from "./catalogue.js";
import { round2 } from "./money.js";

export interface OrderPrice {
  readonly rawOrderTotal: number;
  readonly orderTotal: number;
  readonly rawOrderDiscount: number;
  readonly orderDiscount: number;
  readonly amountCharged: number;
  /** Before discount: the balance check uses this (denomination × quantity × USD rate). */
  readonly grossUsd: number;
  readonly amountChargedUsd: number;
}

export function priceOrder(product: SimProduct, denomination: number, quantity: number): OrderPrice {
  const rawOrderTotal = denomination * quantity;
  const orderTotal = round2(rawOrderTotal);
  const rawOrderDiscount = (rawOrderTotal * product.discountPercent) / 100;
  const orderDiscount = round2(rawOrderDiscount);
  const amountCharged = round2(orderTotal - orderDiscount);
  return {
    rawOrderTotal,
    orderTotal,
    rawOrderDiscount,
    orderDiscount,
    amountCharged,
    grossUsd: round2(rawOrderTotal * product.currencyValue),
    amountChargedUsd: round2(amountCharged * product.currencyValue),
  };
}
