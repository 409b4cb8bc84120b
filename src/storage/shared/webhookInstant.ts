// Webhook createdAt values order delivery statuses, so both engines store them as instants, not text: an event
// whose instant is not a time would sort anywhere.

/** The event's createdAt, or a RangeError for an invalid Date (never stored). */
export function webhookInstant(createdAt: Date): Date {
  if (Number.isNaN(createdAt.getTime())) throw new RangeError("webhook createdAt is not a valid instant");
  return createdAt;
}
