// Webhook createdAt values order delivery statuses, so both engines store them as instants, not text.

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * Parses a webhook createdAt. Plum documents `YYYY-MM-DD HH:MM:SS` without a zone; such values are read as UTC so
 * the ordering never depends on the server's time zone. Throws a RangeError for values that are not instants.
 */
export function webhookInstant(createdAt: string): Date {
  const trimmed = createdAt.trim();
  const text = DATE_TIME.test(trimmed) && !HAS_ZONE.test(trimmed) ? `${trimmed.replace(" ", "T")}Z` : trimmed;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new RangeError(`webhook createdAt is not a valid instant: ${JSON.stringify(createdAt.slice(0, 40))}`);
  }
  return new Date(ms);
}
