// Webhook createdAt values order delivery statuses, so both engines store them as instants, not text.
import { parsePlumDate } from "../plum/plumDate.js";

/** Parses a webhook createdAt (zoneless values are UTC); throws a RangeError for values that are not instants. */
export function webhookInstant(createdAt: string): Date {
  const instant = parsePlumDate(createdAt);
  if (instant === null) {
    throw new RangeError(`webhook createdAt is not a valid instant: ${JSON.stringify(createdAt.slice(0, 40))}`);
  }
  return instant;
}
