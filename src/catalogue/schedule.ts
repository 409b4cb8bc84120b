// When the catalogue is due: Plum advises refreshing 4× a day at 00:00, 06:00, 12:00 and 18:00 IST
// (docs/plum-api.md §4.5). Slots are every `intervalMs` from midnight IST (UTC+05:30).
const IST_OFFSET_MS = 5.5 * 3_600_000;

/** The latest slot at or before `now`. */
export function lastSlot(now: Date, intervalMs: number): Date {
  const shifted = now.getTime() + IST_OFFSET_MS;
  return new Date(shifted - (((shifted % intervalMs) + intervalMs) % intervalMs) - IST_OFFSET_MS);
}

/** The first slot after `now`: when the next scheduled refresh is due. */
export function nextSlot(now: Date, intervalMs: number): Date {
  return new Date(lastSlot(now, intervalMs).getTime() + intervalMs);
}

/** The UTC date of `now` (YYYY-MM-DD): the day the daily call budget counts against ([I]: Plum does not say). */
export function budgetDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** How many scheduled slots are still to come on `now`'s UTC day. */
export function slotsLeftToday(now: Date, intervalMs: number): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const next = nextSlot(now, intervalMs).getTime();
  return next >= midnight ? 0 : Math.floor((midnight - 1 - next) / intervalMs) + 1;
}
