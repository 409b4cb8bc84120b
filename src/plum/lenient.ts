// Plum's wire is loosely typed (docs/plum-api.md §1): numbers arrive as numbers or numeric strings, discounts as "".
import type { Loose } from "./wire.js";

/** A finite number, or null for null/undefined/""/non-numeric values. */
export function toNumber(value: Loose): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed === "") return null;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** An integer, or null. */
export function toInt(value: Loose): number | null {
  const n = toNumber(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** An identifier as a decimal string ("98765432"), or null. */
export function toId(value: Loose): string | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value === "string" && /^\d+$/.test(value.trim()) && Number(value) > 0)
    return value.trim().replace(/^0+/, "");
  return null;
}

/** A non-empty string, or null; unknown status strings pass through unchanged. */
export function toText(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
