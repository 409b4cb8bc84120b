// Per-minute limits per operation (docs/plum-api.md §6.2), as fixed one-minute windows.
import type { RateLimits } from "./types.js";

const WINDOW_MS = 60_000;

interface Window {
  startedAt: number;
  count: number;
}

export class RateLimiter {
  private windows = new Map<keyof RateLimits, Window>();

  constructor(private readonly limits: RateLimits | null) {}

  /** Counts the request; false when it exceeds the operation's limit. */
  allow(operation: keyof RateLimits, now = Date.now()): boolean {
    const limit = this.limits?.[operation];
    if (limit === undefined) return true;
    let window = this.windows.get(operation);
    if (window === undefined || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(operation, window);
    }
    window.count += 1;
    return window.count <= limit;
  }

  reset(): void {
    this.windows.clear();
  }
}
