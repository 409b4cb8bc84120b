// getVouchers (docs/plum-api.md §4.5): airmiles for categoryType "miles", top-up operators for "topup", and an
// operator's plans with parentProductId, paginated by limit/page, with Plum's loose types: `valueDenominations`
// as a CSV string and, for products flagged numericStrings, numbers as numeric strings.
import { PlumErrorId } from "../plum/wire.js";
import { SIMULATOR_OPERATORS, SIMULATOR_PRODUCTS, type SimProduct, type TopupOperator } from "./catalogue.js";
import type { CatalogueState } from "./catalogueState.js";
import { isRecord, looseNumber } from "./loose.js";
import { businessError, successReply, type SimReply } from "./responses.js";

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

function num(product: SimProduct, value: number): number | string {
  return product.numericStrings ? String(value) : value;
}

export function productWire(product: SimProduct): Record<string, unknown> {
  const rule = product.denominations;
  return {
    productId: product.numericStrings ? String(product.productId) : product.productId,
    name: product.name,
    description: product.description,
    imageUrl: product.vendorLogo,
    currencyCode: product.currencyCode,
    countryCode: product.countryCode,
    countries: [{ code: product.countryCode, name: product.countryCode }],
    valueType: rule.valueType,
    valueDenominations: rule.valueType === "fixed_denomination" ? rule.values.join(",") : "",
    minValue: rule.valueType === "open_value" ? num(product, rule.min) : "",
    maxValue: rule.valueType === "open_value" ? num(product, rule.max) : "",
    orderQuantityLimit: num(product, product.orderQuantityLimit),
    deliveryType: product.deliveryType,
    fee: num(product, product.feePercent),
    discount: num(product, product.discountPercent),
    // Wallet (USD) per unit of the product currency, the rate placeOrder debits with.
    exchangeRate: num(product, product.currencyValue),
    termsAndConditionsInstructions: "Non-refundable once delivered.",
    ...(product.category === "airmiles"
      ? { loyaltyName: product.name.replace(/ (Miles|Avios)$/, ""), loyaltyConversion: product.loyaltyConversion ?? "" }
      : { parentProductId: product.operator?.productId ?? "" }),
  };
}

function operatorWire(operator: TopupOperator): Record<string, unknown> {
  return {
    productId: operator.productId,
    name: operator.name,
    countryCode: operator.countryCode,
    currencyCode: operator.countryCode === "IN" ? "INR" : "",
    imageUrl: "",
    valueType: "fixed_denomination",
    valueDenominations: "",
  };
}

export function getVouchers(data: unknown, state: CatalogueState): SimReply {
  if (!isRecord(data))
    return businessError(400, "PLE10033", "getVouchers validation error", '"variables.data" must be an object');
  const categoryType = data["categoryType"];
  const parent = looseNumber(data["parentProductId"]);
  // Products not activated for the account are not offered (placeOrder answers PLE10042 for them).
  const listed = (p: SimProduct): boolean => p.activated && state.isListed(p.productId);
  let items: Record<string, unknown>[];
  if (categoryType === "miles") {
    items = SIMULATOR_PRODUCTS.filter((p) => p.category === "airmiles" && listed(p)).map(productWire);
  } else if (categoryType === "topup" && parent === undefined) {
    items = SIMULATOR_OPERATORS.filter((o) => state.isListed(o.productId)).map(operatorWire);
  } else if (categoryType === "topup") {
    items = SIMULATOR_PRODUCTS.filter(
      (p) => p.category === "topup" && p.operator?.productId === parent && listed(p),
    ).map(productWire);
  } else {
    return businessError(400, "PLE10033", "getVouchers validation error", '"categoryType" must be "miles" or "topup"');
  }
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(looseNumber(data["limit"]) ?? DEFAULT_LIMIT)));
  const page = Math.max(1, Math.trunc(looseNumber(data["page"]) ?? 1));
  const slice = items.slice((page - 1) * limit, page * limit);
  // As documented for an empty result: PLE10030 "Failed to find vouchers" (docs/plum-api.md §2.1).
  if (slice.length === 0)
    return businessError(404, PlumErrorId.noVouchers, "Failed to find vouchers.", "No Vouchers Found");
  return successReply("getVouchers", slice);
}
