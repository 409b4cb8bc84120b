// Which stored delivery-status callback sets an order's status. The engines' SQL picks the latest matching event
// (createdAt, then the higher id, numerically); this decides whether that event may change what the order shows.

export interface LatestEvent {
  createdAt: Date;
  /** When it was applied to an order; null while it never has been. */
  appliedAt: Date | null;
}

/** Only an event not yet applied can change the status, and never to something older than what is shown. */
export function isNewLatest(latest: LatestEvent, shownAt: Date | null): boolean {
  if (latest.appliedAt !== null) return false;
  return shownAt === null || latest.createdAt.getTime() >= shownAt.getTime();
}
