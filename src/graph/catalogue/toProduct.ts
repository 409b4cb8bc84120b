// Catalogue entries to the graph's types.
import type { CatalogueProduct } from "../../catalogue/product.js";
import { ProductDeliveryType, ProductValueType } from "../types/catalogueEnums.js";
import type { Product } from "../types/Product.js";
import type { TopupOperator } from "../types/TopupOperator.js";

export function toProduct(product: CatalogueProduct, refreshedAt: Date | null): Product {
  return {
    productId: product.productId,
    name: product.name,
    kind: product.kind,
    description: product.description,
    imageUrl: product.imageUrl,
    countryCode: product.countryCode,
    currencyCode: product.currencyCode,
    valueType: ProductValueType[product.valueType],
    denominations: product.denominations,
    minValue: product.minValue,
    maxValue: product.maxValue,
    quantityLimit: product.quantityLimit,
    deliveryType: product.deliveryType === null ? null : ProductDeliveryType[product.deliveryType],
    feePercent: product.feePercent,
    discountPercent: product.discountPercent,
    exchangeRate: product.exchangeRate,
    loyaltyProgramme: product.loyaltyProgramme,
    loyaltyConversion: product.loyaltyConversion,
    termsAndConditions: product.termsAndConditions,
    // A product is only ever read from a committed snapshot, which has a time.
    catalogueUpdatedAt: refreshedAt ?? new Date(0),
    parentProductId: product.parentProductId,
  };
}

export function toTopupOperator(
  operator: Pick<CatalogueProduct, "productId" | "name" | "countryCode" | "imageUrl">,
): TopupOperator {
  return {
    productId: operator.productId,
    name: operator.name,
    countryCode: operator.countryCode,
    imageUrl: operator.imageUrl,
  };
}
