// Plum's dates are "YYYY-MM-DD HH:MM:SS" without a zone (docs/plum-api.md §4.2, §5): read as UTC, so nothing depends on
// the server's time zone. Values that carry a zone keep it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

export function parsePlumDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const trimmed = value.trim();
  const text = DATE_TIME.test(trimmed) && !HAS_ZONE.test(trimmed) ? `${trimmed.replace(" ", "T")}Z` : trimmed;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}
