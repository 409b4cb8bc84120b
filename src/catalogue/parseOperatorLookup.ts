// lookupMobileNumber's answer (docs/plum-api.md §4.7). The page text documents `phone`, `network_operator`,
// `is_active`, `parentProductId`; the spec example `operator`, `countryCode`, `productId`. Both are accepted.
import { toInt, toText } from "../plum/lenient.js";
import type { Loose } from "../plum/wire.js";

export interface DetectedOperator {
  /** The operator's product id (its plans' parentProductId); null when Plum named the operator only. */
  operatorId: number | null;
  name: string | null;
  countryCode: string | null;
  /** Whether the number is active; null when Plum did not say. */
  active: boolean | null;
}

function flag(value: unknown): boolean | null {
  if (value === true || value === 1 || value === "1" || value === "true" || value === "yes") return true;
  if (value === false || value === 0 || value === "0" || value === "false" || value === "no") return false;
  return null;
}

function loose(value: unknown): Loose {
  return typeof value === "number" || typeof value === "string" ? value : null;
}

/** null for an unreadable answer; `operatorId` and `name` are both null when Plum cannot tell the operator. */
export function parseOperatorLookup(data: unknown): DetectedOperator | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const item = data as Record<string, unknown>;
  const operatorField = item["operator"];
  const nested =
    operatorField !== null && typeof operatorField === "object" ? (operatorField as Record<string, unknown>) : null;
  const id =
    toInt(loose(item["parentProductId"])) ??
    toInt(loose(item["productId"])) ??
    (nested ? toInt(loose(nested["productId"])) : null);
  const name = toText(item["network_operator"]) ?? toText(operatorField) ?? (nested ? toText(nested["name"]) : null);
  const country = toText(item["countryCode"]);
  return {
    operatorId: id !== null && id > 0 ? id : null,
    name,
    countryCode: country === null ? null : country.toUpperCase(),
    active: flag(item["is_active"] ?? item["isActive"] ?? item["active"]),
  };
}
