// The fields of a simulated order that follow from its product, denomination and quantity (shared by placed and
// fabricated orders).
import type { SimProduct } from "./catalogue.js";
import type { SimOrder } from "./orderBook.js";
import { priceOrder, type OrderPrice } from "./pricing.js";

export type PricedFields = Pick<
  SimOrder,
  | "productId"
  | "productName"
  | "category"
  | "deliveryType"
  | "currencyCode"
  | "currencyValue"
  | "denomination"
  | "quantity"
  | "orderTotal"
  | "rawOrderTotal"
  | "orderDiscount"
  | "rawOrderDiscount"
  | "discountPercent"
  | "amountCharged"
  | "amountChargedUsd"
>;

export function pricedFields(
  product: SimProduct,
  denomination: number,
  quantity: number,
  price: OrderPrice = priceOrder(product, denomination, quantity),
): PricedFields {
  return {
    productId: product.productId,
    productName: product.name,
    category: product.category,
    deliveryType: product.deliveryType,
    currencyCode: product.currencyCode,
    currencyValue: product.currencyValue,
    denomination,
    quantity,
    orderTotal: price.orderTotal,
    rawOrderTotal: price.rawOrderTotal,
    orderDiscount: price.orderDiscount,
    rawOrderDiscount: price.rawOrderDiscount,
    discountPercent: product.discountPercent,
    amountCharged: price.amountCharged,
    amountChargedUsd: price.amountChargedUsd,
  };
}
