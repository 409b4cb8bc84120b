// At most `size` exchanges at once, so a request never waits in undici's queue after it passed the send check:
// what leaves, leaves right away (or within the connect timeout). Sends go first, and look-ups never hold the
// slots reserved for sends, so a storm of slow look-ups cannot push placements past their send guard.
export type SlotUse = "send" | "lookup";

export class Slots {
  private busy = 0;
  private busyLookups = 0;
  private readonly waiting: Record<SlotUse, (() => void)[]> = { send: [], lookup: [] };
  private readonly lookupCap: number;

  constructor(private readonly size: number) {
    this.lookupCap = Math.max(1, size - Math.max(1, Math.floor(size / 4)));
  }

  async take(use: SlotUse): Promise<() => void> {
    // A slot is counted as taken at once (here, or by wakeNext before it wakes a waiter), so none is handed twice.
    if (this.canStart(use)) this.occupy(use);
    else await new Promise<void>((resolve) => this.waiting[use].push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy -= 1;
      if (use === "lookup") this.busyLookups -= 1;
      this.wakeNext();
    };
  }

  private occupy(use: SlotUse): void {
    this.busy += 1;
    if (use === "lookup") this.busyLookups += 1;
  }

  private canStart(use: SlotUse): boolean {
    if (this.busy >= this.size) return false;
    return use === "send" || (this.busyLookups < this.lookupCap && this.waiting.send.length === 0);
  }

  private wakeNext(): void {
    for (const use of ["send", "lookup"] as const) {
      const next = this.waiting[use][0];
      if (next !== undefined && this.canStartWaiting(use)) {
        this.waiting[use].shift();
        this.occupy(use);
        next();
        return;
      }
    }
  }

  /** Like canStart, for the head of a queue (waiting sends do not block themselves). */
  private canStartWaiting(use: SlotUse): boolean {
    if (this.busy >= this.size) return false;
    return use === "send" || this.busyLookups < this.lookupCap;
  }
}
