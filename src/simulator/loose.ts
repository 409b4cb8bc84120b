// The Plum wire is loosely typed (docs/plum-api.md §1): numbers may arrive as numeric strings, flags as 0/1/"1"/true.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A finite number from a number or a numeric string; undefined otherwise. */
export function looseNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function looseFlag(value: unknown): boolean {
  return value === 1 || value === "1" || value === true || value === "true";
}

/** A string from a string or a number (ids such as loyaltyMemberId are sometimes sent as numbers). */
export function looseString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
