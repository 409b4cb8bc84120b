// A token bucket per caller (JWT subject), in this replica's memory: `burst` tokens, refilled at `perMinute`. The
// map is bounded (least recently used callers are forgotten first, which only ever gives them a full bucket).
export interface CallerRateLimiterOptions {
  burst: number;
  perMinute: number;
  /** Callers remembered at once. */
  maxCallers?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class CallerRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxCallers: number;

  constructor(private readonly options: CallerRateLimiterOptions) {
    this.now = options.now ?? (() => performance.now());
    this.maxCallers = options.maxCallers ?? 10_000;
  }

  /** Takes a token: 0 when granted, else the whole seconds until one is available (nothing taken). */
  take(caller: string): number {
    if (this.options.perMinute <= 0) return 0; // disabled
    const now = this.now();
    const perMs = this.options.perMinute / 60_000;
    const previous = this.buckets.get(caller);
    const tokens =
      previous === undefined
        ? this.options.burst
        : Math.min(this.options.burst, previous.tokens + (now - previous.at) * perMs);
    this.buckets.delete(caller); // re-inserted last: Map order is recency
    if (tokens < 1) {
      this.buckets.set(caller, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / perMs / 1_000));
    }
    this.buckets.set(caller, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxCallers) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return 0;
  }
}
