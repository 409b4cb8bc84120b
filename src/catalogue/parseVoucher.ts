// Parses one getVouchers item (docs/plum-api.md §4.5). Plum's types are loose (§1, §9): numbers may be numeric
// strings, `valueDenominations` is a CSV string (or, leniently, an array), fields may be missing or "".
import { OrderKind } from "../orders/orderKind.js";
import { toInt, toNumber, toText } from "../plum/lenient.js";
import type { Loose } from "../plum/wire.js";
import type { CatalogueProduct, CatalogueRole, ProductDeliveryType } from "./product.js";

type Item = Record<string, unknown>;

function loose(value: unknown): Loose {
  return typeof value === "number" || typeof value === "string" ? value : null;
}

function text(item: Item, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = toText(item[key]);
    if (value !== null) return value.trim() === "" ? null : value.trim();
  }
  return null;
}

/** "25,50, 100" or [25, "50"] → [25, 50, 100] (ascending, de-duplicated, positive values only). */
export function parseDenominations(value: unknown): number[] {
  const parts: unknown[] = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : [value];
  const numbers = parts.map((part) => toNumber(loose(part))).filter((n): n is number => n !== null && n > 0);
  return [...new Set(numbers)].sort((a, b) => a - b);
}

function deliveryType(value: unknown): ProductDeliveryType | null {
  const normalised = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (normalised === "realtime") return "REALTIME";
  if (normalised === "delayed") return "DELAYED";
  return null;
}

/** A country code from `countryCode`, else the first of `countries[]{code}`. */
function countryCode(item: Item): string | null {
  const direct = text(item, "countryCode");
  if (direct !== null) return direct.toUpperCase();
  const countries = item["countries"];
  if (Array.isArray(countries)) {
    for (const country of countries) {
      if (country !== null && typeof country === "object") {
        const code = toText((country as Item)["code"]);
        if (code !== null) return code.toUpperCase();
      }
    }
  }
  return null;
}

/** An item flagged inactive by a status field some responses carry (`isActive: 0`, `status: "inactive"`). */
function flaggedInactive(item: Item): boolean {
  const flag = item["isActive"] ?? item["is_active"];
  if (flag === false || flag === 0 || flag === "0" || flag === "false") return true;
  const status = item["status"];
  return typeof status === "string" && ["inactive", "disabled"].includes(status.trim().toLowerCase());
}

/** null when the item has no usable productId or name (it cannot be referenced or shown). */
export function parseVoucher(raw: unknown, kind: OrderKind, role: CatalogueRole): CatalogueProduct | null {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const item = raw as Item;
  const productId = toInt(loose(item["productId"]));
  const name = text(item, "name", "productName");
  if (productId === null || productId <= 0 || name === null) return null;
  const valueTypeText = typeof item["valueType"] === "string" ? item["valueType"].trim().toLowerCase() : "";
  const denominations = parseDenominations(item["valueDenominations"]);
  // open_value is explicit; anything else with denominations is fixed (the documented other value).
  const open = valueTypeText === "open_value" || (valueTypeText === "" && denominations.length === 0);
  const parent = toInt(loose(item["parentProductId"]));
  return {
    productId,
    name,
    kind,
    role,
    description: text(item, "description"),
    imageUrl: text(item, "imageUrl"),
    countryCode: countryCode(item),
    currencyCode: (text(item, "currencyCode") ?? "").toUpperCase(),
    valueType: open ? "OPEN_VALUE" : "FIXED_DENOMINATIONS",
    denominations: open ? [] : denominations,
    minValue: toNumber(loose(item["minValue"])),
    maxValue: toNumber(loose(item["maxValue"])),
    quantityLimit: toInt(loose(item["orderQuantityLimit"])),
    deliveryType: deliveryType(item["deliveryType"]),
    feePercent: toNumber(loose(item["fee"])),
    discountPercent: toNumber(loose(item["discount"])),
    exchangeRate: toNumber(loose(item["exchangeRate"])),
    loyaltyProgramme: text(item, "loyaltyName"),
    loyaltyConversion: text(item, "loyaltyConversion"),
    parentProductId: parent !== null && parent > 0 ? parent : null,
    termsAndConditions: text(item, "termsAndConditionsInstructions"),
    active: !flaggedInactive(item),
  };
}

/** The items of a getVouchers answer: `data` is the array itself, or an object holding it. */
export function voucherItems(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  if (data !== null && typeof data === "object") {
    for (const key of ["vouchers", "data", "products"]) {
      const value = (data as Item)[key];
      if (Array.isArray(value)) return value;
    }
  }
  return null;
}
